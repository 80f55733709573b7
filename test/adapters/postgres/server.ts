import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';

// A real PostgreSQL server for the adapter's server tests, at CAPA_PG_URL (CI starts one
// with .ci/postgres.sh; here: `export CAPA_PG_URL=$(bash .ci/postgres.sh)`). Without the
// variable the tests are skipped, and a skipped test says how to run them. Each test file
// works in a schema of its own, made for it and dropped after it, so files run side by side.

/** The server's URL, or undefined: the server tests are skipped. */
export const PG_URL: string | undefined = process.env.CAPA_PG_URL === '' ? undefined : process.env.CAPA_PG_URL;

export const SKIP_NOTE = 'set CAPA_PG_URL=postgres://user:password@host:5432/database to run the PostgreSQL server tests (see .ci/postgres.sh)';

/**
 * A describe block that runs against the server, or, without CAPA_PG_URL, one skipped test
 * whose name says how to run it (and a note on the console).
 */
export function serverDescribe(name: string, body: () => void): void {
  if (PG_URL === undefined) {
    describe(name, () => it.skip(SKIP_NOTE, () => {}));
    console.info(`${name}: skipped; ${SKIP_NOTE}`);
    return;
  }
  describe(name, body);
}

/** A fresh schema name for one test file: `capa_t_` and 12 random hex digits. */
export const randomSchema = (): string => `capa_t_${randomBytes(6).toString('hex')}`;

export interface ServerSchema {
  /** The file's schema (valid once beforeAll has run). */
  readonly name: string;
  /** A pool of the test file's own, for raw SQL (ended after all tests). */
  readonly pool: pg.Pool;
}

/**
 * Registers the hooks of a file's schema: named before all tests (the stores' migrate()
 * creates it), dropped with everything in it after them, and a pool for raw SQL.
 */
export function serverSchema(): ServerSchema {
  let pool: pg.Pool | undefined;
  const name = randomSchema();
  beforeAll(() => {
    pool = new pg.Pool({ connectionString: PG_URL, max: 4 });
  });
  afterAll(async () => {
    if (pool === undefined) return;
    await pool.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    await pool.end();
  });
  return {
    name,
    get pool() {
      if (pool === undefined) throw new Error('the schema pool is opened in beforeAll');
      return pool;
    },
  };
}

/** The server's major version, e.g. 15. */
export async function serverVersion(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ server_version_num: string }>('SHOW server_version_num');
  return Math.floor(Number(rows[0]!.server_version_num) / 10_000);
}
