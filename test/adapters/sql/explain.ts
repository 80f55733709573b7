import { expect } from 'vitest';
import type { SqlDialect } from '../../../src/adapters/sql/dialect.js';
import type { SqlTables } from '../../../src/adapters/sql/identifiers.js';
import type { SqlStatement } from '../../../src/adapters/sql/program.js';
import { compileRecordQuery } from '../../../src/adapters/sql/query.js';
import type { SqlStore } from '../../../src/adapters/sql/store.js';
import type { PageRequest } from '../../../src/store/contract.js';
import { AS_OF, QUERIES, SAMPLE_OWNER } from './seed.js';

// The query plans of the selective queries over a seeded register (seed.ts), written once
// for both databases: each adapter's test says how to EXPLAIN a statement and what its plan
// means; this file says which index each query must use, on its first page and after the
// cursor, and that the store's answer is what the query asks for.

/** What a plan does, as far as these tests care. */
export interface PlanSummary {
  /** The indexes the plan reads, in plan order. */
  readonly indexes: readonly string[];
  /** True when it reads a whole table (a SQLite SCAN without an index, a PostgreSQL Seq Scan). */
  readonly fullScan: boolean;
  /** True when it sorts rows (a SQLite temp B-tree, a PostgreSQL Sort node). */
  readonly sorts: boolean;
  /** The plan as printed, for the failure message. */
  readonly text: string;
}

export interface ExplainCase {
  readonly name: string;
  readonly tenantId: string;
  readonly request: PageRequest;
  /** The index suffix the plan must use (after the table prefix). */
  readonly index: string;
  /** A check of every record of a page. */
  readonly holds: (record: { index: { open: boolean; dueDate: string | null; ownerId: string | null } }) => boolean;
}

/** The cases: overdue among mostly closed findings, open by owner, one small tenant among many. */
export const EXPLAIN_CASES: readonly ExplainCase[] = [
  { name: 'overdue (open, due before a date)', ...pair(QUERIES.overdue()), index: 'records_open_by_raised', holds: (r) => r.index.open && r.index.dueDate !== null && r.index.dueDate < AS_OF },
  { name: 'open by owner', ...pair(QUERIES.openByOwner()), index: 'records_open_by_owner', holds: (r) => r.index.open && r.index.ownerId === SAMPLE_OWNER },
  { name: 'one small tenant among many', ...pair(QUERIES.tenantPage()), index: 'records_by_raised', holds: () => true },
];

function pair([tenantId, request]: [string, PageRequest]): { tenantId: string; request: PageRequest } {
  return { tenantId, request };
}

/**
 * Checks one case: the first page's plan, then the plan after a cursor (of a page of 2, so
 * that there is one whatever the number of matches), each reading only the expected index,
 * with no full scan and no sort; and the store's pages hold what the filter asks for.
 */
export async function checkPlans(
  store: SqlStore,
  dialect: SqlDialect,
  tables: SqlTables,
  explain: (statement: SqlStatement) => Promise<PlanSummary>,
  test: ExplainCase,
): Promise<void> {
  const first = await store.query(test.tenantId, test.request);
  expect(first.records.length, 'records on the first page').toBeGreaterThan(2);
  expect(first.records.every(test.holds)).toBe(true);
  const short = await store.query(test.tenantId, { ...test.request, limit: 2 });
  const next = { ...test.request, cursor: short.cursor! };
  const second = await store.query(test.tenantId, next);
  const overlap = first.records.slice(2);
  expect(second.records.slice(0, overlap.length).map((r) => r.id), 'the next page starts after the cursor').toEqual(overlap.map((r) => r.id));
  for (const [page, request] of [['first page', test.request], ['after the cursor', next]] as const) {
    const plan = await explain(compileRecordQuery(dialect, tables, test.tenantId, request));
    const where = `${test.name}, ${page}:\n${plan.text}`;
    expect(plan.indexes, where).toEqual([`${tables.prefix}${test.index}`]);
    expect(plan.fullScan, where).toBe(false);
    expect(plan.sorts, where).toBe(false);
  }
}

/** Times a statement: the median of `runs` runs, in ms. */
export async function medianMs(run: () => unknown, runs = 9): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)]!;
}
