import { describe, expect, it } from 'vitest';
import { type CapaStore, type CommitBatch, type JsonValue, type Page, STORE_CONTRACT_VERSION, type StoredRecord } from '../../src/store/contract.js';
import { MemoryState, memoryStore } from '../../src/stores/memory.js';
import { referenceKey, refuseDuplicateReferences } from '../../src/store/references.js';
import {
  atomicitySuite,
  batchSuite,
  concurrencySuite,
  contentSuite,
  FILTER_EXAMPLES,
  filterExampleRecords,
  idempotencySuite,
  oracleQuery,
  querySuite,
  referenceSuite,
  roundTripSuite,
  runStoreConformance,
  tenantIsolationSuite,
} from '../../src/testing/index.js';
import { MUTANTS, mutantStore } from './mutants.js';
import { copy, expectFailing, factory, failures, healthy, record } from './support/recording.js';

// A conformance kit that cannot fail is worthless. These tests run the kit's suites with a
// recording `describe`/`it` against stores broken on purpose, one contract rule each, and
// check that the tests about that rule fail (and that an unbroken store passes them all).

/** Rewrites every string of a JSON value. */
const mapStrings = <T>(value: T, change: (text: string) => string): T =>
  JSON.parse(JSON.stringify(value), (_key, item: unknown) => (typeof item === 'string' ? change(item) : item)) as T;

/** Rebuilds a JSON value with object keys sorted, as PostgreSQL's jsonb does (by length, then bytes). */
function jsonbKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(jsonbKeys);
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
    return JSON.parse(`{${keys.map((key) => `${JSON.stringify(key)}:${JSON.stringify(jsonbKeys(value[key]!))}`).join(',')}}`) as JsonValue;
  }
  return value;
}

