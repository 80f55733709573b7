/**
 * The SQLite adapter: a `CapaStore` in a SQLite database, through better-sqlite3 or Node's
 * built-in `node:sqlite`. The host opens the database and passes it in; capa-kit imports
 * neither driver. Several processes may share one database file: commits take the write
 * lock with `BEGIN IMMEDIATE` and wait for it up to a busy timeout.
 *
 * @example
 * ```ts
 * import { DatabaseSync } from 'node:sqlite';
 * import { sqliteStore } from 'capa-kit/adapters/sqlite';
 *
 * const store = await sqliteStore(new DatabaseSync('capa.db'), { closeDatabase: true });
 * await store.migrate();
 * ```
 *
 * @packageDocumentation
 * @module capa-kit/adapters/sqlite
 */
import type { ValidationIssue } from '../../errors/validation-error.js';
import { translateError } from '../sql/errors.js';
import { requireExistingStore } from '../sql/must-exist.js';
import { sqlTables } from '../sql/identifiers.js';
import { type MigrationResult, migrationScript, SQL_STORE_SCHEMA_VERSION } from '../sql/migrations.js';
import { booleanOption, fromVersionOption, millisecondsOption, prefixOption, refuseIssues } from '../sql/options.js';
import type { OutboxMessage, SqlStoreOutbox } from '../sql/outbox.js';
import { createSqlStore, type SqlStore } from '../sql/store.js';
import { type SqliteDatabase, sqliteDriverKind, sqliteFile, type SqliteStatement } from './database.js';
import { sqliteDialect } from './dialect.js';
import { sqliteRunner } from './runner.js';

export type { SqliteDatabase, SqliteStatement, SqlStore, SqlStoreOutbox, OutboxMessage, MigrationResult };
export { SQL_STORE_SCHEMA_VERSION };

/**
 * How to open a SQLite store. Every option has a safe default.
 *
 * @example
 * ```ts
 * import type { SqliteStoreOptions } from 'capa-kit/adapters/sqlite';
 *
 * const options: SqliteStoreOptions = { tablePrefix: 'audit_', synchronous: 'FULL', busyTimeoutMs: 10_000, outbox: true };
 * ```
 */
export interface SqliteStoreOptions {
  /** Prefix of every table and index name: a lowercase identifier (`/^[a-z_][a-z0-9_]*$/`). Default `capa_`. */
  readonly tablePrefix?: string;
  /**
   * `PRAGMA synchronous`. `NORMAL` (default): in WAL mode a commit survives the process
   * crashing, but the last commits before a power cut or an operating-system crash may be
   * lost (never half of one). `FULL`: every commit is flushed to the disk before it is
   * acknowledged, and survives a power cut too; slower.
   */
  readonly synchronous?: 'NORMAL' | 'FULL';
  /** How long a write waits for another connection's write lock before failing with a `StoreBusyError`, in ms. Default 5000. */
  readonly busyTimeoutMs?: number;
  /** Write one outbox row per committed event, in the commit's transaction (see `store.outbox`). Default `false`. */
  readonly outbox?: boolean;
  /** Close the database when the store is closed. Default `false`: the host opened it, the host closes it. */
  readonly closeDatabase?: boolean;
  /**
   * Open only a database that holds capa-kit tables: one without them (a new, empty file,
   * another application's database) is refused with a `StoreMissingError` (code
   * `CAPA_STORE_MISSING`) before anything is written to it, its journal mode included.
   * Default `false`. The driver creates a missing file when it opens it, before the store
   * sees it: open the database with better-sqlite3's `{ fileMustExist: true }` (or check
   * that the file exists first) to create nothing at all.
   */
  readonly mustExist?: boolean;
}

/**
 * What to print the migration SQL for.
 *
 * @example
 * ```ts
 * import { sqliteMigrationSql, type SqliteMigrationSqlOptions } from 'capa-kit/adapters/sqlite';
 *
 * const options: SqliteMigrationSqlOptions = { tablePrefix: 'audit_', fromVersion: 0 };
 * console.log(sqliteMigrationSql(options));
 * ```
 */
