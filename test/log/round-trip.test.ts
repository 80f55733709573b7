// The log's promise end to end: a register's history exported, validated without a
// single issue, imported into a fresh memory store and a fresh file store, where the
// history verifies, the log head is the same, and new findings continue the references.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { iso27001 } from 'capa-kit';
import { type CapaStore, createCapaRegister, memoryStore } from 'capa-kit/register';
import { fileStore } from 'capa-kit/stores/file';
import { importLog, validateLog } from '../../src/log/index.js';
import { raiseInput } from '../register/harness.js';
import { exportText, richHistory, TENANT } from './fixtures.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('register → export → validate → import', () => {
  it('a rich history validates with no issue at all, and its trailer head is register.logHead()', async () => {
    const { h, register } = await richHistory();
    const text = await exportText(h.store);
    const report = await validateLog(text, { asOf: h.now() });
    expect(report.issues).toEqual([]);
    expect(report.ok).toBe(true);
    const head = await register.logHead();
    expect(report.head).toEqual(head);
    expect(JSON.parse(text.trimEnd().split('\n').at(-1)!).head).toEqual(head);
    expect(report.summary).toMatchObject({ findings: 9, errors: 0, warnings: 0 });
    expect(report.summary.entries).toBe(head.tenantSequence);
  });

  const targets: Record<string, () => Promise<CapaStore>> = {
    memory: async () => memoryStore(),
    file: async () => {
      const directory = mkdtempSync(join(tmpdir(), 'capa-log-import-'));
      directories.push(directory);
      return fileStore(directory, { fsync: false });
    },
  };

  for (const [name, open] of Object.entries(targets)) {
    it(`imports into a fresh ${name} store: verifyHistory passes, the head is equal, references continue`, async () => {
      const { h, register } = await richHistory();
      const text = await exportText(h.store);
      const store = await open();
      try {
        const result = await importLog(text, store);
        expect(result).toMatchObject({ tenant: TENANT, findings: 9, warnings: [] });
        const imported = createCapaRegister({ store, policy: iso27001, tenant: TENANT, clock: () => new Date(Date.parse(h.now()) + 60_000) });
        const verification = await imported.verifyHistory();
        expect(verification.problems).toEqual([]);
        expect(await imported.logHead()).toEqual(await register.logHead());
        expect(result.head).toEqual(await register.logHead());
        // Records and histories are the same, entry for entry (key order included).
        const original = await h.store.readTenantEvents(TENANT, 0, 10_000);
        const copied = await store.readTenantEvents(TENANT, 0, 10_000);
        const byRecord = (events: typeof original) =>
          new Map(events.map((event) => [`${event.recordId}#${event.sequence}`, JSON.stringify(event.entry)]));
        expect(byRecord(copied)).toEqual(byRecord(original));
        // Exported again, it is the same log, but for the tenant sequences the new store gave.
        const withoutSequences = (log: string) => log.replace(/\{"tenantSequence":\d+,"entry"/g, '{"entry"');
        expect(withoutSequences(await exportText(store))).toBe(withoutSequences(text));
        // The imported findings read back as they were, and accept the next command.
        const page = await imported.query({}, { limit: 100 });
        expect(page.findings.map((f) => f.reference).sort()).toEqual((await register.query({}, { limit: 100 })).findings.map((f) => f.reference).sort());
        const next = await imported.raise(raiseInput({ title: 'Raised after the import' }));
        expect(next.reference).toBe(`NC-2026-${String(result.lastReference.finding! + 1).padStart(4, '0')}`);
        expect((await imported.verifyHistory()).ok).toBe(true);
      } finally {
        await store.close();
      }
    });
  }
});
