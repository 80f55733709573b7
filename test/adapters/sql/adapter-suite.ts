import { expect, it } from 'vitest';
import { SQL_STORE_SCHEMA_VERSION as LATEST } from '../../../src/adapters/sql/migrations.js';
import type { SqlStore } from '../../../src/adapters/sql/store.js';
import { CapaValidationError } from '../../../src/errors/validation-error.js';
import { DuplicateReferenceError, StoreSchemaError } from '../../../src/errors/store-errors.js';
import { isConcurrencyError } from '../../../src/testing/harness.js';
import { aBatch, anEntry, aRecord, aWrite } from '../../../src/testing/fixtures.js';

// What both SQL adapters must do beyond the storage contract, written once: versioned
// migrations (and the SQL printed for teams that run their own), table prefixes, the
// outbox, and refused commits that leave every table as it was. Each adapter's test file
// runs it with a harness over its own databases.

/** The tables of a store, unprefixed. */
export const TABLES = ['records', 'events', 'sequences', 'idempotency', 'outbox', 'schema_migrations'] as const;

/** One database for one test, with raw access beside the stores opened on it. */
export interface TestDatabase {
  /** A store over this database (the database stays open when it closes). */
  open(options?: { tablePrefix?: string; outbox?: boolean }): Promise<SqlStore>;
  /** Every statement the stores opened on this database ran, in order, without parameters. */
  readonly statements: string[];
  /** Raw SQL outside any store, no parameters. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** A script of `;`-separated statements, outside any store. */
  exec(script: string): Promise<void>;
  /** The names of the tables and indexes starting with `prefix`, sorted. */
  objects(prefix: string): Promise<string[]>;
  /** A table's name as raw SQL must write it. */
  table(prefix: string, name: (typeof TABLES)[number]): string;
}

export interface SqlHarness {
  /** Prints the migration SQL, as the adapter's public function does. */
  migrationSql(options?: { tablePrefix?: string; fromVersion?: number }): string;
  /** A new, empty database (cleaned up by the harness). */
  fresh(): Promise<TestDatabase>;
  /** The statements migrate() runs that are not part of the printed SQL (reads, locks). */
  isControlStatement(sql: string): boolean;
}

const TIMEOUT = 60_000;
const PREFIX = 'capa_';

/** Every row of every table of a prefix, in a stable order: what "unchanged" compares. */
async function dump(database: TestDatabase, prefix = PREFIX): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const name of TABLES) {
    const rows = await database.query(`SELECT * FROM ${database.table(prefix, name)}`);
    out[name] = rows.map((row) => JSON.stringify(row, (_, value: unknown) => (value instanceof Uint8Array ? [...value] : value))).sort();
  }
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

