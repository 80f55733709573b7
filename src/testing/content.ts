import type { JsonValue, StoredRecord } from '../store/contract.js';
import { aBatch, anEntry, aRecord, aWrite, largeDocument, UNICODE_SAMPLES } from './fixtures.js';
import { eventView, exactJson, queryAll, readAllTenantEvents, sameRecords, storeTest } from './harness.js';
import { resolveOptions, type StoreConformanceOptions } from './options.js';

/** About one megabyte of UTF-8 JSON. */
const MEGABYTE = 1_000_000;
const EVENTS_IN_ONE_BATCH = 1000;

/**
 * The large-and-unicode group: documents and entries of about 1 MB, 1000 events in one
 * batch, and strings a store must keep exactly (emoji sequences, right-to-left text and
 * bidirectional controls, combining marks in NFD next to NFC, astral characters, control
 * characters including U+0000, U+2028/U+2029, noncharacters) in documents, entries,
 * index fields and text search. Lone surrogates are not tested: they are not Unicode
 * text, and a JSON store may refuse or replace them.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { memoryStore } from 'capa-kit/register';
 * import { contentSuite } from 'capa-kit/testing';
 *
 * contentSuite({ name: 'memory', describe, it, expect, createStore: async () => memoryStore() });
 * ```
 */
export function contentSuite(input: StoreConformanceOptions): void {
  const options = resolveOptions(input);
  options.describe('large and unicode content', () => {
    storeTest(options, 'a document of about 1 MB comes back whole through load and query', async (store, t) => {
      const tenant = t.tenant();
      const write = aWrite(aRecord(tenant, 'big', { document: largeDocument(MEGABYTE) }), 0, 1);
      await store.commit(aBatch(tenant, [write]));
      sameRecords(t, 'load', await store.load(tenant, ['big']), [write.record]);
      sameRecords(t, 'query', (await queryAll(store, tenant, { kind: 'finding' })).records, [write.record]);
    });

    storeTest(options, 'an entry of about 1 MB comes back byte for byte', async (store, t) => {
      const tenant = t.tenant();
      const record = aRecord(tenant, 'big');
      const write = aWrite(record, 0, [anEntry(record, 1, largeDocument(MEGABYTE)), anEntry(record, 2, 'small')]);
      await store.commit(aBatch(tenant, [write]));
      const expected = write.events.map((event, i) => eventView({ ...event, tenantSequence: i + 1 }));
      t.equal('readEvents', (await store.readEvents(tenant, 'big')).map(eventView), expected);
      t.equal('readTenantEvents', (await readAllTenantEvents(store, tenant)).map(eventView), expected);
    });

    storeTest(options, `${EVENTS_IN_ONE_BATCH} events in one batch`, async (store, t) => {
      const tenant = t.tenant();
      const one = aRecord(tenant, 'one');
      const write = aWrite(one, 0, EVENTS_IN_ONE_BATCH - 10);
      const others = Array.from({ length: 5 }, (_, i) => aWrite(aRecord(tenant, `other-${i}`), 0, 2));
      const result = await store.commit(aBatch(tenant, [write, ...others]));
      t.equal('commit result', result, { tenantSequence: EVENTS_IN_ONE_BATCH });
      t.equal('version', (await store.load(tenant, ['one']))[0]?.version, EVENTS_IN_ONE_BATCH - 10);
      const events = await store.readEvents(tenant, 'one');
      t.equal('readEvents', events.map(eventView), write.events.map((event, i) => eventView({ ...event, tenantSequence: i + 1 })));
      t.equal('readEvents after 500', (await store.readEvents(tenant, 'one', 500)).map((event) => event.sequence), events.slice(500).map((event) => event.sequence));
      const all = [write, ...others].flatMap((w) => w.events).map((event, i) => eventView({ ...event, tenantSequence: i + 1 }));
      t.equal('readTenantEvents in pages of 1000', (await readAllTenantEvents(store, tenant, 1000)).map(eventView), all);
      t.equal('readTenantEvents in pages of 99', (await readAllTenantEvents(store, tenant, 99)).map(eventView), all);
    });

    storeTest(options, 'unicode strings are kept exactly in documents, entries and index fields', async (store, t) => {
      const tenant = t.tenant();
      const writes = Object.entries(UNICODE_SAMPLES).map(([name, text], i) => {
        const record: StoredRecord = aRecord(tenant, `u-${i}`, {
          index: { status: text, ownerId: text, requirement: text, causeCategory: text, source: text, grade: text, text: text.toLowerCase() },
          document: { format: 1, name, text, [text]: [text], nested: { list: [text, { text }] } },
        });
        const entries: JsonValue[] = [anEntry(record, 1, { name, text }), text];
        return aWrite(record, 0, entries);
      });
      await store.commit(aBatch(tenant, writes));
      sameRecords(t, 'load', await store.load(tenant, writes.map((write) => write.record.id)), writes.map((write) => write.record));
      for (const write of writes) {
        const name = write.record.id;
        t.equal(`events of ${name} (byte for byte)`, (await store.readEvents(tenant, name)).map((event) => exactJson(event.entry)), write.events.map((event) => exactJson(event.entry)));
        const text = write.record.index.status;
        const byOwner = await queryAll(store, tenant, { kind: 'finding', ownerId: [text] });
        t.equal(`query by an ownerId of ${JSON.stringify(text)}`, byOwner.records.map((record) => record.id), [name]);
      }
    });

    storeTest(options, 'text search finds unicode substrings, by code point (no normalisation)', async (store, t) => {
      const tenant = t.tenant();
      const texts: Record<string, string> = {
        nfc: 'caf\u00e9 opened',
        nfd: 'cafe\u0301 opened',
        emoji: 'family 👩‍👩‍👧‍👦 badge 🔐',
        rtl: 'مرحبا שלום',
        astral: 'math 𝕏 𠜎',
        controls: 'tab\there\u0000nul',
      };
      await store.commit(aBatch(tenant, Object.entries(texts).map(([id, text]) => aWrite(aRecord(tenant, id, { index: { text } }), 0, 1))));
      const search = async (text: string) => (await queryAll(store, tenant, { kind: 'finding', text })).records.map((record) => record.id).sort();
      t.equal('NFC é', await search('CAF\u00c9'), ['nfc']);
      t.equal('NFD e + combining acute', await search('E\u0301'), ['nfd']);
      t.equal('a ZWJ family emoji', await search('👩‍👩‍👧‍👦'), ['emoji']);
      t.equal('part of a surrogate pair sequence', await search('🔐'), ['emoji']);
      t.equal('Hebrew', await search('שלום'), ['rtl']);
      t.equal('an astral ideograph', await search('𠜎'), ['astral']);
      t.equal('a tab and U+0000', await search('\there\u0000'), ['controls']);
      t.equal('a common word', await search('OPENED'), ['nfc', 'nfd']);
    });
  });
}
