import { PGlite } from '@electric-sql/pglite';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { pgliteDriver, postgresMigrationSql, postgresStore, type PostgresDriver } from '../../../src/adapters/postgres/index.js';
import type { SqlHarness, TestDatabase } from '../sql/adapter-suite.js';
import { PGLITE_START_MS } from './support.js';

/** A driver that records every statement it runs (without parameters). */
export function recordingDriver(driver: PostgresDriver, statements: string[]): PostgresDriver {
  return {
    query(sql, params) {
      statements.push(sql);
      return driver.query(sql, params);
    },
    transaction: (body) =>
      driver.transaction((connection) =>
        body({
          query(sql, params) {
            statements.push(sql);
            return connection.query(sql, params);
          },
        }),
      ),
    close: () => driver.close(),
  };
}

/** Tables (with their columns' types) and indexes whose names start with `prefix`, in the current schema. */
export const OBJECTS_SQL = `
  SELECT 'table ' || table_name || ': ' || string_agg(column_name || ' ' || data_type || coalesce(' collate ' || collation_name, '') || ' ' || is_nullable || coalesce(' default ' || column_default, '') || ' ' || is_identity, ', ' ORDER BY ordinal_position) AS object
  FROM information_schema.columns WHERE table_schema = current_schema() GROUP BY table_name
  UNION ALL
  SELECT 'index ' || indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()`;

/**
 * The shared adapter suites' harness over PGlite: a template database per test file
 * (not migrated), cloned for each test and closed after it.
 */
export function postgresHarness(): SqlHarness {
  let template: PGlite | undefined;
  const clones: PGlite[] = [];
  beforeAll(async () => {
    template = new PGlite();
    await template.waitReady;
  }, PGLITE_START_MS);
  afterEach(async () => {
    await Promise.all(clones.splice(0).map((clone) => clone.close()));
  });
  afterAll(async () => {
    await template?.close();
  });
  return {
    migrationSql: (options) => postgresMigrationSql(options),
    isControlStatement: (sql) => /^(SELECT|SET)\b/.test(sql),
    async fresh(): Promise<TestDatabase> {
      const database = (await template!.clone()) as PGlite;
      clones.push(database);
      const statements: string[] = [];
      return {
        statements,
        open: (options = {}) => postgresStore(recordingDriver(pgliteDriver(database), statements), options),
        query: async (sql) => (await database.query<Record<string, unknown>>(sql)).rows,
        exec: async (script) => void (await database.exec(script)),
        async objects(prefix) {
          const rows = (await database.query<{ object: string }>(OBJECTS_SQL)).rows.map((row) => row.object);
          return rows.filter((object) => object.split(' ')[1]!.startsWith(prefix)).sort();
        },
        table: (prefix, name) => `"${prefix}${name}"`,
      };
    },
  };
}
