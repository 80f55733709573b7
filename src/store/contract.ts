/**
 * The storage contract: what a CAPA store must do, and nothing more. The register owns
 * every rule (validation, lifecycle, hashing, signatures); a store keeps records and their
 * append-only events, commits batches atomically against expected versions, answers a
 * declarative filter, keeps references unique, and hands out per-tenant sequences.
 * Nothing here imports the register, so an adapter depends on this file alone.
 */

/**
 * The version of the storage contract this capa-kit needs. A store declares the version
 * it implements as `contractVersion`; the register and `importLog` refuse a store that
 * declares another (or none: a store written for contract 1) with a `StoreContractError`,
 * rather than let it fail subtly, and the conformance kit fails it with the same message.
 * Version 2 added the record's
 * `reference` to its index, the refusal of duplicate references, and one reference
 * sequence per kind (`nextReference(tenantId, kind)`).
 *
 * @example
 * ```ts
 * import { STORE_CONTRACT_VERSION, type CapaStore } from 'capa-kit/register';
 *
 * declare const store: CapaStore;
 * if (store.contractVersion !== STORE_CONTRACT_VERSION) console.warn('This store was written for another capa-kit');
 * ```
 */
export const STORE_CONTRACT_VERSION = 2 as const;

/**
 * A JSON value, as stored.
 *
 * @example
 * ```ts
 * import { canonicalJson, type JsonValue } from 'capa-kit/register';
 *
 * const payload: JsonValue = { text: 'Checked', tags: ['access', 'leavers'], count: 2, closedAt: null };
 * canonicalJson(payload); // '{"closedAt":null,"count":2,"tags":["access","leavers"],"text":"Checked"}'
 * ```
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * What a record is: a finding, or a corrective action (its own record, linked to findings).
 *
 * @example
 * ```ts
 * import type { CapaStore, RecordKind } from 'capa-kit/register';
 *
 * declare const store: CapaStore;
 * const kinds: RecordKind[] = ['finding', 'action'];
 * for (const kind of kinds) console.log(kind, (await store.query('acme', { filter: { kind }, limit: 10 })).records.length);
 * ```
 */
export type RecordKind = 'finding' | 'action';

/**
 * The fields a store filters and sorts on. The register computes them from the record on
 * every write, so an SQL adapter keeps them as indexed columns and never parses the
 * document. Fields that do not apply to a kind are `null`.
 *
 * @example
 * ```ts
 * import type { RecordIndex } from 'capa-kit/register';
 *
 * const index: RecordIndex = {
 *   reference: 'NC-2026-0001', status: 'investigating', open: true, grade: 'minor', source: 'internal-audit', ownerId: 'u-9',
 *   requirement: 'ISO/IEC 27001:2022 A.5.18', causeCategory: 'process', dueDate: '2027-03-02',
 *   raisedAt: '2026-03-02T15:30:00Z', lastActivityAt: '2026-03-06T11:00:00Z',
 *   text: 'nc-2026-0001 leavers kept active accounts for weeks',
 * };
 * ```
 */
export interface RecordIndex {
  /**
   * The record's human reference (`NC-2026-0001`, `CA-2026-0001`): unique per tenant and
   * kind, and the store refuses a second record with the same one. `null` only for a
   * corrective action planned before capa-kit gave actions references (storage contract
   * 1); `null`s are never duplicates of each other.
   */
  readonly reference: string | null;
  /** Finding status or action status. */
  readonly status: string;
  /** True while work remains (the finding is open, or the action is planned or in progress). */
  readonly open: boolean;
  readonly grade: string | null;
  /** The finding's source kind, e.g. `internal-audit`. */
  readonly source: string | null;
  /** The accountable person: the finding's owner, or the action's owner. */
  readonly ownerId: string | null;
  /** The requirement key, e.g. `ISO/IEC 27001:2022 A.5.18` (see `requirementKey`). */
  readonly requirement: string | null;
  /** The root cause's category, once recorded. */
  readonly causeCategory: string | null;
  /** `YYYY-MM-DD`, or `null` when there is no deadline. */
  readonly dueDate: string | null;
  /** When the finding was raised or the action created: the sort key, with the id. */
  readonly raisedAt: string;
  /** The last event's time: what staleness is measured from. */
  readonly lastActivityAt: string;
  /** Lowercased searchable text (reference, title, description). */
  readonly text: string;
}

