import { describe, expect, it } from 'vitest';
import { iso27001 } from 'capa-kit';
import { type CapaStore, createCapaRegister, memoryStore } from 'capa-kit/register';
import { actors, sampleCorrection, sampleEvidence, sampleRootCause } from '../fixtures/events.js';
import { raiseInput } from './harness.js';

const signer = { credential: 'ok' };

function setup(store: CapaStore = memoryStore()) {
  let tick = Date.parse('2026-03-02T09:00:00Z');
  const register = createCapaRegister({
    store,
    policy: iso27001,
    tenant: 'acme',
    clock: () => new Date((tick += 60_000)),
    verifySignature: (_actor, credential) => credential === 'ok',
  });
  return { register, store };
}

async function raiseMinor(register: ReturnType<typeof setup>['register']) {
  return register.raise(raiseInput());
}

describe('the register walks a minor nonconformity to closure', () => {
  it('raises, contains, investigates, plans, approves, implements, verifies and closes, with a verifiable history', async () => {
    const { register } = setup();
    const raised = await raiseMinor(register);
    expect(raised).toMatchObject({ reference: 'NC-2026-0001', status: 'reported', dueDate: '2027-03-01', tenantId: 'acme' });
    const findingId = raised.id;

    await register.recordCorrection({ actor: actors.owner, findingId, correction: sampleCorrection() });
    await register.recordRootCause({ actor: actors.owner, findingId, rootCause: sampleRootCause() });
    const planned = await register.planActions({
      actor: actors.owner,
      findingId,
      actions: [{ description: 'Add an IT confirmation step', owner: { id: actors.owner.id, name: actors.owner.name }, dueDate: '2026-05-01', measurableOutcome: 'Next 10 departures within 24 h' }],
    });
    const [actionId] = planned.correctiveActionIds;
    expect(planned.status).toBe('planning');
    expect((await register.submitPlan({ actor: actors.owner, findingId })).status).toBe('awaitingApproval');
    const approved = await register.approvePlan({ actor: actors.auditor, findingId, signature: signer });
    expect(approved.planApproval).toMatchObject({ role: 'auditor' });

    await register.startAction({ actor: actors.owner, actionId: actionId! });
    const action = await register.completeAction({ actor: actors.owner, actionId: actionId!, evidence: [sampleEvidence()] });
    expect(action.status).toBe('done');
    expect((await register.get(findingId)).status).toBe('implementing');

    await register.startVerification({ actor: actors.owner, findingId });
    await register.reviewEffectiveness({
      actor: actors.auditor,
      findingId,
      signature: signer,
      review: { schemaVersion: 1, method: 'kpi', criterion: 'Next 10 departures within 24 h', result: 'effective', reviewer: { id: actors.auditor.id, name: actors.auditor.name }, reviewedAt: '2026-03-02T09:00:00Z', evidence: [] },
    });
    const closed = await register.close({ actor: actors.auditor, findingId, evidence: [sampleEvidence()], signature: signer });
    expect(closed.status).toBe('closed');

    const history = await register.history(findingId);
    expect(history.map((entry) => entry.type)).toEqual([
      'RAISE', 'RECORD_CORRECTION', 'RECORD_ROOT_CAUSE', 'PLAN_ACTIONS', 'SUBMIT_PLAN', 'APPROVE_PLAN',
      'START_ACTION', 'COMPLETE_ACTION', 'START_VERIFICATION', 'RECORD_REVIEW', 'CLOSE',
    ]);
    expect(history.filter((entry) => entry.signature !== null).map((entry) => entry.signature!.meaning)).toEqual(['approved', 'verified effective', 'closed']);
    const report = await register.verifyHistory();
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, records: 2 });
    expect(report.entries).toBe(history.length + 3);
  });

  it('a tampered entry is named as the first broken link', async () => {
    const store = memoryStore();
    const { register } = setup(store);
    const raised = await raiseMinor(register);
    await register.comment({ actor: actors.owner, findingId: raised.id, text: 'Looking into it' });
    const head = await register.logHead();
    // Rewrite the comment behind the register's back, with a valid-looking commit.
    const [record] = await store.load('acme', [raised.id]);
    const events = await store.readEvents('acme', raised.id);
    const forged = { ...(events[1]!.entry as Record<string, unknown>), payload: { text: 'All fine' } };
    const tampered = memoryStore();
    await tampered.commit({ tenantId: 'acme', writes: [{ record: record!, expectedVersion: 0, events: [{ ...events[0]!, tenantId: 'acme' }, { tenantId: 'acme', recordId: raised.id, sequence: 2, entry: forged as never }] }] });
    const verifier = createCapaRegister({ store: tampered, policy: iso27001, tenant: 'acme' });
    const report = await verifier.verifyHistory({ trustedHead: head });
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ code: 'hash-mismatch', recordId: raised.id, sequence: 2 });
    expect(report.problems.map((p) => p.code)).toContain('head-mismatch');
  });
});
