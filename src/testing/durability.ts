import type { CapaStore } from '../store/contract.js';
import { aBatch, aRecord, aWrite } from './fixtures.js';
import { type Checks, checks, closing, freshTenant, snapshot } from './harness.js';
import { type ResolvedOptions, resolveOptions, type StoreConformanceOptions } from './options.js';

/**
 * The durability group. For a run that claims `durable` (with `reopen`): everything
 * committed survives closing the store and opening its data again: records, events,
 * tenant sequences, idempotency keys and reference sequences, which go on where they
 * stopped. For a run that does not claim it, one test checks that the claim is true: the
 * store does not declare `durable` either, and what it held is gone once it is closed
 * (opened again through `reopen` when given, else through `createStore`). A claim that
 * disagrees with the store, either way, fails; it is never a silent skip.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import type { CapaStore } from 'capa-kit/register';
 * import { durabilitySuite } from 'capa-kit/testing';
 *
 * declare function openMyStore(path: string): Promise<CapaStore>; // your adapter
 *
 * const paths = new WeakMap<CapaStore, string>();
 * durabilitySuite({
 *   name: 'my store', describe, it, expect,
 *   createStore: async () => {
 *     const path = `/tmp/capa-${crypto.randomUUID()}`;
 *     const store = await openMyStore(path);
 *     paths.set(store, path);
 *     return store;
 *   },
 *   capabilities: { durable: true },
 *   reopen: async (closed) => openMyStore(paths.get(closed)!),
 * });
 * ```
 */
export function durabilitySuite(input: StoreConformanceOptions): void {
  const options = resolveOptions(input);
  options.describe('durability', () => {
    if (options.capabilities.durable) durableTest(options, options.reopen!);
    else notDurableTest(options);
  });
}

const TO_CLAIM = 'pass capabilities: { durable: true } and a reopen(store) to the kit, so that the durability tests run';

function durableTest(options: ResolvedOptions, reopen: (closed: CapaStore) => Promise<CapaStore>): void {
  options.it(
    'everything committed survives a reopen, and the sequences go on where they stopped',
    async () => {
      const t = checks(options);
      const first: CapaStore = await options.createStore();
      const [one, two] = [freshTenant('one'), freshTenant('two')];
      const ids = ['f-1', 'a-1'];
      const keys = ['k-1', 'k-2'];
      const before = await closing(first, async () => {
        declares(t, first, true, 'the run claims capabilities.durable: true, but store.capabilities.durable is false: make them agree (a store that is durable declares it)');
        const f1 = aWrite(aRecord(one, 'f-1'), 0, 3);
        await first.commit(aBatch(one, [f1, aWrite(aRecord(one, 'a-1', { kind: 'action' }), 0, 1)], { key: 'k-1', result: { ok: 1 } }));
        await first.commit(aBatch(one, [aWrite(f1.record, 3, 1)]));
        await first.commit(aBatch(two, [aWrite(aRecord(two, 'f-1'), 0, 1)], { key: 'k-2', result: null }));
        for (let i = 0; i < 3; i += 1) await first.nextReference(one, 'finding');
        await first.nextReference(one, 'action');
        return [await snapshot(first, one, ids, keys), await snapshot(first, two, ids, keys)];
      });
      const again = await reopen(first);
      await closing(again, async () => {
        t.equal('tenant one after the reopen', await snapshot(again, one, ids, keys), before[0]);
        t.equal('tenant two after the reopen', await snapshot(again, two, ids, keys), before[1]);
        t.equal('the next finding reference of tenant one', await again.nextReference(one, 'finding'), 4);
        t.equal('the next action reference of tenant one', await again.nextReference(one, 'action'), 2);
        t.equal('the next finding reference of tenant two', await again.nextReference(two, 'finding'), 1);
        await t.duplicate('a reference held before the reopen', again.commit(aBatch(one, [aWrite(aRecord(one, 'f-9', { index: { reference: 'NC-f-1' } }), 0, 1)])), {
          tenantId: one,
          kind: 'finding',
          reference: 'NC-f-1',
          holder: 'f-1',
          refused: 'f-9',
        });
        await t.refused('a write against the version before the reopen', again.commit(aBatch(one, [aWrite(aRecord(one, 'f-1'), 3, 1)])), 'f-1');
        await t.refused('a used key', again.commit(aBatch(one, [aWrite(aRecord(one, 'x'), 0, 1)], { key: 'k-1', result: 2 })), 'idempotency:k-1');
        t.equal('the next commit', await again.commit(aBatch(one, [aWrite(aRecord(one, 'f-1'), 4, 1)])), { tenantSequence: 6 });
      });
    },
    options.timeout,
  );
}

function notDurableTest(options: ResolvedOptions): void {
  options.it(
    'a run that does not claim durable: the store declares no durability, and keeps nothing once closed',
    async () => {
      const t = checks(options);
      const first = await options.createStore();
      const tenant = freshTenant('durable');
      await closing(first, async () => {
        declares(t, first, false, `store.capabilities.durable is true, but the run does not claim it, so the durability tests would be skipped: ${TO_CLAIM}`);
        await first.commit(aBatch(tenant, [aWrite(aRecord(tenant, 'f-1'), 0, 1)]));
      });
      const how = options.reopen === undefined ? 'a store from createStore()' : 'reopen(store)';
      const again = options.reopen === undefined ? await options.createStore() : await options.reopen(first);
      await closing(again, async () => {
        const kept = (await again.load(tenant, ['f-1'])).length > 0 || (await again.readTenantEvents(tenant, 0, 1)).length > 0;
        t.ok(
          'a store that does not claim durable keeps nothing once closed',
          !kept,
          `what a closed store committed came back through ${how}: the store keeps its data, so it is durable. Declare store.capabilities.durable = true and ${TO_CLAIM}`,
        );
      });
    },
    options.timeout,
  );
}

/** Fails unless the store declares `durable` as the run claims. */
function declares(t: Checks, store: CapaStore, durable: boolean, message: string): void {
  t.ok('store.capabilities.durable matches the claim', store.capabilities?.durable === durable, message);
}