/**
 * A record as the store keeps it: its identity, its version (the sequence of its last
 * event; 0 before any), the index fields, the hash of its last event, and the document
 * (the register's JSON, opaque to the store).
 *
 * @example
 * ```ts
 * import type { StoredRecord } from 'capa-kit/register';
 *
 * function describe(record: StoredRecord): string {
 *   return `${record.kind} ${record.id} v${record.version} (${record.index.status})`;
 * }
 * ```
 */
export interface StoredRecord {
  readonly kind: RecordKind;
  readonly id: string;
  readonly tenantId: string;
  readonly version: number;
  /** SHA-256 of the record's last event, or `null` before any. */
  readonly head: string | null;
  readonly index: RecordIndex;
  readonly document: JsonValue;
}

/**
 * One event of a record's history as the store keeps it. `sequence` counts from 1 per
 * record; the store assigns `tenantSequence`, which orders every event of a tenant and
 * never repeats. `entry` is the register's sealed history entry (with its hash), opaque to
 * the store and returned byte for byte.
 *
 * @example
 * ```ts
 * import type { StoredEvent } from 'capa-kit/register';
 *
 * const last = (events: readonly StoredEvent[]) => events.at(-1)?.tenantSequence ?? 0;
 * ```
 */
export interface StoredEvent {
  readonly tenantId: string;
  readonly recordId: string;
  readonly sequence: number;
  readonly tenantSequence: number;
  readonly entry: JsonValue;
}

/**
 * An event the register asks a store to append: everything but the tenant sequence.
 *
 * @example
 * ```ts
 * import { sealEntry, type JsonValue, type NewEvent, type UnsealedEntry } from 'capa-kit/register';
 *
 * declare const entry: UnsealedEntry;
 * const event: NewEvent = {
 *   tenantId: entry.tenantId, recordId: entry.recordId, sequence: entry.sequence, entry: sealEntry(entry) as unknown as JsonValue,
 * };
 * ```
 */
export type NewEvent = Omit<StoredEvent, 'tenantSequence'>;

/**
 * One record in a commit: its new state and its new events, against the version the
 * register read. `expectedVersion` 0 creates the record. The new version is
 * `expectedVersion + events.length`: a write with no new events changes no version.
 *
 * @example
 * ```ts
 * import type { CommitBatch, NewEvent, RecordWrite, StoredRecord } from 'capa-kit/register';
 *
 * declare const record: StoredRecord; // the new record, at version 1
 * declare const raised: NewEvent; // its first event
 * const write: RecordWrite = { record, expectedVersion: 0, events: [raised] };
 * const batch: CommitBatch = { tenantId: record.tenantId, writes: [write] };
 * ```
 */
export interface RecordWrite {
  readonly record: StoredRecord;
  readonly expectedVersion: number;
  readonly events: readonly NewEvent[];
}

/**
 * A batch the store commits all or nothing. Every write is checked against its expected
 * version first; one mismatch refuses the whole batch with a `ConcurrencyError`. An
 * idempotency key is stored in the same transaction, with the command's result.
 *
 * @example
 * ```ts
 * import type { CommitBatch } from 'capa-kit/register';
 *
 * const empty: CommitBatch = { tenantId: 'acme', writes: [] };
 * ```
 */
export interface CommitBatch {
  readonly tenantId: string;
  readonly writes: readonly RecordWrite[];
  readonly idempotency?: { readonly key: string; readonly result: JsonValue };
}

/**
 * What a successful commit reports: the tenant sequence of its last event (unchanged when none).
 *
 * @example
 * ```ts
 * import type { CapaStore, CommitBatch, CommitResult } from 'capa-kit/register';
 *
 * declare const store: CapaStore;
 * declare const batch: CommitBatch;
 * const { tenantSequence }: CommitResult = await store.commit(batch);
 * ```
 */
