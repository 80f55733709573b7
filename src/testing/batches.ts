import type { RecordWrite, StoredRecord } from '../store/contract.js';
import { aBatch, aRecord, aWrite, seedRecords } from './fixtures.js';
import { eventView, readAllTenantEvents, sameRecords, snapshot, storeTest } from './harness.js';
import { resolveOptions, type StoreConformanceOptions } from './options.js';

/** The ways a write can be stale against a record at version 1 (or absent). */
const STALE: readonly { readonly name: string; readonly write: (record: StoredRecord, absent: StoredRecord) => RecordWrite }[] = [
  { name: 'behind (expects 0 of a record at 1: creating an existing record)', write: (record) => aWrite(record, 0, 1) },
  { name: 'ahead (expects 5 of a record at 1)', write: (record) => aWrite(record, 5, 1) },
  { name: 'missing (expects 1 of a record that does not exist)', write: (_, absent) => aWrite(absent, 1, 1) },
  { name: 'behind with no events (expects 0 of a record at 1)', write: (record) => aWrite(record, 0, 0) },
];

/**
 * The batch group: a batch over several records commits all of them or none; one stale
 * write (behind, ahead, or of a missing record, anywhere in the batch) refuses the whole
 * batch; a write with no new events changes no version but replaces the record; an empty
 * batch changes nothing and reports the current tenant sequence.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { memoryStore } from 'capa-kit/register';
 * import { batchSuite } from 'capa-kit/testing';
 *
 * batchSuite({ name: 'memory', describe, it, expect, createStore: async () => memoryStore() });
 * ```
 */
export function batchSuite(input: StoreConformanceOptions): void {
  const options = resolveOptions(input);
  options.describe('batches', () => {
    storeTest(options, 'a batch over several records writes all of them', async (store, t) => {
      const tenant = t.tenant();
      const records = ['a', 'b', 'c'].map((id) => aRecord(tenant, id));
      const first = records.map((record, i) => aWrite(record, 0, i + 1));
      t.equal('first commit', await store.commit(aBatch(tenant, first)), { tenantSequence: 6 });
      const d = aRecord(tenant, 'd', { kind: 'action' });
      const second = [aWrite(first[2]!.record, 3, 1), aWrite(d, 0, 2), aWrite(first[0]!.record, 1, 1)];
      t.equal('second commit', await store.commit(aBatch(tenant, second)), { tenantSequence: 10 });
      sameRecords(t, 'records', await store.load(tenant, ['a', 'b', 'c', 'd']), [second[2]!.record, first[1]!.record, second[0]!.record, second[1]!.record]);
      const events = [...first, ...second].flatMap((write) => write.events).map((event, i) => eventView({ ...event, tenantSequence: i + 1 }));
      t.equal("the tenant's events", (await readAllTenantEvents(store, tenant)).map(eventView), events);
    });

    for (const stale of STALE) {
      for (const position of ['first', 'middle', 'last'] as const) {
        storeTest(options, `one stale write (${stale.name}, ${position}) refuses the whole batch`, async (store, t) => {
          const tenant = t.tenant();
          const [a, b, c] = await seedRecords(store, tenant, ['a', 'b', 'c'].map((id) => aRecord(tenant, id)));
          const before = await snapshot(store, tenant, ['a', 'b', 'c', 'new', 'absent']);
          const bad = stale.write(b!, aRecord(tenant, 'absent'));
          const good = [aWrite(a!, 1, 2), aWrite(aRecord(tenant, 'new', { kind: 'action' }), 0, 1), aWrite(c!, 1, 0)];
          const writes = position === 'first' ? [bad, ...good] : position === 'middle' ? [good[0]!, bad, ...good.slice(1)] : [...good, bad];
          await t.refused('the batch', store.commit(aBatch(tenant, writes)), bad.record.id);
          t.equal('the tenant after the refused batch', await snapshot(store, tenant, ['a', 'b', 'c', 'new', 'absent']), before);
          t.equal('the next commit', await store.commit(aBatch(tenant, [aWrite(a!, 1, 1)])), { tenantSequence: 4 });
        });
      }
    }

    storeTest(options, 'a write with no new events changes no version, but replaces the record', async (store, t) => {
      const tenant = t.tenant();
      const record = aRecord(tenant, 'f-1');
      await store.commit(aBatch(tenant, [aWrite(record, 0, 2)]));
      const eventsBefore = await readAllTenantEvents(store, tenant);
      const replaced: StoredRecord = {
        ...record,
        head: 'e'.repeat(64),
        index: { ...record.index, ownerId: 'u-2', open: false },
        document: { format: 1, finding: { id: 'f-1', title: 'Reassigned' } },
      };
      const write = aWrite(replaced, 2, 0);
      t.equal('commit result (the unchanged tenant sequence)', await store.commit(aBatch(tenant, [write])), { tenantSequence: 2 });
      sameRecords(t, 'the record', await store.load(tenant, ['f-1']), [{ ...write.record, version: 2 }]);
      t.equal("the tenant's events", await readAllTenantEvents(store, tenant), eventsBefore);
      t.equal('query by the new index', (await store.query(tenant, { filter: { kind: 'finding', ownerId: ['u-2'] }, limit: 5 })).records.map((r) => r.id), ['f-1']);
      t.equal('the next write, still against version 2', await store.commit(aBatch(tenant, [aWrite(write.record, 2, 1)])), { tenantSequence: 3 });
    });

    storeTest(options, 'a batch with no writes changes nothing and reports the current tenant sequence', async (store, t) => {
      const tenant = t.tenant();
      t.equal('an empty batch in an empty tenant', await store.commit(aBatch(tenant, [])), { tenantSequence: 0 });
      await seedRecords(store, tenant, [aRecord(tenant, 'a'), aRecord(tenant, 'b')]);
      const before = await snapshot(store, tenant, ['a', 'b']);
      t.equal('an empty batch after two events', await store.commit(aBatch(tenant, [])), { tenantSequence: 2 });
      t.equal('the tenant', await snapshot(store, tenant, ['a', 'b']), before);
    });
  });
}