/** The broken stores: each breaks one rule of the contract. */
const BROKEN = {
  /** Last writer wins: the expected version is never checked. */
  ignoresExpectedVersion: factory((state) => ({
    commit: async (batch) => {
      const current = new Map(state.load(batch.tenantId, batch.writes.map((write) => write.record.id)).map((r) => [r.id, r.version]));
      const rewritten: CommitBatch = { ...batch, writes: batch.writes.map((write) => ({ ...write, expectedVersion: current.get(write.record.id) ?? 0 })) };
      state.check(rewritten);
      return state.apply(copy(rewritten));
    },
  })),
  /** Every tenant is one tenant. */
  leaksAcrossTenants: factory((state) => {
    const shared = 'everyone';
    return {
      load: async (_, ids) => copy(state.load(shared, ids)),
      commit: async (batch) => {
        state.check({ ...batch, tenantId: shared });
        return state.apply(copy({ ...batch, tenantId: shared }));
      },
      readEvents: async (_, recordId, after) => copy(state.readEvents(shared, recordId, after)),
      readTenantEvents: async (_, after, limit) => copy(state.readTenantEvents(shared, after, limit)),
      query: async (_, request) => copy(state.query(shared, request)),
      nextReference: async (_, kind) => state.nextReference(shared, kind),
      idempotentResult: async (_, key) => copy(state.idempotentResult(shared, key)),
    };
  }),
  /** Drops the last record of every page that has a next page: a gap at each page boundary. */
  dropsLastOfPage: factory((state) => ({
    query: async (tenantId, request): Promise<Page> => {
      const page = copy(state.query(tenantId, request));
      return page.cursor === null ? page : { records: page.records.slice(0, -1), cursor: page.cursor };
    },
  })),
  /** Applies the writes of a batch one by one: the ones before a stale write stay. */
  appliesHalfABatch: factory((state) => ({
    commit: async (batch) => {
      let result = { tenantSequence: state.apply({ tenantId: batch.tenantId, writes: [] }).tenantSequence };
      for (const write of batch.writes) {
        state.check({ tenantId: batch.tenantId, writes: [write] });
        result = state.apply(copy({ tenantId: batch.tenantId, writes: [write] }));
      }
      if (batch.idempotency !== undefined) {
        state.check({ tenantId: batch.tenantId, writes: [], idempotency: batch.idempotency });
        state.apply(copy({ tenantId: batch.tenantId, writes: [], idempotency: batch.idempotency }));
      }
      return result;
    },
  })),
  /** Reads the reference counter, yields, then writes it back: concurrent callers get the same number. */
  racyReferences: factory(() => {
    const counters = new Map<string, number>();
    return {
      nextReference: async (tenantId, kind) => {
        const current = counters.get(`${kind} ${tenantId}`) ?? 0;
        await new Promise((resolve) => setTimeout(resolve, 0));
        counters.set(`${kind} ${tenantId}`, current + 1);
        return current + 1;
      },
    };
  }),
  /** Keeps references but never refuses one another record holds, as a store written for contract 1 would. */
  ignoresReferences: factory((state) => ({
    commit: async (batch) => {
      state.check({ ...batch, writes: batch.writes.map((write) => ({ ...write, record: { ...write.record, index: { ...write.record.index, reference: null } } })) });
      return state.apply(copy(batch));
    },
  })),
  /** One reference sequence for both kinds, as contract 1 had it. */
  oneReferenceSequence: factory((state) => ({ nextReference: async (tenantId) => state.nextReference(tenantId, 'finding') })),
  /** Declares no contract version (written for contract 1). */
  noContractVersion: factory(() => ({ contractVersion: undefined as never })),
  /** Checks references before the versions: a stale write is refused as a duplicate. */
  referencesBeforeVersions: factory((state) => ({
    commit: async (batch) => {
      refuseDuplicateReferences(batch, (kind, reference) => state.tenant(batch.tenantId).references.get(referenceKey(kind, reference)));
      state.check(batch);
      return state.apply(copy(batch));
    },
  })),
  /** Checks, lets other callers in, then writes: racers for one reference all pass the check. */
  checksThenWritesLater: factory((state) => ({
    commit: async (batch) => {
      state.check(batch);
      await new Promise((resolve) => setTimeout(resolve, 0));
      return state.apply(copy(batch));
    },
  })),
  /** Keeps entries as PostgreSQL jsonb would: keys reordered. */
  reordersEntryKeys: factory((state) => ({
    commit: async (batch) => {
      state.check(batch);
      const writes = batch.writes.map((write) => ({ ...write, events: write.events.map((event) => ({ ...event, entry: jsonbKeys(event.entry) })) }));
      return state.apply(copy({ ...batch, writes }));
    },
  })),
  /** Reorders document keys (allowed: documents are compared without key order). */
  reordersDocumentKeys: factory((state) => ({
    commit: async (batch) => {
      state.check(batch);
      const writes = batch.writes.map((write) => ({ ...write, record: { ...write.record, document: jsonbKeys(write.record.document) } }));
      return state.apply(copy({ ...batch, writes }));
    },
  })),
  /** Normalises every string to NFC on the way in. */
  normalisesUnicode: factory((state) => ({
    commit: async (batch) => {
      state.check(batch);
      return state.apply(mapStrings(batch, (text) => text.normalize('NFC')));
    },
  })),
  /** Reads `dueBefore` as inclusive. */
  inclusiveDueBefore: factory((state) => ({
    query: async (tenantId, request) => {
      const { dueBefore, ...filter } = request.filter;
      const widened = dueBefore === undefined || filter.dueOnOrBefore !== undefined ? request.filter : { ...filter, dueOnOrBefore: dueBefore };
      return copy(state.query(tenantId, { ...request, filter: widened }));
    },
  })),
  /** Clamps the page limit instead of refusing it, and reads a malformed cursor as the start. */
  lenientPaging: factory((state) => ({
    query: async (tenantId, request) => {
      const limit = Math.min(1000, Math.max(1, Math.floor(Number.isFinite(request.limit) ? request.limit : 1)));
      let cursor = request.cursor;
      try {
        state.query(tenantId, { ...request, limit });
      } catch {
        cursor = undefined;
      }
      return copy(state.query(tenantId, { filter: request.filter, limit, ...(cursor === undefined ? {} : { cursor }) }));
    },
  })),
  /** Stores the idempotency key even when the batch is refused. */
  keyOutsideTheTransaction: factory((state) => ({
    commit: async (batch) => {
      if (batch.idempotency !== undefined && state.idempotentResult(batch.tenantId, batch.idempotency.key) === undefined) {
        state.apply({ tenantId: batch.tenantId, writes: [], idempotency: copy(batch.idempotency) });
        const rest = { tenantId: batch.tenantId, writes: batch.writes };
        state.check(rest);
        return state.apply(copy(rest));
      }
      state.check(batch);
      return state.apply(copy(batch));
    },
  })),
  /** Returns `null` for an unknown idempotency key. */
  nullForUnknownKey: factory((state) => ({
    idempotentResult: async (tenantId, key) => copy(state.idempotentResult(tenantId, key)) ?? null,
  })),
  /** Burns tenant sequence numbers on a refused commit, as a database sequence would. */
  burnsSequencesOnFailure: factory((state) => ({
    commit: async (batch) => {
      try {
        state.check(batch);
      } catch (error) {
        state.tenant(batch.tenantId).tenantSequence += batch.writes.reduce((sum, write) => sum + write.events.length, 0);
        throw error;
      }
      return state.apply(copy(batch));
    },
  })),
  /** Trusts `record.version` instead of computing `expectedVersion + events.length`. */
  trustsRecordVersion: factory((state) => ({
    commit: async (batch) => {
      state.check(batch);
      const result = state.apply(copy(batch));
      for (const write of batch.writes) state.tenant(batch.tenantId).records.set(write.record.id, copy(write.record));
      return result;
    },
  })),
  /** Hands out stored objects themselves: a caller's change reaches the store. */
  sharesObjects: factory((state) => ({
    load: async (tenantId, ids) => state.load(tenantId, ids),
    commit: async (batch) => {
      state.check(batch);
      return state.apply(batch);
    },
  })),
  /** Orders ids with a locale collation instead of by code point. */
  localeOrder: factory((state) => ({
    query: async (tenantId, request) => {
      const all: StoredRecord[] = [];
      let cursor: string | undefined;
      do {
        const page = state.query(tenantId, { filter: request.filter, limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
        all.push(...page.records);
        cursor = page.cursor ?? undefined;
      } while (cursor !== undefined);
      all.sort((a, b) => a.index.raisedAt.localeCompare(b.index.raisedAt) || a.id.localeCompare(b.id, 'en'));
      const start = request.cursor === undefined ? 0 : Number(request.cursor);
      if (!Number.isInteger(start)) throw new RangeError('bad cursor');
      const records = all.slice(start, start + request.limit);
      return copy({ records, cursor: start + request.limit < all.length ? String(start + request.limit) : null });
    },
  })),
  /** Orders ids by UTF-16 code unit (JavaScript's `<`) instead of by code point. */
  codeUnitOrder: factory((state) => ({
    query: async (tenantId, request) => {
      const all: StoredRecord[] = [];
      let cursor: string | undefined;
      do {
        const page = state.query(tenantId, { filter: request.filter, limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
        all.push(...page.records);
        cursor = page.cursor ?? undefined;
      } while (cursor !== undefined);
      all.sort((a, b) => (a.index.raisedAt === b.index.raisedAt ? (a.id < b.id ? -1 : 1) : a.index.raisedAt < b.index.raisedAt ? -1 : 1));
      const start = request.cursor === undefined ? 0 : Number(request.cursor);
      if (!Number.isInteger(start)) throw new RangeError('bad cursor');
      const records = all.slice(start, start + request.limit);
      return copy({ records, cursor: start + request.limit < all.length ? String(start + request.limit) : null });
    },
  })),
} satisfies Record<string, () => Promise<CapaStore>>;


describe('the conformance kit passes a correct store', () => {
  it('every group passes an unbroken store over MemoryState (the base of the broken ones)', async () => {
    const tests = record(runStoreConformance, healthy);
    expect(tests.length).toBeGreaterThan(60);
    expect([...(await failures(tests)).keys()]).toEqual([]);
  });

  it('a store that reorders document keys passes round trip: only entries are byte for byte', async () => {
    expect([...(await failures(record(roundTripSuite, BROKEN.reordersDocumentKeys))).keys()]).toEqual([]);
  });

  it('the oracle agrees with the filter examples worked out by hand', () => {
    const records = filterExampleRecords('acme');
    for (const { rule, filter, ids } of FILTER_EXAMPLES) {
      expect(oracleQuery(records, filter).map((r) => r.id), rule).toEqual(ids);
    }
  });
});

describe('the conformance kit fails a broken store', () => {
  it('ignoring the expected version fails concurrency, batches, atomicity and idempotency', async () => {
    expectFailing(await failures(record(concurrencySuite, BROKEN.ignoresExpectedVersion)), [
      'exactly one of 8 concurrent writers wins each version',
      'concurrent creations of the same record',
      'overlapping concurrent batches',
    ]);
    expectFailing(await failures(record(batchSuite, BROKEN.ignoresExpectedVersion)), ['one stale write (behind', 'one stale write (ahead', 'one stale write (missing']);
    expectFailing(await failures(record(atomicitySuite, BROKEN.ignoresExpectedVersion)), ['a refused commit leaves nothing behind', 'equal to a model']);
    expectFailing(await failures(record(idempotencySuite, BROKEN.ignoresExpectedVersion)), ['does not store its key']);
  });

  it('says what it was checking when it fails', async () => {
    const failed = await failures(record(concurrencySuite, BROKEN.ignoresExpectedVersion));
    const error = [...failed.entries()].find(([name]) => name.includes('exactly one of 8'))?.[1];
    expect(String(error)).toMatch(/capa-kit\/testing: round 1: how many of 8 writers at version 0 won/);
  });

  it('leaking across tenants fails every tenant-isolation test', async () => {
    const failed = await failures(record(tenantIsolationSuite, BROKEN.leaksAcrossTenants));
    expect(failed.size).toBe(5);
  });

  it('dropping the last record of a page fails the query properties and examples', async () => {
    expectFailing(await failures(record(querySuite, BROKEN.dropsLastOfPage)), [
      'return what the oracle returns',
      'pages are ordered by raisedAt',
      'pages of any size concatenate',
      'dueOnOrBefore includes the day',
    ]);
  });

  it('applying half a batch fails batches and atomicity', async () => {
    expectFailing(await failures(record(batchSuite, BROKEN.appliesHalfABatch)), ['one stale write (behind', 'last) refuses the whole batch']);
    expectFailing(await failures(record(atomicitySuite, BROKEN.appliesHalfABatch)), ['a refused commit leaves nothing behind', 'equal to a model']);
  });

  it('racy reference numbers fail the reference group', async () => {
    expectFailing(await failures(record(referenceSuite, BROKEN.racyReferences)), ['200 concurrent calls', 'each tenant and each kind has its own sequence']);
  });

  it('a store that lets two records hold one reference fails the unique references', async () => {
    expectFailing(await failures(record(referenceSuite, BROKEN.ignoresReferences)), [
      'a second record with a reference another holds is refused',
      'two records of one batch with the same reference',
      'one that changes it frees the old one',
      'concurrent commits creating records with one reference',
    ]);
  });

  it('one reference sequence for both kinds, or no contract version, fails the reference group', async () => {
    expectFailing(await failures(record(referenceSuite, BROKEN.oneReferenceSequence)), ['findings and actions count on their own', 'each tenant and each kind has its own sequence']);
    const failed = await failures(record(referenceSuite, BROKEN.noContractVersion));
    expectFailing(failed, ['declares storage contract version 2']);
    expect(String([...failed.entries()].find(([name]) => name.includes('contract version'))![1])).toMatch(/declares no contractVersion: it was written for storage contract 1/);
  });

  it('checking references before versions, or outside the write, fails the reference group', async () => {
    expectFailing(await failures(record(referenceSuite, BROKEN.referencesBeforeVersions)), ['versions are checked first']);
    expectFailing(await failures(record(referenceSuite, BROKEN.checksThenWritesLater)), ['concurrent commits creating records with one reference']);
  });

  it('reordering entry keys (jsonb) fails the byte-for-byte round trip', async () => {
    expectFailing(await failures(record(roundTripSuite, BROKEN.reordersEntryKeys)), ['events come back byte for byte', 'random JSON documents and entries']);
  });

  it('normalising unicode fails the content group', async () => {
    expectFailing(await failures(record(contentSuite, BROKEN.normalisesUnicode)), ['unicode strings are kept exactly', 'text search finds unicode substrings']);
  });

  it('an inclusive dueBefore fails the query property and the dueBefore example', async () => {
    const failed = await failures(record(querySuite, BROKEN.inclusiveDueBefore));
    expectFailing(failed, ['return what the oracle returns', 'dueBefore is strict']);
    expect([...failed.keys()].filter((name) => name.includes('dueOnOrBefore includes'))).toEqual([]);
  });

  it('lenient limits and cursors fail the paging checks', async () => {
    expectFailing(await failures(record(querySuite, BROKEN.lenientPaging)), ['limits outside 1 to 1000 are refused', 'a malformed cursor is refused']);
  });

  it('storing an idempotency key outside the transaction fails idempotency and atomicity', async () => {
    expectFailing(await failures(record(idempotencySuite, BROKEN.keyOutsideTheTransaction)), ['does not store its key']);
    expectFailing(await failures(record(atomicitySuite, BROKEN.keyOutsideTheTransaction)), ['a refused commit leaves nothing behind']);
  });

  it('null for an unknown key fails idempotency and the round trip of an empty tenant', async () => {
    expectFailing(await failures(record(idempotencySuite, BROKEN.nullForUnknownKey)), ['undefined for unknown keys']);
    expectFailing(await failures(record(roundTripSuite, BROKEN.nullForUnknownKey)), ['an unknown tenant holds nothing']);
  });

  it('burning tenant sequences on a refused commit fails atomicity', async () => {
    expectFailing(await failures(record(atomicitySuite, BROKEN.burnsSequencesOnFailure)), ['without a gap', 'equal to a model']);
  });

  it('trusting record.version fails the round trip', async () => {
    expectFailing(await failures(record(roundTripSuite, BROKEN.trustsRecordVersion)), ['the new version is expectedVersion + events.length']);
  });

  it("sharing stored objects with callers fails the round trip", async () => {
    expectFailing(await failures(record(roundTripSuite, BROKEN.sharesObjects)), ["what a caller holds is not the store's"]);
  });

  it('a locale collation of ids fails the ordering checks', async () => {
    expectFailing(await failures(record(querySuite, BROKEN.localeOrder)), ['by code point', 'return what the oracle returns']);
  });

  it("JavaScript's UTF-16 code unit order of ids fails the ordering check", async () => {
    expectFailing(await failures(record(querySuite, BROKEN.codeUnitOrder)), ['by code point']);
  });
});

describe('the query property fails every mutant of the filter rules', () => {
  it.each(MUTANTS)('%s', async (mutant) => {
    const failed = await failures(record(querySuite, async () => mutantStore(mutant)));
    expectFailing(failed, ['return what the oracle returns']);
  });

  it('an unmutated evaluator behind the same store passes', async () => {
    expect([...(await failures(record(querySuite, async () => mutantStore('none')))).keys()]).toEqual([]);
  });
});

describe('running the kit', () => {
  it('gives every test a fresh store and closes it, whether the test passed or failed', async () => {
    let opened = 0;
    let closed = 0;
    const counting = (make: () => Promise<CapaStore>) => async () => {
      opened += 1;
      const store = await make();
      return { ...store, close: async () => { closed += 1; await store.close(); } };
    };
    const tests = record(runStoreConformance, counting(BROKEN.ignoresExpectedVersion), { runs: 3 });
    const failed = await failures(tests);
    expect(failed.size).toBeGreaterThan(0);
    // One store per test, and one more: the check that a store not claimed durable keeps
    // nothing opens a second store from the factory after closing the first.
    expect(opened).toBe(tests.length + 1);
    expect(closed).toBe(opened);
  });

  it('switches groups off, and adds the capability groups only when claimed', () => {
    const all = record(runStoreConformance, healthy).map((test) => test.name);
    const fewer = record(runStoreConformance, healthy, { groups: { content: false, queries: false } }).map((test) => test.name);
    expect(all.some((name) => name.includes('> queries >'))).toBe(true);
    expect(fewer.some((name) => name.includes('> queries >') || name.includes('> large and unicode content >'))).toBe(false);
    // Unclaimed, each capability group is one test: that the store does not have it either.
    const group = (names: string[], name: string) => names.filter((test) => test.includes(`> ${name} >`)).map((test) => test.slice(test.indexOf(`${name} >`)));
    expect(group(all, 'durability')).toEqual(['durability > a run that does not claim durable: the store declares no durability, and keeps nothing once closed']);
    expect(group(all, 'connections')).toEqual(['connections > a run that does not claim multiProcess: the store does not declare it either']);
    const withCapabilities = record(runStoreConformance, healthy, {
      capabilities: { durable: true, multiProcess: true },
      reopen: async (store) => store,
      connect: async (store) => store,
    }).map((test) => test.name);
    expect(group(withCapabilities, 'durability')).toEqual(['durability > everything committed survives a reopen, and the sequences go on where they stopped']);
    expect(withCapabilities.filter((name) => name.includes('> connections >')).length).toBe(5);
  });
});
