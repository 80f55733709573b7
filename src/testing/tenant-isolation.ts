import { aBatch, aRecord, aWrite } from './fixtures.js';
import { eventView, queryAll, readAllTenantEvents, sameRecords, settle, storeTest } from './harness.js';
import { resolveOptions, type StoreConformanceOptions } from './options.js';

/**
 * The tenant-isolation group: two tenants with the same record ids, keys and index values
 * never see each other, through any method: `load`, `readEvents`, `readTenantEvents` and
 * its sequences, `query` (recurrence counts included), `nextReference` and idempotency.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { memoryStore } from 'capa-kit/register';
 * import { tenantIsolationSuite } from 'capa-kit/testing';
 *
 * tenantIsolationSuite({ name: 'memory', describe, it, expect, createStore: async () => memoryStore() });
 * ```
 */
export function tenantIsolationSuite(input: StoreConformanceOptions): void {
  const options = resolveOptions(input);
  options.describe('tenant isolation', () => {
    storeTest(options, 'the same record id in two tenants: separate records, versions and events', async (store, t) => {
      const [one, two] = [t.tenant('one'), t.tenant('two')];
      const inOne = aWrite(aRecord(one, 'f-1', { document: { tenant: 'one' } }), 0, 2);
      const inTwo = aWrite(aRecord(two, 'f-1', { document: { tenant: 'two' } }), 0, 1);
      await store.commit(aBatch(one, [inOne]));
      t.equal('tenant two before its first commit: load', await store.load(two, ['f-1']), []);
      t.equal('tenant two before its first commit: readEvents', await store.readEvents(two, 'f-1'), []);
      t.equal('creating f-1 in tenant two (expected version 0)', await t.resolves('creating f-1 in tenant two', store.commit(aBatch(two, [inTwo]))), { tenantSequence: 1 });
      sameRecords(t, 'tenant one', await store.load(one, ['f-1']), [inOne.record]);
      sameRecords(t, 'tenant two', await store.load(two, ['f-1']), [inTwo.record]);
      const next = aWrite(inTwo.record, 1, 1);
      await store.commit(aBatch(two, [next]));
      await t.refused("tenant one's f-1 at tenant two's version", store.commit(aBatch(one, [aWrite(inOne.record, 1, 1)])), 'f-1');
      t.equal('tenant one events', (await store.readEvents(one, 'f-1')).map(eventView), inOne.events.map((event, i) => eventView({ ...event, tenantSequence: i + 1 })));
      t.equal('tenant two events', (await store.readEvents(two, 'f-1')).map(eventView), [...inTwo.events, ...next.events].map((event, i) => eventView({ ...event, tenantSequence: i + 1 })));
    });

    storeTest(options, 'tenant events and tenant sequences are counted per tenant', async (store, t) => {
      const [one, two] = [t.tenant('one'), t.tenant('two')];
      const results: number[] = [];
      for (const [tenant, id, count] of [[one, 'a', 2], [two, 'a', 1], [one, 'b', 1], [two, 'b', 3]] as const) {
        results.push((await store.commit(aBatch(tenant, [aWrite(aRecord(tenant, id), 0, count)]))).tenantSequence);
      }
      t.equal('commit results', results, [2, 1, 3, 4]);
      const ofOne = await readAllTenantEvents(store, one);
      const ofTwo = await readAllTenantEvents(store, two);
      t.equal('tenant one: sequences', ofOne.map((event) => [event.recordId, event.tenantSequence]), [['a', 1], ['a', 2], ['b', 3]]);
      t.equal('tenant two: sequences', ofTwo.map((event) => [event.recordId, event.tenantSequence]), [['a', 1], ['b', 2], ['b', 3], ['b', 4]]);
      t.equal('tenant ids', [...new Set([...ofOne, ...ofTwo].map((event) => event.tenantId))].sort(), [one, two].sort());
      t.ok('tenant one reads only its own events', ofOne.every((event) => event.tenantId === one));
    });

    storeTest(options, 'queries see only their tenant, recurrence counts included', async (store, t) => {
      const [one, two] = [t.tenant('one'), t.tenant('two')];
      const requirement = 'ISO/IEC 27001:2022 A.5.18';
      await store.commit(aBatch(one, [aWrite(aRecord(one, 'f-1', { index: { requirement } }), 0, 1)]));
      await store.commit(aBatch(two, ['f-1', 'f-2', 'f-3'].map((id) => aWrite(aRecord(two, id, { index: { requirement } }), 0, 1))));
      const all = await queryAll(store, one, { kind: 'finding' });
      t.equal('tenant one: every finding', all.records.map((record) => [record.tenantId, record.id]), [[one, 'f-1']]);
      const recurring = { kind: 'finding', recurrence: { field: 'requirement', moreThan: 1, raisedSince: '2000-01-01T00:00:00.000Z' } } as const;
      t.equal('tenant one: recurring requirement (1 of its own, 3 in tenant two)', (await queryAll(store, one, recurring)).records.map((record) => record.id), []);
      t.equal('tenant two: recurring requirement', (await queryAll(store, two, recurring)).records.map((record) => record.id), ['f-1', 'f-2', 'f-3']);
      t.equal('tenant one: text search', (await queryAll(store, one, { kind: 'finding', text: 'leavers' })).records.map((record) => record.id), ['f-1']);
    });

    storeTest(options, 'reference sequences are independent per tenant, even concurrently', async (store, t) => {
      const [one, two] = [t.tenant('one'), t.tenant('two')];
      t.equal('tenant one, three times', [await store.nextReference(one, 'finding'), await store.nextReference(one, 'finding'), await store.nextReference(one, 'finding')], [1, 2, 3]);
      t.equal('tenant two, first', await store.nextReference(two, 'finding'), 1);
      const calls = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? one : two));
      const { won, lost } = await settle(calls.map((tenant) => store.nextReference(tenant, 'finding')));
      t.equal('failed calls', lost.map((loss) => String(loss.error)), []);
      const numbers = (tenant: string) => won.filter((call) => calls[call.index] === tenant).map((call) => call.value).sort((a, b) => a - b);
      t.equal('tenant one, 20 concurrent', numbers(one), Array.from({ length: 20 }, (_, i) => i + 4));
      t.equal('tenant two, 20 concurrent', numbers(two), Array.from({ length: 20 }, (_, i) => i + 2));
    });

    storeTest(options, 'idempotency keys are per tenant', async (store, t) => {
      const [one, two] = [t.tenant('one'), t.tenant('two')];
      await store.commit(aBatch(one, [aWrite(aRecord(one, 'f-1'), 0, 1)], { key: 'same-key', result: 'one' }));
      t.ok("tenant two does not see tenant one's key", (await store.idempotentResult(two, 'same-key')) === undefined, 'expected undefined');
      t.equal('the same key in tenant two', await t.resolves('a batch with the same key in tenant two', store.commit(aBatch(two, [aWrite(aRecord(two, 'f-1'), 0, 1)], { key: 'same-key', result: 'two' }))), { tenantSequence: 1 });
      t.equal("tenant one's result", await store.idempotentResult(one, 'same-key'), 'one');
      t.equal("tenant two's result", await store.idempotentResult(two, 'same-key'), 'two');
    });
  });
}
