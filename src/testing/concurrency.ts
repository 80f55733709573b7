import type { CapaStore, JsonValue, RecordWrite, StoredRecord } from '../store/contract.js';
import { aBatch, anEntry, aRecord, aWrite } from './fixtures.js';
import {
  type EventView,
  eventView,
  onlyConcurrencyErrors,
  readAllTenantEvents,
  recordView,
  sameRecords,
  settle,
  storeTest,
  type Tools,
} from './harness.js';
import { resolveOptions, type StoreConformanceOptions } from './options.js';

/** How many writers race, and for how many rounds. */
const WRITERS = 8;
const ROUNDS = 6;

/** Writer `writer`'s attempt at the next version of `record`: 1 to 3 events and its own document. */
function attempt(record: StoredRecord, round: number, writer: number): RecordWrite {
  const next: StoredRecord = {
    ...record,
    index: { ...record.index, status: `round-${round}-writer-${writer}` },
    document: { format: 1, finding: { id: record.id, round, writer } },
  };
  const count = 1 + (writer % 3);
  const entries: JsonValue[] = Array.from({ length: count }, (_, i) => anEntry(record, record.version + i + 1, { round, writer, i }));
  return aWrite(next, record.version, entries);
}

/**
 * Races `writers` writers at the same version of one record for `rounds` rounds, each
 * through `storeFor(writer)`, and checks that exactly one wins each round, the others are
 * refused, and no event is lost or duplicated.
 */
export async function raceOnOneRecord(
  t: Tools,
  storeFor: (writer: number) => CapaStore,
  tenant: string,
  writers: number,
  rounds: number,
): Promise<void> {
  const store = storeFor(0);
  let record: StoredRecord = aRecord(tenant, 'contested');
  const history: EventView[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    const loaded = await store.load(tenant, [record.id]);
    const version = loaded[0]?.version ?? 0;
    t.equal(`round ${round}: version before the race`, version, record.version);
    const writes = Array.from({ length: writers }, (_, writer) => attempt(record, round, writer));
    const { won, lost } = await settle(writes.map((write, writer) => storeFor(writer).commit(aBatch(tenant, [write]))));
    onlyConcurrencyErrors(`round ${round}`, lost.map((loss) => loss.error));
    t.equal(`round ${round}: how many of ${writers} writers at version ${version} won`, won.length, 1);
    const winner = writes[won[0]!.index]!;
    const tenantSequence = won[0]!.value.tenantSequence;
    winner.events.forEach((event, i) => history.push(eventView({ ...event, tenantSequence: tenantSequence - winner.events.length + i + 1 })));
    record = winner.record;
    sameRecords(t, `round ${round}: the record is the winner's`, await store.load(tenant, [record.id]), [record]);
    t.equal(`round ${round}: the record's events`, (await store.readEvents(tenant, record.id)).map(eventView), history);
    t.equal(`round ${round}: the tenant's events`, (await readAllTenantEvents(store, tenant)).map(eventView), history);
  }
}

/**
 * The optimistic-concurrency group: writers racing at the same expected version (through
 * `Promise.all`, several rounds, re-reading each round) produce exactly one winner per
 * version and `ConcurrencyError` for the rest, with no event lost or duplicated; racing
 * creations of one record have one winner; writers on different records never conflict;
 * overlapping batches have one winner and the losers write nothing.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { memoryStore } from 'capa-kit/register';
 * import { concurrencySuite } from 'capa-kit/testing';
 *
 * concurrencySuite({ name: 'memory', describe, it, expect, createStore: async () => memoryStore() });
 * ```
 */
