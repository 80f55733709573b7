// The two SQLite drivers the adapter takes, typed by the little it uses of them, so that
// neither package is needed to compile against capa-kit: better-sqlite3's `Database` and
// Node's built-in `node:sqlite` `DatabaseSync` both fit.

/**
 * A prepared statement of either driver: what the adapter calls on it.
 *
 * @example
 * ```ts
 * import type { SqliteStatement } from 'capa-kit/adapters/sqlite';
 *
 * declare const statement: SqliteStatement;
 * const rows = statement.all('acme');
 * ```
 */
export interface SqliteStatement {
  /** Runs the statement and returns its rows as objects. */
  all(...params: unknown[]): unknown[];
  /** Runs a statement that returns no rows. */
  run(...params: unknown[]): unknown;
  /** better-sqlite3 only: whether the statement returns rows (its `all()` refuses those that do not). */
  readonly reader?: boolean;
}

/**
 * A SQLite connection: a better-sqlite3 `Database` or a `node:sqlite` `DatabaseSync`,
 * which the host opens and passes in. The adapter never imports either package.
 *
 * @example
 * ```ts
 * import { DatabaseSync } from 'node:sqlite';
 * import type { SqliteDatabase } from 'capa-kit/adapters/sqlite';
 *
 * const database: SqliteDatabase = new DatabaseSync('capa.db');
 * ```
 */
export interface SqliteDatabase {
  /** Prepares a statement (the store keeps its prepared statements, per SQL text). */
  prepare(sql: string): SqliteStatement;
  /** Runs SQL without parameters: the pragmas, `BEGIN IMMEDIATE`, `COMMIT`, `ROLLBACK`. */
  exec(sql: string): unknown;
  /** Closes the connection: called by the store's `close()` with `closeDatabase: true` only. */
  close(): unknown;
  /** better-sqlite3: the database's file name (`:memory:` in memory). */
  readonly name?: string;
  /** better-sqlite3: true for an in-memory database. */
  readonly memory?: boolean;
  /** better-sqlite3: the pragma helper; its presence tells the drivers apart. */
  readonly pragma?: unknown;
  /** node:sqlite: the database's file, or `null` in memory. */
  location?(): string | null;
}

/** Which driver a database object comes from, told apart by shape. */
export type SqliteDriverKind = 'better-sqlite3' | 'node:sqlite';

/** Tells the drivers apart, or returns `null` for an object that is neither. */
export function sqliteDriverKind(database: unknown): SqliteDriverKind | null {
  if (typeof database !== 'object' || database === null) return null;
  const candidate = database as Partial<Record<'prepare' | 'exec' | 'close' | 'pragma' | 'location', unknown>>;
  if (typeof candidate.prepare !== 'function' || typeof candidate.exec !== 'function' || typeof candidate.close !== 'function') return null;
  return typeof candidate.pragma === 'function' ? 'better-sqlite3' : 'node:sqlite';
}

/** The database's file, or `null` when it lives in memory (or the driver does not say). */
export function sqliteFile(database: SqliteDatabase, kind: SqliteDriverKind): string | null {
  if (kind === 'better-sqlite3') return database.memory === true || database.name === undefined || database.name === '' ? null : database.name;
  if (typeof database.location !== 'function') return null;
  const location = database.location();
  return location === null || location === '' ? null : location;
}
