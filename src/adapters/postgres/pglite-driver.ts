import type { PostgresDriver, PostgresQueryable } from './driver.js';

/**
 * A PGlite database (`@electric-sql/pglite`), typed by what the adapter calls on it:
 * capa-kit never imports PGlite.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import type { PgliteDatabase } from 'capa-kit/adapters/postgres';
 *
 * const database: PgliteDatabase = new PGlite();
 * ```
 */
export interface PgliteDatabase {
  /** Runs one statement. */
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  /** Runs `callback` in a transaction, holding every other query until it ends. */
  transaction<T>(callback: (transaction: { query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }> }) => Promise<T>): Promise<T>;
  /** Shuts the database down. */
  close(): Promise<void>;
}

/**
 * Options of {@link pgliteDriver}.
 *
 * @example
 * ```ts
 * import type { PgliteDriverOptions } from 'capa-kit/adapters/postgres';
 *
 * const options: PgliteDriverOptions = { closeDatabase: true };
 * ```
 */
export interface PgliteDriverOptions {
  /** Close the PGlite database when the store is closed. Default `false`. */
  readonly closeDatabase?: boolean;
}

type Rows = readonly Record<string, unknown>[];

/**
 * A driver for the PostgreSQL adapter over PGlite, PostgreSQL compiled to WebAssembly:
 * for tests, demos, browsers and single-process apps. PGlite is one connection, and runs
 * one transaction at a time: it holds every other query and transaction until the open
 * one ends, which serialises the store's commits.
 *
 * @param database - An open PGlite instance.
 * @param options - `closeDatabase`: close it with the store (default `false`).
 * @returns A driver to pass to `postgresStore`.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { pgliteDriver, postgresStore } from 'capa-kit/adapters/postgres';
 *
 * const store = await postgresStore(pgliteDriver(new PGlite(), { closeDatabase: true }));
 * await store.migrate();
 * ```
 */
export function pgliteDriver(database: PgliteDatabase, options: PgliteDriverOptions = {}): PostgresDriver {
  const on = (runner: Pick<PgliteDatabase, 'query'>): PostgresQueryable => ({
    query: async (sql, params) => (await runner.query(sql, [...params])).rows as Rows,
  });
  return {
    ...on(database),
    transaction: (body) => database.transaction((transaction) => body(on(transaction))),
    async close() {
      if (options.closeDatabase === true) await database.close();
    },
  };
}
