// Importing: all or nothing, only into an empty tenant, from a source read twice, with the
// documents rebuilt by replay and the reference sequence moved past the imported numbers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatCapaError, iso27001 } from 'capa-kit';
import { type CapaStore, createCapaRegister, type FindingDocument, memoryStore } from 'capa-kit/register';
import { importLog, LogImportError, validateLog } from '../../../src/log/index.js';
import { actors, sampleEvidence } from '../../fixtures/events.js';
import { driveTo, dumpTenant, instrument, policyLike, raiseInput, setup } from '../../register/harness.js';
import { exportText, mutate, richHistory, TENANT } from '../fixtures.js';

const story = (async () => {
  const rich = await richHistory();
  return { ...rich, text: await exportText(rich.h.store) };
})();

describe('importLog', () => {
  it('writes nothing when the log has an error, and names each finding and field', async () => {
    const { text, ids } = await story;
    const broken = mutate(mutate(text, ids.shared, (line) => void (line.finding.title = 'Edited')), ids.closed, (line) => void (line.finding.grade = 'Minor!'));
    const store = instrument(memoryStore());
    const error = await importLog(broken, store).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LogImportError);
    const refused = error as LogImportError;
    expect(refused.code).toBe('CAPA_VALIDATION');
    expect(refused.committed).toBe(0);
    expect(refused.report.summary.errors).toBe(2);
    const reference = (id: string) => refused.report.issues.find((issue) => issue.recordId === id)!.reference!;
    expect(refused.issues).toEqual([
      { path: [reference(ids.closed), 'finding', 'grade'], code: 'schema', message: expect.stringMatching(/^line \d+: /) },
      { path: [reference(ids.shared), 'finding', 'title'], code: 'record-mismatch', message: expect.stringMatching(/changed without a history entry/) },
    ]);
    expect(formatCapaError(refused)).toContain(`["${reference(ids.shared)}"].finding.title: line`);
    expect(store.calls.commit).toBe(0);
    expect(await dumpTenant(store)).toEqual({ records: [], events: [] });
  });

  it('refuses a tenant that already holds records, and writes nothing', async () => {
    const { text } = await story;
    const store = instrument(memoryStore());
    const other = setup({ store });
    await other.register.raise(raiseInput());
    const before = await dumpTenant(store);
    const error = (await importLog(text, store).catch((caught: unknown) => caught)) as LogImportError;
    expect(error.report.issues.map((issue) => issue.code)).toEqual(['import-tenant-not-empty']);
    expect(await dumpTenant(store)).toEqual(before);
  });

  it('reads the source twice: a function that opens a file stream is fine, a lone stream is refused', async () => {
    const { text, register } = await story;
    const directory = mkdtempSync(join(tmpdir(), 'capa-log-'));
    try {
      const path = join(directory, 'acme.capa-log.jsonl');
      writeFileSync(path, text);
      let opened = 0;
      const store = memoryStore();
      const result = await importLog(() => ((opened += 1), createReadStream(path)), store);
      expect(opened).toBe(2);
      expect(result.head).toEqual(await register.logHead());
      await expect(importLog(Readable.from([text]) as never, memoryStore())).rejects.toThrow(/reads the log twice/);
      // Bytes and arrays of chunks can be read twice as they are.
      expect((await importLog(new TextEncoder().encode(text), memoryStore())).findings).toBe(result.findings);
      expect((await importLog([text.slice(0, 999), text.slice(999)], memoryStore())).findings).toBe(result.findings);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('rebuilds each finding document: the record as logged, the snapshot replayed; commands go on from it', async () => {
    const { text, ids } = await story;
    const store = memoryStore();
    await importLog(text, store);
    const [imported] = await store.load(TENANT, [ids.shared]);
    const [original] = await story.then((s) => s.h.store.load(TENANT, [ids.shared]));
    const document = imported!.document as unknown as FindingDocument;
    expect(document).toEqual(original!.document);
    expect(imported!.index).toEqual(original!.index);
    expect(imported).toMatchObject({ version: original!.version, head: original!.head });
    const [action] = await store.load(TENANT, [ids.sharedAction]);
    const [originalAction] = await story.then((s) => s.h.store.load(TENANT, [ids.sharedAction]));
    expect(action).toEqual(originalAction);
    const next = createCapaRegister({ store, policy: iso27001, tenant: TENANT, clock: () => new Date('2026-04-01T00:00:00Z') });
    const done = await next.completeAction({ actor: actors.owner, actionId: ids.sharedAction, evidence: [sampleEvidence()] });
    expect(done.status).toBe('done');
    expect((await next.verifyHistory()).ok).toBe(true);
  });

  it('commits in batches of batchSize records', async () => {
    const { text } = await story;
    const store = instrument(memoryStore());
    const result = await importLog(text, store, { batchSize: 4 });
    expect(store.calls.commit).toBe(Math.ceil((result.findings + result.actions) / 4));
  });

  it("moves each kind's reference sequence past the highest imported number, wherever the store was", async () => {
    const { text } = await story;
    const store = memoryStore();
    for (let i = 0; i < 3; i++) await store.nextReference(TENANT, 'finding'); // numbers used up elsewhere
    const result = await importLog(text, store);
    expect(result.lastReference).toEqual({ finding: result.findings, action: result.actions });
    const register = createCapaRegister({ store, policy: iso27001, tenant: TENANT });
    const next = await register.raise(raiseInput());
    expect(Number(next.reference.slice(-4))).toBeGreaterThan(result.lastReference.finding!);
    const { actionIds } = await driveTo(register, 'planning');
    expect((await register.getAction(actionIds[0]!)).reference).toMatch(new RegExp(`^CA-\\d{4}-${String(result.actions + 1).padStart(4, '0')}$`));
  });

  it('imports an empty log, and a log whose warnings it reports', async () => {
    expect(await importLog(await exportText(memoryStore()), memoryStore())).toMatchObject({ findings: 0, actions: 0, entries: 0, lastReference: { finding: null, action: null } });
    const h = setup();
    const { finding } = await driveTo(h.register, 'investigating');
    await h.register.planActions({ actor: actors.owner, findingId: finding.id, actions: [{ description: 'Draft: find an owner' }] });
    const result = await importLog(await exportText(h.store), memoryStore());
    expect(result.warnings.map((issue) => issue.code).sort()).toEqual(['action-without-due-date', 'action-without-owner']);
  });

  it('replays under the policy it is given, for a register that applies that policy', async () => {
    const { text, ids } = await story;
    const acme = policyLike({ id: 'acme' });
    const store = memoryStore();
    await importLog(text, store, { policy: acme });
    const register = createCapaRegister({ store, policy: acme, tenant: TENANT });
    expect((await register.snapshot(ids.shared)).context.policy.id).toBe('acme');
    expect((await register.verifyHistory()).ok).toBe(true);
    // Under the header's policy the snapshots are iso27001's, which a register under acme refuses to restore.
    const other = memoryStore();
    await importLog(text, other);
    await expect(createCapaRegister({ store: other, policy: acme, tenant: TENANT }).snapshot(ids.shared)).rejects.toThrow(/policy/);
  });

  it('refuses bad options, before reading anything', async () => {
    const { text } = await story;
    const store: CapaStore = instrument(memoryStore());
    await expect(importLog(text, store, { batchSize: 0 })).rejects.toThrow(RangeError);
    await expect(importLog(text, store, { policy: { ...iso27001, grades: [] } })).rejects.toThrow(/policy/);
    expect(await dumpTenant(store)).toEqual({ records: [], events: [] });
    expect((await validateLog(text, { asOf: new Date() })).summary.errors).toBe(0);
  });
});
