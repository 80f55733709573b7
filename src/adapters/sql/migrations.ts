import { type DuplicateReference, DuplicateReferenceError, StoreSchemaError } from '../../errors/store-errors.js';
import type { RecordKind } from '../../store/contract.js';
import type { SqlDialect } from './dialect.js';
import { quote, referenceSequenceName, type SqlTables } from './identifiers.js';
import type { SqlProgram, SqlStatement } from './program.js';

// Versioned migrations: each is a list of statements written once for both databases
// through the dialect's types. `migrate()` applies the missing ones in one transaction;
// the migration functions print the very same statements for teams that run their own.
// A migration may also check the data between its statements (a program that refuses
// with an error naming what it found); the printed SQL leaves the checks out, and the
// statement after a check fails in the database instead. A migration, once released,
// never changes: add a new one.

/**
 * The schema version of the SQL stores' tables this capa-kit creates and reads.
 *
 * @example
 * ```ts
 * import { SQL_STORE_SCHEMA_VERSION, sqliteMigrationSql } from 'capa-kit/adapters/sqlite';
 *
 * // Everything after the version a database is at, for a team that runs its own migrations:
 * const pending = sqliteMigrationSql({ fromVersion: SQL_STORE_SCHEMA_VERSION - 1 });
 * ```
 */
export const SQL_STORE_SCHEMA_VERSION = 3;

/** A check of the data a migration runs between its statements: it throws to refuse (the transaction rolls back). */
type MigrationCheck = () => SqlProgram<void>;

/** One released migration. */
interface Migration {
  readonly version: number;
  readonly name: string;
  statements(dialect: SqlDialect, tables: SqlTables): (string | MigrationCheck)[];
}

const statement = (sql: string, params: readonly unknown[] = []): SqlStatement => ({ sql, params });

const SEQUENCE_NAMES = `'events', '${referenceSequenceName('finding')}', '${referenceSequenceName('action')}'`;

/** At most this many records holding a reference twice are read back to name them. */
const NAMED_DUPLICATES = 200;

/**
 * Refuses the migration when two records of a kind already share a reference in a tenant
 * (possible before references were unique: a log imported with one twice, a reference
 * generator that repeated one), naming them; the transaction rolls back.
 */