export function migrationTests(harness: SqlHarness): void {
  it('a new database: every operation refuses with StoreSchemaError (found null) until migrate()', async () => {
    const database = await harness.fresh();
    const store = await database.open();
    expect(await store.schemaVersion()).toBeNull();
    const refusals = await Promise.all([
      rejection(store.commit(aBatch('acme', [aWrite(aRecord('acme', 'f-1'), 0, 1)]))),
      rejection(store.load('acme', ['f-1'])),
      rejection(store.query('acme', { filter: { kind: 'finding' }, limit: 10 })),
      rejection(store.nextReference('acme', 'finding')),
      rejection(store.outbox.read()),
    ]);
    for (const error of refusals) {
      expect(error).toBeInstanceOf(StoreSchemaError);
      expect(error).toMatchObject({ code: 'CAPA_STORE_SCHEMA', found: null, supported: LATEST });
      expect((error as Error).message).toMatch(/call migrate\(\)/);
    }
    expect(await store.migrate()).toEqual({ from: 0, to: LATEST });
    expect(await store.schemaVersion()).toBe(LATEST);
    expect(await store.commit(aBatch('acme', [aWrite(aRecord('acme', 'f-1'), 0, 1)]))).toEqual({ tenantSequence: 1 });
    await store.close();
  }, TIMEOUT);

  it('migrate() again, from this store or another, changes nothing and runs no DDL', async () => {
    const database = await harness.fresh();
    const first = await database.open();
    await first.migrate();
    await first.commit(aBatch('acme', [aWrite(aRecord('acme', 'f-1'), 0, 2)]));
    const objects = await database.objects(PREFIX);
    const before = await dump(database);
    const second = await database.open();
    database.statements.length = 0;
    expect(await first.migrate()).toEqual({ from: LATEST, to: LATEST });
    expect(await second.migrate()).toEqual({ from: LATEST, to: LATEST });
    // Up-to-date tables get no DDL: a role that may not create tables can call migrate().
    expect(database.statements.filter((sql) => !harness.isControlStatement(sql))).toEqual([]);
    expect(await database.objects(PREFIX)).toEqual(objects);
    expect(await dump(database)).toEqual(before);
    await Promise.all([first.close(), second.close()]);
  }, TIMEOUT);

  it('concurrent migrate() calls on a new database: one migrates, the others find nothing to do', async () => {
    const database = await harness.fresh();
    const stores = await Promise.all([database.open(), database.open(), database.open()]);
    const results = await Promise.all(stores.map((store) => store.migrate()));
    expect(results.map((result) => result.from).sort()).toEqual([0, LATEST, LATEST]);
    await Promise.all(stores.map((store) => store.close()));
  }, TIMEOUT);

  it('a database at a newer schema version is refused, by migrate() too, and left untouched', async () => {
    const database = await harness.fresh();
    const store = await database.open();
    await store.migrate();
    await database.exec(`INSERT INTO ${database.table(PREFIX, 'schema_migrations')} (version, name) VALUES (${LATEST + 1}, 'from the future')`);
    const before = await dump(database);
    const objects = await database.objects(PREFIX);
    const later = await database.open();
    expect(await later.schemaVersion()).toBe(LATEST + 1);
    for (const error of [await rejection(later.migrate()), await rejection(later.load('acme', ['f-1'])), await rejection(later.commit(aBatch('acme', [])))]) {
      expect(error).toBeInstanceOf(StoreSchemaError);
      expect(error).toMatchObject({ code: 'CAPA_STORE_SCHEMA', found: LATEST + 1, supported: LATEST });
      expect((error as Error).message).toMatch(new RegExp(`schema version ${LATEST + 1}, newer than version ${LATEST}.*upgrade capa-kit`));
    }
    expect(await dump(database)).toEqual(before);
    expect(await database.objects(PREFIX)).toEqual(objects);
    await Promise.all([store.close(), later.close()]);
  }, TIMEOUT);

  it('the printed SQL is exactly what migrate() applies', async () => {
    const database = await harness.fresh();
    const store = await database.open();
    await store.migrate();
    const applied = database.statements.filter((sql) => !harness.isControlStatement(sql));
    expect(applied.map((sql) => `${sql};\n`).join('\n')).toBe(harness.migrationSql());
    await store.close();
  }, TIMEOUT);

  it('applying the printed SQL yourself gives the tables migrate() makes, and a store uses them', async () => {
    const [migrated, printed] = [await harness.fresh(), await harness.fresh()];
    const store = await migrated.open();
    await store.migrate();
    await printed.exec(harness.migrationSql());
    expect(await printed.objects(PREFIX)).toEqual(await migrated.objects(PREFIX));
    const user = await printed.open();
    expect(await user.schemaVersion()).toBe(LATEST);
    expect(await user.commit(aBatch('acme', [aWrite(aRecord('acme', 'f-1'), 0, 1)]))).toEqual({ tenantSequence: 1 });
    expect(await user.migrate()).toEqual({ from: LATEST, to: LATEST });
    await Promise.all([store.close(), user.close()]);
  }, TIMEOUT);

  /** A database at `version` as a release of capa-kit left it (the printed script, up to its row in schema_migrations), and a store on it. */
  async function atVersion(version: number) {
    const database = await harness.fresh();
    const statements = harness.migrationSql().split(';\n\n');
    const end = statements.findIndex((sql) => new RegExp(`schema_migrations" \\(version, name\\) VALUES \\(${version},`).test(sql));
    await database.exec(`${statements.slice(0, end + 1).join(';\n\n')};\n`);
    const store = await database.open();
    expect(await store.schemaVersion()).toBe(version);
    return { database, store };
  }

  it('a database at version 1, with data: migrate() applies exactly the SQL printed from version 1, and keeps the data', async () => {
    const { database, store: old } = await atVersion(1);
    await expect(old.load('acme', ['f-1'])).rejects.toMatchObject({ code: 'CAPA_STORE_SCHEMA', found: 1, supported: LATEST });
    await database.exec(`INSERT INTO ${database.table(PREFIX, 'sequences')} (tenant_id, name, value) VALUES ('acme', 'references', 7)`);
    expect((await database.objects(PREFIX)).some((object) => object.includes('records_open_by_due'))).toBe(true);

    database.statements.length = 0;
    expect(await old.migrate()).toEqual({ from: 1, to: LATEST });
    const applied = database.statements.filter((sql) => !harness.isControlStatement(sql));
    expect(applied.map((sql) => `${sql};\n`).join('\n')).toBe(harness.migrationSql({ fromVersion: 1 }));
    const objects = await database.objects(PREFIX);
    expect(objects.some((object) => object.includes('records_open_by_due'))).toBe(false);
    expect(objects.filter((object) => /records_open_by_(raised|owner)\b/.test(object))).toHaveLength(2);
    expect(await old.nextReference('acme', 'finding')).toBe(8);
    expect(await old.commit(aBatch('acme', [aWrite(aRecord('acme', 'f-1'), 0, 1)]))).toEqual({ tenantSequence: 1 });
    await old.close();
  }, TIMEOUT);

  /**
   * A row as a register of version 2 wrote it: no reference column; the reference in the
   * document (a finding's; an action's from then on, none before). Plain ASCII literals,
   * which both databases read into these columns (PostgreSQL takes the search text as bytea).
   */
  const v2Row = (database: TestDatabase, tenant: string, id: string, kind: 'finding' | 'action', reference: string | null) => {
    const body = reference === null ? { id } : { id, reference };
    const document = JSON.stringify({ format: 1, [kind]: body });
    return database.exec(
      `INSERT INTO ${database.table(PREFIX, 'records')} (tenant_id, id, kind, version, head, status, open, grade, source, owner_id, requirement, cause_category, due_date, raised_at, last_activity_at, search_text, document) ` +
        `VALUES ('${tenant}', '${id}', '${kind}', 1, NULL, 'planned', TRUE, NULL, NULL, NULL, NULL, NULL, NULL, '2026-03-02T09:00:00.000Z', '2026-03-02T09:00:00.000Z', '${id}', '${document}')`,
    );
  };

  it('a database at version 2, with data: migrate() takes each reference from its document, keeps the rest, and refuses a second holder from then on', async () => {
    const { database, store } = await atVersion(2);
    await v2Row(database, 'acme', 'f-1', 'finding', 'NC-2026-0001');
    await v2Row(database, 'acme', 'a-legacy', 'action', null); // planned before actions had references
    await v2Row(database, 'acme', 'a-2', 'action', 'CA-2026-0001');
    await v2Row(database, 'globex', 'f-9', 'finding', 'NC-2026-0001'); // another tenant: no duplicate
    await database.exec(`INSERT INTO ${database.table(PREFIX, 'sequences')} (tenant_id, name, value) VALUES ('acme', 'references', 7), ('acme', 'events', 3)`);

    database.statements.length = 0;
    expect(await store.migrate()).toEqual({ from: 2, to: LATEST });
    const applied = database.statements.filter((sql) => !harness.isControlStatement(sql));
    expect(applied.map((sql) => `${sql};\n`).join('\n')).toBe(harness.migrationSql({ fromVersion: 2 }));

    const loaded = await store.load('acme', ['f-1', 'a-legacy', 'a-2']);
    expect(Object.fromEntries(loaded.map((record) => [record.id, record.index.reference]))).toEqual({ 'f-1': 'NC-2026-0001', 'a-legacy': null, 'a-2': 'CA-2026-0001' });
    expect((await store.load('globex', ['f-9']))[0]?.index.reference).toBe('NC-2026-0001');
    // The old reference sequence numbered findings; actions start their own.
    expect([await store.nextReference('acme', 'finding'), await store.nextReference('acme', 'action')]).toEqual([8, 1]);
    // From now on a second holder is refused, and a record without a reference is never one.
    const taken = await rejection(store.commit(aBatch('acme', [aWrite(aRecord('acme', 'f-2', { index: { reference: 'NC-2026-0001' } }), 0, 1)])));
    expect(taken).toBeInstanceOf(DuplicateReferenceError);
    expect(taken).toMatchObject({ recordId: 'f-2', duplicates: [{ tenantId: 'acme', kind: 'finding', reference: 'NC-2026-0001', recordIds: ['f-1', 'f-2'] }] });
    expect(await store.commit(aBatch('acme', [aWrite(aRecord('acme', 'a-3', { kind: 'action', index: { reference: null } }), 0, 1)]))).toEqual({ tenantSequence: 4 });
    await store.close();
  }, TIMEOUT);

  it('a database at version 2 where records already share a reference: migrate() refuses, naming them, and changes nothing', async () => {
    const { database, store } = await atVersion(2);
    await v2Row(database, 'acme', 'f-1', 'finding', 'NC-2026-0006');
    await v2Row(database, 'acme', 'f-2', 'finding', 'NC-2026-0006');
    await v2Row(database, 'acme', 'f-3', 'finding', 'NC-2026-0007');
    await v2Row(database, 'acme', 'a-1', 'action', 'CA-2026-0001');
    await v2Row(database, 'acme', 'a-2', 'action', 'CA-2026-0001');
    await v2Row(database, 'acme', 'a-3', 'action', 'CA-2026-0001');
    await v2Row(database, 'globex', 'f-1', 'finding', 'NC-2026-0006');
    await database.exec(`INSERT INTO ${database.table(PREFIX, 'sequences')} (tenant_id, name, value) VALUES ('acme', 'references', 7)`);
    const before = await dump(database);
    const objects = await database.objects(PREFIX);

    const error = await rejection(store.migrate());
    expect(error).toBeInstanceOf(DuplicateReferenceError);
    expect(error).toMatchObject({
      code: 'CAPA_DUPLICATE_REFERENCE',
      recordId: null,
      duplicates: [
        { tenantId: 'acme', kind: 'action', reference: 'CA-2026-0001', recordIds: ['a-1', 'a-2', 'a-3'] },
        { tenantId: 'acme', kind: 'finding', reference: 'NC-2026-0006', recordIds: ['f-1', 'f-2'] },
      ],
    });
    expect((error as Error).message).toMatch(/^2 references are held by more than one record \(action CA-2026-0001 of tenant acme: records a-1, a-2, a-3; finding NC-2026-0006 of tenant acme: records f-1, f-2\)\. .*Nothing was changed/);
    expect(await dump(database)).toEqual(before);
    expect(await database.objects(PREFIX)).toEqual(objects);
    expect(await store.schemaVersion()).toBe(2);
    await store.close();
  }, TIMEOUT);

  it('printed from the current version, the SQL only makes sure the migrations table is there', () => {
    const sql = harness.migrationSql({ fromVersion: LATEST });
    expect(sql).toMatch(/^(CREATE SCHEMA IF NOT EXISTS [^;]+;\n\n)?CREATE TABLE IF NOT EXISTS [^;]+;\n$/);
    expect(() => harness.migrationSql({ fromVersion: LATEST + 1 })).toThrow(CapaValidationError);
  });
}

