import type { JsonValue } from '../store/contract.js';
import { aBatch, aRecord, aWrite, seedRecords, TRICKY_JSON } from './fixtures.js';
import { exactJson, onlyConcurrencyErrors, sameRecords, settle, snapshot, sortedJson, storeTest } from './harness.js';
import { resolveOptions, type StoreConformanceOptions } from './options.js';

const WRITERS = 8;

/**
 * The idempotency group: a batch's idempotency key is stored with its result in the same
 * transaction; `idempotentResult` returns the result (`null` included) and `undefined`
 * for an unknown key; a second batch with a used key is refused with a `ConcurrencyError`
 * whose `recordId` is `idempotency:<key>` and writes nothing; a refused batch does not
 * use up its key; of concurrent batches with one key, exactly one wins; keys compare
 * exactly.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { memoryStore } from 'capa-kit/register';
 * import { idempotencySuite } from 'capa-kit/testing';
 *
 * idempotencySuite({ name: 'memory', describe, it, expect, createStore: async () => memoryStore() });
 * ```
 */
export function idempotencySuite(input: StoreConformanceOptions): void {
  const options = resolveOptions(input);
  options.describe('idempotency', () => {
    storeTest(options, 'a batch with a key stores its result; idempotentResult returns it, and undefined for unknown keys', async (store, t) => {
      const tenant = t.tenant();
      t.ok('an unknown key', (await store.idempotentResult(tenant, 'k-1')) === undefined, 'expected undefined');
      await store.commit(aBatch(tenant, [aWrite(aRecord(tenant, 'f-1'), 0, 1)], { key: 'k-1', result: TRICKY_JSON }));
      t.equal('the stored result', sortedJson(await store.idempotentResult(tenant, 'k-1')), sortedJson(TRICKY_JSON));
      t.ok('another unknown key', (await store.idempotentResult(tenant, 'k-2')) === undefined, 'expected undefined');
    });

    storeTest(options, 'a stored result of null is null, not undefined; results of every JSON type are kept', async (store, t) => {
      const tenant = t.tenant();
      const results: JsonValue[] = [null, false, 0, '', [], {}, 'text', 42.5];
      for (const [i, result] of results.entries()) {
        await store.commit(aBatch(tenant, [aWrite(aRecord(tenant, `f-${i}`), 0, 1)], { key: `k-${i}`, result }));
      }
      for (const [i, result] of results.entries()) {
        const stored = await store.idempotentResult(tenant, `k-${i}`);
        t.ok(`the result of k-${i} is defined`, stored !== undefined, 'expected the stored result, got undefined');
        t.equal(`the result of k-${i}`, exactJson(stored), exactJson(result));
      }
    });

    storeTest(options, 'a second batch with a used key is refused with ConcurrencyError (idempotency:<key>) and writes nothing', async (store, t) => {
      const tenant = t.tenant();
      const [a] = await seedRecords(store, tenant, [aRecord(tenant, 'a')]);
      await store.commit(aBatch(tenant, [aWrite(a!, 1, 1)], { key: 'once', result: 'first' }));
      const before = await snapshot(store, tenant, ['a', 'b'], ['once']);
      const again = aBatch(tenant, [aWrite(aRecord(tenant, 'b'), 0, 1), aWrite({ ...a!, version: 2 }, 2, 1)], { key: 'once', result: 'second' });
      await t.refused('the second batch', store.commit(again), 'idempotency:once');
      t.equal('the tenant after the refused batch', await snapshot(store, tenant, ['a', 'b'], ['once']), before);
      t.equal('the result', await store.idempotentResult(tenant, 'once'), 'first');
    });

    storeTest(options, 'a batch refused for a stale version does not store its key, so a retry with the key succeeds', async (store, t) => {
      const tenant = t.tenant();
      const [a] = await seedRecords(store, tenant, [aRecord(tenant, 'a')]);
      await t.refused('the stale batch', store.commit(aBatch(tenant, [aWrite(a!, 0, 1)], { key: 'retry', result: 'stale' })), 'a');
      t.ok('the key after the refused batch', (await store.idempotentResult(tenant, 'retry')) === undefined, 'expected undefined: the key was stored by a refused batch');
      await store.commit(aBatch(tenant, [aWrite(a!, 1, 1)], { key: 'retry', result: 'fresh' }));
      t.equal('the key after the retry', await store.idempotentResult(tenant, 'retry'), 'fresh');
    });

    storeTest(options, `of ${WRITERS} concurrent batches with one key, exactly one wins and only its records exist`, async (store, t) => {
      const tenant = t.tenant();
      const batches = Array.from({ length: WRITERS }, (_, i) => aBatch(tenant, [aWrite(aRecord(tenant, `r-${i}`), 0, 1)], { key: 'race', result: i }));
      const { won, lost } = await settle(batches.map((batch) => store.commit(batch)));
      onlyConcurrencyErrors('the losers', lost.map((loss) => loss.error));
      t.equal('how many won', won.length, 1);
      const winner = won[0]!.index;
      sameRecords(t, 'the records', await store.load(tenant, batches.map((_, i) => `r-${i}`)), [batches[winner]!.writes[0]!.record]);
      t.equal('the result', await store.idempotentResult(tenant, 'race'), winner);
    });

    storeTest(options, 'keys compare exactly: case, spaces and unicode normalisation all count', async (store, t) => {
      const tenant = t.tenant();
      const keys = ['key', 'Key', 'KEY', 'key ', ' key', 'caf\u00e9', 'cafe\u0301', 'ключ', '🔑', 'a'.repeat(200)];
      for (const [i, key] of keys.entries()) {
        await t.resolves(`a batch with key ${JSON.stringify(key)}`, store.commit(aBatch(tenant, [aWrite(aRecord(tenant, `f-${i}`), 0, 1)], { key, result: i })));
      }
      t.equal('results', await Promise.all(keys.map((key) => store.idempotentResult(tenant, key))), keys.map((_, i) => i));
    });
  });
}
