import { StoreContractError } from '../errors/store-errors.js';
import { type CapaStore, STORE_CONTRACT_VERSION, type StoredRecord } from '../store/contract.js';
import { aBatch, aRecord, aWrite, seedRecords } from './fixtures.js';
import { eventView, isDuplicateReferenceError, readAllTenantEvents, recordView, sameRecords, settle, snapshot, storeTest, type Tools } from './harness.js';
import { resolveOptions, type StoreConformanceOptions } from './options.js';

const CONCURRENT_CALLS = 200;
/** How many writers race for one reference. */
const RACERS = 8;

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

/** A finding (or action) of the kit with this reference. */
const holding = (tenant: string, id: string, reference: string | null, kind: 'finding' | 'action' = 'finding'): StoredRecord =>
  aRecord(tenant, id, { kind, index: { reference } });

/** Runs a commit that must be refused as a duplicate, and checks that the tenant holds what it held before. */
async function refusedWithNothingWritten(
  t: Tools,
  store: CapaStore,
  tenant: string,
  label: string,
  commit: () => Promise<unknown>,
  expected: { kind: 'finding' | 'action'; reference: string; holder: string | null; refused: string },
  ids: readonly string[],
): Promise<void> {
  const before = await snapshot(store, tenant, ids);
  await t.duplicate(label, commit(), { tenantId: tenant, ...expected });
  t.equal(`${label}: the tenant after the refusal`, await snapshot(store, tenant, ids), before);
}

