import type {
  CapaStore,
  CommitBatch,
  JsonValue,
  NewEvent,
  RecordIndex,
  RecordKind,
  RecordWrite,
  StoredRecord,
} from '../store/contract.js';

// Builders for what the kit commits. They follow the register's shapes (a document with a
// format, entries that look like sealed history entries) without depending on it: a store
// treats both as opaque JSON.

/** The reference the kit gives a record unless told otherwise: unique per id, so records never clash by accident. */
export const referenceFor = (kind: RecordKind, id: string): string => `${kind === 'finding' ? 'NC' : 'CA'}-${id}`;

/** A plausible index: every field set but the reference, which {@link aRecord} makes from the id. */
export const BASE_INDEX: Omit<RecordIndex, 'reference'> = {
  status: 'investigating',
  open: true,
  grade: 'minor',
  source: 'internal-audit',
  ownerId: 'u-9',
  requirement: 'ISO/IEC 27001:2022 A.5.18',
  causeCategory: 'process',
  dueDate: '2027-03-02',
  raisedAt: '2026-03-02T15:30:00.000Z',
  lastActivityAt: '2026-03-06T11:00:00.000Z',
  text: 'nc-2026-0001 leavers kept active accounts for weeks',
};

/** An index with every optional field `null`. */
export const NULL_INDEX: RecordIndex = {
  reference: null,
  status: 'raised',
  open: false,
  grade: null,
  source: null,
  ownerId: null,
  requirement: null,
  causeCategory: null,
  dueDate: null,
  raisedAt: '2026-01-01T00:00:00.000Z',
  lastActivityAt: '2026-01-01T00:00:00.000Z',
  text: '',
};

let hashCounter = 0;

/** A fresh 64-hex string standing in for an event hash. */
export function fakeHash(): string {
  hashCounter += 1;
  return (hashCounter * 2654435761).toString(16).padStart(64, 'a').slice(-64);
}

/** What a record should hold once written, before the store assigns its version. */
export interface RecordSpec {
  readonly kind?: RecordKind;
  readonly index?: Partial<RecordIndex>;
  readonly document?: JsonValue;
  readonly head?: string | null;
}

/** A record of a tenant, version 0, with `spec` over the defaults (its reference made from its id: {@link referenceFor}). */
export function aRecord(tenantId: string, id: string, spec: RecordSpec = {}): StoredRecord {
  const kind = spec.kind ?? 'finding';
  return {
    kind,
    id,
    tenantId,
    version: 0,
    head: spec.head === undefined ? fakeHash() : spec.head,
    index: { reference: referenceFor(kind, id), ...BASE_INDEX, ...spec.index },
    document: spec.document ?? { format: 1, [kind]: { id, title: `Record ${id}` } },
  };
}

/** A history entry of a record, shaped like the register's sealed entries. */
export function anEntry(record: StoredRecord, sequence: number, payload: JsonValue = null): JsonValue {
  return {
    schemaVersion: 1,
    tenantId: record.tenantId,
    recordKind: record.kind,
    recordId: record.id,
    sequence,
    type: sequence === 1 ? 'raised' : 'noted',
    at: record.index.lastActivityAt,
    payload,
    hash: fakeHash(),
  };
}

/**
 * A write of `record` against `expectedVersion` with one event per entry; `entries` is a
 * count (generated entries) or the entries themselves. The record's version is set to the
 * version the contract says it will have.
 */
export function aWrite(record: StoredRecord, expectedVersion: number, entries: number | readonly JsonValue[] = 1): RecordWrite {
  const list = typeof entries === 'number' ? Array.from({ length: entries }, (_, i) => anEntry(record, expectedVersion + i + 1)) : entries;
  const events: NewEvent[] = list.map((entry, i) => ({
    tenantId: record.tenantId,
    recordId: record.id,
    sequence: expectedVersion + i + 1,
    entry,
  }));
  return { record: { ...record, version: expectedVersion + events.length }, expectedVersion, events };
}

/** A batch of writes for one tenant. */
export function aBatch(tenantId: string, writes: readonly RecordWrite[], idempotency?: CommitBatch['idempotency']): CommitBatch {
  return idempotency === undefined ? { tenantId, writes } : { tenantId, writes, idempotency };
}

/** Creates records (one event each, in one batch) and returns them as stored. */
export async function seedRecords(store: CapaStore, tenantId: string, records: readonly StoredRecord[]): Promise<StoredRecord[]> {
  const writes = records.map((record) => aWrite(record, 0, 1));
  await store.commit(aBatch(tenantId, writes));
  return writes.map((write) => write.record);
}

