/**
 * The PostgreSQL adapter: a `CapaStore` in PostgreSQL 15 or later, through a `pg` pool
 * (yours, or one made from a connection string) or any small {@link PostgresDriver}
 * (PGlite has one built in). capa-kit imports `pg` only when given a connection string.
 * Any number of processes may share the database: each commit is one transaction, and the
 * commits of one tenant take turns on its sequence row.
 *
 * @example
 * ```ts
 * import { postgresStore } from 'capa-kit/adapters/postgres';
 *
 * const store = await postgresStore(process.env.DATABASE_URL!);
 * await store.migrate();
 * ```
 *
 * @packageDocumentation
 * @module capa-kit/adapters/postgres
 */
import type { ValidationIssue } from '../../errors/validation-error.js';
import { sqlTables } from '../sql/identifiers.js';
import { requireExistingStore } from '../sql/must-exist.js';
import { type MigrationResult, migrationScript, SQL_STORE_SCHEMA_VERSION } from '../sql/migrations.js';
import { booleanOption, fromVersionOption, millisecondsOption, prefixOption, refuseIssues, schemaOption } from '../sql/options.js';
import type { OutboxMessage, SqlStoreOutbox } from '../sql/outbox.js';
import { createSqlStore, type SqlStore } from '../sql/store.js';
import { postgresDialect } from './dialect.js';
import { isPostgresDriver, type PostgresDriver, type PostgresQueryable, postgresRunner } from './driver.js';
import { migrationLock } from './migration-lock.js';
import { type PgliteDatabase, pgliteDriver, type PgliteDriverOptions } from './pglite-driver.js';
import { isPostgresPool, poolDriver, poolForConnectionString, type PostgresPool, type PostgresPoolClient } from './pool-driver.js';

export type { PostgresDriver, PostgresQueryable, PostgresPool, PostgresPoolClient, PgliteDatabase, PgliteDriverOptions };
export type { SqlStore, SqlStoreOutbox, OutboxMessage, MigrationResult };
export { pgliteDriver, SQL_STORE_SCHEMA_VERSION };

/** A PGlite instance has a driver's three methods, but not a driver's rows: told apart by its own. */
const isPglite = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && 'waitReady' in value && typeof (value as { exec?: unknown }).exec === 'function';

/**
 * How to open a PostgreSQL store. Every option has a safe default.
 *
 * @example
 * ```ts
 * import type { PostgresStoreOptions } from 'capa-kit/adapters/postgres';
 *
 * const options: PostgresStoreOptions = { schema: 'compliance', tablePrefix: 'capa_', lockTimeoutMs: 5000, outbox: true };
 * ```
 */
export interface PostgresStoreOptions {
  /** Prefix of every table and index name: a lowercase identifier (`/^[a-z_][a-z0-9_]*$/`). Default `capa_`. */
  readonly tablePrefix?: string;
  /** The schema of the tables (created by `migrate()` when missing). Default: none, so the connection's `search_path` decides. */
  readonly schema?: string;
  /**
   * How long a commit waits for a lock (another commit of the same tenant, a migration)
   * before failing with a `StoreBusyError`, in ms (`SET LOCAL lock_timeout`). Default: no
   * limit of the store's own (the server's `lock_timeout` applies).
   */
  readonly lockTimeoutMs?: number;
  /** Write one outbox row per committed event, in the commit's transaction (see `store.outbox`). Default `false`. */
  readonly outbox?: boolean;
  /**
   * Open only a database that holds capa-kit tables (under `schema` and `tablePrefix`): one
   * without them is refused with a `StoreMissingError` (code `CAPA_STORE_MISSING`) when the
   * store is opened, and nothing is created. Default `false`.
   */
  readonly mustExist?: boolean;
}

/**
 * What to print the migration SQL for.
 *
 * @example
 * ```ts
 * import { postgresMigrationSql, type PostgresMigrationSqlOptions } from 'capa-kit/adapters/postgres';
 *
 * const options: PostgresMigrationSqlOptions = { schema: 'compliance' };
 * console.log(postgresMigrationSql(options));
 * ```
 */
export interface PostgresMigrationSqlOptions {
  /** The store's `tablePrefix`. Default `capa_`. */
  readonly tablePrefix?: string;
  /** The store's `schema`. Default: none (unqualified names). */
  readonly schema?: string;
  /** The schema version the database is at (0, the default, for a new one): only later migrations are printed. */
  readonly fromVersion?: number;
}