export function concurrencySuite(input: StoreConformanceOptions): void {
  const options = resolveOptions(input);
  options.describe('optimistic concurrency', () => {
    storeTest(options, `exactly one of ${WRITERS} concurrent writers wins each version, over ${ROUNDS} rounds`, async (store, t) => {
      await raceOnOneRecord(t, () => store, t.tenant(), WRITERS, ROUNDS);
    });

    storeTest(options, 'concurrent creations of the same record: one wins, the others are refused', async (store, t) => {
      const tenant = t.tenant();
      const writes = Array.from({ length: WRITERS }, (_, writer) =>
        aWrite(aRecord(tenant, 'new', { document: { format: 1, finding: { id: 'new', writer } } }), 0, 1 + (writer % 2)),
      );
      const { won, lost } = await settle(writes.map((write) => store.commit(aBatch(tenant, [write]))));
      onlyConcurrencyErrors('creations', lost.map((loss) => loss.error));
      t.equal(`how many of ${WRITERS} creations won`, won.length, 1);
      const winner = writes[won[0]!.index]!;
      sameRecords(t, "the record is the winner's", await store.load(tenant, ['new']), [winner.record]);
      const expected = winner.events.map((event, i) => eventView({ ...event, tenantSequence: i + 1 }));
      t.equal("the record's events", (await store.readEvents(tenant, 'new')).map(eventView), expected);
      t.equal("the tenant's events", (await readAllTenantEvents(store, tenant)).map(eventView), expected);
    });

    storeTest(options, 'concurrent writers on different records all succeed, with distinct tenant sequences', async (store, t) => {
      const tenant = t.tenant();
      const records = Array.from({ length: WRITERS }, (_, i) => aRecord(tenant, `r-${i}`));
      for (const round of [0, 1, 2]) {
        const writes = records.map((record) => aWrite(record, round * 2, 2));
        const { won, lost } = await settle(writes.map((write) => store.commit(aBatch(tenant, [write]))));
        t.equal(`round ${round}: refused writes on distinct records`, lost.map((loss) => String(loss.error)), []);
        t.equal(`round ${round}: winners`, won.length, WRITERS);
      }
      const events = await readAllTenantEvents(store, tenant);
      t.equal('tenant sequences', events.map((event) => event.tenantSequence), Array.from({ length: WRITERS * 6 }, (_, i) => i + 1));
      for (const record of records) {
        const own = await store.readEvents(tenant, record.id);
        t.equal(`events of ${record.id}`, own.map((event) => event.sequence), [1, 2, 3, 4, 5, 6]);
        const increasing = own.every((event, i) => i === 0 || event.tenantSequence > own[i - 1]!.tenantSequence);
        t.ok(`tenant sequences of ${record.id} increase with its sequences`, increasing);
      }
    });

    storeTest(options, 'overlapping concurrent batches: one wins, and the losers write none of their records', async (store, t) => {
      const tenant = t.tenant();
      const shared = aRecord(tenant, 'shared');
      const privates = Array.from({ length: WRITERS }, (_, i) => aRecord(tenant, `private-${i}`));
      await store.commit(aBatch(tenant, [aWrite(shared, 0, 1)]));
      let current: StoredRecord = { ...shared, version: 1 };
      const versions = new Map<string, number>(privates.map((record) => [record.id, 0]));
      let expectedEvents = 1;
      for (const round of [1, 2, 3]) {
        const batches = privates.map((own, i) =>
          aBatch(tenant, [attempt(current, round, i), aWrite({ ...own, document: { round, writer: i } }, versions.get(own.id)!, 1)]),
        );
        const { won, lost } = await settle(batches.map((batch) => store.commit(batch)));
        onlyConcurrencyErrors(`round ${round}`, lost.map((loss) => loss.error));
        t.equal(`round ${round}: how many overlapping batches won`, won.length, 1);
        const winner = batches[won[0]!.index]!;
        current = winner.writes[0]!.record;
        const ownId = winner.writes[1]!.record.id;
        versions.set(ownId, versions.get(ownId)! + 1);
        expectedEvents += winner.writes[0]!.events.length + 1;
        const loaded = await store.load(tenant, privates.map((record) => record.id));
        const loadedVersions = Object.fromEntries(privates.map((record) => [record.id, loaded.find((l) => l.id === record.id)?.version ?? 0]));
        t.equal(`round ${round}: versions of the private records`, loadedVersions, Object.fromEntries(versions));
        t.equal(`round ${round}: the shared record`, (await store.load(tenant, ['shared'])).map(recordView), [recordView(current)]);
        const events = await readAllTenantEvents(store, tenant);
        t.equal(`round ${round}: tenant sequences`, events.map((event) => event.tenantSequence), Array.from({ length: expectedEvents }, (_, i) => i + 1));
      }
    });
  });
}
