import { StoreError } from '../../errors/store-errors.js';
import { type CapaStore, STORE_CONTRACT_VERSION, type StoreCapabilities } from '../../store/contract.js';
import { checkReferenceKind } from '../../store/references.js';
import { commitProgram } from './commit.js';
import type { SqlDialect } from './dialect.js';
import { type ErrorContext, translateError } from './errors.js';
import type { SqlTables } from './identifiers.js';
import { type MigrationResult, migrateProgram, requireSchemaProgram, schemaVersionProgram } from './migrations.js';
import { acknowledgeOutboxProgram, readOutboxProgram, type SqlStoreOutbox } from './outbox.js';
import type { RunMode, SqlProgram, SqlRunner, SqlStatement } from './program.js';
import { compileRecordQuery, pageFromRows } from './query.js';
import {
  idempotentResultProgram,
  loadProgram,
  nextReferenceProgram,
  readEventsProgram,
  readTenantEventsProgram,
} from './reads.js';

/**
 * A `CapaStore` over a SQL database (SQLite or PostgreSQL), plus what a database needs:
 * `migrate()` to create or upgrade its tables, the schema version, and the outbox. Every
 * other method refuses to run until the tables are at the version this capa-kit supports
 * (a `StoreSchemaError` says what to do).
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * import { sqliteStore, type SqlStore } from 'capa-kit/adapters/sqlite';
 *
 * const store: SqlStore = await sqliteStore(new Database('capa.db'), { closeDatabase: true });
 * await store.migrate();
 * console.log(await store.schemaVersion()); // 3 (SQL_STORE_SCHEMA_VERSION)
 * await store.close();
 * ```
 */
export interface SqlStore extends CapaStore {
  /**
   * Creates the tables, or applies the migrations they are missing, in one transaction;
   * safe to call on every start and from several processes at once (tables already at the
   * latest version get no DDL). Refuses a database whose tables are newer than this
   * capa-kit with a `StoreSchemaError`, changing nothing.
   */
  migrate(): Promise<MigrationResult>;
  /** The schema version the tables are at, or `null` when there are none. */
  schemaVersion(): Promise<number | null>;
  /** The committed events waiting to be handled (written only with `outbox: true`). */
  readonly outbox: SqlStoreOutbox;
}

/** Everything a SQL store is built from: the adapter's choices. */
export interface SqlStoreParts extends ErrorContext {
  readonly tables: SqlTables;
  readonly runner: SqlRunner;
  readonly capabilities: StoreCapabilities;
  /** Write one outbox row per committed event. */
  readonly outbox: boolean;
  /** The statement that serialises concurrent migrations (PostgreSQL), run first in `migrate()`. */
  readonly migrationLock: SqlStatement | null;
}

/** Builds the store over a runner: one implementation for every SQL database. */
export function createSqlStore(parts: SqlStoreParts): SqlStore {
  const { dialect, tables, runner } = parts;
  let closed = false;
  /** Set once the tables were found at the supported version: checked once, then trusted. */
  let schemaChecked: Promise<void> | null = null;

  function usable(): void {
    if (closed) throw new StoreError(`The ${parts.database} store is closed.`, parts.where);
  }

  async function execute<T>(operation: string, program: SqlProgram<T>, mode: RunMode): Promise<T> {
    try {
      return await runner.run(program, mode);
    } catch (error) {
      throw translateError(parts, operation, error);
    }
  }

  function requireSchema(): Promise<void> {
    schemaChecked ??= execute('read its schema version', requireSchemaProgram(dialect, tables), 'autocommit').catch((error: unknown) => {
      schemaChecked = null; // not there yet: check again next time (migrate() may run meanwhile)
      throw error;
    });
    return schemaChecked;
  }

  /** Runs an operation once the store is open and its tables are ready. */
  async function operate<T>(operation: string, program: () => SqlProgram<T>, mode: RunMode): Promise<T> {
    usable();
    await requireSchema();
    return execute(operation, program(), mode);
  }

  return {
    contractVersion: STORE_CONTRACT_VERSION,
    capabilities: parts.capabilities,

    async migrate() {
      usable();
      const result = await execute('migrate', migrateProgram(dialect, tables, parts.migrationLock), 'transaction');
      schemaChecked = Promise.resolve();
      return result;
    },

    async schemaVersion() {
      usable();
      return execute('read its schema version', schemaVersionProgram(dialect, tables), 'autocommit');
    },

    load: (tenantId, ids) => operate('load records', () => loadProgram(dialect, tables, tenantId, ids), 'autocommit'),

    commit: (batch) => operate('commit', () => commitProgram(parts, batch), 'transaction'),

    readEvents: (tenantId, recordId, afterSequence = 0) =>
      operate('read events', () => readEventsProgram(dialect, tables, tenantId, recordId, afterSequence), 'autocommit'),

    readTenantEvents: (tenantId, afterTenantSequence, limit) =>
      operate('read tenant events', () => readTenantEventsProgram(dialect, tables, tenantId, afterTenantSequence, limit), 'autocommit'),

    async query(tenantId, request) {
      // Compiled first: a bad limit or cursor is a RangeError, whatever the schema.
      const statement = compileRecordQuery(dialect, tables, tenantId, request);
      return operate('query records', function* () {
        return pageFromRows(dialect, yield statement, request.limit);
      }, 'autocommit');
    },

    async nextReference(tenantId, kind) {
      checkReferenceKind(kind);
      return operate('hand out a reference', () => nextReferenceProgram(dialect, tables, tenantId, kind), 'autocommit');
    },

    idempotentResult: (tenantId, key) =>
      operate('read an idempotency key', () => idempotentResultProgram(dialect, tables, tenantId, key), 'autocommit'),

    outbox: {
      read: (options = {}) => operate('read the outbox', () => readOutboxProgram(dialect, tables, options.limit ?? 100), 'autocommit'),
      acknowledge: (ids) => operate('acknowledge outbox messages', () => acknowledgeOutboxProgram(dialect, tables, ids), 'transaction'),
    },

    async close() {
      if (closed) return;
      closed = true;
      await runner.close();
    },
  };
}