function* refuseStoredDuplicates({ readText }: SqlDialect, t: SqlTables): SqlProgram<void> {
  const rows = yield statement(
    `SELECT tenant_id, kind, reference, id FROM (SELECT tenant_id, kind, reference, id, count(*) OVER (PARTITION BY tenant_id, kind, reference) AS holders ` +
      `FROM ${t.records} WHERE reference IS NOT NULL) AS held WHERE holders > 1 ORDER BY tenant_id, kind, reference, id LIMIT ${NAMED_DUPLICATES}`,
  );
  if (rows.length === 0) return;
  const duplicates: DuplicateReference[] = [];
  for (const row of rows) {
    const [tenantId, kind, reference, id] = [readText(row.tenant_id), readText(row.kind) as RecordKind, readText(row.reference), readText(row.id)];
    const last = duplicates.at(-1);
    if (last !== undefined && last.tenantId === tenantId && last.kind === kind && last.reference === reference) (last.recordIds as string[]).push(id);
    else duplicates.push({ tenantId, kind, reference, recordIds: [id] });
  }
  throw new DuplicateReferenceError(duplicates, null, {
    detail:
      `Migration 3 makes a reference unique per tenant and kind, and these records were stored with the same one before it was. ` +
      `Nothing was changed: the tables stay at version 2. validateLog names them too (duplicate-reference) in a log exported with the capa-kit that stored them.`,
  });
}

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'records, events, sequences, idempotency keys and the outbox',
    statements: ({ types, boolLiteral }, t) => {
      const open = `WHERE open = ${boolLiteral(true)}`;
      return [
        // The filter fields are real columns (the register computes them on every write),
        // so queries never parse the document.
        `CREATE TABLE ${t.records} (
  tenant_id ${types.text} NOT NULL,
  id ${types.text} NOT NULL,
  kind ${types.text} NOT NULL CHECK (kind IN ('finding', 'action')),
  version ${types.integer} NOT NULL,
  head ${types.text},
  status ${types.text} NOT NULL,
  open ${types.boolean} NOT NULL,
  grade ${types.text},
  source ${types.text},
  owner_id ${types.text},
  requirement ${types.text},
  cause_category ${types.text},
  due_date ${types.text},
  raised_at ${types.text} NOT NULL,
  last_activity_at ${types.text} NOT NULL,
  search_text ${types.searchText} NOT NULL,
  document ${types.document} NOT NULL,
  PRIMARY KEY (tenant_id, id)
)`,
        // Every page is read in (raised_at, id) order: the keyset of the cursor.
        `CREATE INDEX ${t.index('records_by_raised')} ON ${t.records} (tenant_id, kind, raised_at, id)`,
        `CREATE INDEX ${t.index('records_by_status')} ON ${t.records} (tenant_id, kind, status, raised_at, id)`,
        // Work lists: open records by due date (overdue, due soon) and by owner.
        `CREATE INDEX ${t.index('records_open_by_due')} ON ${t.records} (tenant_id, kind, due_date) ${open}`,
        `CREATE INDEX ${t.index('records_open_by_owner')} ON ${t.records} (tenant_id, kind, owner_id, raised_at, id) ${open}`,
        // Recurrence groups by requirement or cause category within a window of raised_at.
        `CREATE INDEX ${t.index('records_by_requirement')} ON ${t.records} (tenant_id, kind, requirement, raised_at)`,
        `CREATE INDEX ${t.index('records_by_cause')} ON ${t.records} (tenant_id, kind, cause_category, raised_at)`,
        `CREATE INDEX ${t.index('records_by_activity')} ON ${t.records} (tenant_id, kind, last_activity_at)`,
        // Append-only. The primary key refuses a second append at the same sequence; entries
        // are JSON text, kept byte for byte (not jsonb, which reorders keys).
        `CREATE TABLE ${t.events} (
  tenant_id ${types.text} NOT NULL,
  record_id ${types.text} NOT NULL,
  sequence ${types.integer} NOT NULL,
  tenant_sequence ${types.integer} NOT NULL,
  entry TEXT NOT NULL,
  PRIMARY KEY (tenant_id, record_id, sequence)
)`,
        `CREATE UNIQUE INDEX ${t.index('events_by_tenant_sequence')} ON ${t.events} (tenant_id, tenant_sequence)`,
        // Per-tenant counters, taken inside the transaction that uses them: the tenant
        // sequence of events (gapless) and the reference numbers.
        `CREATE TABLE ${t.sequences} (
  tenant_id ${types.text} NOT NULL,
  name ${types.text} NOT NULL CHECK (name IN ('events', 'references')),
  value ${types.integer} NOT NULL,
  PRIMARY KEY (tenant_id, name)
)`,
        `CREATE TABLE ${t.idempotency} (
  tenant_id ${types.text} NOT NULL,
  key ${types.text} NOT NULL,
  result TEXT NOT NULL,
  created_at ${types.createdAt},
  PRIMARY KEY (tenant_id, key)
)`,
        // Written in the commit's transaction, read and acknowledged by the host.
        `CREATE TABLE ${t.outbox} (
  id ${types.serialKey},
  tenant_id ${types.text} NOT NULL,
  tenant_sequence ${types.integer} NOT NULL,
  record_id ${types.text} NOT NULL,
  sequence ${types.integer} NOT NULL,
  entry TEXT NOT NULL
)`,
      ];
    },
  },
  {
    version: 2,
    name: 'work lists in page order: open records by raised date and by owner',
    // Version 1's open-by-due index answered "overdue" by reading every overdue record and
    // sorting them, and its next pages by reading the whole tenant after the cursor: tens of
    // ms at 100,000 records. Work lists are read in page order (raised_at, id), so both open
    // indexes now are in that order, with the due date inside to filter on without reading
    // the row. `open` is a column too, although the indexes are partial: it gives SQLite's
    // planner, which knows nothing of a partial index's size without ANALYZE, one more
    // equality to prefer them by (test/adapters/**/explain.test.ts checks the plans).
    statements: ({ boolLiteral }, t) => {
      const open = `WHERE open = ${boolLiteral(true)}`;
      return [
        `DROP INDEX ${t.qualifiedIndex('records_open_by_due')}`,
        `DROP INDEX ${t.qualifiedIndex('records_open_by_owner')}`,
        `CREATE INDEX ${t.index('records_open_by_raised')} ON ${t.records} (tenant_id, kind, open, raised_at, id, due_date) ${open}`,
        `CREATE INDEX ${t.index('records_open_by_owner')} ON ${t.records} (tenant_id, kind, open, owner_id, raised_at, id) ${open}`,
      ];
    },
  },
  {
    version: 3,
    name: 'references: unique per tenant and kind, one sequence per kind',
    // The record's reference becomes an index column, taken for stored records from their
    // documents (findings have always had one; actions have one from this version on, so
    // older actions keep NULL, which is never a duplicate). Duplicates already stored are
    // refused before the unique index is made. The sequences get one reference sequence
    // per kind: the old `references` numbered findings. SQLite cannot alter a CHECK, so its
    // table is rebuilt; PostgreSQL replaces the constraint (named as it names a column's
    // CHECK: <table>_<column>_check).
    statements: (dialect, t) => {
      const { types, jsonString } = dialect;
      const rename = `CASE name WHEN 'references' THEN '${referenceSequenceName('finding')}' ELSE name END`;
      const sequences =
        dialect.name === 'sqlite'
          ? [
              `CREATE TABLE ${quote(`${t.prefix}sequences_rebuilt`)} (
  tenant_id ${types.text} NOT NULL,
  name ${types.text} NOT NULL CHECK (name IN (${SEQUENCE_NAMES})),
  value ${types.integer} NOT NULL,
  PRIMARY KEY (tenant_id, name)
)`,
              `INSERT INTO ${quote(`${t.prefix}sequences_rebuilt`)} (tenant_id, name, value) SELECT tenant_id, ${rename}, value FROM ${t.sequences}`,
              `DROP TABLE ${t.sequences}`,
              `ALTER TABLE ${quote(`${t.prefix}sequences_rebuilt`)} RENAME TO ${quote(`${t.prefix}sequences`)}`,
            ]
          : [
              `ALTER TABLE ${t.sequences} DROP CONSTRAINT ${quote(`${t.prefix}sequences_name_check`)}`,
              `UPDATE ${t.sequences} SET name = '${referenceSequenceName('finding')}' WHERE name = 'references'`,
              `ALTER TABLE ${t.sequences} ADD CONSTRAINT ${quote(`${t.prefix}sequences_name_check`)} CHECK (name IN (${SEQUENCE_NAMES}))`,
            ];
      return [
        `ALTER TABLE ${t.records} ADD COLUMN reference ${types.text}`,
        `UPDATE ${t.records} SET reference = CASE kind WHEN 'finding' THEN ${jsonString('document', ['finding', 'reference'])} ` +
          `ELSE ${jsonString('document', ['action', 'reference'])} END`,
        () => refuseStoredDuplicates(dialect, t),
        `CREATE UNIQUE INDEX ${t.index('records_by_reference')} ON ${t.records} (tenant_id, kind, reference) WHERE reference IS NOT NULL`,
        ...sequences,
      ];
    },
  },
];

