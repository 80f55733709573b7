import type { CapaStore, RecordFilter, RecordIndex, RecordKind, StoredRecord } from '../store/contract.js';
import { type DatasetRecord, queryArbitraries } from './arbitraries.js';
import { fastCheck } from './fast-check.js';
import { aBatch, aRecord, aWrite, NULL_INDEX } from './fixtures.js';
import { freshTenant, queryAll, recordView, storeTest, type Tools } from './harness.js';
import { oracleQuery } from './oracle.js';
import { resolveOptions, type StoreConformanceOptions } from './options.js';

/** Commits a random data set in batches of `chunk`, rewrites the records that have an earlier index, and returns what the store should hold. */
async function commitDataset(store: CapaStore, tenant: string, dataset: readonly DatasetRecord[], chunk: number): Promise<StoredRecord[]> {
  const first = dataset.map((item) => aWrite(aRecord(tenant, item.id, { kind: item.kind, index: item.earlier ?? item.index }), 0, 1));
  for (let i = 0; i < first.length; i += chunk) await store.commit(aBatch(tenant, first.slice(i, i + chunk)));
  const rewrites = dataset.flatMap((item, i) => (item.earlier === null ? [] : [aWrite({ ...first[i]!.record, index: { ...first[i]!.record.index, ...item.index } }, 1, 1)]));
  for (let i = 0; i < rewrites.length; i += chunk) await store.commit(aBatch(tenant, rewrites.slice(i, i + chunk)));
  const final = new Map(first.map((write) => [write.record.id, write.record]));
  for (const write of rewrites) final.set(write.record.id, write.record);
  return [...final.values()];
}

/** Checks a query, read in pages of `limits`, against the oracle: the same records in the same order. */
async function checkQuery(t: Tools, store: CapaStore, tenant: string, all: readonly StoredRecord[], filter: RecordFilter, limits: readonly number[]): Promise<void> {
  const { records } = await queryAll(store, tenant, filter, limits);
  const expected = oracleQuery(all, filter);
  const label = `query ${JSON.stringify(filter)} in pages of ${JSON.stringify(limits)}`;
  t.equal(`${label}: ids in order`, records.map((record) => record.id), expected.map((record) => record.id));
  t.equal(`${label}: records`, records.map(recordView), expected.map(recordView));
}

/** A record of the fixed example set. */
const example = (id: string, kind: RecordKind, index: Partial<RecordIndex>) => ({ id, kind, index: { ...NULL_INDEX, ...index } });

const A518 = 'ISO/IEC 27001:2022 A.5.18';
const A88 = 'ISO/IEC 27001:2022 A.8.8';

/** The fixed example set: small enough to work each filter out by hand. */
const EXAMPLES = [
  example('f-1', 'finding', {
    status: 'raised', open: true, grade: 'minor', source: 'internal-audit', ownerId: 'u-1', requirement: A518, causeCategory: 'process',
    dueDate: '2026-03-01', raisedAt: '2026-01-10T09:00:00.000Z', lastActivityAt: '2026-02-01T00:00:00.000Z', text: 'nc-1 leavers kept 50% of accounts',
  }),
  example('f-2', 'finding', {
    status: 'investigating', open: true, grade: 'major', source: 'external-audit', ownerId: 'u-2', requirement: A518, causeCategory: 'people',
    dueDate: '2026-02-28', raisedAt: '2026-02-01T00:00:00.000Z', lastActivityAt: '2026-03-01T00:00:00.000Z', text: 'nc-2 backup_job failed',
  }),
  example('f-3', 'finding', {
    status: 'closed', open: false, grade: 'minor', source: 'internal-audit', ownerId: null, requirement: A88, causeCategory: 'process',
    dueDate: null, raisedAt: '2026-02-01T00:00:00.000Z', lastActivityAt: '2026-02-15T00:00:00.000Z', text: 'nc-3 straße café',
  }),
  example('f-4', 'finding', {
    status: 'raised', open: true, grade: null, source: 'incident', ownerId: 'u-1', requirement: null, causeCategory: null,
    dueDate: '2026-03-02', raisedAt: '2026-03-01T00:00:00.000Z', lastActivityAt: '2026-03-01T00:00:00.000Z', text: 'nc-4 ñandú cafe\u0301',
  }),
  example('a-1', 'action', {
    status: 'planned', open: true, ownerId: 'u-1', requirement: A518, causeCategory: 'process',
    dueDate: '2026-02-28', raisedAt: '2026-02-02T00:00:00.000Z', lastActivityAt: '2026-02-02T00:00:00.000Z', text: 'revoke leavers',
  }),
];

