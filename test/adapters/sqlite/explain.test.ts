import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlTables } from '../../../src/adapters/sql/identifiers.js';
import type { SqlStatement } from '../../../src/adapters/sql/program.js';
import { compileRecordQuery } from '../../../src/adapters/sql/query.js';
import type { SqlStore } from '../../../src/adapters/sql/store.js';
import { type SqliteDatabase, sqliteStore } from '../../../src/adapters/sqlite/index.js';
import { sqliteDialect } from '../../../src/adapters/sqlite/dialect.js';
import { checkPlans, EXPLAIN_CASES, medianMs, type PlanSummary } from '../sql/explain.js';
import { recordsFor, seedRecords } from '../sql/seed.js';
import { databasePath, DRIVERS, openDatabase, temporaryDirectories } from './support.js';

// Query plans on 100,000 findings and their 33,333 actions (test/adapters/sql/seed.ts:
// mostly closed, a few tenants, many owners, due dates spread), seeded once into a file with
// better-sqlite3, then EXPLAIN QUERY PLAN with each driver (each has its own SQLite build):
// the selective queries read their index only, no table scan and no sort, on the first page
// and after the cursor. First without statistics (a database nobody has run ANALYZE on, as
// the adapter leaves it), then after ANALYZE.
const FINDINGS = 100_000;
const RECORDS = recordsFor(FINDINGS);
const tables = sqlTables('capa_', null);
const directories = temporaryDirectories('sqlite-explain');
let path: string;
const timings: string[] = [];

beforeAll(async () => {
  path = databasePath(directories);
  const database = openDatabase('better-sqlite3', path);
  const store = await sqliteStore(database);
  await store.migrate();
  const prepared = new Map<string, ReturnType<SqliteDatabase['prepare']>>();
  database.exec('PRAGMA cache_size = -262144'); // 256 MB for the seeding connection: the indexes outgrow the default 2 MB
  database.exec('BEGIN');
  const { ms } = await seedRecords(sqliteDialect, tables, (sql, params) => {
    let statement = prepared.get(sql);
    if (statement === undefined) prepared.set(sql, (statement = database.prepare(sql)));
    return statement.run(...params);
  }, 0, RECORDS);
  database.exec('COMMIT');
  database.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  await store.close();
  database.close();
  console.log(`sqlite explain: ${FINDINGS.toLocaleString('en-US')} findings (${RECORDS.toLocaleString('en-US')} records with their actions) seeded in ${(ms / 1000).toFixed(1)} s`);
}, 120_000);
afterAll(() => {
  directories.removeAll();
  console.log(`sqlite explain, median query times:\n  ${timings.join('\n  ')}`);
});

/** SQLite's plan lines: `SEARCH r USING INDEX name (…)`, `SCAN r`, `USE TEMP B-TREE FOR ORDER BY`. */
function summarize(details: readonly string[]): PlanSummary {
  return {
    indexes: details.flatMap((line) => /USING (?:COVERING )?INDEX (\S+)/.exec(line)?.[1] ?? []),
    fullScan: details.some((line) => /^SCAN /.test(line) && !/USING (COVERING )?INDEX/.test(line)),
    sorts: details.some((line) => /TEMP B-TREE/.test(line)),
    text: details.join('\n'),
  };
}

for (const statistics of ['without statistics', 'after ANALYZE'] as const) {
  describe.each(DRIVERS)(`query plans on ${FINDINGS.toLocaleString('en-US')} findings, ${statistics} (%s)`, (driver) => {
    let database: SqliteDatabase;
    let store: SqlStore;
    beforeAll(async () => {
      database = openDatabase(driver, path);
      if (statistics === 'after ANALYZE') database.exec('ANALYZE');
      store = await sqliteStore(database, { closeDatabase: true });
    });
    afterAll(() => store.close());

    const explain = async ({ sql, params }: SqlStatement) =>
      summarize((database.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail));

    it.each(EXPLAIN_CASES)('$name: reads $index only, no scan, no sort', async (test) => {
      await checkPlans(store, sqliteDialect, tables, explain, test);
      const { sql, params } = compileRecordQuery(sqliteDialect, tables, test.tenantId, test.request);
      const statement = database.prepare(sql);
      const ms = await medianMs(() => statement.all(...params));
      timings.push(`${driver}, ${statistics}, ${test.name}: ${ms.toFixed(3)} ms`);
      expect(ms).toBeLessThan(50); // a plan gone wrong reads the table: tens of ms here
    });
  });
}