/**
 * What `migrate()` did: the schema version the tables were at (0 for a new database) and
 * the version they are at now (the same when there was nothing to do).
 *
 * @example
 * ```ts
 * import type { MigrationResult, SqlStore } from 'capa-kit/adapters/sqlite';
 *
 * declare const store: SqlStore;
 * const { from, to }: MigrationResult = await store.migrate();
 * if (from !== to) console.log(`capa-kit tables migrated from version ${from} to ${to}`);
 * ```
 */
export interface MigrationResult {
  /** The version before: 0 when the tables were not there. */
  readonly from: number;
  /** The version after: {@link SQL_STORE_SCHEMA_VERSION}. */
  readonly to: number;
}

/** Creates the schema (PostgreSQL, when one is named) when missing. */
const schemaStatements = (t: SqlTables): string[] => (t.schema === null ? [] : [`CREATE SCHEMA IF NOT EXISTS "${t.schema}"`]);

/** Creates the table of applied migrations when missing. */
function migrationsTableStatement({ name }: SqlDialect, t: SqlTables): string {
  const appliedAt = name === 'postgres' ? 'TIMESTAMPTZ NOT NULL DEFAULT now()' : "TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";
  return `CREATE TABLE IF NOT EXISTS ${t.migrations} (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at ${appliedAt}
)`;
}