export function prefixTests(harness: SqlHarness): void {
  it('two prefixes in one database are independent stores', async () => {
    const database = await harness.fresh();
    const [a, b] = [await database.open({ tablePrefix: 'a_' }), await database.open({ tablePrefix: 'b_' })];
    await a.migrate();
    expect(await b.schemaVersion()).toBeNull();
    await b.migrate();
    await a.commit(aBatch('acme', [aWrite(aRecord('acme', 'f-1'), 0, 2)], { key: 'k', result: 'a' }));
    expect(await b.load('acme', ['f-1'])).toEqual([]);
    expect(await b.idempotentResult('acme', 'k')).toBeUndefined();
    expect(await b.commit(aBatch('acme', [aWrite(aRecord('acme', 'f-1'), 0, 1)], { key: 'k', result: 'b' }))).toEqual({ tenantSequence: 1 });
    expect([await a.nextReference('acme', 'finding'), await a.nextReference('acme', 'finding'), await b.nextReference('acme', 'finding')]).toEqual([1, 2, 1]);
    expect((await a.load('acme', ['f-1']))[0]?.version).toBe(2);
    const [ofA, ofB] = [await database.objects('a_'), await database.objects('b_')];
    const unprefixed = (objects: string[], prefix: string) => objects.map((object) => object.replace(new RegExp(`\\b${prefix}`, 'g'), '<prefix>'));
    expect(unprefixed(ofA, 'a_')).toEqual(unprefixed(ofB, 'b_'));
    expect(ofA.length).toBeGreaterThanOrEqual(TABLES.length);
    await Promise.all([a.close(), b.close()]);
  }, TIMEOUT);

  it('a prefix that is not a lowercase identifier is refused, naming the option', async () => {
    const database = await harness.fresh();
    for (const tablePrefix of ['Capa_', 'capa-', 'capa"; DROP TABLE x; --', '1capa_', '', 'x'.repeat(41)]) {
      const error = await rejection(database.open({ tablePrefix }));
      expect(error, tablePrefix).toBeInstanceOf(CapaValidationError);
      expect((error as CapaValidationError).issues.map((issue) => issue.path)).toEqual([['tablePrefix']]);
      expect(() => harness.migrationSql({ tablePrefix })).toThrow(/tablePrefix/);
    }
  }, TIMEOUT);
}

