import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  pgliteDriver,
  postgresMigrationSql,
  SQL_STORE_SCHEMA_VERSION,
  postgresStore,
  type PostgresDriver,
  type PostgresPool,
} from '../../../src/adapters/postgres/index.js';
import { formatCapaError } from '../../../src/errors/format.js';
import { StoreBusyError, StoreError, StoreMissingError } from '../../../src/errors/store-errors.js';
import { CapaValidationError } from '../../../src/errors/validation-error.js';
import { aBatch, anEntry, aRecord, aWrite } from '../../../src/testing/fixtures.js';
import { recordingDriver } from './harness.js';
import { pgliteDatabases } from './support.js';

// The PostgreSQL adapter's own behaviour: schemas, what it accepts as a database, how it
// drives a pg pool's transactions, lock timeouts, how values are stored, and its options.
const databases = pgliteDatabases({ migrate: false });
const TIMEOUT = 60_000;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('schema option', () => {
  it('migrate() creates the schema and the tables in it; stores in two schemas are independent', async () => {
    const database = await databases.fresh();
    const [one, two] = [await databases.store(database, { schema: 'compliance' }), await databases.store(database, { schema: 'audit' })];
    await one.migrate();
    await two.migrate();
    const present = async (name: string) => (await database.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [name])).rows[0]!.present;
    expect(await present('compliance.capa_records')).toBe(true);
    expect(await present('audit.capa_records')).toBe(true);
    expect(await present('public.capa_records')).toBe(false);
    await one.commit(aBatch('acme', [aWrite(aRecord('acme', 'f-1'), 0, 1)]));
    expect(await two.load('acme', ['f-1'])).toEqual([]);
    expect((await one.load('acme', ['f-1'])).length).toBe(1);
  }, TIMEOUT);

  it('a schema that exists is used as it is: migrate() does not create it again (that would need the CREATE privilege)', async () => {
    const database = await databases.fresh();
    await database.exec('CREATE SCHEMA compliance');
    const statements: string[] = [];
    const store = await postgresStore(recordingDriver(pgliteDriver(database), statements), { schema: 'compliance' });
    expect(await store.migrate()).toEqual({ from: 0, to: SQL_STORE_SCHEMA_VERSION });
    expect(statements.filter((sql) => sql.includes('CREATE SCHEMA'))).toEqual([]);
    expect(statements).toContain('SELECT to_regnamespace($1) IS NOT NULL AS present');
  }, TIMEOUT);

  it('the printed SQL creates and qualifies the schema; a bad schema is refused, naming the option', async () => {
    const sql = postgresMigrationSql({ schema: 'compliance', tablePrefix: 'capa_' });
    expect(sql.startsWith('CREATE SCHEMA IF NOT EXISTS "compliance";\n')).toBe(true);
    expect(sql).toContain('CREATE TABLE "compliance"."capa_records" (');
    expect(sql).toContain('CREATE INDEX "capa_records_open_by_due" ON "compliance"."capa_records" (tenant_id, kind, due_date) WHERE open = TRUE');
    // An index lives in its table's schema: dropped by its qualified name, created by its bare one.
    expect(sql).toContain('DROP INDEX "compliance"."capa_records_open_by_due";');
    expect(sql).toContain('CREATE INDEX "capa_records_open_by_raised" ON "compliance"."capa_records" (tenant_id, kind, open, raised_at, id, due_date) WHERE open = TRUE');
    expect(() => postgresMigrationSql({ schema: 'Compliance' })).toThrow(/schema must be a lowercase SQL identifier/);
    const error = await rejection(postgresStore(pgliteDriver({} as PGlite), { schema: 'public; DROP' }));
    expect((error as CapaValidationError).issues.map((issue) => issue.path)).toEqual([['schema']]);
  });

  it('the printed SQL (file snapshot: review changes to it like a migration)', async () => {
    await expect(postgresMigrationSql()).toMatchFileSnapshot('./__snapshots__/migration.postgres.sql');
  });
});

