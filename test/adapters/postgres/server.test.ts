import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postgresStore, SQL_STORE_SCHEMA_VERSION, type SqlStore } from '../../../src/adapters/postgres/index.js';
import { StoreBusyError, StoreError } from '../../../src/errors/store-errors.js';
import { aBatch, aRecord, aWrite } from '../../../src/testing/fixtures.js';
import { buildWriterBundle, checkContention, type ContentionPlan, contend, spawnWriter, tally } from '../support/writers.js';
import { writer } from '../support/writer.js';
import { PG_URL, randomSchema, serverDescribe, serverSchema, serverVersion } from './server.js';

// The PostgreSQL adapter on a real server (CAPA_PG_URL) with many connections: several pg
// pools in this process and several processes with pools of their own writing the same
// findings at the same moments, lock timeouts against a lock really held by another
// transaction, a store over read-only connections, and migrate() by a role that may not
// create anything.
const TIMEOUT = 120_000;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Waits, by asking the server (no sleeps of a guessed length), until `condition` holds. */
async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

serverDescribe('postgres server: many connections', () => {
  const schema = serverSchema();
  const stores: SqlStore[] = [];
  /** A store with a pool of its own in this file's schema, closed after all tests. */
  const open = async (options: { lockTimeoutMs?: number } = {}) => {
    const store = await postgresStore(PG_URL!, { schema: schema.name, ...options });
    stores.push(store);
    return store;
  };
  let bundle: Awaited<ReturnType<typeof buildWriterBundle>> | undefined;
  beforeAll(async () => {
    await (await open()).migrate();
    console.log(`postgres server: PostgreSQL ${await serverVersion(schema.pool)}, schema ${schema.name}`);
  });
  afterAll(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    bundle?.remove();
  });

  const PLAN: ContentionPlan = { raises: 5, raceRounds: 60, retryRounds: 20 };

  it('four pg pools in one process write the same findings at once: every command commits or is refused whole', async () => {
    const tenant = `pools-${randomBytes(3).toString('hex')}`;
    const writers = await Promise.all(
      ['A', 'B', 'C', 'D'].map(async (name) => writer(name, { patient: await open(), impatient: await open({ lockTimeoutMs: 1 }) }, tenant)),
    );
    const report = await contend(writers, PLAN);
    console.log(`postgres server, 4 pools: ${JSON.stringify(tally(report))}`);
    const counts = tally(report);
    expect((counts['comment conflict'] ?? 0) + (counts['comment busy'] ?? 0)).toBeGreaterThan(0);
    await checkContention(await open(), report, PLAN, writers.length, tenant);
  }, TIMEOUT);

  it('three processes, each with pools of its own, write the same findings at once: every command commits or is refused whole', async () => {
    bundle = await buildWriterBundle();
    const tenant = `processes-${randomBytes(3).toString('hex')}`;
    const writers = await Promise.all(
      ['A', 'B', 'C'].map((name) => spawnWriter(bundle!.bundle, { name, tenant, target: { kind: 'postgres', url: PG_URL!, schema: schema.name } })),
    );
    let report;
    try {
      report = await contend(writers, PLAN);
    } finally {
      await Promise.all(writers.map((w) => w.close()));
    }
    const counts = tally(report);
    console.log(`postgres server, 3 processes: ${JSON.stringify(counts)}`);
    expect((counts['comment conflict'] ?? 0) + (counts['comment busy'] ?? 0)).toBeGreaterThan(0);
    await checkContention(await open(), report, PLAN, writers.length, tenant);
  }, TIMEOUT);

  it('a tenant lock held by another transaction: lockTimeoutMs gives a StoreBusyError, nothing written; other tenants go on; without it the commit waits', async () => {
    const [held, other] = [`held-${randomBytes(3).toString('hex')}`, `other-${randomBytes(3).toString('hex')}`];
    const impatient = await open({ lockTimeoutMs: 200 });
    const patient = await open();
    await patient.commit(aBatch(held, [aWrite(aRecord(held, 'f-1'), 0, 1)]));

    // Another transaction locks the tenant's sequence row, as a commit of the tenant does, and keeps it.
    const holder = await schema.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT value FROM "${schema.name}"."capa_sequences" WHERE tenant_id = $1 AND name = 'events' FOR UPDATE`, [held]);

      const started = performance.now();
      const error = await rejection(impatient.commit(aBatch(held, [aWrite(aRecord(held, 'f-1'), 1, 1)], { key: 'k', result: 1 })));
      expect(performance.now() - started).toBeGreaterThanOrEqual(190);
      expect(error).toBeInstanceOf(StoreBusyError);
      expect((error as Error).message).toMatch(/\(lockTimeoutMs 200\).*nothing was written\. Retry\./);
      expect((error as { cause?: { code?: string } }).cause?.code).toBe('55P03');
      // Reads do not wait for the lock, and nothing of the refused commit is there.
      expect((await impatient.load(held, ['f-1']))[0]?.version).toBe(1);
      expect(await impatient.idempotentResult(held, 'k')).toBeUndefined();
      // Another tenant's commits do not wait for this tenant's lock.
      expect(await impatient.commit(aBatch(other, [aWrite(aRecord(other, 'f-1'), 0, 1)]))).toEqual({ tenantSequence: 1 });

      // Without a lock timeout the commit waits for the lock (the server shows it waiting), then commits.
      const waiting = patient.commit(aBatch(held, [aWrite(aRecord(held, 'f-1'), 1, 1)], { key: 'k', result: 1 }));
      await until('the commit waits for the lock', async () => {
        const { rows } = await schema.pool.query<{ waiting: string }>(
          "SELECT count(*) AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database() AND query LIKE $1",
          [`INSERT INTO "${schema.name}"."capa_sequences"%`],
        );
        return Number(rows[0]!.waiting) > 0;
      });
      await holder.query('COMMIT');
      expect(await waiting).toEqual({ tenantSequence: 2 });
    } finally {
      await holder.query('ROLLBACK').catch(() => {});
      holder.release();
    }
    expect(await patient.idempotentResult(held, 'k')).toBe(1);
  }, TIMEOUT);

  it('a store over read-only connections (as a hot standby gives) answers queries and loads; a commit fails whole with a StoreError', async () => {
    const tenant = `read-only-${randomBytes(3).toString('hex')}`;
    const primary = await open();
    await primary.commit(aBatch(tenant, [aWrite(aRecord(tenant, 'f-1'), 0, 2)]));
    const pool = new pg.Pool({ connectionString: PG_URL, max: 2, options: '-c default_transaction_read_only=on' });
    const reader = await postgresStore(pool, { schema: schema.name });
    try {
      expect((await reader.query(tenant, { filter: { kind: 'finding', open: true }, limit: 10 })).records.map((r) => r.id)).toEqual(['f-1']);
      expect((await reader.load(tenant, ['f-1']))[0]?.version).toBe(2);
      expect((await reader.readTenantEvents(tenant, 0, 10)).map((e) => e.tenantSequence)).toEqual([1, 2]);
      const error = await rejection(reader.commit(aBatch(tenant, [aWrite(aRecord(tenant, 'f-2'), 0, 1)])));
      expect(error).toBeInstanceOf(StoreError);
      expect((error as Error).message).toMatch(/could not commit: cannot execute INSERT in a read-only transaction/);
      expect(await primary.load(tenant, ['f-2'])).toEqual([]);
    } finally {
      await reader.close();
      await pool.end();
    }
  }, TIMEOUT);

  it('a role without CREATE on the database or the schema can call migrate() when the tables are current, and use the store', async (context) => {
    const { rows } = await schema.pool.query<{ allowed: boolean }>('SELECT rolcreaterole OR rolsuper AS allowed FROM pg_roles WHERE rolname = current_user');
    if (rows[0]?.allowed !== true) {
      context.skip('the role of CAPA_PG_URL may not create roles (it needs CREATEROLE): grant it to run this test, e.g. ALTER ROLE capa CREATEROLE');
    }
    const role = `${randomSchema()}_app`;
    const password = randomBytes(12).toString('hex');
    const { pool } = schema;
    const database = (await pool.query<{ name: string }>('SELECT current_database() AS name')).rows[0]!.name;
    const quoted = `"${role}"`;
    await pool.query(`CREATE ROLE ${quoted} LOGIN PASSWORD '${password}'`);
    const restricted: SqlStore[] = [];
    try {
      await pool.query(`GRANT CONNECT ON DATABASE "${database}" TO ${quoted}`);
      await pool.query(`GRANT USAGE ON SCHEMA "${schema.name}" TO ${quoted}`);
      await pool.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "${schema.name}" TO ${quoted}`);
      const privileges = await pool.query<{ database: boolean; schema: boolean }>(
        `SELECT has_database_privilege($1, $2, 'CREATE') AS database, has_schema_privilege($1, $3, 'CREATE') AS schema`,
        [role, database, schema.name],
      );
      expect(privileges.rows[0]).toEqual({ database: false, schema: false });

      const url = new URL(PG_URL!);
      url.username = role;
      url.password = password;
      const store = await postgresStore(url.href, { schema: schema.name });
      restricted.push(store);
      expect(await store.migrate()).toEqual({ from: SQL_STORE_SCHEMA_VERSION, to: SQL_STORE_SCHEMA_VERSION });
      const tenant = `restricted-${randomBytes(3).toString('hex')}`;
      expect(await store.commit(aBatch(tenant, [aWrite(aRecord(tenant, 'f-1'), 0, 2)]))).toEqual({ tenantSequence: 2 });
      expect(await store.nextReference(tenant, 'finding')).toBe(1);

      // The same role cannot create the tables: it really lacks the privilege.
      const elsewhere = await postgresStore(url.href, { schema: randomSchema() });
      restricted.push(elsewhere);
      const error = await rejection(elsewhere.migrate());
      expect(error).toBeInstanceOf(StoreError);
      expect((error as Error).message).toMatch(/could not migrate: permission denied for database/);
    } finally {
      await Promise.all(restricted.map((store) => store.close()));
      await pool.query(`REVOKE ALL ON ALL TABLES IN SCHEMA "${schema.name}" FROM ${quoted}`);
      await pool.query(`REVOKE ALL ON SCHEMA "${schema.name}" FROM ${quoted}`);
      await pool.query(`REVOKE ALL ON DATABASE "${database}" FROM ${quoted}`);
      await pool.query(`DROP ROLE ${quoted}`);
    }
  }, TIMEOUT);
});
