import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteDriver, postgresStore, type SqlStore } from '../../../src/adapters/postgres/index.js';
import { postgresDialect } from '../../../src/adapters/postgres/dialect.js';
import { sqlTables, type SqlTables } from '../../../src/adapters/sql/identifiers.js';
import type { SqlStatement } from '../../../src/adapters/sql/program.js';
import { compileRecordQuery } from '../../../src/adapters/sql/query.js';
import { checkPlans, EXPLAIN_CASES, medianMs, type PlanSummary } from '../sql/explain.js';
import { recordsFor, seedRecords } from '../sql/seed.js';
import { PG_URL, serverDescribe, serverSchema } from './server.js';
import { PGLITE_START_MS } from './support.js';

// Query plans on 100,000 findings and their 33,333 actions (test/adapters/sql/seed.ts),
// seeded straight into the records table after migrate() with INSERT … SELECT FROM unnest()
// of 5,000 rows each, then ANALYZE, then EXPLAIN (FORMAT JSON): the selective queries read
// their index only, no sequential scan and no sort, on the first page and after the cursor.
// On PGlite (PostgreSQL in WebAssembly, 10,000 to 14,000 rows/s here: seeding is most of this
// file's 12–15 s) and, with CAPA_PG_URL, on the server.
const FINDINGS = 100_000;
const RECORDS = recordsFor(FINDINGS);

type Query = (sql: string, params: readonly unknown[]) => Promise<readonly Record<string, unknown>[]>;

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function summarize(root: PlanNode): PlanSummary {
  const nodes: PlanNode[] = [];
  const walk = (node: PlanNode) => {
    nodes.push(node);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(root);
  return {
    indexes: nodes.flatMap((node) => node['Index Name'] ?? []),
    fullScan: nodes.some((node) => node['Node Type'] === 'Seq Scan'),
    sorts: nodes.some((node) => node['Node Type'].endsWith('Sort')),
    text: JSON.stringify(root, null, 1),
  };
}

/** Seeds, analyzes and registers the plan tests of one database. */
function planTests(label: string, setup: () => Promise<{ store: SqlStore; query: Query; tables: SqlTables }>): void {
  let store: SqlStore;
  let query: Query;
  let tables: SqlTables;
  const timings: string[] = [];
  beforeAll(async () => {
    ({ store, query, tables } = await setup());
    await store.migrate();
    const { ms } = await seedRecords(postgresDialect, tables, query, 0, RECORDS);
    const started = performance.now();
    await query(`ANALYZE ${tables.records}`, []);
    console.log(`${label}: ${FINDINGS.toLocaleString('en-US')} findings (${RECORDS.toLocaleString('en-US')} records with their actions) seeded in ${(ms / 1000).toFixed(1)} s, analyzed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }, 180_000);
  afterAll(() => console.log(`${label}, median query times:\n  ${timings.join('\n  ')}`));

  const explain = async ({ sql, params }: SqlStatement): Promise<PlanSummary> => {
    const [row] = await query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    const plan = row!['QUERY PLAN'];
    return summarize((typeof plan === 'string' ? JSON.parse(plan) : plan)[0].Plan as PlanNode);
  };

  it.each(EXPLAIN_CASES)('$name: reads $index only, no scan, no sort', async (test) => {
    await checkPlans(store, postgresDialect, tables, explain, test);
    const { sql, params } = compileRecordQuery(postgresDialect, tables, test.tenantId, test.request);
    const ms = await medianMs(() => query(sql, params));
    timings.push(`${test.name}: ${ms.toFixed(3)} ms`);
    expect(ms).toBeLessThan(100); // PGlite adds ~1–2 ms to any query; a wrong plan reads the table
  }, 60_000);
}

describe(`query plans on ${FINDINGS.toLocaleString('en-US')} findings, after ANALYZE (PGlite)`, () => {
  let database: PGlite | undefined;
  afterAll(() => database?.close());
  planTests('postgres (PGlite)', async () => {
    const started = performance.now();
    database = new PGlite();
    await database.waitReady;
    console.log(`postgres (PGlite): started in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const db = database;
    return {
      store: await postgresStore(pgliteDriver(db)),
      query: async (sql, params) => (await db.query<Record<string, unknown>>(sql, [...params])).rows,
      tables: sqlTables('capa_', null),
    };
  });
}, PGLITE_START_MS);

serverDescribe(`postgres server: query plans on ${FINDINGS.toLocaleString('en-US')} findings, after ANALYZE`, () => {
  const schema = serverSchema();
  let store: SqlStore | undefined;
  afterAll(() => store?.close());
  planTests('postgres (server)', async () => {
    store = await postgresStore(PG_URL!, { schema: schema.name });
    return {
      store,
      query: async (sql, params) => (await schema.pool.query(sql, [...params])).rows as Record<string, unknown>[],
      tables: sqlTables('capa_', schema.name),
    };
  });
});
