// Issue point 4: a refused transition throws CapaTransitionError carrying every unmet
// requirement (exactly what the pure machine's explain() says for that snapshot and
// event), and writes nothing.
import { describe, expect, it } from 'vitest';
import { type Actor, type CapaEvent, CapaTransitionError, explain, STATE_ACCEPTS } from 'capa-kit';
import { actors, sampleCorrection, sampleEvidence, sampleRootCause } from '../fixtures/events.js';
import { type Harness, type Stage, driveTo, dumpTenant, expectNothingWritten, planLine, raiseInput, setup, signer } from './harness.js';

interface RefusalCase {
  readonly name: string;
  readonly stage: Stage;
  readonly grade?: 'major' | 'minor';
  /** Changes made through the register before the refused command (state set-up). */
  readonly prepare?: (h: Harness, findingId: string) => Promise<void>;
  /** The refused command. */
  readonly run: (h: Harness, ids: { findingId: string; actionId: string }) => Promise<unknown>;
  /** The lifecycle event the register builds for it (without `at`). */
  readonly event: (ids: { findingId: string; actionId: string }, by: Actor) => Omit<CapaEvent, 'at'>;
  readonly actor: Actor;
  readonly codes: readonly string[];
}

const shallow = sampleRootCause({ statement: 'Human error', extentOfCondition: null });

const cases: RefusalCase[] = [
  {
    name: 'close in "reported": the state does not take it',
    stage: 'reported',
    actor: actors.auditor,
    run: (h, { findingId }) => h.register.close({ actor: actors.auditor, findingId, evidence: [sampleEvidence()], signature: signer }),
    event: (_ids, by) => ({ type: 'CLOSE', by, evidence: [sampleEvidence()] }),
    codes: [STATE_ACCEPTS],
  },
  {
    name: 'close in "verifying" with no review and no evidence: both closure requirements',
    stage: 'verifying',
    actor: actors.auditor,
    run: (h, { findingId }) => h.register.close({ actor: actors.auditor, findingId, evidence: [], signature: signer }),
    event: (_ids, by) => ({ type: 'CLOSE', by, evidence: [] }),
    codes: ['closure.effectiveReview', 'closure.evidence'],
  },
  {
    name: 'plan on a shallow root cause without extent of condition',
    stage: 'contained',
    actor: actors.owner,
    prepare: async (h, findingId) => {
      await h.register.recordRootCause({ actor: actors.owner, findingId, rootCause: shallow });
    },
    run: (h, { findingId }) => h.register.planActions({ actor: actors.owner, findingId, actions: [{ id: 'ca-x', ...planLine() }] }),
    event: (_ids, by) => ({ type: 'PLAN_ACTIONS', by, actions: [{ id: 'ca-x', ...planLine() }] }),
    codes: ['rootCause.notShallow', 'rootCause.extentOfCondition'],
  },
  {
    name: 'submit a plan whose action has no owner, due date or outcome',
    stage: 'investigating',
    actor: actors.owner,
    prepare: async (h, findingId) => {
      await h.register.planActions({ actor: actors.owner, findingId, actions: [{ id: 'ca-bare', description: 'Do something' }] });
    },
    run: (h, { findingId }) => h.register.submitPlan({ actor: actors.owner, findingId }),
    event: (_ids, by) => ({ type: 'SUBMIT_PLAN', by }),
    codes: ['plan.actionOwner', 'plan.actionDueDate', 'plan.actionOutcome'],
  },
  {
    name: 'start verification with an action still open',
    stage: 'implementing',
    grade: 'major',
    actor: actors.owner,
    run: (h, { findingId }) => h.register.startVerification({ actor: actors.owner, findingId }),
    event: (_ids, by) => ({ type: 'START_VERIFICATION', by }),
    codes: ['actions.finished', 'actions.doneWithEvidence'],
  },
  {
    name: 'start an action twice',
    stage: 'implementing',
    grade: 'major',
    actor: actors.owner,
    prepare: async (h, findingId) => {
      const [actionId] = (await h.register.get(findingId)).correctiveActionIds;
      await h.register.startAction({ actor: actors.owner, actionId: actionId! });
    },
    run: (h, { actionId }) => h.register.startAction({ actor: actors.owner, actionId }),
    event: ({ actionId }, by) => ({ type: 'START_ACTION', by, actionId }),
    codes: ['action.planned'],
  },
  {
    name: 'regrade a planned nonconformity to an observation',
    stage: 'planning',
    actor: actors.owner,
    run: (h, { findingId }) => h.register.regrade({ actor: actors.owner, findingId, grade: 'observation', reason: 'Smaller than we thought' }),
    event: (_ids, by) => ({ type: 'REGRADE', by, grade: 'observation', reason: 'Smaller than we thought' }),
    codes: ['grade.lifecycleAllowed'],
  },
  {
    name: 'regrade to the same grade',
    stage: 'reported',
    actor: actors.owner,
    run: (h, { findingId }) => h.register.regrade({ actor: actors.owner, findingId, grade: 'minor', reason: 'Confirming' }),
    event: (_ids, by) => ({ type: 'REGRADE', by, grade: 'minor', reason: 'Confirming' }),
    codes: ['grade.changed'],
  },
  {
    name: 'regrade to a grade the policy does not define',
    stage: 'contained',
    actor: actors.owner,
    run: (h, { findingId }) => h.register.regrade({ actor: actors.owner, findingId, grade: 'critical', reason: 'Feels bad' }),
    event: (_ids, by) => ({ type: 'REGRADE', by, grade: 'critical', reason: 'Feels bad' }),
    codes: ['grade.known'],
  },
  {
    name: 'reject as a duplicate of itself',
    stage: 'reported',
    actor: actors.auditor,
    run: (h, { findingId }) => h.register.reject({ actor: actors.auditor, findingId, kind: 'duplicate', duplicateOf: findingId, reason: 'Same thing' }),
    event: ({ findingId }, by) => ({ type: 'REJECT', by, kind: 'duplicate', duplicateOf: findingId, reason: 'Same thing' }),
    codes: ['rejection.duplicateOf'],
  },
  {
    name: 'reject as a duplicate without naming the other finding',
    stage: 'reported',
    actor: actors.auditor,
    run: (h, { findingId }) => h.register.reject({ actor: actors.auditor, findingId, kind: 'duplicate', reason: 'Same thing' }),
    event: (_ids, by) => ({ type: 'REJECT', by, kind: 'duplicate', reason: 'Same thing' }),
    codes: ['rejection.duplicateOf'],
  },
  {
    name: 'record a root cause before the correction',
    stage: 'reported',
    actor: actors.owner,
    run: (h, { findingId }) => h.register.recordRootCause({ actor: actors.owner, findingId, rootCause: sampleRootCause() }),
    event: (_ids, by) => ({ type: 'RECORD_ROOT_CAUSE', by, rootCause: sampleRootCause() }),
    codes: [STATE_ACCEPTS],
  },
  {
    name: 'a 5 Whys analysis with one why',
    stage: 'contained',
    actor: actors.owner,
    run: (h, { findingId }) => h.register.recordRootCause({ actor: actors.owner, findingId, rootCause: sampleRootCause({ whys: ['Because'] }) }),
    event: (_ids, by) => ({ type: 'RECORD_ROOT_CAUSE', by, rootCause: sampleRootCause({ whys: ['Because'] }) }),
    codes: ['rootCause.whyChain'],
  },
  {
    name: 'a correction completed before the detection',
    stage: 'reported',
    actor: actors.owner,
    run: (h, { findingId }) =>
      h.register.recordCorrection({ actor: actors.owner, findingId, correction: { ...sampleCorrection(), completedAt: '2026-02-01T00:00:00Z' } as never }),
    event: (_ids, by) => ({ type: 'RECORD_CORRECTION', by, correction: { ...sampleCorrection(), completedAt: '2026-02-01T00:00:00Z' } as never }),
    codes: ['correction.afterDetection'],
  },
  {
    name: 'reopen an open finding',
    stage: 'implementing',
    actor: actors.auditor,
    run: (h, { findingId }) => h.register.reopen({ actor: actors.auditor, findingId, reason: 'Again' }),
    event: (_ids, by) => ({ type: 'REOPEN', by, reason: 'Again' }),
    codes: [STATE_ACCEPTS],
  },
];

