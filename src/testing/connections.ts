import type { CapaStore } from '../store/contract.js';
import { raceOnOneRecord } from './concurrency.js';
import { aBatch, aRecord, aWrite } from './fixtures.js';
import { checks, closing, freshTenant, isDuplicateReferenceError, readAllTenantEvents, sameRecords, settle, storeTest, type Tools } from './harness.js';
import { type ResolvedOptions, resolveOptions, type StoreConformanceOptions } from './options.js';

/** Registers a test over two connections to the same data, both closed afterwards. */
function connectionsTest(options: ResolvedOptions, connect: (store: CapaStore) => Promise<CapaStore>, name: string, body: (stores: [CapaStore, CapaStore], t: Tools) => Promise<void>): void {
  options.it(
    name,
    async () => {
      const first = await options.createStore();
      await closing(first, async () => {
        const second = await connect(first);
        await closing(second, () => body([first, second], { ...checks(options), tenant: freshTenant, options }));
      });
    },
    options.timeout,
  );
}

/**
 * The connections group. For a run that claims `multiProcess` (with `connect`): two
 * connections to the same data see each other's commits; writers racing through both
 * produce one winner per version; reference numbers, references and idempotency keys are unique
 * across them. For a run that does not claim it, one test checks that the store does not declare
 * it either: a claim that disagrees with `store.capabilities`, either way, fails rather
 * than skipping these tests.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import type { CapaStore } from 'capa-kit/register';
 * import { connectionsSuite } from 'capa-kit/testing';
 *
 * declare function openMyStore(url: string): Promise<CapaStore>; // your adapter
 *
 * connectionsSuite({
 *   name: 'my store', describe, it, expect,
 *   createStore: async () => openMyStore(process.env.DATABASE_URL!),
 *   capabilities: { multiProcess: true },
 *   connect: async () => openMyStore(process.env.DATABASE_URL!),
 * });
 * ```
 */
export function connectionsSuite(input: StoreConformanceOptions): void {
  const options = resolveOptions(input);
  const connect = options.connect;
  if (!options.capabilities.multiProcess || connect === undefined) {
    options.describe('connections', () => {
      storeTest(options, 'a run that does not claim multiProcess: the store does not declare it either', async (store, t) => {
        t.ok(
          'store.capabilities.multiProcess matches the claim',
          store.capabilities?.multiProcess === false,
          'store.capabilities.multiProcess is true, but the run does not claim it, so the connections tests would be skipped: pass capabilities: { multiProcess: true } and a connect(store) to the kit',
        );
      });
    });
    return;
  }
  options.describe('connections', () => {
    connectionsTest(options, connect, 'a commit through one connection is seen through the other', async ([first, second], t) => {
      t.ok(
        'store.capabilities.multiProcess matches the claim',
        first.capabilities?.multiProcess === true,
        'the run claims capabilities.multiProcess: true, but store.capabilities.multiProcess is false: make them agree',
      );
      const tenant = t.tenant();
      const write = aWrite(aRecord(tenant, 'f-1'), 0, 2);
      await first.commit(aBatch(tenant, [write], { key: 'k', result: 'done' }));
      sameRecords(t, 'load through the second connection', await second.load(tenant, ['f-1']), [write.record]);
      t.equal('events through the second connection', (await second.readEvents(tenant, 'f-1')).length, 2);
      t.equal('query through the second connection', (await second.query(tenant, { filter: { kind: 'finding' }, limit: 10 })).records.map((record) => record.id), ['f-1']);
      t.equal('the key through the second connection', await second.idempotentResult(tenant, 'k'), 'done');
      await t.refused('a stale write through the second connection', second.commit(aBatch(tenant, [aWrite(aRecord(tenant, 'f-1'), 0, 1)])), 'f-1');
    });

    connectionsTest(options, connect, 'writers racing through both connections: one wins each version', async (stores, t) => {
      await raceOnOneRecord(t, (writer) => stores[writer % 2]!, t.tenant(), 8, 4);
    });

    connectionsTest(options, connect, 'reference numbers are unique across connections', async (stores, t) => {
      const tenant = t.tenant();
      const kindOf = (i: number) => (i % 4 < 2 ? 'finding' : 'action');
      const { won, lost } = await settle(Array.from({ length: 200 }, (_, i) => stores[i % 2]!.nextReference(tenant, kindOf(i))));
      t.equal('failed calls', lost.map((loss) => String(loss.error)), []);
      for (const kind of ['finding', 'action'] as const) {
        const numbers = won.filter((call) => kindOf(call.index) === kind).map((call) => call.value);
        t.equal(`${kind} numbers, sorted`, numbers.sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i + 1));
      }
    });

    connectionsTest(options, connect, 'commits racing through both connections for one reference: one record wins, the others write nothing', async (stores, t) => {
      const tenant = t.tenant();
      const writes = Array.from({ length: 6 }, (_, i) => aWrite(aRecord(tenant, `racer-${i}`, { index: { reference: 'NC-2026-0001' } }), 0, 1));
      const { won, lost } = await settle(writes.map((write, i) => stores[i % 2]!.commit(aBatch(tenant, [write]))));
      t.equal('how many won', won.length, 1);
      const other = lost.find((loss) => !isDuplicateReferenceError(loss.error));
      t.ok('every loser is refused with a DuplicateReferenceError', other === undefined, String(other?.error));
      const winner = writes[won[0]!.index]!.record;
      sameRecords(t, 'through the other connection, only the winner', await stores[(won[0]!.index + 1) % 2]!.load(tenant, writes.map((write) => write.record.id)), [winner]);
      t.equal('tenant sequences', (await readAllTenantEvents(stores[0], tenant)).map((event) => event.tenantSequence), [1]);
    });

    connectionsTest(options, connect, 'a key used through one connection is refused through the other', async ([first, second], t) => {
      const tenant = t.tenant();
      const batches = [first, second, first, second].map((_, i) => aBatch(tenant, [aWrite(aRecord(tenant, `r-${i}`), 0, 1)], { key: 'race', result: i }));
      const { won } = await settle(batches.map((batch, i) => (i % 2 === 0 ? first : second).commit(batch)));
      t.equal('how many won', won.length, 1);
      await t.refused('the key again', second.commit(aBatch(tenant, [aWrite(aRecord(tenant, 'late'), 0, 1)], { key: 'race', result: 9 })), 'idempotency:race');
    });
  });
}
