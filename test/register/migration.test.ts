// Issue point 13: stored document versions. store-format-1.json holds what a register
// wrote in the FIRST document format (generated once by fixtures/generate-store-format-1.ts
// and committed; never regenerated here). Today's register must read it, verify its
// history, and carry its lifecycle on. A document from a future format is refused with a
// StoreError that says to upgrade.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StoreError } from 'capa-kit';
import { type CapaStore, DOCUMENT_FORMAT, type JsonValue, memoryStore, type StoredEvent, type StoredRecord } from 'capa-kit/register';
import { actors, sampleEvidence, sampleReview } from '../fixtures/events.js';
import { expectNothingWritten, instrument, setup, signer } from './harness.js';

interface Fixture {
  readonly documentFormat: number;
  readonly tenant: string;
  readonly records: StoredRecord[];
  readonly events: StoredEvent[];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/store-format-1.json', import.meta.url), 'utf8')) as Fixture;
const FINDING = 'fmt1-1';
const OBSERVATION = 'fmt1-3';
const ACTION = 'fmt1-2';

/**
 * The generator wrote the fixture with a clock at 09:0x and sample instants of 10:00 and
 * later: reported instants later than their entries. Chains, signatures and replay verify;
 * the rule against future instants (issue 11) reports exactly these three, and nothing else.
 */
const FORMAT_1_FUTURE_INSTANTS = [2, 3, 4].map((sequence) => expect.objectContaining({ code: 'future-instant', recordId: FINDING, sequence }) as unknown);

/** A fresh memory store holding the fixture: each record committed with its events. */
async function load(edit: (record: StoredRecord) => StoredRecord = (r) => r): Promise<CapaStore> {
  const store = memoryStore();
  const writes = fixture.records.map((record) => ({
    record: edit(structuredClone(record)),
    expectedVersion: 0,
    events: fixture.events
      .filter((event) => event.recordId === record.id)
      .sort((a, b) => a.sequence - b.sequence)
      .map(({ tenantSequence: _dropped, ...event }) => event),
  }));
  await store.commit({ tenantId: fixture.tenant, writes });
  return store;
}

const withFormat = (id: string, format: unknown) => (record: StoredRecord): StoredRecord =>
  record.id === id ? { ...record, document: { ...(record.document as Record<string, JsonValue>), format: format as JsonValue } } : record;

describe('the first stored document format', () => {
  it('the fixture is format 1, with the records and events the generator wrote', () => {
    expect(fixture.documentFormat).toBe(1);
    expect(DOCUMENT_FORMAT).toBeGreaterThanOrEqual(1);
    expect(fixture.records.map((r) => [r.id, r.kind, (r.document as { format: number }).format])).toEqual([
      [FINDING, 'finding', 1],
      [OBSERVATION, 'finding', 1],
      [ACTION, 'action', 1],
    ]);
    expect(fixture.events).toHaveLength(10);
  });

  it('today\'s register reads it: get, getAction, history, query and verifyHistory', async () => {
    const h = setup({ store: await load(), start: Date.parse('2026-04-01T09:00:00Z') });
    const stored = fixture.records.find((r) => r.id === FINDING)!;
    const finding = await h.register.get(FINDING);
    expect(finding).toEqual((stored.document as { finding: unknown }).finding);
    expect(finding).toMatchObject({ reference: 'NC-2026-0001', status: 'implementing', planApproval: { role: 'auditor' }, extensions: { acme: { riskId: 'R-12' } } });
    expect((await h.register.getAction(ACTION)).status).toBe('planned');
    expect((await h.register.get(OBSERVATION)).status).toBe('monitoring');
    const history = await h.register.history(FINDING);
    expect(history.map((e) => e.type)).toEqual(['RAISE', 'RECORD_CORRECTION', 'ATTACH_EVIDENCE', 'RECORD_ROOT_CAUSE', 'COMMENT', 'PLAN_ACTIONS', 'SUBMIT_PLAN', 'APPROVE_PLAN']);
    expect(history.at(-1)!.signature).toMatchObject({ meaning: 'approved', signerId: actors.auditor.id });
    expect((await h.register.query({ status: ['implementing'] })).findings.map((f) => f.id)).toEqual([FINDING]);
    const report = await h.register.verifyHistory();
    expect(report.problems).toEqual(FORMAT_1_FUTURE_INSTANTS);
    expect(report).toMatchObject({ records: 3, entries: 10 });
  });

  it('today\'s register carries the lifecycle on to closure, and the history still verifies', async () => {
    const store = instrument(await load());
    const h = setup({ store, start: Date.parse('2026-04-01T09:00:00Z') });
    await h.register.startAction({ actor: actors.owner, actionId: ACTION });
    await h.register.completeAction({ actor: actors.owner, actionId: ACTION, evidence: [sampleEvidence()] });
    await h.register.startVerification({ actor: actors.owner, findingId: FINDING });
    await h.register.reviewEffectiveness({ actor: actors.auditor, findingId: FINDING, review: sampleReview(), signature: signer });
    const closed = await h.register.close({ actor: actors.auditor, findingId: FINDING, evidence: [sampleEvidence()], signature: signer });
    expect(closed).toMatchObject({ status: 'closed', reference: 'NC-2026-0001' });
    const observation = await h.register.close({ actor: actors.auditor, findingId: OBSERVATION, evidence: [], note: 'Evidence now kept in one place', signature: signer });
    expect(observation.status).toBe('closed');
    const report = await h.register.verifyHistory();
    expect(report.problems).toEqual(FORMAT_1_FUTURE_INSTANTS);
    // 10 from the fixture; start and complete (finding + action each); verification, review, two closures.
    expect(report.entries).toBe(10 + 2 + 2 + 1 + 1 + 1 + 1);
  });

  it('a record written in a future format (99) is refused with a StoreError saying to upgrade', async () => {
    const store = instrument(await load(withFormat(FINDING, 99)));
    const h = setup({ store });
    for (const read of [() => h.register.get(FINDING), () => h.register.snapshot(FINDING)]) {
      const error = await read().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ code: 'CAPA_STORE' });
      expect((error as Error).message).toMatch(/format 99/);
      expect((error as Error).message).toMatch(/Upgrade capa-kit/);
    }
    // Commands refuse too, and write nothing.
    const error = await expectNothingWritten(store, () => h.register.comment({ actor: actors.owner, findingId: FINDING, text: 'Hello' }));
    expect(error).toBeInstanceOf(StoreError);
    const viaAction = await expectNothingWritten(store, () => h.register.startAction({ actor: actors.owner, actionId: ACTION }));
    expect(viaAction).toBeInstanceOf(StoreError);
    await expect(h.register.query({ status: ['implementing'] })).rejects.toBeInstanceOf(StoreError);
    // The other finding is still readable.
    expect((await h.register.get(OBSERVATION)).status).toBe('monitoring');
  });

  it('an action in a future format, or a document with no valid format, is refused with a StoreError', async () => {
    const future = setup({ store: await load(withFormat(ACTION, 99)) });
    await expect(future.register.getAction(ACTION)).rejects.toThrow(/Upgrade capa-kit/);
    for (const bad of [undefined, 0, '1', 1.5]) {
      const h = setup({ store: await load(withFormat(FINDING, bad)) });
      const error = await h.register.get(FINDING).catch((e: unknown) => e);
      expect(error, String(bad)).toBeInstanceOf(StoreError);
      expect((error as Error).message).toMatch(/no document format/);
    }
  });
});