describe('a refused transition carries every unmet requirement and writes nothing', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const h = setup();
    const { finding } = await driveTo(h.register, c.stage, { grade: c.grade ?? 'minor' });
    await c.prepare?.(h, finding.id);
    const current = await h.register.get(finding.id);
    const ids = { findingId: finding.id, actionId: current.correctiveActionIds[0] ?? 'none' };
    const snapshot = await h.register.snapshot(finding.id);
    const error = await expectNothingWritten(h.store, () => c.run(h, ids));
    expect(error).toBeInstanceOf(CapaTransitionError);
    const refused = error as CapaTransitionError;
    const expected = explain(snapshot, { ...c.event(ids, c.actor), at: h.now() } as CapaEvent);
    expect(refused.unmet).toEqual(expected);
    expect(refused.unmet.map((u) => u.code)).toEqual(c.codes);
    expect(refused).toMatchObject({ code: 'CAPA_TRANSITION_REFUSED', state: String(snapshot.value), event: c.event(ids, c.actor).type });
    // An action command moves every linked finding, so it names the one refused.
    const viaAction = ['START_ACTION', 'COMPLETE_ACTION', 'CANCEL_ACTION'].includes(refused.event);
    expect(refused.finding).toBe(viaAction ? current.reference : null);
    for (const unmet of refused.unmet) expect(refused.message).toContain(`[${unmet.code}]`);
    expect((await h.register.verifyHistory()).ok).toBe(true);
  });

  it('a refused raise (unknown grade) writes no record and no event', async () => {
    const h = setup();
    await h.register.raise(raiseInput());
    const before = await dumpTenant(h.store);
    const error = await h.register.raise(raiseInput({ grade: 'critical' })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CapaTransitionError);
    expect((error as CapaTransitionError).unmet.map((u) => u.code)).toEqual(['grade.known']);
    expect(await dumpTenant(h.store)).toEqual(before);
  });
});
