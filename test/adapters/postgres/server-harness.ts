import pg from 'pg';
import { afterEach } from 'vitest';
import { postgresMigrationSql, postgresStore } from '../../../src/adapters/postgres/index.js';
import { poolDriver } from '../../../src/adapters/postgres/pool-driver.js';
import type { SqlHarness, TestDatabase } from '../sql/adapter-suite.js';
import { OBJECTS_SQL, recordingDriver } from './harness.js';
import { PG_URL, randomSchema } from './server.js';

/**
 * The shared adapter suites' harness on the PostgreSQL server (CAPA_PG_URL): each fresh
 * database is a schema of its own, reached through a pool whose search path is that
 * schema (so the printed SQL, unqualified, lands in it), dropped after the test.
 */
export function serverHarness(): SqlHarness {
  const opened: { schema: string; pool: pg.Pool }[] = [];
  afterEach(async () => {
    for (const { schema, pool } of opened.splice(0)) {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    }
  });
  return {
    migrationSql: (options) => postgresMigrationSql(options),
    isControlStatement: (sql) => /^(SELECT|SET)\b/.test(sql),
    async fresh(): Promise<TestDatabase> {
      const schema = randomSchema();
      const pool = new pg.Pool({ connectionString: PG_URL, max: 6, options: `-c search_path=${schema}` });
      opened.push({ schema, pool });
      await pool.query(`CREATE SCHEMA "${schema}"`);
      const statements: string[] = [];
      return {
        statements,
        open: (options = {}) => postgresStore(recordingDriver(poolDriver(pool, false), statements), options),
        query: async (sql) => (await pool.query<Record<string, unknown>>(sql)).rows,
        exec: async (script) => void (await pool.query(script)),
        async objects(prefix) {
          // Index definitions name the schema: each test's own, so it is left out to compare two databases.
          const rows = (await pool.query<{ object: string }>(OBJECTS_SQL)).rows.map((row) => row.object.replaceAll(`${schema}.`, ''));
          return rows.filter((object) => object.split(' ')[1]!.startsWith(prefix)).sort();
        },
        table: (prefix, name) => `"${prefix}${name}"`,
      };
    },
  };
}