const SINCE_2026 = '2026-01-01T00:00:00.000Z';
const SINCE_FEB = '2026-02-01T00:00:00.000Z';

/**
 * Each rule of `RecordFilter` on a fixed example set ({@link filterExampleRecords}), with
 * the ids the query must return worked out by hand. The query group runs each of them,
 * and they pin the meaning of the oracle too.
 *
 * @example
 * ```ts
 * import { FILTER_EXAMPLES } from 'capa-kit/testing';
 *
 * for (const { rule, filter, ids } of FILTER_EXAMPLES) console.log(rule, filter, ids);
 * ```
 */
export const FILTER_EXAMPLES: readonly { readonly rule: string; readonly filter: RecordFilter; readonly ids: readonly string[] }[] = [
  { rule: 'kind selects findings or actions', filter: { kind: 'action' }, ids: ['a-1'] },
  { rule: 'kind alone: every finding, by raisedAt then id', filter: { kind: 'finding' }, ids: ['f-1', 'f-2', 'f-3', 'f-4'] },
  { rule: 'dueBefore is strict and skips records without a due date', filter: { kind: 'finding', dueBefore: '2026-03-01' }, ids: ['f-2'] },
  { rule: 'dueOnOrBefore includes the day and skips records without a due date', filter: { kind: 'finding', dueOnOrBefore: '2026-03-01' }, ids: ['f-1', 'f-2'] },
  { rule: 'inactiveSince is strict', filter: { kind: 'finding', inactiveSince: '2026-03-01T00:00:00.000Z' }, ids: ['f-1', 'f-3'] },
  { rule: 'open', filter: { kind: 'finding', open: false }, ids: ['f-3'] },
  { rule: 'a list matches any of its values', filter: { kind: 'finding', status: ['raised', 'closed'] }, ids: ['f-1', 'f-3', 'f-4'] },
  { rule: 'a list never matches null', filter: { kind: 'finding', grade: ['minor', 'major', 'null'] }, ids: ['f-1', 'f-2', 'f-3'] },
  { rule: 'an empty list matches nothing', filter: { kind: 'finding', ownerId: [] }, ids: [] },
  { rule: 'list values match exactly (case counts)', filter: { kind: 'finding', ownerId: ['U-1'] }, ids: [] },
  { rule: 'text is a case-insensitive substring', filter: { kind: 'finding', text: 'LEAVERS' }, ids: ['f-1'] },
  { rule: 'text treats % literally', filter: { kind: 'finding', text: '%' }, ids: ['f-1'] },
  { rule: 'text treats _ literally', filter: { kind: 'finding', text: '_' }, ids: ['f-2'] },
  { rule: 'text lower-cases non-ASCII letters', filter: { kind: 'finding', text: 'STRAßE CAFÉ' }, ids: ['f-3'] },
  { rule: 'text compares code points: NFD e + U+0301 does not match NFC U+00E9', filter: { kind: 'finding', text: 'e\u0301' }, ids: ['f-4'] },
  { rule: 'conditions combine with AND', filter: { kind: 'finding', open: true, grade: ['minor', 'major'], dueBefore: '2026-03-02' }, ids: ['f-1', 'f-2'] },
  {
    rule: 'recurrence: more than moreThan records of the kind share the value (actions not counted)',
    filter: { kind: 'finding', recurrence: { field: 'requirement', moreThan: 1, raisedSince: SINCE_2026 } },
    ids: ['f-1', 'f-2'],
  },
  {
    rule: 'recurrence counts only the filter kind',
    filter: { kind: 'finding', recurrence: { field: 'requirement', moreThan: 2, raisedSince: SINCE_2026 } },
    ids: [],
  },
  {
    rule: 'recurrence counts records raised at or after raisedSince, and the record must be one of them',
    filter: { kind: 'finding', recurrence: { field: 'requirement', moreThan: 0, raisedSince: SINCE_FEB } },
    ids: ['f-2', 'f-3'],
  },
  {
    rule: 'recurrence does not count records raised before raisedSince',
    filter: { kind: 'finding', recurrence: { field: 'requirement', moreThan: 1, raisedSince: SINCE_FEB } },
    ids: [],
  },
  {
    rule: 'recurrence by cause category',
    filter: { kind: 'finding', recurrence: { field: 'causeCategory', moreThan: 1, raisedSince: SINCE_2026 } },
    ids: ['f-1', 'f-3'],
  },
  {
    rule: 'recurrence counts over the kind and window, not over the other conditions',
    filter: { kind: 'finding', status: ['closed'], recurrence: { field: 'causeCategory', moreThan: 1, raisedSince: SINCE_2026 } },
    ids: ['f-3'],
  },
];

