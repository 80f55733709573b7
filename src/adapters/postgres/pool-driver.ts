import { isModuleNotFound, MissingPackageError } from '../../errors/missing-package.js';
import type { PostgresDriver } from './driver.js';

// A `pg` Pool as a driver, typed by the little it uses of it: capa-kit never imports pg
// unless it is handed a connection string, and then only when the store is opened.

/**
 * A client checked out of a `pg` pool: what the adapter calls on it.
 *
 * @example
 * ```ts
 * import type { PostgresPoolClient } from 'capa-kit/adapters/postgres';
 *
 * declare const client: PostgresPoolClient;
 * await client.query('SELECT 1', []);
 * client.release();
 * ```
 */
export interface PostgresPoolClient {
  /** Runs one statement on this client. */
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  /** Returns the client to the pool; with an error, the pool discards it. */
  release(error?: Error | boolean): void;
}

/**
 * A `pg.Pool` (or anything shaped like one): what the adapter calls on it.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import type { PostgresPool } from 'capa-kit/adapters/postgres';
 *
 * const pool: PostgresPool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
 * ```
 */
export interface PostgresPool {
  /** Checks a client out, for one transaction. */
  connect(): Promise<PostgresPoolClient>;
  /** Runs one statement on any client. */
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  /** Closes every client: called by the store's `close()` for a pool it made from a connection string only. */
  end(): Promise<void>;
}

/** True for an object shaped like a `pg.Pool`. */
export function isPostgresPool(value: unknown): value is PostgresPool {
  const candidate = value as Partial<Record<keyof PostgresPool, unknown>> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.connect === 'function' && typeof candidate.query === 'function' && typeof candidate.end === 'function';
}

type Rows = readonly Record<string, unknown>[];

/**
 * Statements through `pool.query`; each transaction on one client checked out for it, at
 * READ COMMITTED whatever the server's default (the store's locking is written for it).
 * `ownsPool`: end the pool when the driver closes (a pool the store created).
 */
export function poolDriver(pool: PostgresPool, ownsPool: boolean): PostgresDriver {
  return {
    async query(sql, params) {
      return (await pool.query(sql, [...params])).rows as Rows;
    },
    async transaction(body) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
        const result = await body({ query: async (sql, params) => (await client.query(sql, [...params])).rows as Rows });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // The connection is unusable: the pool must not hand it out again.
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async close() {
      if (ownsPool) await pool.end();
    },
  };
}

/** What the dynamic import of `pg` is used for. */
interface PgModule {
  Pool: new (config: { connectionString: string }) => PostgresPool & { on(event: 'error', listener: (error: Error) => void): unknown };
}

/**
 * A pool for a connection string, from `pg` loaded on demand (an optional peer
 * dependency): modules that never see a connection string never load it.
 */
export async function poolForConnectionString(connectionString: string): Promise<PostgresPool> {
  let pg: PgModule;
  try {
    const loaded = (await import('pg')) as unknown as PgModule & { default?: PgModule };
    pg = loaded.default ?? loaded;
  } catch (cause) {
    if (isModuleNotFound(cause, 'pg')) throw new MissingPackageError('pg', 'postgresStore(connectionString)', { alternative: 'or pass a pool or a driver', cause });
    throw cause;
  }
  const pool = new pg.Pool({ connectionString });
  // An idle client whose connection drops emits 'error' on the pool, which would crash the
  // process without a listener; the pool discards that client and the next query reconnects.
  pool.on('error', () => {});
  return pool;
}
