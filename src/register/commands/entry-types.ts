import type { CapaEventOf, CapaEventType } from '../../machine/events.js';
import type { JsonValue } from '../../store/contract.js';
import type { CommandName } from '../inputs.js';

/**
 * The history entry each command writes on the record it is about (its finding, or its
 * corrective action and every finding linked to it). The command definitions are typed
 * against it, so a definition that made another entry would not compile; the validator
 * reads it backwards, to know which input made an entry's payload.
 */
export const COMMAND_ENTRY_TYPES = {
  raise: 'RAISE',
  recordCorrection: 'RECORD_CORRECTION',
  recordRootCause: 'RECORD_ROOT_CAUSE',
  linkFindings: 'LINK_FINDINGS',
  planActions: 'PLAN_ACTIONS',
  submitPlan: 'SUBMIT_PLAN',
  approvePlan: 'APPROVE_PLAN',
  returnPlan: 'RETURN_PLAN',
  startAction: 'START_ACTION',
  completeAction: 'COMPLETE_ACTION',
  cancelAction: 'CANCEL_ACTION',
  startVerification: 'START_VERIFICATION',
  reviewEffectiveness: 'RECORD_REVIEW',
  close: 'CLOSE',
  reopen: 'REOPEN',
  reject: 'REJECT',
  regrade: 'REGRADE',
  comment: 'COMMENT',
  attachEvidence: 'ATTACH_EVIDENCE',
} as const satisfies Record<CommandName, CapaEventType | 'COMMENT'>;

/** The type of the entry command `C` writes. */
export type EntryTypeOf<C extends CommandName> = (typeof COMMAND_ENTRY_TYPES)[C];

/** What a command on one finding writes: a lifecycle event, or an entry outside the lifecycle (a comment). */
export type FindingEntry<T extends string = CapaEventType | 'COMMENT'> = T extends CapaEventType
  ? { readonly event: CapaEventOf<T> }
  : { readonly entry: { readonly type: T; readonly payload: JsonValue } };

/** The command that writes entries of `type` from its input, or `undefined` (an entry the register makes itself). */
export function commandWriting(type: string): CommandName | undefined {
  return writers.get(type);
}

const writers = new Map<string, CommandName>(
  (Object.entries(COMMAND_ENTRY_TYPES) as [CommandName, string][]).map(([command, type]) => [type, command]),
);