/** The steps of every migration after `from`, each followed by its row in the migrations table. */
function pendingSteps(dialect: SqlDialect, t: SqlTables, from: number): (string | MigrationCheck)[] {
  return MIGRATIONS.filter((migration) => migration.version > from).flatMap((migration) => [
    ...migration.statements(dialect, t),
    `INSERT INTO ${t.migrations} (version, name) VALUES (${migration.version}, '${migration.name}')`,
  ]);
}

/** The statements of every migration after `from`, without their checks: what is printed. */
const pendingStatements = (dialect: SqlDialect, t: SqlTables, from: number): string[] =>
  pendingSteps(dialect, t, from).filter((step): step is string => typeof step === 'string');

/**
 * Every statement that brings a database from schema version `from` to the latest, with
 * the schema and the migrations table created when missing: what the migration functions
 * print, and what `migrate()` runs on a new database.
 */
export function migrationStatements(dialect: SqlDialect, t: SqlTables, from: number): string[] {
  return [...schemaStatements(t), migrationsTableStatement(dialect, t), ...pendingStatements(dialect, t, from)];
}

/** The statements as one script, `;`-terminated, for a migration tool or `psql`/`sqlite3`. */
export function migrationScript(dialect: SqlDialect, t: SqlTables, from: number): string {
  return migrationStatements(dialect, t, from).map((statement) => `${statement};\n`).join('\n');
}

/** The version the tables are at, or `null` when there are none. */
function* readVersion(dialect: SqlDialect, t: SqlTables): SqlProgram<number | null> {
  const [exists] = yield statement(dialect.tableExistsSql, [t.unquoted('schema_migrations')]);
  if (exists === undefined || !dialect.readBool(exists.present)) return null;
  const [row] = yield statement(`SELECT max(version) AS version FROM ${t.migrations}`);
  return row?.version === null || row?.version === undefined ? null : Number(row.version);
}

/** Reads the schema version; `null` when the tables are missing. */
export function* schemaVersionProgram(dialect: SqlDialect, t: SqlTables): SqlProgram<number | null> {
  return yield* readVersion(dialect, t);
}

/** Refuses to go on unless the tables are at exactly the version this capa-kit supports. */
export function* requireSchemaProgram(dialect: SqlDialect, t: SqlTables): SqlProgram<void> {
  const found = yield* readVersion(dialect, t);
  if (found !== SQL_STORE_SCHEMA_VERSION) throw new StoreSchemaError(found, SQL_STORE_SCHEMA_VERSION, t.unquoted('schema_migrations'));
}

/**
 * Applies the missing migrations (run in one write transaction). `lock`, on PostgreSQL,
 * serialises concurrent migrations first (SQLite's `BEGIN IMMEDIATE` already has), so the
 * version read next stays true until the end. Up-to-date tables get no DDL at all (a role
 * without CREATE privileges may call `migrate()` on every start), and neither does a newer
 * schema, which is refused. A schema that exists is not created again: PostgreSQL checks
 * the privilege to create one before it reads `IF NOT EXISTS`.
 */
export function* migrateProgram(dialect: SqlDialect, t: SqlTables, lock: SqlStatement | null): SqlProgram<MigrationResult> {
  if (lock !== null) yield lock;
  const found = (yield* readVersion(dialect, t)) ?? 0;
  if (found > SQL_STORE_SCHEMA_VERSION) throw new StoreSchemaError(found, SQL_STORE_SCHEMA_VERSION, t.unquoted('schema_migrations'));
  if (found === SQL_STORE_SCHEMA_VERSION) return { from: found, to: found };
  if (t.schema !== null && dialect.schemaExistsSql !== null) {
    const [row] = yield statement(dialect.schemaExistsSql, [t.schema]);
    if (row === undefined || !dialect.readBool(row.present)) for (const sql of schemaStatements(t)) yield statement(sql);
  }
  yield statement(migrationsTableStatement(dialect, t));
  for (const step of pendingSteps(dialect, t, found)) {
    if (typeof step === 'string') yield statement(step);
    else yield* step();
  }
  return { from: found, to: SQL_STORE_SCHEMA_VERSION };
}
