import type { ValidationIssue } from '../../errors/validation-error.js';
import type { RecordKind } from '../../store/contract.js';

// Table names are built from options (a prefix, a PostgreSQL schema), so they are checked
// before they reach any SQL: plain lowercase identifiers only, then quoted anyway.

/** What an identifier option may be: a plain lowercase SQL identifier. */
export const IDENTIFIER_PATTERN = /^[a-z_][a-z0-9_]*$/;

/** The prefix of every table and index name when none is given. */
export const DEFAULT_TABLE_PREFIX = 'capa_';

/**
 * The longest prefix: PostgreSQL cuts names at 63 bytes, and the longest name built on a
 * prefix (`<prefix>records_open_by_owner`, `<prefix>records_open_by_raised`) adds 22 more.
 */
export const MAX_PREFIX_LENGTH = 40;

/** The issue of an identifier option, or `null` when it is fine. */
export function identifierIssue(option: string, value: unknown, maxLength: number): ValidationIssue | null {
  if (typeof value !== 'string' || !IDENTIFIER_PATTERN.test(value)) {
    return {
      path: [option],
      code: 'invalid_identifier',
      message: `${option} must be a lowercase SQL identifier (${IDENTIFIER_PATTERN.source}), not ${JSON.stringify(value)}`,
    };
  }
  if (value.length > maxLength) {
    return { path: [option], code: 'too_big', message: `${option} must be at most ${maxLength} characters, not ${value.length}` };
  }
  return null;
}

/** Quotes a checked identifier. */
export const quote = (identifier: string): string => `"${identifier}"`;

/** The tables of one store, named by its prefix (and PostgreSQL schema). */
export interface SqlTables {
  readonly prefix: string;
  /** The PostgreSQL schema, or `null` for unqualified names (SQLite, or PostgreSQL's search path). */
  readonly schema: string | null;
  readonly records: string;
  readonly events: string;
  readonly sequences: string;
  readonly idempotency: string;
  readonly outbox: string;
  readonly migrations: string;
  /** An index's name: prefixed, never schema-qualified (an index lives in its table's schema): what CREATE INDEX takes. */
  index(suffix: string): string;
  /** An index's name as DROP INDEX takes it: schema-qualified when the tables are. */
  qualifiedIndex(suffix: string): string;
  /** A table's name as a string, qualified as the database looks it up. */
  unquoted(table: TableName): string;
}

/** The tables every store has. */
export type TableName = 'records' | 'events' | 'sequences' | 'idempotency' | 'outbox' | 'schema_migrations';

/** Builds the table names from checked identifiers. */
export function sqlTables(prefix: string, schema: string | null): SqlTables {
  const name = (table: TableName) => (schema === null ? quote(`${prefix}${table}`) : `${quote(schema)}.${quote(`${prefix}${table}`)}`);
  return {
    prefix,
    schema,
    records: name('records'),
    events: name('events'),
    sequences: name('sequences'),
    idempotency: name('idempotency'),
    outbox: name('outbox'),
    migrations: name('schema_migrations'),
    index: (suffix) => quote(`${prefix}${suffix}`),
    qualifiedIndex: (suffix) => (schema === null ? quote(`${prefix}${suffix}`) : `${quote(schema)}.${quote(`${prefix}${suffix}`)}`),
    unquoted: (table) => (schema === null ? `${prefix}${table}` : `${schema}.${prefix}${table}`),
  };
}

/** The sequence row of a kind's reference numbers (from migration 3; the tenant sequence is `events`). */
export const referenceSequenceName = (kind: RecordKind): string => `${kind}-references`;