/**
 * The references group: `nextReference` starts at 1 for each kind and counts up by one,
 * never hands out a number twice even to 200 concurrent callers, is independent per
 * tenant and per kind, and is not moved by commits; a record's reference (in its index) is
 * unique per tenant and kind: a second record with it is refused with a
 * `DuplicateReferenceError` naming both, within a batch too, under concurrency, and writing
 * nothing; the store declares the contract version it implements.
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
    storeTest(options, `declares storage contract version ${STORE_CONTRACT_VERSION}`, async (store, t) => {
      const found = (store as { contractVersion?: unknown }).contractVersion;
      // The register refuses such a store with this StoreContractError: the kit says the same.
      t.ok('contractVersion', found === STORE_CONTRACT_VERSION, new StoreContractError(found, STORE_CONTRACT_VERSION).message);
    });

    storeTest(options, 'start at 1 and count up by one, whatever is committed in between', async (store, t) => {
      const tenant = t.tenant();
      const numbers = [await store.nextReference(tenant, 'finding'), await store.nextReference(tenant, 'finding')];
      await store.commit(aBatch(tenant, [aWrite(aRecord(tenant, 'f-1'), 0, 3)]));
      await t.refused('a stale commit', store.commit(aBatch(tenant, [aWrite(aRecord(tenant, 'f-1'), 0, 1)])));
      numbers.push(await store.nextReference(tenant, 'finding'));
      t.equal('numbers', numbers, [1, 2, 3]);
    });

    storeTest(options, 'findings and actions count on their own, each from 1', async (store, t) => {
      const tenant = t.tenant();
      const kinds = ['finding', 'action', 'action', 'finding', 'action'] as const;
      const numbers = [];
      for (const kind of kinds) numbers.push(await store.nextReference(tenant, kind));
      t.equal('numbers in call order', numbers, [1, 1, 2, 2, 3]);
    });

    storeTest(options, `${CONCURRENT_CALLS} concurrent calls get 1 to ${CONCURRENT_CALLS}, each exactly once`, async (store, t) => {
      const tenant = t.tenant();
      const { won, lost } = await settle(range(0, CONCURRENT_CALLS).map(() => store.nextReference(tenant, 'finding')));
      t.equal('failed calls', lost.map((loss) => String(loss.error)), []);
      t.equal('numbers, sorted', won.map((call) => call.value).sort((a, b) => a - b), range(1, CONCURRENT_CALLS));
      t.equal('the next number', await store.nextReference(tenant, 'finding'), CONCURRENT_CALLS + 1);
    });

    storeTest(options, 'each tenant and each kind has its own sequence, even under concurrency', async (store, t) => {
      const tenants = [t.tenant('one'), t.tenant('two'), t.tenant('three')];
      const calls = range(0, 300).map((i) => ({ tenant: tenants[i % 3]!, kind: i % 2 === 0 ? ('finding' as const) : ('action' as const) }));
      const { won, lost } = await settle(calls.map((call) => store.nextReference(call.tenant, call.kind)));
      t.equal('failed calls', lost.map((loss) => String(loss.error)), []);
      for (const tenant of tenants) {
        for (const kind of ['finding', 'action'] as const) {
          const numbers = won.filter((call) => calls[call.index]!.tenant === tenant && calls[call.index]!.kind === kind).map((call) => call.value);
          t.equal(`${kind} numbers of ${tenant}`, numbers.sort((a, b) => a - b), range(1, 50));
        }
      }
    });

    storeTest(options, 'a kind it does not know is refused with a RangeError', async (store, t) => {
      const tenant = t.tenant();
      for (const kind of [undefined, 'findings', '']) {
        const error = await t.rejects(`nextReference(tenant, ${JSON.stringify(kind)})`, store.nextReference(tenant, kind as never));
        t.ok(`nextReference(tenant, ${JSON.stringify(kind)}) is refused with a RangeError`, error instanceof RangeError, String(error));
      }
      t.equal('the sequence did not move', await store.nextReference(tenant, 'finding'), 1);
    });
  });

  options.describe('unique references', () => {
    storeTest(options, 'a second record with a reference another holds is refused, naming both, and writes nothing', async (store, t) => {
      const tenant = t.tenant();
      await seedRecords(store, tenant, [holding(tenant, 'f-1', 'NC-2026-0006'), holding(tenant, 'f-2', 'NC-2026-0007')]);
      const twin = aWrite(holding(tenant, 'f-3', 'NC-2026-0006'), 0, 2);
      const ids = ['f-1', 'f-2', 'f-3'];
      await refusedWithNothingWritten(t, store, tenant, 'a new record', () => store.commit(aBatch(tenant, [twin], { key: 'k', result: 1 })), { kind: 'finding', reference: 'NC-2026-0006', holder: 'f-1', refused: 'f-3' }, ids);
      t.equal('the key of the refused commit is not stored', await store.idempotentResult(tenant, 'k'), undefined);
      const renamed = aWrite(holding(tenant, 'f-2', 'NC-2026-0006'), 1, 1);
      await refusedWithNothingWritten(t, store, tenant, 'a stored record taking it', () => store.commit(aBatch(tenant, [renamed])), { kind: 'finding', reference: 'NC-2026-0006', holder: 'f-1', refused: 'f-2' }, ids);
      // Tenant sequences have no gap after the refusals.
      await store.commit(aBatch(tenant, [aWrite(holding(tenant, 'f-3', 'NC-2026-0008'), 0, 1)]));
      t.equal('tenant sequences', (await readAllTenantEvents(store, tenant)).map((event) => event.tenantSequence), [1, 2, 3]);
    });

    storeTest(options, 'two records of one batch with the same reference: the whole batch is refused', async (store, t) => {
      const tenant = t.tenant();
      const writes = [aWrite(holding(tenant, 'other', 'NC-2026-0002'), 0, 1), aWrite(holding(tenant, 'a', 'NC-2026-0001'), 0, 1), aWrite(holding(tenant, 'b', 'NC-2026-0001'), 0, 1)];
      await refusedWithNothingWritten(t, store, tenant, 'the batch', () => store.commit(aBatch(tenant, writes)), { kind: 'finding', reference: 'NC-2026-0001', holder: 'a', refused: 'b' }, ['other', 'a', 'b']);
    });

    storeTest(options, 'the same reference in the other kind, in another tenant, or no reference at all is no duplicate', async (store, t) => {
      const [one, two] = [t.tenant('one'), t.tenant('two')];
      const records = [holding(one, 'f-1', 'X-2026-0001'), holding(one, 'a-1', 'X-2026-0001', 'action'), holding(one, 'a-2', null, 'action'), holding(one, 'a-3', null, 'action')];
      t.equal('committed', await t.resolves('both kinds and two nulls', store.commit(aBatch(one, records.map((record) => aWrite(record, 0, 1))))), { tenantSequence: 4 });
      await t.resolves('another tenant', store.commit(aBatch(two, [aWrite(holding(two, 'f-9', 'X-2026-0001'), 0, 1)])));
      sameRecords(t, 'the records of tenant one', await store.load(one, records.map((record) => record.id)), records.map((record) => ({ ...record, version: 1 })));
    });

    storeTest(options, 'a record keeps its reference through its own writes; one that changes it frees the old one', async (store, t) => {
      const tenant = t.tenant();
      const [first] = await seedRecords(store, tenant, [holding(tenant, 'f-1', 'NC-2026-0001')]);
      await t.resolves('writing the record again with its reference', store.commit(aBatch(tenant, [aWrite({ ...first!, index: { ...first!.index, status: 'planning' } }, 1, 1)])));
      await t.resolves('the record takes another reference', store.commit(aBatch(tenant, [aWrite(holding(tenant, 'f-1', 'NC-2026-0009'), 2, 1)])));
      await t.resolves('another record takes the freed one', store.commit(aBatch(tenant, [aWrite(holding(tenant, 'f-2', 'NC-2026-0001'), 0, 1)])));
      await t.duplicate('and the one now held', store.commit(aBatch(tenant, [aWrite(holding(tenant, 'f-3', 'NC-2026-0009'), 0, 1)])), { tenantId: tenant, kind: 'finding', reference: 'NC-2026-0009', holder: 'f-1', refused: 'f-3' });
    });

    storeTest(options, 'a stale write that also takes a held reference is a ConcurrencyError: versions are checked first', async (store, t) => {
      const tenant = t.tenant();
      await seedRecords(store, tenant, [holding(tenant, 'f-1', 'NC-2026-0001'), holding(tenant, 'f-2', 'NC-2026-0002')]);
      await t.refused('the batch', store.commit(aBatch(tenant, [aWrite(holding(tenant, 'f-3', 'NC-2026-0001'), 0, 1), aWrite(holding(tenant, 'f-2', 'NC-2026-0002'), 0, 1)])), 'f-2');
    });

    storeTest(options, `${RACERS} concurrent commits creating records with one reference: one wins, the others are refused and write nothing`, async (store, t) => {
      const tenant = t.tenant();
      await seedRecords(store, tenant, [holding(tenant, 'before', 'NC-2026-0001')]);
      const writes = range(0, RACERS).map((i) => aWrite(holding(tenant, `racer-${i}`, 'NC-2026-0002'), 0, 1 + (i % 2)));
      const { won, lost } = await settle(writes.map((write) => store.commit(aBatch(tenant, [write]))));
      t.equal('how many won', won.length, 1);
      const other = lost.find((loss) => !isDuplicateReferenceError(loss.error));
      t.ok('every loser is refused with a DuplicateReferenceError', other === undefined, String(other?.error));
      const winner = writes[won[0]!.index]!;
      const ids = writes.map((write) => write.record.id);
      t.equal("only the winner's record is stored", (await store.load(tenant, ids)).map(recordView), [recordView(winner.record)]);
      const expected = [1, ...winner.events.map((_, i) => 2 + i)];
      t.equal("the tenant's events: the seed's and the winner's, without a gap", (await readAllTenantEvents(store, tenant)).map((event) => event.tenantSequence), expected);
      t.equal("the winner's events", (await store.readEvents(tenant, winner.record.id)).map(eventView), winner.events.map((event, i) => eventView({ ...event, tenantSequence: 2 + i })));
    });
  });
}