export interface CommitResult {
  readonly tenantSequence: number;
}

/**
 * The declarative filter a store answers. Every condition is optional and they combine
 * with AND; lists match any of their values. Dates and instants are resolved by the
 * register (from the policy and the clock), so a store only compares.
 *
 * @example
 * ```ts
 * import type { RecordFilter } from 'capa-kit/register';
 *
 * const overdueMinors: RecordFilter = { kind: 'finding', open: true, grade: ['minor'], dueBefore: '2026-11-22' };
 * ```
 */
export interface RecordFilter {
  readonly kind: RecordKind;
  readonly status?: readonly string[];
  readonly open?: boolean;
  readonly grade?: readonly string[];
  readonly source?: readonly string[];
  readonly ownerId?: readonly string[];
  readonly requirement?: readonly string[];
  readonly causeCategory?: readonly string[];
  /** Case-insensitive substring of the index text. */
  readonly text?: string;
  /** `dueDate` strictly before this date (overdue as of it). Records without a due date never match. */
  readonly dueBefore?: string;
  /** `dueDate` on or before this date (due within a window). Records without a due date never match. */
  readonly dueOnOrBefore?: string;
  /** `lastActivityAt` strictly before this instant (stale). */
  readonly inactiveSince?: string;
  /**
   * Recurrence: only records whose `field` value is shared by more than `moreThan`
   * records of this kind raised at or after `raisedSince` (the record itself included,
   * and itself raised in the window). Records with a `null` value never match.
   */
  readonly recurrence?: {
    readonly field: 'requirement' | 'causeCategory';
    readonly moreThan: number;
    readonly raisedSince: string;
  };
}

/**
 * A page request: the filter, how many, and where the previous page ended. Pages are in a
 * stable order: `raisedAt`, then `id`, ascending by code point.
 *
 * @example
 * ```ts
 * import type { CapaStore, PageRequest } from 'capa-kit/register';
 *
 * declare const store: CapaStore;
 * const request: PageRequest = { filter: { kind: 'finding', open: true }, limit: 100 };
 * const first = await store.query('acme', request);
 * const second = first.cursor === null ? null : await store.query('acme', { ...request, cursor: first.cursor });
 * ```
 */
export interface PageRequest {
  readonly filter: RecordFilter;
  /** 1 to 1000. */
  readonly limit: number;
  /** The cursor of the previous page, or omitted for the first. Opaque. */
  readonly cursor?: string;
}

/**
 * A page of records, and the cursor of the next page (`null` at the end).
 *
 * @example
 * ```ts
 * import type { CapaStore, Page } from 'capa-kit/register';
 *
 * declare const store: CapaStore;
 * const page: Page = await store.query('acme', { filter: { kind: 'action', open: true }, limit: 50 });
 * console.log(page.records.map((record) => record.id), page.cursor ?? 'last page');
 * ```
 */
export interface Page {
  readonly records: readonly StoredRecord[];
  readonly cursor: string | null;
}

/**
 * What a store can do beyond the contract. The conformance kit switches groups of tests
 * by these flags.
 *
 * @example
 * ```ts
 * import type { CapaStore, StoreCapabilities } from 'capa-kit/register';
 *
 * declare const store: CapaStore;
 * const { multiProcess, durable }: StoreCapabilities = store.capabilities;
 * if (!durable) console.warn('This store loses everything when the process stops');
 * ```
 */
export interface StoreCapabilities {
  /** Several processes may write the same store at once (SQL stores); false for one writer per store (the file store). */
  readonly multiProcess: boolean;
  /** Data survives a restart of the process. */
  readonly durable: boolean;
}