/**
 * Strings a store must keep exactly: no normalisation (NFC and NFD stay distinct), no
 * trimming, no loss of control characters, astral characters or bidirectional marks.
 *
 * Lone surrogates are left out on purpose: they are not Unicode text, JSON-based stores
 * (PostgreSQL `json`, SQLite's JSON functions, anything that encodes UTF-8) may replace or
 * refuse them, and the register should refuse them at its boundary instead.
 */
export const UNICODE_SAMPLES: Readonly<Record<string, string>> = {
  emoji: '👩‍👩‍👧‍👦 🇳🇿 🏳️‍🌈 👍🏽 ❤️‍🔥',
  rtl: 'مرحبا بالعالم \u200f שלום עולם \u202bembedded\u202c \u202eoverride\u202c',
  combiningNfd: 'e\u0301 a\u0308 Z\u0335\u0321\u0358algo \u0915\u094d\u0937',
  precomposedNfc: 'é ä Å Ω',
  astral: '𝕏 𠜎 𓀀 🀄 \u{10FFFD}',
  cjk: '情報セキュリティ 정보보호 信息安全',
  controls: '\u0000\u0001\u0007\b\t\n\u000b\f\r\u001b\u001f\u007f\u0080\u009f',
  separators: '\u2028\u2029\u00a0\u200b\u200c\u200d\u2060\ufeff',
  nonCharacters: '\ufffe\uffff\ufdd0\u{1fffe}',
  whitespace: '  leading and trailing  \t',
  quotes: `"'\`\\/<>&{}[]`,
  sqlAndLike: "'; DROP TABLE records; -- % _ \\% \\_ * ?",
  escapes: '\\u0000 \\n \\" not escapes',
  empty: '',
};

/** Objects whose keys are unusual but valid JSON: built with `JSON.parse`, as a reader would. */
const UNUSUAL_KEYS = JSON.parse(
  '{"__proto__":{"polluted":true},"constructor":{"prototype":1},"toString":"x","hasOwnProperty":null,"":"empty key","😀":"emoji key","a.b":1,"a b":2,"$where":3,"10":"ten","2":"two"}',
) as JsonValue;

function nested(depth: number): JsonValue {
  let value: JsonValue = 'bottom';
  for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? [value] : { level: value };
  return value;
}

/**
 * A JSON value that is easy to damage: numbers at the edges of float64, `-0`, empty
 * strings, objects and arrays, deep nesting, unusual keys and key order, every
 * {@link UNICODE_SAMPLES} string as a value and as a key.
 */
export const TRICKY_JSON: JsonValue = {
  zeta: 'keys out of order',
  alpha: 1,
  numbers: [
    0, -0, 1, -1, 0.1, 0.2, 0.30000000000000004, 1 / 3, 123456789.12345679, 1e21, 1e-7, 5e-324, 2.2250738585072014e-308,
    1.7976931348623157e308, 9007199254740991, -9007199254740991, 4294967296, 2147483648,
  ],
  negativeZero: -0,
  empties: { string: '', object: {}, array: [], nestedArrays: [[], [[]], [{}], [[], {}]], nullValue: null },
  booleans: [true, false, null],
  strings: { ...UNICODE_SAMPLES },
  unicodeKeys: Object.fromEntries(Object.entries(UNICODE_SAMPLES).map(([name, text]) => [text, name])),
  unusualKeys: UNUSUAL_KEYS,
  deep: nested(64),
  mixedArray: [1, 'one', null, true, { one: [1] }, [[1, [2, [3]]]], -0, ''],
};

/** A document of at least `bytes` bytes of UTF-8 JSON, varied enough to defeat shortcuts. */
export function largeDocument(bytes: number): JsonValue {
  const samples = Object.values(UNICODE_SAMPLES).filter((text) => text.length > 0);
  const items: JsonValue[] = [];
  let size = 0;
  const encoder = new TextEncoder();
  for (let i = 0; size < bytes; i += 1) {
    const item: JsonValue = {
      i,
      text: `${samples[i % samples.length]} #${i} ${'lorem ipsum dolor sit amet '.repeat(1 + (i % 7))}`,
      values: [i, i / 7, -i, String(i)],
    };
    size += encoder.encode(JSON.stringify(item)).length + 1;
    items.push(item);
  }
  return { format: 1, finding: { id: 'big', title: 'A large document' }, items };
}