/**
 * The fixed example set of {@link FILTER_EXAMPLES}, as records of a tenant.
 *
 * @example
 * ```ts
 * import { filterExampleRecords, FILTER_EXAMPLES, oracleQuery } from 'capa-kit/testing';
 *
 * const records = filterExampleRecords('acme');
 * for (const { filter, ids } of FILTER_EXAMPLES) console.log(oracleQuery(records, filter).map((r) => r.id), ids);
 * ```
 */
export function filterExampleRecords(tenant: string): StoredRecord[] {
  return EXAMPLES.map((item) => aWrite(aRecord(tenant, item.id, { kind: item.kind, index: item.index }), 0, 1).record);
}

/**
 * Ids that differ only in case and in `-`, `_` and digits, and three whose order by code
 * point (U+E000 < U+FFFD < U+1F510) is not their order by UTF-16 code unit (an astral
 * character is a surrogate pair, U+D83D U+DD10, below U+E000); all raised at the same
 * instant but two.
 */
const ORDER_IDS = ['b', 'B', 'z\u{1F510}', 'a-1', 'a_1', 'z\uFFFD', 'A-1', 'a', 'A', '0', '_', 'z\uE000', '-', 'a0'];
const ORDERED = ['-', '0', 'A', 'A-1', 'B', '_', 'a', 'a-1', 'a0', 'a_1', 'z\uE000', 'z\uFFFD', 'z\u{1F510}'];

/**
 * The query group: results equal an independent oracle ({@link oracleQuery}) on random
 * data sets and random filters, every page together; each rule of the filter on a fixed
 * example set; the stable order (`raisedAt`, then `id`, by code point); pages of any size
 * that concatenate to the whole result, with the cursor `null` exactly at the end; limits
 * outside 1 to 1000 and malformed cursors refused.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { memoryStore } from 'capa-kit/register';
 * import { querySuite } from 'capa-kit/testing';
 *
 * querySuite({ name: 'memory', describe, it, expect, createStore: async () => memoryStore(), runs: 100 });
 * ```
 */
