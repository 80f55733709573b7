// What differs between SQLite and PostgreSQL, as one object per database; the store's
// logic, the migrations and the filter compiler are written once against it.

/** The SQL types the migrations use, per database. */
export interface ColumnTypes {
  /** A contract string compared byte by byte (`TEXT`; `TEXT COLLATE "C"` on PostgreSQL). */
  readonly text: string;
  /** A 64-bit integer: versions and sequences. */
  readonly integer: string;
  readonly boolean: string;
  /** The lowercased search text, searched by substring. */
  readonly searchText: string;
  /** The record's document: JSON. */
  readonly document: string;
  /** An auto-incrementing primary key (the outbox). */
  readonly serialKey: string;
  /** A time stamp column that fills itself in. */
  readonly createdAt: string;
}

/** One database's SQL and value conventions. */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres';
  readonly types: ColumnTypes;
  /** The placeholder of the `n`-th parameter, from 1: `?` or `$n`. */
  placeholder(n: number): string;
  /** A contract string as a parameter for a text column. */
  text(value: string): unknown;
  /** A text column's value back as the contract string. */
  readText(value: unknown): string;
  /** The search text as a parameter for its column (and a needle to search it with). */
  searchText(value: string): unknown;
  readSearchText(value: unknown): string;
  /** A boolean as a parameter. */
  bool(value: boolean): unknown;
  readBool(value: unknown): boolean;
  /** The SQL literal of a boolean: in queries, so a partial index on `open` can be proven to apply. */
  boolLiteral(value: boolean): string;
  /** A condition: `haystack` (a column) contains `needle` (a placeholder). */
  contains(haystack: string, needle: string): string;
  /** An expression reading a JSON column as text. */
  jsonText(column: string): string;
  /**
   * An expression for the string at `path` (plain keys) inside a JSON column, `NULL` when
   * it is missing or not a string: what a migration reads out of a document.
   */
  jsonString(column: string, path: readonly string[]): string;
  /** A query with one parameter, a table's unquoted (maybe schema-qualified) name, returning `present`. */
  readonly tableExistsSql: string;
  /** A query with one parameter, a schema's name, returning `present`; `null` where there are no schemas (SQLite). */
  readonly schemaExistsSql: string | null;
  /** Whether a driver error is a duplicate key (a unique or primary key violation). */
  isUniqueViolation(error: unknown): boolean;
  /** Whether a driver error means another writer held a lock for too long. */
  isBusy(error: unknown): boolean;
}
