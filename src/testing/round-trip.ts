import type { Arbitrary } from 'fast-check';
import type { JsonValue, StoredRecord } from '../store/contract.js';
import { aBatch, anEntry, aRecord, aWrite, NULL_INDEX, TRICKY_JSON } from './fixtures.js';
import { eventView, exactJson, freshTenant, readAllTenantEvents, sameRecords, sortedJson, storeTest } from './harness.js';
import { fastCheck } from './fast-check.js';
import { resolveOptions, type StoreConformanceOptions } from './options.js';

/**
 * The round-trip group: every field of a record and every event comes back as committed
 * (event entries byte for byte, as JSON text), the version is `expectedVersion` plus the
 * number of events, tenant sequences run from 1 without gaps in commit order, and what a
 * caller holds is never the store's own copy.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { memoryStore } from 'capa-kit/register';
 * import { roundTripSuite } from 'capa-kit/testing';
 *
 * roundTripSuite({ name: 'memory', describe, it, expect, createStore: async () => memoryStore() });
 * ```
 */
export function roundTripSuite(input: StoreConformanceOptions): void {
  const options = resolveOptions(input);
  options.describe('round trip', () => {
    storeTest(options, 'declares its capabilities as booleans, including those the kit was told it has', async (store, t) => {
      const declared = store.capabilities;
      t.equal('capabilities', { multiProcess: typeof declared?.multiProcess, durable: typeof declared?.durable }, { multiProcess: 'boolean', durable: 'boolean' });
      if (options.capabilities.durable) t.ok('the kit was told the store is durable', declared.durable, 'the store declares durable: false');
      if (options.capabilities.multiProcess) t.ok('the kit was told the store is multi-process', declared.multiProcess, 'the store declares multiProcess: false');
    });

    storeTest(options, 'an unknown tenant holds nothing', async (store, t) => {
      const tenant = t.tenant();
      t.equal('load', await store.load(tenant, ['f-1', 'a-1']), []);
      t.equal('readEvents', await store.readEvents(tenant, 'f-1'), []);
      t.equal('readTenantEvents', await store.readTenantEvents(tenant, 0, 10), []);
      t.equal('query findings', await store.query(tenant, { filter: { kind: 'finding' }, limit: 10 }), { records: [], cursor: null });
      t.equal('query actions', await store.query(tenant, { filter: { kind: 'action' }, limit: 10 }), { records: [], cursor: null });
      t.ok('idempotentResult of an unknown key', (await store.idempotentResult(tenant, 'k')) === undefined, 'expected undefined (not null)');
    });

    storeTest(options, 'load returns every field of each committed record, and leaves out missing ids', async (store, t) => {
      const tenant = t.tenant();
      const full = aRecord(tenant, 'f-1', { document: TRICKY_JSON });
      const sparse = aRecord(tenant, 'a-1', { kind: 'action', index: NULL_INDEX, head: null, document: { format: 1, action: {} } });
      const writes = [aWrite(full, 0, 2), aWrite(sparse, 0, 1)];
      await store.commit(aBatch(tenant, writes));
      sameRecords(t, 'load', await store.load(tenant, ['f-1', 'missing', 'a-1']), writes.map((write) => write.record));
      t.equal('load of missing ids only', await store.load(tenant, ['missing']), []);
      t.equal('load of no ids', await store.load(tenant, []), []);
    });

    storeTest(options, 'events come back byte for byte through readEvents and readTenantEvents', async (store, t) => {
      const tenant = t.tenant();
      const record = aRecord(tenant, 'f-1');
      const entries: JsonValue[] = [anEntry(record, 1, TRICKY_JSON), anEntry(record, 2, { note: '' }), anEntry(record, 3, [[], {}, -0, 0.1])];
      const write = aWrite(record, 0, entries);
      const result = await store.commit(aBatch(tenant, [write]));
      t.equal('commit result', result, { tenantSequence: 3 });
      const expected = write.events.map((event, i) => eventView({ ...event, tenantSequence: i + 1 }));
      t.equal('readEvents', (await store.readEvents(tenant, 'f-1')).map(eventView), expected);
      t.equal('readTenantEvents', (await readAllTenantEvents(store, tenant)).map(eventView), expected);
    });

    storeTest(options, 'the new version is expectedVersion + events.length, whatever the record says', async (store, t) => {
      const tenant = t.tenant();
      const record = aRecord(tenant, 'f-1');
      await store.commit(aBatch(tenant, [{ ...aWrite(record, 0, 1), record: { ...record, version: 99 } }]));
      t.equal('version after 1 event', (await store.load(tenant, ['f-1']))[0]?.version, 1);
      await store.commit(aBatch(tenant, [{ ...aWrite(record, 1, 3), record: { ...record, version: 0 } }]));
      t.equal('version after 3 more events', (await store.load(tenant, ['f-1']))[0]?.version, 4);
      t.equal('sequences', (await store.readEvents(tenant, 'f-1')).map((event) => event.sequence), [1, 2, 3, 4]);
    });

    storeTest(options, 'tenant sequences run from 1 without gaps, in commit order (writes, then events, in order)', async (store, t) => {
      const tenant = t.tenant();
      const r1 = aRecord(tenant, 'r-1');
      const r2 = aRecord(tenant, 'r-2', { kind: 'action' });
      const r3 = aRecord(tenant, 'r-3');
      const batches = [
        aBatch(tenant, [aWrite(r1, 0, 2), aWrite(r2, 0, 1)]),
        aBatch(tenant, [aWrite(r3, 0, 3)]),
        aBatch(tenant, [aWrite(r2, 1, 1), aWrite(r1, 2, 1)]),
      ];
      const results = [];
      for (const batch of batches) results.push(await store.commit(batch));
      t.equal('commit results', results, [{ tenantSequence: 3 }, { tenantSequence: 6 }, { tenantSequence: 8 }]);
      const expected = batches.flatMap((batch) => batch.writes.flatMap((write) => write.events)).map((event, i) => eventView({ ...event, tenantSequence: i + 1 }));
      t.equal('readTenantEvents', (await readAllTenantEvents(store, tenant)).map(eventView), expected);
      t.equal('readEvents r-1 tenant sequences', (await store.readEvents(tenant, 'r-1')).map((event) => event.tenantSequence), [1, 2, 8]);
    });

    storeTest(options, 'readEvents after a sequence, and readTenantEvents after a position and up to a limit', async (store, t) => {
      const tenant = t.tenant();
      const a = aRecord(tenant, 'a');
      const b = aRecord(tenant, 'b');
      await store.commit(aBatch(tenant, [aWrite(a, 0, 3), aWrite(b, 0, 2)]));
      await store.commit(aBatch(tenant, [aWrite(a, 3, 2)]));
      t.equal('readEvents a after 0', (await store.readEvents(tenant, 'a', 0)).map((event) => event.sequence), [1, 2, 3, 4, 5]);
      t.equal('readEvents a after 3', (await store.readEvents(tenant, 'a', 3)).map((event) => event.sequence), [4, 5]);
      t.equal('readEvents a after 5', await store.readEvents(tenant, 'a', 5), []);
      t.equal('readEvents b', (await store.readEvents(tenant, 'b')).map((event) => [event.sequence, event.tenantSequence]), [[1, 4], [2, 5]]);
      const all = (await readAllTenantEvents(store, tenant)).map(eventView);
      t.equal('tenant sequences', all.map((event) => event.tenantSequence), [1, 2, 3, 4, 5, 6, 7]);
      for (const limit of [1, 2, 3, 7, 100]) {
        t.equal(`readTenantEvents in pages of ${limit}`, (await readAllTenantEvents(store, tenant, limit)).map(eventView), all);
      }
      t.equal('readTenantEvents after 5, limit 1', (await store.readTenantEvents(tenant, 5, 1)).map(eventView), all.slice(5, 6));
      t.equal('readTenantEvents after the last', await store.readTenantEvents(tenant, 7, 10), []);
    });

    storeTest(options, 'each commit replaces the record: index, head and document', async (store, t) => {
      const tenant = t.tenant();
      const record = aRecord(tenant, 'f-1', { document: { format: 1, finding: { id: 'f-1', title: 'Old', dropped: 'old field' } } });
      await store.commit(aBatch(tenant, [aWrite(record, 0, 1)]));
      const changed: StoredRecord = {
        ...record,
        head: 'f'.repeat(64),
        index: { ...record.index, status: 'closed', open: false, grade: null, dueDate: null, text: 'changed' },
        document: { format: 1, finding: { id: 'f-1', title: 'Changed' } },
      };
      const write = aWrite(changed, 1, 1);
      await store.commit(aBatch(tenant, [write]));
      sameRecords(t, 'load after the second commit', await store.load(tenant, ['f-1']), [write.record]);
      const open = await store.query(tenant, { filter: { kind: 'finding', open: true }, limit: 10 });
      t.equal('query by the old index', open.records.map((r) => r.id), []);
      const closed = await store.query(tenant, { filter: { kind: 'finding', status: ['closed'] }, limit: 10 });
      t.equal('query by the new index', closed.records.map((r) => r.id), ['f-1']);
    });

    storeTest(options, "what a caller holds is not the store's: changing a committed batch or a read value changes nothing stored", async (store, t) => {
      const tenant = t.tenant();
      const record = aRecord(tenant, 'f-1', { document: { format: 1, list: [1, 2, 3], nested: { deep: 'value' } } });
      const write = aWrite(record, 0, [{ kind: 'entry', list: [1] }]);
      const batch = aBatch(tenant, [write], { key: 'k', result: { list: [1] } });
      const original = JSON.parse(JSON.stringify(batch)) as typeof batch;
      await store.commit(batch);
      type Loose = { [key: string]: unknown };
      const mutable = batch as unknown as { writes: { record: Loose & { index: Loose; document: Loose & { list: unknown[] } }; events: { entry: Loose & { list: unknown[] } }[] }[]; idempotency: { result: { list: unknown[] } } };
      mutable.writes[0]!.record.document.list.push(4);
      mutable.writes[0]!.record.index.status = 'mutated';
      mutable.writes[0]!.events[0]!.entry.list.push(2);
      mutable.idempotency.result.list.push(2);
      const loaded = (await store.load(tenant, ['f-1']))[0] as unknown as { document: { list: unknown[] }; index: Loose };
      loaded.document.list.push('read');
      loaded.index.status = 'read';
      const events = await store.readEvents(tenant, 'f-1');
      (events[0]!.entry as { list: unknown[] }).list.push('read');
      const result = (await store.idempotentResult(tenant, 'k')) as { list: unknown[] };
      result.list.push('read');
      sameRecords(t, 'load', await store.load(tenant, ['f-1']), [original.writes[0]!.record]);
      t.equal('readEvents', (await store.readEvents(tenant, 'f-1')).map(eventView), [eventView({ ...original.writes[0]!.events[0]!, tenantSequence: 1 })]);
      t.equal('idempotentResult', exactJson(await store.idempotentResult(tenant, 'k')), exactJson(original.idempotency!.result));
    });

    storeTest(options, 'random JSON documents and entries round-trip (property)', async (store, t) => {
      const fc = await fastCheck();
      const json = fc.jsonValue({ stringUnit: 'binary', maxDepth: 4 }) as Arbitrary<JsonValue>;
      await fc.assert(
        fc.asyncProperty(json, fc.array(json, { minLength: 1, maxLength: 3 }), async (document, entries) => {
          const tenant = freshTenant('rt');
          const write = aWrite(aRecord(tenant, 'f-1', { document }), 0, entries);
          await store.commit(aBatch(tenant, [write], { key: 'k', result: document }));
          sameRecords(t, 'load', await store.load(tenant, ['f-1']), [write.record]);
          const expected = write.events.map((event, i) => eventView({ ...event, tenantSequence: i + 1 }));
          t.equal('readEvents', (await store.readEvents(tenant, 'f-1')).map(eventView), expected);
          t.equal('idempotentResult', sortedJson(await store.idempotentResult(tenant, 'k')), sortedJson(document));
        }),
        { numRuns: options.runs, ...(options.seed === undefined ? {} : { seed: options.seed }) },
      );
    });
  });
}
