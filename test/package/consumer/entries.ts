// A consumer of the packed package, as an ES module: imports every entry point by its
// public name, type-checked under `moduleResolution` bundler and nodenext, then run on
// Node by `npm run check:packed` (test/package/packed/check.ts). Not part of the repo's
// own type check: it resolves `capa-kit` to the installed tarball, never to the source.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { type CapaEvent, CapaError, CapaTransitionError, explain, iso27001 } from 'capa-kit';
import { type CapaSnapshot, capaMachine, explain as explainMachine } from 'capa-kit/machine';
import { Finding, buildJsonSchema } from 'capa-kit/schemas';
import { defineSeverityPolicy, soc2 } from 'capa-kit/policies';
import { type CapaRegister, type CapaStore, createCapaRegister, memoryStore } from 'capa-kit/register';
import { fileStore } from 'capa-kit/stores/file';
import { sqliteStore } from 'capa-kit/adapters/sqlite';
import { postgresMigrationSql } from 'capa-kit/adapters/postgres';
import { runStoreConformance, type StoreConformanceOptions } from 'capa-kit/testing';
import { buildLogJsonSchema, exportLog, validateLog } from 'capa-kit/log';
import recordsSchema from 'capa-kit/schema.json' with { type: 'json' };
import logSchema from 'capa-kit/log.schema.json' with { type: 'json' };
import manifest from 'capa-kit/package.json' with { type: 'json' };

const ines = { id: 'u-ines', name: 'Ines Moreau', roles: ['internal-auditor'] };

/** Raises a finding, then tries to close it: refused with the rule it breaks. */
async function raiseAndRefuse(register: CapaRegister): Promise<void> {
  const finding = await register.raise({
    actor: ines,
    finding: {
      title: 'Leavers kept active accounts', grade: 'minor', description: 'Two leavers kept active accounts for weeks.',
      requirement: { kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: 'A.5.18' },
      observedEvidence: 'HR leaver list vs. directory export', affected: { process: 'Joiner-mover-leaver' },
      source: { kind: 'internal-audit', reference: 'IA-2026-03' }, owner: { id: 'u-sam', name: 'Sam Okafor' },
      detectedAt: '2026-03-02T10:00:00Z',
    },
  });
  assert.equal(finding.reference, 'NC-2026-0001');
  assert.equal(finding.dueDate, '2027-03-02');
  // An error thrown by one entry is an instance of the class another entry exports.
  await assert.rejects(register.close({ actor: ines, findingId: finding.id, evidence: [] }), (error: unknown) => {
    assert.ok(error instanceof CapaTransitionError && error instanceof CapaError);
    assert.deepEqual(error.unmet.map((unmet) => unmet.code), ['state.accepts']);
    return true;
  });
  const snapshot: CapaSnapshot = await register.snapshot(finding.id);
  const close: CapaEvent = { type: 'CLOSE', at: '2026-03-03T09:00:00Z', by: ines, evidence: [] };
  assert.equal(snapshot.can(close), false);
  assert.deepEqual(explain(snapshot, close), explainMachine(snapshot, close));
  assert.equal((await register.verifyHistory()).ok, true);
}

async function withStore(store: CapaStore, run: (store: CapaStore) => Promise<void>): Promise<void> {
  try {
    await run(store);
  } finally {
    await store.close();
  }
}

const clock = () => new Date('2026-03-02T15:30:00Z');

// The core, register and log entries, on the memory store; the log round trip.
await withStore(memoryStore(), async (store) => {
  await raiseAndRefuse(createCapaRegister({ store, policy: iso27001, tenant: 'acme', clock }));
  let log = '';
  for await (const line of exportLog(store, { tenant: 'acme', policy: iso27001, clock })) log += line;
  const report = await validateLog(log, { asOf: '2026-03-03T00:00:00Z' });
  assert.equal(report.ok, true, JSON.stringify(report.issues));
  assert.equal(report.summary.findings, 1);
});

// The file store and the SQLite adapter (on Node's own node:sqlite).
const dir = await mkdtemp(join(tmpdir(), 'capa-consumer-'));
try {
  await withStore(await fileStore(join(dir, 'file-store')), async (store) =>
    raiseAndRefuse(createCapaRegister({ store, policy: iso27001, tenant: 'acme', clock })),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
const sqlite = await sqliteStore(new DatabaseSync(':memory:'), { closeDatabase: true });
await sqlite.migrate();
await withStore(sqlite, async (store) => raiseAndRefuse(createCapaRegister({ store, policy: iso27001, tenant: 'acme', clock })));

// The other entries load, and agree with each other.
assert.match(postgresMigrationSql({ schema: 'compliance' }), /CREATE TABLE/i);
assert.equal(capaMachine.id.length > 0, true);
assert.equal(Finding.safeParse({}).success, false);
assert.equal(defineSeverityPolicy({ ...soc2, id: 'acme-soc2' }).id, 'acme-soc2');
const conformance: (options: StoreConformanceOptions) => void = runStoreConformance;
assert.equal(typeof conformance, 'function');
assert.deepEqual(recordsSchema, JSON.parse(JSON.stringify(buildJsonSchema())));
assert.deepEqual(logSchema, JSON.parse(JSON.stringify(buildLogJsonSchema())));
assert.equal(manifest.name, 'capa-kit');

console.log(`ESM consumer: every entry point of capa-kit ${manifest.version} imported and exercised`);
