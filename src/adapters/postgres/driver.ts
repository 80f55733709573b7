import { driveAsync, type RunMode, type SqlProgram, type SqlRunner } from '../sql/program.js';

/**
 * Something that runs one PostgreSQL statement with `$n` parameters and resolves to its
 * rows as objects keyed by column name.
 *
 * @example
 * ```ts
 * import type { PostgresQueryable } from 'capa-kit/adapters/postgres';
 *
 * declare const connection: PostgresQueryable;
 * const rows = await connection.query('SELECT $1::text AS greeting', ['hello']);
 * ```
 */
export interface PostgresQueryable {
  /** Runs one statement with `$n` parameters; resolves to its rows. */
  query(sql: string, params: readonly unknown[]): Promise<readonly Record<string, unknown>[]>;
}

/**
 * The small interface the PostgreSQL adapter runs on: statements on their own, and
 * transactions on one connection. `pg` pools and PGlite have one built in
 * (`postgresStore(pool)`, {@link pgliteDriver}); write one for another client.
 *
 * `transaction(body)` must run `body` in one transaction at READ COMMITTED on one
 * connection, commit when it resolves and roll back when it rejects, rethrowing its error.
 * Values come back as `pg` returns them (`bytea` as a `Uint8Array`, `boolean` as a boolean;
 * `bigint` as a number or a string). Errors keep PostgreSQL's SQLSTATE in `code`: the store
 * reads `23505` (a duplicate key), `55P03`, `40P01` and `40001` (a lock, or a concurrent
 * transaction in the way).
 *
 * @example
 * ```ts
 * import type { PostgresDriver } from 'capa-kit/adapters/postgres';
 *
 * declare const client: { run(sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]> };
 * const driver: PostgresDriver = {
 *   query: (sql, params) => client.run(sql, params),
 *   async transaction(body) {
 *     await client.run('BEGIN ISOLATION LEVEL READ COMMITTED', []);
 *     try {
 *       const result = await body({ query: (sql, params) => client.run(sql, params) });
 *       await client.run('COMMIT', []);
 *       return result;
 *     } catch (error) {
 *       await client.run('ROLLBACK', []);
 *       throw error;
 *     }
 *   },
 *   async close() {},
 * };
 * ```
 */
export interface PostgresDriver extends PostgresQueryable {
  /** Runs one statement on its own (autocommit); resolves to its rows. */
  query(sql: string, params: readonly unknown[]): Promise<readonly Record<string, unknown>[]>;
  /** Runs `body` in one transaction on one connection: commits when it resolves, rolls back and rethrows when it rejects. */
  transaction<T>(body: (connection: PostgresQueryable) => Promise<T>): Promise<T>;
  /** Releases what the driver holds (a pool it owns); called by the store's `close()`. */
  close(): Promise<void>;
}

/** True for an object with a driver's three methods. */
export function isPostgresDriver(value: unknown): value is PostgresDriver {
  const candidate = value as Partial<Record<keyof PostgresDriver, unknown>> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.query === 'function' &&
    typeof candidate.transaction === 'function' &&
    typeof candidate.close === 'function'
  );
}

/** Runs programs through a driver: transactions on one connection, with the lock timeout set first. */
export function postgresRunner(driver: PostgresDriver, lockTimeoutMs: number | null): SqlRunner {
  return {
    run<T>(program: SqlProgram<T>, mode: RunMode): Promise<T> {
      if (mode === 'autocommit') return driveAsync(program, ({ sql, params }) => driver.query(sql, params));
      return driver.transaction(async (connection) => {
        // SET takes no parameters; the value is a checked whole number of milliseconds.
        if (lockTimeoutMs !== null) await connection.query(`SET LOCAL lock_timeout = ${lockTimeoutMs}`, []);
        return driveAsync(program, ({ sql, params }) => connection.query(sql, params));
      });
    },
    close: () => driver.close(),
  };
}