describe('what postgresStore accepts', () => {
  it('refuses a PGlite instance passed as it is, saying to wrap it; refuses anything else that is not a database', async () => {
    const database = await databases.fresh();
    const error = await rejection(postgresStore(database as never));
    expect(formatCapaError(error)).toMatch(/database: database is a PGlite instance: pass pgliteDriver\(database\) instead/);
    for (const value of [null, 42, {}, { query() {} }]) {
      expect(await rejection(postgresStore(value as never))).toBeInstanceOf(CapaValidationError);
    }
  }, TIMEOUT);

  it('refuses every bad option at once, naming each', async () => {
    const options = { tablePrefix: 'x-', schema: '1s', lockTimeoutMs: 1.5, outbox: 'no' } as never;
    expect(formatCapaError(await rejection(postgresStore('postgres://localhost/capa', options)))).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid postgresStore options
        - tablePrefix: tablePrefix must be a lowercase SQL identifier (^[a-z_][a-z0-9_]*$), not "x-" [invalid_identifier]
        - schema: schema must be a lowercase SQL identifier (^[a-z_][a-z0-9_]*$), not "1s" [invalid_identifier]
        - lockTimeoutMs: lockTimeoutMs must be a whole number of milliseconds from 0 to 2147483647, not 1.5 [invalid_value]
        - outbox: outbox must be true or false, not no [invalid_type]"
    `);
  });

  it('a connection string: the store makes a pg pool, reports a server it cannot reach as a StoreError, and ends the pool on close', async () => {
    const store = await postgresStore('postgres://capa:capa@127.0.0.1:1/capa');
    const error = await rejection(store.schemaVersion());
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/^The PostgreSQL store could not read its schema version: .*ECONNREFUSED/);
    await store.close();
  }, TIMEOUT);

  it('mustExist: a database without capa-kit tables (in this schema) is refused with a StoreMissingError, creating nothing; with them it opens', async () => {
    const database = await databases.fresh();
    const error = await rejection(databases.store(database, { mustExist: true, schema: 'compliance' }));
    expect(error).toBeInstanceOf(StoreMissingError);
    expect(error).toMatchObject({ code: 'CAPA_STORE_MISSING', where: 'PostgreSQL, tables compliance.capa_*' });
    expect((error as Error).message).toMatch(/no compliance\.capa_schema_migrations\): migrate\(\) creates them\.$/);
    expect((await database.query<{ present: boolean }>("SELECT to_regnamespace('compliance') IS NOT NULL AS present")).rows[0]!.present).toBe(false);
    await (await databases.store(database, { schema: 'compliance' })).migrate();
    const store = await databases.store(database, { mustExist: true, schema: 'compliance' });
    expect(await store.readTenantEvents('acme', 0, 10)).toEqual([]);
  }, TIMEOUT);

  it('mustExist over a connection string: a server it cannot reach is a StoreError naming the server, never the password', async () => {
    const error = await rejection(postgresStore('postgres://capa:secret@127.0.0.1:1/capa', { mustExist: true }));
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/^The PostgreSQL store could not read its schema version: .*ECONNREFUSED/);
    // The place is named without the password.
    expect(error).toMatchObject({ where: 'PostgreSQL 127.0.0.1:1/capa, tables capa_*' });
    expect((error as Error).message).not.toContain('secret');
  }, TIMEOUT);

  it('a pg.Pool of the host stays the host’s: closing the store does not end it', async () => {
    const pool = new pg.Pool({ connectionString: 'postgres://capa:capa@127.0.0.1:1/capa' });
    const typed: PostgresPool = pool;
    const store = await postgresStore(typed);
    await store.close();
    expect(pool.ending).toBe(false);
    await pool.end();
  });
});

describe('a pg pool’s transactions', () => {
  /** A pool over one PGlite database that logs what each checked-out client runs. */
  function loggingPool(database: PGlite, log: string[]): PostgresPool {
    const run = async (sql: string, params?: unknown[]) => ({ rows: (await database.query(sql, params)).rows });
    return {
      query: run,
      async connect() {
        return {
          async query(sql, params) {
            log.push(sql.split(' ').slice(0, 2).join(' '));
            return run(sql, params);
          },
          release: (error) => log.push(error === undefined ? 'release' : 'release broken'),
        };
      },
      end: async () => {},
    };
  }

  it('run each commit on one client, at READ COMMITTED; commit or roll back; always release it', async () => {
    const database = await databases.fresh();
    const log: string[] = [];
    const store = await postgresStore(loggingPool(database, log), { lockTimeoutMs: 250 });
    await store.migrate();
    log.length = 0;
    await store.commit(aBatch('acme', [aWrite(aRecord('acme', 'f-1'), 0, 1)]));
    expect(log[0]).toBe('BEGIN ISOLATION');
    expect(log[1]).toBe('SET LOCAL');
    expect(log.slice(-2)).toEqual(['COMMIT', 'release']);
    log.length = 0;
    await expect(store.commit(aBatch('acme', [aWrite(aRecord('acme', 'f-1'), 0, 1)]))).rejects.toMatchObject({ code: 'CAPA_CONCURRENCY' });
    expect(log.slice(-2)).toEqual(['ROLLBACK', 'release']);
    expect(log.filter((line) => line.startsWith('INSERT') || line.startsWith('UPDATE'))).toEqual(['INSERT INTO']);
  }, TIMEOUT);

  it('a client whose ROLLBACK fails is released as broken, so the pool discards it', async () => {
    const log: string[] = [];
    const broken: PostgresPool = {
      query: async () => ({ rows: [{ present: true, version: SQL_STORE_SCHEMA_VERSION }] }),
      connect: async () => ({
        async query(sql) {
          log.push(sql);
          if (sql === 'ROLLBACK' || sql.startsWith('INSERT')) throw Object.assign(new Error(`connection lost at ${sql}`), { code: '08006' });
          return { rows: [{ version: SQL_STORE_SCHEMA_VERSION, value: 0 }] };
        },
        release: (error) => log.push(error instanceof Error ? `release ${error.message}` : 'release'),
      }),
      end: async () => {},
    };
    const store = await postgresStore(broken);
    const error = await rejection(store.commit(aBatch('acme', [aWrite(aRecord('acme', 'f-1'), 0, 1)])));
    expect(error).toMatchObject({ code: 'CAPA_STORE' });
    expect((error as Error).message).toMatch(/could not commit: connection lost at INSERT/);
    expect(log.at(-1)).toBe('release connection lost at ROLLBACK');
  });
});

describe('locks', () => {
  const failing = (code: string): PostgresDriver => ({
    query: async (sql) => (sql.startsWith('SELECT to_regclass') ? [{ present: true }] : [{ version: SQL_STORE_SCHEMA_VERSION }]),
    transaction: async () => {
      throw Object.assign(new Error(`simulated ${code}`), { code });
    },
    close: async () => {},
  });

  it('a lock timeout, a deadlock or a serialization failure is a StoreBusyError: nothing was written, retry', async () => {
    for (const code of ['55P03', '40P01', '40001']) {
      const store = await postgresStore(failing(code), { lockTimeoutMs: 250 });
      const error = await rejection(store.commit(aBatch('acme', [])));
      expect(error, code).toBeInstanceOf(StoreBusyError);
      expect((error as Error).message).toMatch(/\(lockTimeoutMs 250\).*nothing was written\. Retry\./);
    }
  });

  it('lockTimeoutMs is set first in every transaction, and not at all without it', async () => {
    const database = await databases.fresh();
    const statements: string[] = [];
    const store = await postgresStore(recordingDriver(pgliteDriver(database), statements), { lockTimeoutMs: 1500 });
    await store.migrate();
    expect(statements[0]).toBe('SET LOCAL lock_timeout = 1500');
    const without = await postgresStore(recordingDriver(pgliteDriver(database), (statements.length = 0, statements)));
    await without.commit(aBatch('acme', []));
    expect(statements.some((sql) => sql.startsWith('SET'))).toBe(false);
  }, TIMEOUT);
});

describe('how values are stored', () => {
  it('U+0000 in text columns escaped, the search text as bytea, documents as json as written, entries as text', async () => {
    const database = await databases.fresh();
    const store = await databases.store(database);
    await store.migrate();
    const document = { zeta: 1, alpha: 'nul \u0000 here', nested: { b: [], a: {} } };
    const record = aRecord('acme', 'f\u0000', { index: { ownerId: 'u\u0000\u0001', text: 'café \u0000' }, document });
    const entry = anEntry(record, 1, { z: 'last', a: 'first' });
    await store.commit(aBatch('acme', [aWrite(record, 0, [entry])]));
    const [row] = (await database.query<Record<string, unknown>>('SELECT id, owner_id, search_text, document::text AS document, pg_typeof(document)::text AS type FROM capa_records')).rows;
    expect(row).toEqual({
      id: 'f\u0001\u0001',
      owner_id: 'u\u0001\u0001\u0001\u0002',
      search_text: new TextEncoder().encode('café \u0000'),
      document: JSON.stringify(document),
      type: 'json',
    });
    const [event] = (await database.query<{ entry: string }>('SELECT entry FROM capa_events')).rows;
    expect(event!.entry).toBe(JSON.stringify(entry));
    const [loaded] = await store.load('acme', ['f\u0000']);
    expect(loaded?.index.ownerId).toBe('u\u0000\u0001');
    expect((await store.query('acme', { filter: { kind: 'finding', ownerId: ['u\u0000\u0001'], text: 'É \u0000' }, limit: 10 })).records.map((r) => r.id)).toEqual(['f\u0000']);
  }, TIMEOUT);
});