export function outboxTests(harness: SqlHarness): void {
  async function migrated(outbox: boolean) {
    const database = await harness.fresh();
    const store = await database.open({ outbox });
    await store.migrate();
    return { database, store };
  }

  it('each commit writes one outbox row per event, in its transaction; read gives them oldest first, entries byte for byte', async () => {
    const { store } = await migrated(true);
    const record = aRecord('acme', 'f-1');
    const entries = [anEntry(record, 1, { z: 1, a: [2, { y: null, b: '\u0000' }] }), anEntry(record, 2, 'second')];
    await store.commit(aBatch('acme', [aWrite(record, 0, entries), aWrite(aRecord('acme', 'a-1', { kind: 'action' }), 0, 1)]));
    await store.commit(aBatch('other', [aWrite(aRecord('other', 'f-1'), 0, 1)]));
    const messages = await store.outbox.read();
    expect(messages.map(({ tenantId, tenantSequence, recordId, sequence }) => [tenantId, tenantSequence, recordId, sequence])).toEqual([
      ['acme', 1, 'f-1', 1],
      ['acme', 2, 'f-1', 2],
      ['acme', 3, 'a-1', 1],
      ['other', 1, 'f-1', 1],
    ]);
    expect(messages.slice(0, 2).map((message) => JSON.stringify(message.entry))).toEqual(entries.map((entry) => JSON.stringify(entry)));
    expect(messages.every((message, i) => i === 0 || message.id > messages[i - 1]!.id)).toBe(true);
    await store.close();
  }, TIMEOUT);

  it('acknowledged messages are gone; reading again gives the rest', async () => {
    const { store } = await migrated(true);
    await store.commit(aBatch('acme', [aWrite(aRecord('acme', 'f-1'), 0, 5)]));
    const first = await store.outbox.read({ limit: 2 });
    expect(first.map((message) => message.sequence)).toEqual([1, 2]);
    expect(await store.outbox.acknowledge(first.map((message) => message.id))).toBe(2);
    expect(await store.outbox.acknowledge(first.map((message) => message.id))).toBe(0);
    expect(await store.outbox.acknowledge([])).toBe(0);
    const rest = await store.outbox.read({ limit: 1000 });
    expect(rest.map((message) => message.sequence)).toEqual([3, 4, 5]);
    expect(await store.outbox.acknowledge([rest[2]!.id, rest[0]!.id])).toBe(2);
    expect((await store.outbox.read()).map((message) => message.sequence)).toEqual([4]);
    await store.close();
  }, TIMEOUT);

  it('a refused commit writes no outbox row', async () => {
    const { database, store } = await migrated(true);
    await store.commit(aBatch('acme', [aWrite(aRecord('acme', 'f-1'), 0, 1)], { key: 'used', result: 1 }));
    const before = await database.query(`SELECT * FROM ${database.table(PREFIX, 'outbox')}`);
    const stale = aBatch('acme', [aWrite(aRecord('acme', 'new'), 0, 3), aWrite(aRecord('acme', 'f-1'), 0, 1)]);
    expect(isConcurrencyError(await rejection(store.commit(stale)))).toBe(true);
    const usedKey = aBatch('acme', [aWrite(aRecord('acme', 'new'), 0, 3)], { key: 'used', result: 2 });
    expect(isConcurrencyError(await rejection(store.commit(usedKey)))).toBe(true);
    expect(await database.query(`SELECT * FROM ${database.table(PREFIX, 'outbox')}`)).toEqual(before);
    expect((await store.outbox.read()).length).toBe(1);
    await store.close();
  }, TIMEOUT);

  it('without the outbox option, commits write no outbox rows', async () => {
    const { store } = await migrated(false);
    await store.commit(aBatch('acme', [aWrite(aRecord('acme', 'f-1'), 0, 3)]));
    expect(await store.outbox.read()).toEqual([]);
    await store.close();
  }, TIMEOUT);

  it('refuses a read limit outside 1 to 1000 and ids that are not whole numbers', async () => {
    const { store } = await migrated(true);
    for (const limit of [0, 1001, 2.5]) await expect(store.outbox.read({ limit })).rejects.toThrow(RangeError);
    await expect(store.outbox.acknowledge([1, 1.5])).rejects.toThrow(RangeError);
    await store.close();
  }, TIMEOUT);
}

