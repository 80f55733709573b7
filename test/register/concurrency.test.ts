// Issue points 6 and 7: idempotency keys, and optimistic concurrency on one finding.
import { describe, expect, it } from 'vitest';
import { ConcurrencyError } from 'capa-kit';
import { type CommitBatch, withRetry } from 'capa-kit/register';
import { actors, sampleEvidence, sampleRootCause } from '../fixtures/events.js';
import { TENANT, driveTo, dumpTenant, instrument, raiseInput, setup, tenantSequence } from './harness.js';

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------
// 6. Idempotency
// ---------------------------------------------------------------------------------------

// Regression tests: until a fix landed during this session, the idempotency key never
// reached the store (commit() was called without `parsed.idempotencyKey` in onFinding,
// onAction, raise and planActions), so a retried command ran again: a second finding, a
// second comment, a refused second completeAction, ConcurrencyErrors for racing copies.
// docs/register.md: "An optional idempotencyKey makes a retried command return its first
// result and write nothing new, even when two copies race."
describe('idempotency keys', () => {
  it('raise twice with the same key: same finding, the second writes nothing and consumes no reference', async () => {
    const h = setup();
    const input = { ...raiseInput(), idempotencyKey: 'raise-1' };
    const first = await h.register.raise(input);
    const sequence = await tenantSequence(h.store);
    const references = h.store.calls.nextReference;
    const second = await h.register.raise(input);
    expect(second).toEqual(first);
    expect(await tenantSequence(h.store)).toBe(sequence);
    expect(h.store.calls.nextReference).toBe(references);
  });

  it('comment twice with the same key: same result, one entry', async () => {
    const h = setup();
    const raised = await h.register.raise(raiseInput());
    const input = { actor: actors.owner, findingId: raised.id, text: 'Checked the directory', idempotencyKey: 'comment-1' };
    const first = await h.register.comment(input);
    const sequence = await tenantSequence(h.store);
    const second = await h.register.comment(input);
    expect(second).toEqual(first);
    expect(await tenantSequence(h.store)).toBe(sequence);
    expect((await h.register.history(raised.id)).filter((entry) => entry.type === 'COMMENT')).toHaveLength(1);
  });

  it('completeAction twice with the same key: the retry returns the first result instead of being refused', async () => {
    const h = setup();
    const { actionIds } = await driveTo(h.register, 'implementing', { grade: 'major' });
    const input = { actor: actors.owner, actionId: actionIds[0]!, evidence: [sampleEvidence()], idempotencyKey: 'complete-1' };
    const first = await h.register.completeAction(input);
    const sequence = await tenantSequence(h.store);
    await expect(h.register.completeAction(input)).resolves.toEqual(first);
    expect(await tenantSequence(h.store)).toBe(sequence);
  });

  it('five concurrent copies with one key: all return the same result, exactly one write', async () => {
    const store = instrument(undefined, { beforeCommit: () => pause(5) });
    const h = setup({ store });
    const raised = await h.register.raise(raiseInput());
    const committed = store.calls.committed;
    const input = { actor: actors.owner, findingId: raised.id, text: 'Once only', idempotencyKey: 'race-1' };
    const results = await Promise.all(Array.from({ length: 5 }, () => h.register.comment(input)));
    for (const result of results) expect(result).toEqual(results[0]);
    expect(store.calls.committed - committed).toBe(1);
    expect((await h.register.history(raised.id)).filter((entry) => entry.type === 'COMMENT')).toHaveLength(1);
  });

  it('a key already in the store returns its stored result and writes nothing (the read half works)', async () => {
    const h = setup();
    const raised = await h.register.raise(raiseInput());
    // Put a key in the store the way the register should: an (empty) commit carrying it.
    await h.store.commit({ tenantId: TENANT, writes: [], idempotency: { key: 'seen-1', result: raised as never } });
    const before = await dumpTenant(h.store);
    const result = await h.register.comment({ actor: actors.owner, findingId: raised.id, text: 'Again', idempotencyKey: 'seen-1' });
    expect(result).toEqual(raised);
    expect(await dumpTenant(h.store)).toEqual(before);
  });

  it('keys are per tenant: the same key in another tenant is a different command', async () => {
    const h = setup();
    const raised = await h.register.raise(raiseInput());
    await h.store.commit({ tenantId: TENANT, writes: [], idempotency: { key: 'k', result: raised as never } });
    const other = setup({ store: h.store, tenant: 'beta', idPrefix: 'beta' });
    const mine = await other.register.raise({ ...raiseInput(), idempotencyKey: 'k' });
    expect(mine.tenantId).toBe('beta');
    expect(mine.id).not.toBe(raised.id);
  });
});

// ---------------------------------------------------------------------------------------
// 7. Concurrency
// ---------------------------------------------------------------------------------------

