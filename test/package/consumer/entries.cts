// A consumer of the packed package, as CommonJS: `require`s every entry point (through
// TypeScript's `import x = require()`, compiled to a plain `require`), type-checked under
// `moduleResolution` node16 against the `.d.cts` types, then run on Node by
// `npm run check:packed` (test/package/packed/check.ts).
import assert = require('node:assert/strict');
import os = require('node:os');
import path = require('node:path');
import fs = require('node:fs');
import sqliteModule = require('node:sqlite');
import capa = require('capa-kit');
import machine = require('capa-kit/machine');
import schemas = require('capa-kit/schemas');
import policies = require('capa-kit/policies');
import registerEntry = require('capa-kit/register');
import fileEntry = require('capa-kit/stores/file');
import sqliteEntry = require('capa-kit/adapters/sqlite');
import postgresEntry = require('capa-kit/adapters/postgres');
import testing = require('capa-kit/testing');
import logEntry = require('capa-kit/log');
import recordsSchema = require('capa-kit/schema.json');
import logSchema = require('capa-kit/log.schema.json');
import manifest = require('capa-kit/package.json');

const ines = { id: 'u-ines', name: 'Ines Moreau', roles: ['internal-auditor'] };
const clock = () => new Date('2026-03-02T15:30:00Z');

async function raiseAndRefuse(register: registerEntry.CapaRegister): Promise<void> {
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
  // An error thrown by the register entry is an instance of the core entry's classes.
  await assert.rejects(register.close({ actor: ines, findingId: finding.id, evidence: [] }), (error: unknown) => {
    assert.ok(error instanceof capa.CapaTransitionError && error instanceof capa.CapaError && error instanceof registerEntry.CapaError);
    assert.deepEqual(error.unmet.map((unmet) => unmet.code), ['state.accepts']);
    return true;
  });
  const snapshot = await register.snapshot(finding.id);
  const close: capa.CapaEvent = { type: 'CLOSE', at: '2026-03-03T09:00:00Z', by: ines, evidence: [] };
  assert.deepEqual(capa.explain(snapshot, close), machine.explain(snapshot, close));
  assert.equal((await register.verifyHistory()).ok, true);
}

async function main(): Promise<void> {
  const store = registerEntry.memoryStore();
  await raiseAndRefuse(registerEntry.createCapaRegister({ store, policy: capa.iso27001, tenant: 'acme', clock }));
  let log = '';
  for await (const line of logEntry.exportLog(store, { tenant: 'acme', policy: capa.iso27001, clock })) log += line;
  const report = await logEntry.validateLog(log, { asOf: '2026-03-03T00:00:00Z' });
  assert.equal(report.ok, true, JSON.stringify(report.issues));
  await store.close();

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capa-consumer-cjs-'));
  try {
    const files = await fileEntry.fileStore(path.join(dir, 'store'));
    await raiseAndRefuse(registerEntry.createCapaRegister({ store: files, policy: capa.iso27001, tenant: 'acme', clock }));
    await files.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const sqlite = await sqliteEntry.sqliteStore(new sqliteModule.DatabaseSync(':memory:'), { closeDatabase: true });
  await sqlite.migrate();
  await raiseAndRefuse(registerEntry.createCapaRegister({ store: sqlite, policy: capa.iso27001, tenant: 'acme', clock }));
  await sqlite.close();

  assert.match(postgresEntry.postgresMigrationSql({ schema: 'compliance' }), /CREATE TABLE/i);
  assert.equal(schemas.Finding.safeParse({}).success, false);
  assert.equal(policies.defineSeverityPolicy({ ...policies.soc2, id: 'acme-soc2' }).id, 'acme-soc2');
  assert.equal(typeof testing.runStoreConformance, 'function');
  assert.equal(machine.capaMachine.id.length > 0, true);
  assert.deepEqual(recordsSchema, JSON.parse(JSON.stringify(schemas.buildJsonSchema())));
  assert.deepEqual(logSchema, JSON.parse(JSON.stringify(logEntry.buildLogJsonSchema())));
  console.log(`CJS consumer: every entry point of capa-kit ${manifest.version} required and exercised`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
