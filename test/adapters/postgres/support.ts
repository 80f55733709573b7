import { PGlite } from '@electric-sql/pglite';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { pgliteDriver, postgresStore, type PostgresStoreOptions, type SqlStore } from '../../../src/adapters/postgres/index.js';

// PGlite for the PostgreSQL tests: one instance per test file, migrated once (2–3 s), and a
// clone of it per test (about 0.5 s). Clones are closed after each test: each one is a
// whole PostgreSQL in WebAssembly memory.

/** Hook timeouts for starting PGlite. */
export const PGLITE_START_MS = 60_000;

export interface PgliteDatabases {
  /** A fresh database for one test: a clone of the file's migrated template (closed after the test). */
  fresh(): Promise<PGlite>;
  /** A store over a database (not closing it: the file's hooks do). */
  store(database: PGlite, options?: PostgresStoreOptions): Promise<SqlStore>;
}

/**
 * Registers the hooks of a test file: one template instance before all tests, migrated
 * with `options` unless `migrate` is false; clones closed after each test.
 */
export function pgliteDatabases(options: PostgresStoreOptions & { migrate?: boolean } = {}): PgliteDatabases {
  let template: PGlite | undefined;
  const clones: PGlite[] = [];
  const { migrate = true, ...storeOptions } = options;

  beforeAll(async () => {
    template = new PGlite();
    await template.waitReady;
    if (migrate) await (await postgresStore(pgliteDriver(template), storeOptions)).migrate();
  }, PGLITE_START_MS);

  afterEach(async () => {
    await Promise.all(clones.splice(0).map((clone) => clone.close()));
  });

  afterAll(async () => {
    await template?.close();
  });

  return {
    async fresh() {
      const clone = (await template!.clone()) as PGlite;
      clones.push(clone);
      return clone;
    },
    store: (database, overrides = {}) => postgresStore(pgliteDriver(database), { ...storeOptions, ...overrides }),
  };
}