/**
 * Opens a PostgreSQL store (PostgreSQL 15 or later) over:
 * - a connection string: the store creates a `pg` pool (loading `pg`, an optional peer
 *   dependency) and ends it when closed;
 * - a `pg.Pool` of yours, which stays yours: closing the store does not end it;
 * - a {@link PostgresDriver}, such as `pgliteDriver(pglite)`.
 *
 * Call `migrate()` once before the first use of a new database; with `mustExist`, a
 * database without capa-kit tables is refused instead (a `StoreMissingError`).
 *
 * - **Commits** are one transaction each, at READ COMMITTED, on one connection. The first
 *   statement locks the tenant's row of the sequence table (an upsert), so the commits of
 *   one tenant take turns while other tenants' run in parallel; then every expected version
 *   and the idempotency key are checked, and records, events, the tenant sequence, the key
 *   and the outbox rows are written, or nothing is. Primary keys on events and records
 *   refuse anything that slipped past the checks, as a `ConcurrencyError`.
 * - **Queries** run in PostgreSQL on indexed columns (`COLLATE "C"`: code point order),
 *   pages by keyset on (`raisedAt`, `id`).
 * - **Storage**: documents are `json` (kept as written; `jsonb` refuses U+0000), entries
 *   `text` (byte for byte), the search text `bytea`; U+0000 and U+0001 in text columns
 *   are stored escaped (PostgreSQL text cannot hold U+0000).
 *
 * @param database - A connection string, a `pg.Pool`, or a {@link PostgresDriver}.
 * @param options - Table prefix, schema, lock timeout, outbox.
 * @returns The store: `capabilities` is `{ multiProcess: true, durable: true }`.
 * @throws CapaValidationError when `database` is none of those or an option is invalid (the issue names it).
 * @throws MissingPackageError for a connection string when `pg` is not installed.
 * @throws StoreMissingError with `mustExist`, when the database has no capa-kit tables.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { iso27001 } from 'capa-kit';
 * import { createCapaRegister } from 'capa-kit/register';
 * import { postgresStore } from 'capa-kit/adapters/postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const store = await postgresStore(pool, { schema: 'compliance' });
 * await store.migrate();
 * const register = createCapaRegister({ store, policy: iso27001, tenant: 'acme' });
 * ```
 */
export async function postgresStore(database: string | PostgresPool | PostgresDriver, options: PostgresStoreOptions = {}): Promise<SqlStore> {
  const issues: ValidationIssue[] = [];
  const connection = typeof database === 'string' ? 'url' : isPglite(database) ? null : isPostgresDriver(database) ? 'driver' : isPostgresPool(database) ? 'pool' : null;
  if (connection === null) {
    const message = isPglite(database)
      ? 'database is a PGlite instance: pass pgliteDriver(database) instead'
      : 'database must be a connection string, a pg.Pool or a PostgresDriver';
    issues.push({ path: ['database'], code: 'invalid_type', message });
  }
  const prefix = prefixOption(options.tablePrefix, issues);
  const schema = schemaOption(options.schema, issues);
  const lockTimeoutMs = millisecondsOption('lockTimeoutMs', options.lockTimeoutMs, null, issues);
  const outbox = booleanOption('outbox', options.outbox, issues);
  const mustExist = booleanOption('mustExist', options.mustExist, issues);
  refuseIssues('postgresStore options', issues);

  const driver =
    connection === 'url'
      ? poolDriver(await poolForConnectionString(database as string), true)
      : connection === 'pool'
        ? poolDriver(database as PostgresPool, false)
        : (database as PostgresDriver);
  const tables = sqlTables(prefix, schema);
  const runner = postgresRunner(driver, lockTimeoutMs);
  const where = `PostgreSQL${connection === 'url' ? ` ${serverOf(database as string)}` : ''}, tables ${schema === null ? '' : `${schema}.`}${prefix}*`;
  const errors = {
    dialect: postgresDialect,
    database: 'PostgreSQL',
    where,
    busyMessage:
      `PostgreSQL gave up waiting for a lock held by another transaction${lockTimeoutMs === null ? '' : ` (lockTimeoutMs ${lockTimeoutMs})`}, ` +
      'or refused the transaction as a deadlock or a serialization failure; nothing was written. Retry.',
  };
  if (mustExist) {
    try {
      await requireExistingStore(errors, runner, tables, where);
    } catch (error) {
      await runner.close().catch(() => {}); // a pool made here must not keep the process alive
      throw error;
    }
  }
  return createSqlStore({
    ...errors,
    tables,
    runner,
    capabilities: { multiProcess: true, durable: true },
    outbox,
    migrationLock: migrationLock(tables),
  });
}

/** A connection string's server and database, for messages: never its user or password. */
function serverOf(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.host}${url.pathname}`;
  } catch {
    return '(connection string)';
  }
}

/**
 * The SQL that `migrate()` runs on PostgreSQL, as one script: for teams that apply
 * migrations with their own tool. It creates the schema (when one is named) and the table
 * of applied migrations when missing, then every migration after `fromVersion` with its
 * row in that table, so a store finds the tables at the version it expects. Run it in one
 * transaction.
 *
 * @param options - The store's `tablePrefix` and `schema`, and the version the database is at (`fromVersion`, default 0).
 * @returns `;`-terminated statements.
 * @throws CapaValidationError when the prefix or schema is not a lowercase identifier, or `fromVersion` is out of range.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { postgresMigrationSql } from 'capa-kit/adapters/postgres';
 *
 * writeFileSync('migrations/V1__capa_kit.sql', postgresMigrationSql({ schema: 'compliance' }));
 * ```
 */
export function postgresMigrationSql(options: PostgresMigrationSqlOptions = {}): string {
  const issues: ValidationIssue[] = [];
  const prefix = prefixOption(options.tablePrefix, issues);
  const schema = schemaOption(options.schema, issues);
  const from = fromVersionOption(options.fromVersion, issues);
  refuseIssues('postgresMigrationSql options', issues);
  return migrationScript(postgresDialect, sqlTables(prefix, schema), from);
}