/**
 * The storage contract a CAPA store implements: load records with their versions, commit
 * batches atomically against expected versions, read events, answer the declarative
 * filter page by page, keep references unique, and hand out per-tenant reference
 * sequences. `memoryStore()` is the reference implementation; run `capa-kit/testing`
 * against yours, and declare the contract version you implement (`contractVersion`).
 *
 * What the conformance kit holds a store to, beyond the method comments:
 * - the stored version is always `expectedVersion + events.length`, whatever
 *   `record.version` says; writes on different records never conflict;
 * - tenant sequences have no gaps, even after a refused commit, and follow the order of
 *   the writes, then of their events;
 * - entries come back byte for byte, key order included (so not as PostgreSQL `jsonb`);
 *   documents may come back with their keys reordered;
 * - pages are ordered by `raisedAt`, then `id`, both compared by Unicode code point: the
 *   byte order of their UTF-8, as SQLite's `BINARY` and PostgreSQL's `COLLATE "C"`
 *   compare (JavaScript's `<` compares UTF-16 code units, which differs for U+E000 to
 *   U+FFFF against astral characters); a page with a next cursor holds exactly `limit` records;
 * - an empty list in a filter matches nothing; `text` is a plain substring of the
 *   lowercased index text (`%` and `_` are literal), with no normalisation;
 * - a reference (`index.reference`) is unique per tenant and kind: a commit that would
 *   give a record a reference another record of its kind holds, or give two records of a
 *   batch the same one, is refused whole with a `DuplicateReferenceError` naming the
 *   reference and both records, and writes nothing (tenant sequences keep no gap). The
 *   versions and the idempotency key are checked first, so a stale write is still a
 *   `ConcurrencyError`. This holds across connections and processes, as the versions do;
 * - instants in index fields are compared as strings: the register writes them in the
 *   fixed-width form of `Date.prototype.toISOString()`;
 * - `idempotentResult` returns `undefined` for an unknown key, and a stored `null` as `null`;
 * - a limit outside 1 to 1000 or a malformed cursor is refused with a `RangeError`.
 *
 * @example
 * ```ts
 * import type { CapaStore } from 'capa-kit/register';
 *
 * async function count(store: CapaStore, tenantId: string): Promise<number> {
 *   let total = 0;
 *   let cursor: string | undefined;
 *   do {
 *     const page = await store.query(tenantId, { filter: { kind: 'finding' }, limit: 500, cursor });
 *     total += page.records.length;
 *     cursor = page.cursor ?? undefined;
 *   } while (cursor !== undefined);
 *   return total;
 * }
 * ```
 */
export interface CapaStore {
  /** The version of the storage contract the store implements: {@link STORE_CONTRACT_VERSION}. */
  readonly contractVersion: typeof STORE_CONTRACT_VERSION;
  readonly capabilities: StoreCapabilities;
  /** The records with these ids in this tenant; missing ids are left out. */
  load(tenantId: string, ids: readonly string[]): Promise<StoredRecord[]>;
  /**
   * Commits a batch all or nothing; throws `ConcurrencyError` on a stale version, or when
   * the batch's idempotency key is already stored (its `recordId` is then `idempotency:<key>`),
   * and `DuplicateReferenceError` when a record would take a reference another holds.
   */
  commit(batch: CommitBatch): Promise<CommitResult>;
  /** A record's events in sequence order, optionally only those after `afterSequence`. */
  readEvents(tenantId: string, recordId: string, afterSequence?: number): Promise<StoredEvent[]>;
  /** Every event of the tenant after `afterTenantSequence` (0: from the start), at most `limit`, in tenant-sequence order. */
  readTenantEvents(tenantId: string, afterTenantSequence: number, limit: number): Promise<StoredEvent[]>;
  /** One page of records matching the filter. */
  query(tenantId: string, page: PageRequest): Promise<Page>;
  /**
   * The next number of the tenant's reference sequence for a kind of record, from 1; never
   * the same twice. Findings and corrective actions count separately (`NC-2026-0001` and
   * `CA-2026-0001` can both exist).
   */
  nextReference(tenantId: string, kind: RecordKind): Promise<number>;
  /** The result stored with an idempotency key, or `undefined`. */
  idempotentResult(tenantId: string, key: string): Promise<JsonValue | undefined>;
  /** Releases what the store holds (file locks, connections). */
  close(): Promise<void>;
}