export function querySuite(input: StoreConformanceOptions): void {
  const options = resolveOptions(input);
  const params = { numRuns: options.runs, ...(options.seed === undefined ? {} : { seed: options.seed }) };
  options.describe('queries', () => {
    storeTest(options, 'random filters over random records return what the oracle returns, across pages of random sizes (property)', async (store, t) => {
      const fc = await fastCheck();
      const { datasetArbitrary, filterArbitrary, limitsArbitrary, systematicFiltersArbitrary } = queryArbitraries(fc);
      await fc.assert(
        fc.asyncProperty(
          datasetArbitrary,
          fc.integer({ min: 1, max: 8 }),
          systematicFiltersArbitrary,
          fc.array(filterArbitrary, { minLength: 1, maxLength: 6 }),
          limitsArbitrary,
          async (dataset, chunk, systematic, filters, limits) => {
            const tenant = freshTenant('query');
            const all = await commitDataset(store, tenant, dataset, chunk);
            await checkQuery(t, store, tenant, all, { kind: 'finding' }, limits);
            for (const filter of [...systematic, ...filters]) await checkQuery(t, store, tenant, all, filter, limits);
          },
        ),
        params,
      );
    });

    for (const { rule, filter, ids } of FILTER_EXAMPLES) {
      storeTest(options, `${rule}: ${JSON.stringify(filter)}`, async (store, t) => {
        const tenant = t.tenant();
        await store.commit(aBatch(tenant, EXAMPLES.map((item) => aWrite(aRecord(tenant, item.id, { kind: item.kind, index: item.index }), 0, 1))));
        for (const limits of [[1000], [1], [2]]) {
          const { records } = await queryAll(store, tenant, filter, limits);
          t.equal(`ids in pages of ${limits[0]}`, records.map((record) => record.id), ids);
        }
      });
    }

    storeTest(options, 'pages are ordered by raisedAt, then id by code point (UTF-8 binary collation, not locale or UTF-16 order)', async (store, t) => {
      const tenant = t.tenant();
      const writes = ORDER_IDS.map((id) =>
        aWrite(aRecord(tenant, id, { index: { raisedAt: id === 'b' ? '2026-01-01T00:00:00.000Z' : id === 'a0' ? '2026-12-31T00:00:00.000Z' : '2026-06-01T00:00:00.000Z' } }), 0, 1),
      );
      await store.commit(aBatch(tenant, writes));
      const expected = ['b', ...ORDERED.filter((id) => id !== 'a0'), 'a0'];
      for (const limits of [[1000], [1], [3], [4, 1, 2]]) {
        t.equal(`order in pages of ${JSON.stringify(limits)}`, (await queryAll(store, tenant, { kind: 'finding' }, limits)).records.map((record) => record.id), expected);
      }
    });

    storeTest(options, 'pages of any size concatenate to the whole result, the cursor null exactly at the end', async (store, t) => {
      const tenant = t.tenant();
      const ids = Array.from({ length: 12 }, (_, i) => `r-${String(i).padStart(2, '0')}`);
      const writes = ids.map((id, i) => aWrite(aRecord(tenant, id, { index: { raisedAt: `2026-01-0${1 + (i % 3)}T00:00:00.000Z` } }), 0, 1));
      await store.commit(aBatch(tenant, writes));
      const whole = oracleQuery(writes.map((write) => write.record), { kind: 'finding' }).map((record) => record.id);
      t.equal('one page of 1000', (await store.query(tenant, { filter: { kind: 'finding' }, limit: 1000 })).records.map((record) => record.id), whole);
      for (const limit of [1, 2, 3, 4, 5, 6, 7, 11, 12, 13]) {
        const { records, pages } = await queryAll(store, tenant, { kind: 'finding' }, [limit]);
        t.equal(`pages of ${limit}: ids`, records.map((record) => record.id), whole);
        t.equal(`pages of ${limit}: page sizes`, pages.map((page) => page.records.length), Array.from({ length: Math.ceil(12 / limit) }, (_, i) => Math.min(limit, 12 - i * limit)));
      }
      const exact = await store.query(tenant, { filter: { kind: 'finding' }, limit: 12 });
      t.equal('a page that holds exactly the rest has a null cursor', exact.cursor, null);
    });

    storeTest(options, 'limits outside 1 to 1000 are refused; 1 and 1000 are accepted', async (store, t) => {
      const tenant = t.tenant();
      await store.commit(aBatch(tenant, [aWrite(aRecord(tenant, 'f-1'), 0, 1)]));
      for (const limit of [0, 1001, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        await t.rejects(`limit ${limit}`, store.query(tenant, { filter: { kind: 'finding' }, limit }));
      }
      t.equal('limit 1', (await store.query(tenant, { filter: { kind: 'finding' }, limit: 1 })).records.length, 1);
      t.equal('limit 1000', (await store.query(tenant, { filter: { kind: 'finding' }, limit: 1000 })).records.length, 1);
    });

    storeTest(options, 'a malformed cursor is refused, not read as the start', async (store, t) => {
      const tenant = t.tenant();
      await store.commit(aBatch(tenant, ['a', 'b', 'c'].map((id) => aWrite(aRecord(tenant, id), 0, 1))));
      const real = (await store.query(tenant, { filter: { kind: 'finding' }, limit: 1 })).cursor;
      t.ok('a first page of 1 of 3 has a cursor', typeof real === 'string');
      for (const cursor of ['%%% not a cursor %%%', 'WzEsMiwzXQ==', `${real}%%%`]) {
        await t.rejects(`cursor ${JSON.stringify(cursor)}`, store.query(tenant, { filter: { kind: 'finding' }, limit: 10, cursor }));
      }
    });
  });
}
