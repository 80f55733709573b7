// Issue point 8: one corrective action shared by two findings. Starting, completing or
// cancelling it moves the action and every linked finding in one atomic commit; a
// refusal for any linked finding refuses it for all, names that finding, and writes nothing.
import { describe, expect, it } from 'vitest';
import { CapaTransitionError, CapaValidationError, currentActions } from 'capa-kit';
import type { CommittedBatch } from 'capa-kit/register';
import { actors, sampleEvidence, sampleReview, sampleRootCause } from '../fixtures/events.js';
import { TENANT, type Harness, driveTo, expectNothingWritten, planLine, setup, signer, tenantSequence } from './harness.js';

/**
 * Finding A (minor: approval) plans action X; finding B (major) links X with
 * `{ existingActionId }` from investigating. Returns both, and X.
 */
async function shared(h: Harness) {
  const a = await driveTo(h.register, 'planning', { grade: 'minor', finding: { title: 'Leavers kept access' } });
  const x = a.actionIds[0]!;
  const b = await driveTo(h.register, 'investigating', { grade: 'major', finding: { title: 'Movers kept old access' } });
  const linked = await h.register.planActions({ actor: actors.owner, findingId: b.finding.id, actions: [{ existingActionId: x }] });
  expect(linked.correctiveActionIds).toEqual([x]);
  return { a: a.finding, b: linked, x };
}

async function bothImplementing(h: Harness) {
  const s = await shared(h);
  await h.register.submitPlan({ actor: actors.owner, findingId: s.a.id });
  await h.register.approvePlan({ actor: actors.auditor, findingId: s.a.id, signature: signer });
  await h.register.submitPlan({ actor: actors.owner, findingId: s.b.id });
  expect((await h.register.get(s.a.id)).status).toBe('implementing');
  expect((await h.register.get(s.b.id)).status).toBe('implementing');
  return s;
}

const actionStatusIn = async (h: Harness, findingId: string, actionId: string) =>
  currentActions((await h.register.snapshot(findingId)).context).find((action) => action.id === actionId)?.status;

