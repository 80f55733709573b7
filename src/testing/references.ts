import { aBatch, aRecord, aWrite } from './fixtures.js';
import { settle, storeTest } from './harness.js';
import { resolveOptions, type StoreConformanceOptions } from './options.js';

const CONCURRENT_CALLS = 200;

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

/**
 * The reference-number group: `nextReference` starts at 1 and counts up by one, never
 * hands out a number twice even to 200 concurrent callers, is
 * independent per tenant, and is not moved by commits.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { memoryStore } from 'capa-kit/register';
 * import { referenceSuite } from 'capa-kit/testing';
 *
 * referenceSuite({ name: 'memory', describe, it, expect, createStore: async () => memoryStore() });
 * ```
 */
export function referenceSuite(input: StoreConformanceOptions): void {
  const options = resolveOptions(input);
  options.describe('reference numbers', () => {
    storeTest(options, 'start at 1 and count up by one, whatever is committed in between', async (store, t) => {
      const tenant = t.tenant();
      const numbers = [await store.nextReference(tenant), await store.nextReference(tenant)];
      await store.commit(aBatch(tenant, [aWrite(aRecord(tenant, 'f-1'), 0, 3)]));
      await t.refused('a stale commit', store.commit(aBatch(tenant, [aWrite(aRecord(tenant, 'f-1'), 0, 1)])));
      numbers.push(await store.nextReference(tenant));
      t.equal('numbers', numbers, [1, 2, 3]);
    });

    storeTest(options, `${CONCURRENT_CALLS} concurrent calls get 1 to ${CONCURRENT_CALLS}, each exactly once`, async (store, t) => {
      const tenant = t.tenant();
      const { won, lost } = await settle(range(0, CONCURRENT_CALLS).map(() => store.nextReference(tenant)));
      t.equal('failed calls', lost.map((loss) => String(loss.error)), []);
      t.equal('numbers, sorted', won.map((call) => call.value).sort((a, b) => a - b), range(1, CONCURRENT_CALLS));
      t.equal('the next number', await store.nextReference(tenant), CONCURRENT_CALLS + 1);
    });

    storeTest(options, 'each tenant has its own sequence, even under concurrency', async (store, t) => {
      const tenants = [t.tenant('one'), t.tenant('two'), t.tenant('three')];
      const calls = range(0, 150).map((i) => tenants[i % 3]!);
      const { won, lost } = await settle(calls.map((tenant) => store.nextReference(tenant)));
      t.equal('failed calls', lost.map((loss) => String(loss.error)), []);
      for (const tenant of tenants) {
        const numbers = won.filter((call) => calls[call.index] === tenant).map((call) => call.value).sort((a, b) => a - b);
        t.equal(`numbers of ${tenant}`, numbers, range(1, 50));
      }
    });
  });
}