export function atomicityTests(harness: SqlHarness): void {
  async function seeded() {
    const database = await harness.fresh();
    const store = await database.open({ outbox: true });
    await store.migrate();
    const a = aWrite(aRecord('acme', 'a'), 0, 2);
    await store.commit(aBatch('acme', [a, aWrite(aRecord('acme', 'b', { kind: 'action' }), 0, 1)], { key: 'used', result: 'first' }));
    await store.nextReference('acme', 'finding');
    return { database, store, a: a.record };
  }

  it('a commit refused for a stale version leaves every table as it was', async () => {
    const { database, store, a } = await seeded();
    const before = await dump(database);
    const writes = [aWrite(aRecord('acme', 'new'), 0, 2), aWrite(a, 2, 1), aWrite(aRecord('acme', 'b'), 0, 1)];
    expect(await rejection(store.commit(aBatch('acme', writes, { key: 'fresh', result: 1 })))).toMatchObject({ code: 'CAPA_CONCURRENCY', recordId: 'b' });
    expect(await dump(database)).toEqual(before);
    await store.close();
  }, TIMEOUT);

  it('a commit refused for a used key leaves every table as it was', async () => {
    const { database, store, a } = await seeded();
    const before = await dump(database);
    const writes = [aWrite(aRecord('acme', 'new'), 0, 2), aWrite(a, 2, 1)];
    expect(await rejection(store.commit(aBatch('acme', writes, { key: 'used', result: 2 })))).toMatchObject({ code: 'CAPA_CONCURRENCY', recordId: 'idempotency:used' });
    expect(await dump(database)).toEqual(before);
    await store.close();
  }, TIMEOUT);

  it('a commit the database refuses half-way (a duplicate event key) is rolled back whole', async () => {
    const { database, store, a } = await seeded();
    const before = await dump(database);
    // The same record twice at the same version: both pass the version check, and the
    // second append collides with the first on the events' primary key.
    const writes = [aWrite(aRecord('acme', 'new'), 0, 1), aWrite(a, 2, 1), aWrite(a, 2, 1)];
    expect(await rejection(store.commit(aBatch('acme', writes, { key: 'fresh', result: 1 })))).toMatchObject({ code: 'CAPA_CONCURRENCY', recordId: 'a' });
    expect(await dump(database)).toEqual(before);
    expect(await store.commit(aBatch('acme', [aWrite(a, 2, 1)]))).toEqual({ tenantSequence: 4 });
    await store.close();
  }, TIMEOUT);
}