describe('a corrective action shared by two findings', () => {
  it('linking records both findings on the action, and the link in both histories', async () => {
    const h = setup();
    const { a, b, x } = await shared(h);
    expect((await h.register.getAction(x)).findingIds).toEqual([a.id, b.id]);
    expect((await h.register.history(x)).map((e) => e.type)).toEqual(['CREATE_ACTION', 'LINK_FINDING']);
    expect(await actionStatusIn(h, b.id, x)).toBe('planned');
    expect((await h.register.verifyHistory()).ok).toBe(true);
  });

  it('start and complete move the action in both findings, each in ONE commit of three entries', async () => {
    const batches: CommittedBatch[] = [];
    const h = setup({ onCommit: (batch) => void batches.push(batch) });
    const { a, b, x } = await bothImplementing(h);

    for (const step of ['start', 'complete'] as const) {
      const commits = h.store.calls.commit;
      const sequence = await tenantSequence(h.store);
      batches.length = 0;
      const action =
        step === 'start'
          ? await h.register.startAction({ actor: actors.owner, actionId: x })
          : await h.register.completeAction({ actor: actors.owner, actionId: x, evidence: [sampleEvidence()] });
      expect(action.status).toBe(step === 'start' ? 'in-progress' : 'done');
      expect(h.store.calls.commit - commits).toBe(1);
      // One tenant sequence number per entry: A's, B's and the action's.
      expect(await tenantSequence(h.store)).toBe(sequence + 3);
      const events = await h.store.readTenantEvents(TENANT, sequence, 100);
      expect(events.map((e) => e.tenantSequence)).toEqual([sequence + 1, sequence + 2, sequence + 3]);
      expect(events.map((e) => e.recordId).sort()).toEqual([a.id, b.id, x].sort());
      expect(batches).toHaveLength(1);
      expect(batches[0]!.entries).toHaveLength(3);
      expect(batches[0]!.tenantSequence).toBe(sequence + 3);
      const expected = step === 'start' ? 'in-progress' : 'done';
      expect(await actionStatusIn(h, a.id, x)).toBe(expected);
      expect(await actionStatusIn(h, b.id, x)).toBe(expected);
    }
    const done = await h.register.getAction(x);
    expect(done.implementationEvidence).toHaveLength(1);
    // Both findings can now move on, independently.
    expect((await h.register.startVerification({ actor: actors.owner, findingId: a.id })).status).toBe('verifying');
    expect((await h.register.startVerification({ actor: actors.owner, findingId: b.id })).status).toBe('verifying');
    expect((await h.register.verifyHistory()).ok).toBe(true);
  });

  it('a finding cannot start verification while any of its actions (shared or its own) is open', async () => {
    const h = setup();
    const a = await driveTo(h.register, 'planning', { grade: 'major' });
    const x = a.actionIds[0]!;
    const b = await driveTo(h.register, 'investigating', { grade: 'major' });
    const planned = await h.register.planActions({
      actor: actors.owner,
      findingId: b.finding.id,
      actions: [{ existingActionId: x }, planLine(actors.owner, 'B\'s own action')],
    });
    const own = planned.correctiveActionIds.find((id) => id !== x)!;
    await h.register.submitPlan({ actor: actors.owner, findingId: a.finding.id });
    await h.register.submitPlan({ actor: actors.owner, findingId: b.finding.id });
    await h.register.startAction({ actor: actors.owner, actionId: own });
    await h.register.completeAction({ actor: actors.owner, actionId: own, evidence: [sampleEvidence()] });
    // B's own action is done, the shared one is still planned.
    const error = await expectNothingWritten(h.store, () => h.register.startVerification({ actor: actors.owner, findingId: b.finding.id }));
    expect(error).toBeInstanceOf(CapaTransitionError);
    expect((error as CapaTransitionError).unmet.map((u) => u.code)).toEqual(['actions.finished']);
    // The action named by its reference (the one people read), not its id.
    const { reference } = await h.register.getAction(x);
    expect(reference).toMatch(/^CA-\d{4}-\d{4}$/);
    expect((error as CapaTransitionError).unmet[0]!.message).toContain(reference!);
    expect((error as CapaTransitionError).unmet[0]!.message).not.toContain(x);
    await h.register.startAction({ actor: actors.owner, actionId: x });
    const stillOpen = await expectNothingWritten(h.store, () => h.register.startVerification({ actor: actors.owner, findingId: b.finding.id }));
    expect((stillOpen as CapaTransitionError).unmet.map((u) => u.code)).toEqual(['actions.finished']);
    await h.register.completeAction({ actor: actors.owner, actionId: x, evidence: [sampleEvidence()] });
    expect((await h.register.startVerification({ actor: actors.owner, findingId: b.finding.id })).status).toBe('verifying');
  });

  it('when one linked finding is not implementing, start/complete/cancel are refused for all, naming it, and nothing is written', async () => {
    const h = setup();
    const { a, b, x } = await shared(h);
    // B (major) goes to implementing; A (minor) waits for approval.
    await h.register.submitPlan({ actor: actors.owner, findingId: b.id });
    await h.register.submitPlan({ actor: actors.owner, findingId: a.id });
    const aRef = (await h.register.get(a.id)).reference;
    const attempts = [
      () => h.register.startAction({ actor: actors.owner, actionId: x }),
      () => h.register.completeAction({ actor: actors.owner, actionId: x, evidence: [sampleEvidence()] }),
      () => h.register.cancelAction({ actor: actors.owner, actionId: x, reason: 'Not needed' }),
    ];
    for (const attempt of attempts) {
      const error = await expectNothingWritten(h.store, attempt);
      expect(error).toBeInstanceOf(CapaTransitionError);
      expect(error).toMatchObject({ finding: aRef, state: 'awaitingApproval' });
      expect((error as CapaTransitionError).message).toContain(aRef);
    }
    expect((await h.register.getAction(x)).status).toBe('planned');
    expect(await actionStatusIn(h, b.id, x)).toBe('planned');
  });

  it('cancelling a shared action cancels it in both findings in one commit', async () => {
    const h = setup();
    const { a, b, x } = await bothImplementing(h);
    const commits = h.store.calls.commit;
    const cancelled = await h.register.cancelAction({ actor: actors.owner, actionId: x, reason: 'Superseded by a new IAM tool' });
    expect(h.store.calls.commit - commits).toBe(1);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancellation: { reason: 'Superseded by a new IAM tool' } });
    expect(await actionStatusIn(h, a.id, x)).toBe('cancelled');
    expect(await actionStatusIn(h, b.id, x)).toBe('cancelled');
  });

  it('only a planned action can be shared: linking an action already started is refused, naming the plan line', async () => {
    const h = setup();
    const { x } = await bothImplementing(h);
    await h.register.startAction({ actor: actors.owner, actionId: x });
    const c = await driveTo(h.register, 'investigating', { grade: 'major' });
    const error = await expectNothingWritten(h.store, () =>
      h.register.planActions({ actor: actors.owner, findingId: c.finding.id, actions: [{ existingActionId: x }] }),
    );
    expect(error).toBeInstanceOf(CapaValidationError);
    expect((error as CapaValidationError).issues).toContainEqual(expect.objectContaining({ path: ['actions', 0, 'existingActionId'], code: 'action_not_planned' }));
  });

  it('a finding that drops a shared action from its revised plan is unlinked; the other keeps it', async () => {
    const h = setup();
    const { a, b, x } = await shared(h);
    const revised = await h.register.planActions({ actor: actors.owner, findingId: a.id, actions: [planLine(actors.owner, 'Something else')] });
    expect(revised.correctiveActionIds).not.toContain(x);
    const action = await h.register.getAction(x);
    expect(action).toMatchObject({ status: 'planned', findingIds: [b.id] });
    expect((await h.register.history(x)).at(-1)!.type).toBe('UNLINK_FINDING');
    expect((await h.register.verifyHistory()).ok).toBe(true);
  });

  it('a missing existingActionId is a NotFoundError and writes nothing', async () => {
    const h = setup();
    const b = await driveTo(h.register, 'investigating');
    const error = await expectNothingWritten(h.store, () =>
      h.register.planActions({ actor: actors.owner, findingId: b.finding.id, actions: [{ existingActionId: 'ca-nope' }] }),
    );
    expect(error).toMatchObject({ code: 'CAPA_NOT_FOUND' });
  });

  // Regression, fixed (src/register/commands/plan-actions.ts, the "revised in place" branch): a
  // finding's own action that an earlier revision dropped is *cancelled* (its record says
  // status 'cancelled', with a cancellation). Planning it again with `{ existingActionId }`
  // is accepted (not shared, so the "only a planned action" check does not apply), and the
  // finding's lifecycle has it as 'planned' again, but the record is revised with
  // `{ ...existing.action, ...draft }`: status stays 'cancelled' and `cancellation` stays
  // set. The action index then says closed ("open: false") for an action the plan relies
  // on, and after startAction the record is 'in-progress' with a cancellation still on it.
  // Expected: either refused (CapaValidationError on actions[0].existingActionId) or the
  // record reset to planned with no cancellation. Before the fix: record 'cancelled'.
  it('re-planning a previously dropped own action leaves its record consistent with the plan', async () => {
    const h = setup();
    const { finding, actionIds } = await driveTo(h.register, 'planning', { grade: 'major' });
    const x = actionIds[0]!;
    await h.register.planActions({ actor: actors.owner, findingId: finding.id, actions: [planLine(actors.owner, 'Replacement')] });
    expect((await h.register.getAction(x)).status).toBe('cancelled');
    const replanned = await h.register.planActions({ actor: actors.owner, findingId: finding.id, actions: [{ existingActionId: x }] });
    expect(replanned.correctiveActionIds).toContain(x);
    expect(await actionStatusIn(h, finding.id, x)).toBe('planned');
    const record = await h.register.getAction(x);
    expect(record).toMatchObject({ status: 'planned', cancellation: null });
  });

  // Regression, fixed (src/register/commands/plan-actions.ts): a new plan line may carry its own
  // `id`; when that id is already used by another record of the tenant (another finding's
  // action, or a finding), the register builds a *create* write (expectedVersion 0) and
  // the store refuses it as a ConcurrencyError ("another writer changed it"). That error
  // tells the caller to retry (withRetry does, fruitlessly, every attempt); the real
  // problem is the input. Expected: CapaValidationError naming ['actions', 0, 'id'].
  // Before the fix: ConcurrencyError for record <that id>.
  it('a new plan line whose id is taken by another record is a validation error, not a ConcurrencyError', async () => {
    const h = setup();
    const a = await driveTo(h.register, 'planning', { grade: 'major' });
    const b = await driveTo(h.register, 'investigating', { grade: 'major' });
    const error = await expectNothingWritten(h.store, () =>
      h.register.planActions({ actor: actors.owner, findingId: b.finding.id, actions: [{ id: a.actionIds[0]!, ...planLine() }] }),
    );
    expect(error).toBeInstanceOf(CapaValidationError);
    expect((error as CapaValidationError).issues.map((i) => i.path)).toContainEqual(['actions', 0, 'id']);
  });

  it('a shared action whose findings went through different investigations: a later cycle\'s finding no longer knows it', async () => {
    const h = setup();
    const { a, b, x } = await bothImplementing(h);
    await h.register.startAction({ actor: actors.owner, actionId: x });
    await h.register.completeAction({ actor: actors.owner, actionId: x, evidence: [sampleEvidence()] });
    await h.register.startVerification({ actor: actors.owner, findingId: b.id });
    // B's review finds it not effective: a new investigation, a new plan.
    await h.register.reviewEffectiveness({ actor: actors.auditor, findingId: b.id, review: sampleReview('not-effective') });
    await h.register.recordRootCause({ actor: actors.owner, findingId: b.id, rootCause: sampleRootCause({ statement: 'The IAM tool does not read HR leaving dates.' }) });
    expect((await h.register.get(b.id)).status).toBe('investigating');
    // A continues as before.
    expect((await h.register.startVerification({ actor: actors.owner, findingId: a.id })).status).toBe('verifying');
    expect((await h.register.verifyHistory()).ok).toBe(true);
  });
});
