// Issue point 12: onCommit receives every committed batch, after the commit; a throwing
// onCommit never undoes the commit and is reported to onCommitError.
import { describe, expect, it } from 'vitest';
import { hashJson } from 'capa-kit/register';
import type { CommittedBatch } from 'capa-kit/register';
import { actors, sampleEvidence } from '../fixtures/events.js';
import { TENANT, type Harness, driveTo, expectNothingWritten, raiseInput, setup, tenantSequence } from './harness.js';

describe('onCommit', () => {
  it('receives every committed batch, after the commit, with sealed entries and the tenant sequence', async () => {
    const batches: CommittedBatch[] = [];
    const observed: { stored: boolean; sequence: number }[] = [];
    let h!: Harness;
    h = setup({
      onCommit: async (batch) => {
        batches.push(batch);
        // The commit is already visible when the hook runs.
        const last = batch.entries.at(-1)!;
        const [record] = await h.store.load(TENANT, [last.recordId]);
        observed.push({ stored: record?.head === last.hash, sequence: await tenantSequence(h.store) });
      },
    });
    await driveTo(h.register, 'closed');
    await h.register.comment({ actor: actors.owner, findingId: (await h.register.query()).findings[0]!.id, text: 'Done and dusted' });

    expect(batches).toHaveLength(h.store.calls.committed);
    expect(observed.every((o) => o.stored)).toBe(true);
    expect(observed.map((o) => o.sequence)).toEqual(batches.map((b) => b.tenantSequence));
    // Together, the batches are the tenant's log, in order.
    const events = await h.store.readTenantEvents(TENANT, 0, 10_000);
    expect(batches.flatMap((b) => b.entries)).toEqual(events.map((e) => e.entry));
    let sequence = 0;
    for (const batch of batches) {
      expect(batch.tenantId).toBe(TENANT);
      sequence += batch.entries.length;
      expect(batch.tenantSequence).toBe(sequence);
      for (const entry of batch.entries) {
        const { hash, ...content } = entry;
        expect(hash).toBe(hashJson(content));
      }
    }
  });

  it('is not called for a refused command', async () => {
    let calls = 0;
    const h = setup({ onCommit: () => void (calls += 1) });
    const raised = await h.register.raise(raiseInput());
    calls = 0;
    await expectNothingWritten(h.store, () => h.register.close({ actor: actors.auditor, findingId: raised.id, evidence: [sampleEvidence()] }));
    await expectNothingWritten(h.store, () => h.register.comment({ actor: actors.owner, findingId: raised.id, text: '' }));
    expect(calls).toBe(0);
  });

  it.each([
    ['throws', () => { throw new Error('outbox full'); }],
    ['rejects', async () => { throw new Error('outbox full'); }],
  ])('an onCommit that %s never undoes the commit; the error goes to onCommitError with the batch', async (_how, hook) => {
    const reported: [unknown, CommittedBatch][] = [];
    const h = setup({ onCommit: hook, onCommitError: (error, batch) => void reported.push([error, batch]) });
    const raised = await h.register.raise(raiseInput());
    expect(raised.reference).toBe('NC-2026-0001');
    expect((await h.register.get(raised.id)).id).toBe(raised.id);
    expect(reported).toHaveLength(1);
    expect((reported[0]![0] as Error).message).toBe('outbox full');
    expect(reported[0]![1]).toMatchObject({ tenantId: TENANT, tenantSequence: 1, entries: [expect.objectContaining({ type: 'RAISE', recordId: raised.id })] });
    // Later commands are unaffected.
    await h.register.comment({ actor: actors.owner, findingId: raised.id, text: 'Still works' });
    expect(reported).toHaveLength(2);
    expect((await h.register.verifyHistory()).ok).toBe(true);
  });

  it('without onCommitError, a throwing onCommit is swallowed and the command still resolves', async () => {
    const h = setup({ onCommit: () => { throw new Error('ignored'); } });
    const raised = await h.register.raise(raiseInput());
    expect((await h.register.get(raised.id)).status).toBe('reported');
  });

  it('a shared action\'s commit is one batch with every record\'s entry', async () => {
    const batches: CommittedBatch[] = [];
    const h = setup({ onCommit: (batch) => void batches.push(batch) });
    const a = await driveTo(h.register, 'planning', { grade: 'major' });
    const b = await driveTo(h.register, 'investigating', { grade: 'major' });
    const x = a.actionIds[0]!;
    await h.register.planActions({ actor: actors.owner, findingId: b.finding.id, actions: [{ existingActionId: x }] });
    await h.register.submitPlan({ actor: actors.owner, findingId: a.finding.id });
    await h.register.submitPlan({ actor: actors.owner, findingId: b.finding.id });
    batches.length = 0;
    await h.register.startAction({ actor: actors.owner, actionId: x });
    expect(batches).toHaveLength(1);
    expect(batches[0]!.entries.map((e) => e.recordId).sort()).toEqual([a.finding.id, b.finding.id, x].sort());
    expect(new Set(batches[0]!.entries.map((e) => e.type))).toEqual(new Set(['START_ACTION']));
  });
});
