import { NotFoundError } from '../../errors/store-errors.js';
import type { CommandName } from '../inputs.js';
import { type ActionCommand, type FindingCommand, requireFindings } from './define.js';
import { person } from './runtime.js';

/** The commands that move one finding, each the entry it makes (run by `runFindingCommand`). */
export type FindingCommandName = Exclude<CommandName, 'raise' | 'planActions' | ActionCommandName>;
/** The commands that move a corrective action and every finding linked to it (run by `runActionCommand`). */
export type ActionCommandName = 'startAction' | 'completeAction' | 'cancelAction';

/**
 * Every command on one finding, as data. Which of them sign (approval, an effective
 * verdict, closure), and whom segregation of duties checks, is read from the event they
 * make: see `signedActOf` and `segregationRefusal` in `src/register/rules`.
 */
export const FINDING_COMMANDS: { readonly [C in FindingCommandName]: FindingCommand<C> } = {
  recordCorrection: {
    makes: (p, at) => ({ event: { type: 'RECORD_CORRECTION', at, by: p.actor, correction: p.correction } }),
  },
  recordRootCause: {
    makes: (p, at) => ({ event: { type: 'RECORD_ROOT_CAUSE', at, by: p.actor, rootCause: p.rootCause } }),
  },
  linkFindings: {
    precheck: (runtime, p) => requireFindings(runtime, p.findingIds),
    makes: (p, at) => ({ event: { type: 'LINK_FINDINGS', at, by: p.actor, findingIds: p.findingIds } }),
  },
  submitPlan: {
    makes: (p, at) => ({ event: { type: 'SUBMIT_PLAN', at, by: p.actor } }),
  },
  approvePlan: {
    makes: (p, at) => ({ event: { type: 'APPROVE_PLAN', at, by: p.actor } }),
  },
  returnPlan: {
    makes: (p, at) => ({ event: { type: 'RETURN_PLAN', at, by: p.actor, reason: p.reason } }),
  },
  startVerification: {
    makes: (p, at) => ({ event: { type: 'START_VERIFICATION', at, by: p.actor } }),
  },
  reviewEffectiveness: {
    makes: (p, at) => ({ event: { type: 'RECORD_REVIEW', at, by: p.actor, review: p.review } }),
  },
  close: {
    makes: (p, at) => ({ event: { type: 'CLOSE', at, by: p.actor, evidence: p.evidence, ...(p.note === undefined ? {} : { reason: p.note }) } }),
  },
  reopen: {
    makes: (p, at) => ({ event: { type: 'REOPEN', at, by: p.actor, reason: p.reason } }),
  },
  reject: {
    precheck: async (runtime, p) => {
      if (p.duplicateOf === undefined) return;
      const [other] = await runtime.store.load(runtime.tenant, [p.duplicateOf]);
      if (other === undefined || other.kind !== 'finding') throw new NotFoundError('finding', p.duplicateOf);
    },
    makes: (p, at) => ({
      event: { type: 'REJECT', at, by: p.actor, kind: p.kind, reason: p.reason, ...(p.duplicateOf === undefined ? {} : { duplicateOf: p.duplicateOf }) },
    }),
  },
  regrade: {
    makes: (p, at) => ({ event: { type: 'REGRADE', at, by: p.actor, grade: p.grade, reason: p.reason } }),
  },
  comment: {
    // Not a lifecycle event: an entry in the history, which still counts as activity.
    makes: (p) => ({ entry: { type: 'COMMENT', payload: { text: p.text } } }),
  },
  attachEvidence: {
    makes: (p, at) => ({ event: { type: 'ATTACH_EVIDENCE', at, by: p.actor, evidence: p.evidence } }),
  },
};

/** Every command on a corrective action, as data. */
export const ACTION_COMMANDS: { readonly [C in ActionCommandName]: ActionCommand<C> } = {
  startAction: {
    makes: (p, action, at) => ({
      event: { type: 'START_ACTION', at, by: p.actor, actionId: action.id },
      action: { ...action, status: 'in-progress', startedAt: at },
    }),
  },
  completeAction: {
    makes: (p, action, at) => ({
      event: { type: 'COMPLETE_ACTION', at, by: p.actor, actionId: action.id, evidence: p.evidence },
      action: { ...action, status: 'done', completedAt: at, implementationEvidence: [...action.implementationEvidence, ...p.evidence] },
    }),
  },
  cancelAction: {
    makes: (p, action, at) => ({
      event: { type: 'CANCEL_ACTION', at, by: p.actor, actionId: action.id, reason: p.reason },
      action: { ...action, status: 'cancelled', cancellation: { reason: p.reason, cancelledBy: person(p.actor), cancelledAt: at } },
    }),
  },
};