describe('concurrent commands on one finding', () => {
  /** A store whose commits wait a little (staggered), so that reads of several commands interleave. */
  function slowStore(delays: () => number) {
    const seen: { text: string; expectedVersion: number }[] = [];
    const store = instrument(undefined, {
      beforeCommit: async (batch: CommitBatch) => {
        const write = batch.writes[0]!;
        const entry = write.events[0]!.entry as { payload?: { text?: string } };
        if (entry.payload?.text !== undefined) seen.push({ text: entry.payload.text, expectedVersion: write.expectedVersion });
        await pause(delays());
      },
    });
    return { store, seen };
  }

  it('8 comments at once: exactly those that read the latest version win, the others get ConcurrencyError; nothing lost or duplicated', async () => {
    let i = 0;
    const { store, seen } = slowStore(() => [3, 1, 4, 1, 5, 9, 2, 6][i++ % 8]!);
    const h = setup({ store });
    const raised = await h.register.raise(raiseInput());
    const startVersion = (await store.load(TENANT, [raised.id]))[0]!.version;
    const texts = Array.from({ length: 8 }, (_, k) => `comment ${k}`);
    // Start them a little apart, so that some read after an earlier one committed.
    const outcomes = await Promise.allSettled(
      texts.map(async (text, k) => {
        await pause(k % 3 === 0 ? 0 : 4);
        return h.register.comment({ actor: actors.owner, findingId: raised.id, text });
      }),
    );
    const won = texts.filter((_, k) => outcomes[k]!.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won.length).toBeGreaterThanOrEqual(1);
    expect(won.length + lost.length).toBe(8);
    for (const failure of lost) {
      expect(failure.reason).toBeInstanceOf(ConcurrencyError);
      expect(failure.reason).toMatchObject({ code: 'CAPA_CONCURRENCY', recordId: raised.id });
    }
    // The winners are exactly one per version read, in a chain from the start version.
    const winners = seen.filter((s) => won.includes(s.text)).sort((a, b) => a.expectedVersion - b.expectedVersion);
    expect(winners.map((w) => w.expectedVersion)).toEqual(winners.map((_, k) => startVersion + k));
    // Each loser read a version that someone else had already moved on from.
    for (const loser of seen.filter((s) => !won.includes(s.text))) {
      expect(winners.some((w) => w.expectedVersion === loser.expectedVersion)).toBe(true);
    }
    const history = await h.register.history(raised.id);
    const comments = history.filter((entry) => entry.type === 'COMMENT').map((entry) => (entry.payload as { text: string }).text);
    expect([...comments].sort()).toEqual([...won].sort());
    expect(history.map((entry) => entry.sequence)).toEqual(history.map((_, k) => k + 1));
    expect((await h.register.verifyHistory()).ok).toBe(true);
  });

  it('withRetry makes all 8 succeed, each exactly once', async () => {
    let i = 0;
    const { store } = slowStore(() => (i++ % 4) + 1);
    const h = setup({ store });
    const raised = await h.register.raise(raiseInput());
    const texts = Array.from({ length: 8 }, (_, k) => `retried ${k}`);
    const results = await Promise.all(
      texts.map((text) => withRetry(() => h.register.comment({ actor: actors.owner, findingId: raised.id, text }), { attempts: 10 })),
    );
    expect(results).toHaveLength(8);
    const comments = (await h.register.history(raised.id)).filter((e) => e.type === 'COMMENT').map((e) => (e.payload as { text: string }).text);
    expect([...comments].sort()).toEqual([...texts].sort());
    expect(store.calls.committed).toBe(1 + 8);
    expect(store.calls.commit).toBeGreaterThan(store.calls.committed); // some attempts did lose
    expect((await h.register.verifyHistory()).ok).toBe(true);
  });

  it('a lifecycle command and a comment racing: the loser is refused whole, the winner\'s state stands', async () => {
    const { store } = slowStore(() => 2);
    const h = setup({ store });
    const { finding } = await driveTo(h.register, 'contained');
    const [rootCause, comment] = await Promise.allSettled([
      h.register.recordRootCause({ actor: actors.owner, findingId: finding.id, rootCause: sampleRootCause() }),
      h.register.comment({ actor: actors.owner, findingId: finding.id, text: 'In parallel' }),
    ]);
    const statuses = [rootCause!.status, comment!.status].sort();
    expect(statuses).toEqual(['fulfilled', 'rejected']);
    const stored = await h.register.get(finding.id);
    expect(stored.status).toBe(rootCause!.status === 'fulfilled' ? 'investigating' : 'contained');
    expect((await h.register.verifyHistory()).ok).toBe(true);
  });

  it('withRetry gives up after its attempts and rethrows the last ConcurrencyError; other errors are not retried', async () => {
    let calls = 0;
    const conflict = new ConcurrencyError('f-1', 1, 2);
    await expect(withRetry(async () => { calls += 1; throw conflict; }, { attempts: 3 })).rejects.toBe(conflict);
    expect(calls).toBe(3);
    calls = 0;
    await expect(withRetry(async () => { calls += 1; throw new Error('other'); })).rejects.toThrow('other');
    expect(calls).toBe(1);
    await expect(withRetry(async () => 1, { attempts: 0 })).rejects.toThrow(RangeError);
  });
});