export interface SqliteMigrationSqlOptions {
  /** The store's `tablePrefix`. Default `capa_`. */
  readonly tablePrefix?: string;
  /** The schema version the database is at (0, the default, for a new one): only later migrations are printed. */
  readonly fromVersion?: number;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens a SQLite store over a database the host opened: a better-sqlite3 `Database` or a
 * `node:sqlite` `DatabaseSync` (told apart by shape). Sets, on that connection,
 * `journal_mode = WAL`, `synchronous` (`NORMAL` by default) and `busy_timeout`
 * (5000 ms by default). Call `migrate()` once before the first use of a new database.
 * With `mustExist`, a database without capa-kit tables is refused instead (a
 * `StoreMissingError`), before any of those pragmas writes to it.
 *
 * - **Commits** are one transaction each, begun with `BEGIN IMMEDIATE` (the write lock,
 *   waited for up to the busy timeout, then a `StoreBusyError`): every expected version and
 *   the idempotency key are checked first, then records, events, the tenant sequence, the
 *   key and the outbox rows are written, or nothing is.
 * - **Queries** run in SQLite: the filter's fields are indexed columns, pages are read by
 *   keyset on (`raisedAt`, `id`), in code point order (the BINARY collation).
 * - **Synchronous**: both drivers block the event loop for each statement, and a commit
 *   runs from `BEGIN` to `COMMIT` without yielding; a write that waits for another process
 *   blocks for up to the busy timeout.
 *
 * @param database - An open better-sqlite3 `Database` or `node:sqlite` `DatabaseSync`.
 * @param options - Table prefix, `synchronous`, busy timeout, outbox, whether to close the database.
 * @returns The store. `capabilities` is `{ multiProcess: true, durable: true }` for a database file, both `false` in memory.
 * @throws CapaValidationError when the database is not one of the two drivers' or an option is invalid (the issue names it).
 * @throws StoreMissingError with `mustExist`, when the database has no capa-kit tables.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * import { iso27001 } from 'capa-kit';
 * import { createCapaRegister } from 'capa-kit/register';
 * import { sqliteStore } from 'capa-kit/adapters/sqlite';
 *
 * const store = await sqliteStore(new Database('capa.db'), { closeDatabase: true });
 * await store.migrate();
 * const register = createCapaRegister({ store, policy: iso27001, tenant: 'acme' });
 * ```
 */
export async function sqliteStore(database: SqliteDatabase, options: SqliteStoreOptions = {}): Promise<SqlStore> {
  const issues: ValidationIssue[] = [];
  const kind = sqliteDriverKind(database);
  if (kind === null) {
    issues.push({ path: ['database'], code: 'invalid_type', message: 'database must be an open better-sqlite3 Database or node:sqlite DatabaseSync' });
  }
  const prefix = prefixOption(options.tablePrefix, issues);
  const synchronous = options.synchronous ?? 'NORMAL';
  if (synchronous !== 'NORMAL' && synchronous !== 'FULL') {
    issues.push({ path: ['synchronous'], code: 'invalid_value', message: `synchronous must be 'NORMAL' or 'FULL', not ${String(synchronous)}` });
  }
  const busyTimeoutMs = millisecondsOption('busyTimeoutMs', options.busyTimeoutMs, DEFAULT_BUSY_TIMEOUT_MS, issues)!;
  const outbox = booleanOption('outbox', options.outbox, issues);
  const closeDatabase = booleanOption('closeDatabase', options.closeDatabase, issues);
  const mustExist = booleanOption('mustExist', options.mustExist, issues);
  refuseIssues('sqliteStore options', issues);

  const file = sqliteFile(database, kind!);
  const errors = {
    dialect: sqliteDialect,
    database: 'SQLite',
    where: `${file ?? ':memory:'}, tables ${prefix}*`,
    busyMessage: `The SQLite database stayed locked by another writer for ${busyTimeoutMs} ms (busyTimeoutMs); nothing was written. Retry, or raise busyTimeoutMs.`,
  };
  const tables = sqlTables(prefix, null);
  const runner = sqliteRunner(database, { closeDatabase });
  try {
    // The busy timeout first: switching to WAL may itself wait for another connection.
    database.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    // Before the journal mode, which writes to the file: a database that is not a capa
    // store is left as it was.
    if (mustExist) await requireExistingStore(errors, runner, tables, file ?? ':memory:');
    database.exec('PRAGMA journal_mode = WAL');
    database.exec(`PRAGMA synchronous = ${synchronous}`);
  } catch (error) {
    // A database handed over to the store (closeDatabase) is the store's to close.
    await runner.close().catch(() => {});
    throw translateError(errors, 'set up its connection', error);
  }
  return createSqlStore({
    ...errors,
    tables,
    runner,
    capabilities: file === null ? { multiProcess: false, durable: false } : { multiProcess: true, durable: true },
    outbox,
    migrationLock: null,
  });
}

/**
 * The SQL that `migrate()` runs on a SQLite database, as one script: for teams that apply
 * migrations with their own tool. It creates the table of applied migrations when missing,
 * then every migration after `fromVersion` with its row in that table, so a store finds the
 * tables at the version it expects. Run it in one transaction.
 *
 * @param options - The store's `tablePrefix`, and the version the database is at (`fromVersion`, default 0).
 * @returns `;`-terminated statements.
 * @throws CapaValidationError when the prefix is not a lowercase identifier or `fromVersion` is out of range.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { sqliteMigrationSql } from 'capa-kit/adapters/sqlite';
 *
 * writeFileSync('migrations/0001_capa_kit.sql', sqliteMigrationSql({ tablePrefix: 'capa_' }));
 * ```
 */
export function sqliteMigrationSql(options: SqliteMigrationSqlOptions = {}): string {
  const issues: ValidationIssue[] = [];
  const prefix = prefixOption(options.tablePrefix, issues);
  const from = fromVersionOption(options.fromVersion, issues);
  refuseIssues('sqliteMigrationSql options', issues);
  return migrationScript(sqliteDialect, sqlTables(prefix, null), from);
}
