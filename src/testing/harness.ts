import { isCapaError } from '../errors/capa-error.js';
import type { CapaStore, JsonValue, Page, RecordFilter, StoredEvent, StoredRecord } from '../store/contract.js';
import type { ResolvedOptions } from './options.js';

// What every test of the kit stands on: a fresh store per test, closed afterwards; fresh
// tenant ids; checks that say what they were checking; and readers that walk a store's
// pages while checking the paging rules on the way.

const PREFIX = 'capa-kit/testing';

let tenantCounter = 0;
const runId = Math.random().toString(36).slice(2, 8);

/** A tenant id no other test (or property run) uses, even over a shared database. */
export function freshTenant(label = 't'): string {
  tenantCounter += 1;
  return `${label}-${runId}-${tenantCounter}`;
}

/** The error a failed check throws when there is no runner assertion to reuse. */
export class ConformanceFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`${PREFIX}: ${message}`, options);
    this.name = 'ConformanceFailure';
  }
}

/** Prefixes a runner's assertion error with what was being checked; keeps its diff. */
function relabel(error: unknown, label: string): unknown {
  if (error instanceof Error) {
    try {
      error.message = `${PREFIX}: ${label}\n${error.message}`;
    } catch {
      // a frozen error keeps its own message
    }
  }
  return error;
}

/** True for the contract's concurrency refusal, from this copy of capa-kit or another. */
export const isConcurrencyError = (error: unknown): boolean => isCapaError(error, 'CAPA_CONCURRENCY');

const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : `a non-error value ${JSON.stringify(error)}`;

/** The checks a test makes; each names what it checks, so a failure reads as a sentence. */
export interface Checks {
  /** Deep equality through the runner's `expect(...).toEqual`. */
  equal(label: string, actual: unknown, expected: unknown): void;
  /** A condition, with a detail shown when it is false. */
  ok(label: string, condition: boolean, detail?: string): void;
  /** Awaits a promise that must reject; returns the error. */
  rejects(label: string, promise: Promise<unknown>): Promise<unknown>;
  /** Awaits a promise that must resolve; returns its value. */
  resolves<T>(label: string, promise: Promise<T>): Promise<T>;
  /** Awaits a promise that must reject with a `ConcurrencyError` (or code `CAPA_CONCURRENCY`). */
  refused(label: string, promise: Promise<unknown>, recordId?: string): Promise<unknown>;
  /**
   * Awaits a commit that must reject with a `DuplicateReferenceError` (code
   * `CAPA_DUPLICATE_REFERENCE`) naming the reference, the record that holds it and the
   * record refused.
   */
  duplicate(label: string, promise: Promise<unknown>, expected: ExpectedDuplicate): Promise<void>;
}

/** What a refused duplicate must name. */
export interface ExpectedDuplicate {
  readonly tenantId: string;
  readonly kind: 'finding' | 'action';
  readonly reference: string;
  /** The record that holds the reference (or, in one batch, took it first); `null`: any record but the refused one. */
  readonly holder: string | null;
  readonly refused: string;
}

/** True for the contract's duplicate-reference refusal, from this copy of capa-kit or another. */
export const isDuplicateReferenceError = (error: unknown): boolean => isCapaError(error, 'CAPA_DUPLICATE_REFERENCE');

export function checks(options: ResolvedOptions): Checks {
  const self: Checks = {
    equal(label, actual, expected) {
      try {
        options.expect(actual).toEqual(expected);
      } catch (error) {
        throw relabel(error, label);
      }
    },
    ok(label, condition, detail) {
      if (!condition) throw new ConformanceFailure(detail === undefined ? label : `${label}: ${detail}`);
    },
    async rejects(label, promise) {
      try {
        await promise;
      } catch (error) {
        return error;
      }
      throw new ConformanceFailure(`${label}: expected a rejection, but it succeeded`);
    },
    async resolves(label, promise) {
      try {
        return await promise;
      } catch (error) {
        throw new ConformanceFailure(`${label}: expected success, got ${describeError(error)}`, { cause: error });
      }
    },
    async refused(label, promise, recordId) {
      const error = await self.rejects(label, promise);
      if (!isConcurrencyError(error)) {
        throw new ConformanceFailure(`${label}: expected a ConcurrencyError (code CAPA_CONCURRENCY), got ${describeError(error)}`);
      }
      if (recordId !== undefined) {
        const named = (error as { recordId?: unknown }).recordId;
        self.ok(label, named === recordId, `the ConcurrencyError names record ${JSON.stringify(named)}, not ${JSON.stringify(recordId)}`);
      }
      return error;
    },
    async duplicate(label, promise, expected) {
      const error = await self.rejects(label, promise);
      if (!isDuplicateReferenceError(error)) {
        throw new ConformanceFailure(`${label}: expected a DuplicateReferenceError (code CAPA_DUPLICATE_REFERENCE), got ${describeError(error)}`);
      }
      const { duplicates, recordId } = error as { duplicates?: unknown; recordId?: unknown };
      const named = Array.isArray(duplicates) && duplicates.length === 1 ? (duplicates[0] as Record<string, unknown>) : null;
      const ids = named !== null && Array.isArray(named.recordIds) ? (named.recordIds as unknown[]) : [];
      const holder = ids.find((id) => id !== expected.refused);
      self.ok(
        label,
        named !== null &&
          named.tenantId === expected.tenantId &&
          named.kind === expected.kind &&
          named.reference === expected.reference &&
          ids.length === 2 &&
          ids[1] === expected.refused &&
          holder !== undefined &&
          (expected.holder === null || holder === expected.holder) &&
          recordId === expected.refused,
        `the DuplicateReferenceError names ${JSON.stringify({ duplicates, recordId })}, not ${expected.kind} ${expected.reference} of ${expected.tenantId} held by ${expected.holder ?? 'another record'}, refused for ${expected.refused}`,
      );
    },
  };
  return self;
}

/** What a test body receives besides its store. */
export interface Tools extends Checks {
  /** A fresh tenant id. */
  tenant(label?: string): string;
  /** The resolved options (runs, seed). */
  readonly options: ResolvedOptions;
}

/** Runs `body` and then `close`, failing with the body's error first, else the close's. */
export async function closing<T>(store: CapaStore, body: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await body();
  } catch (error) {
    try {
      await store.close();
    } catch {
      // the body's failure is the one to report
    }
    throw error;
  }
  await store.close();
  return result;
}

/**
 * Registers one test that gets a fresh store from the factory and closes it afterwards,
 * whether the test passed or not.
 */
export function storeTest(options: ResolvedOptions, name: string, body: (store: CapaStore, tools: Tools) => Promise<void>): void {
  options.it(
    name,
    async () => {
      const store = await options.createStore();
      const tools: Tools = { ...checks(options), tenant: freshTenant, options };
      await closing(store, () => body(store, tools));
    },
    options.timeout,
  );
}

/** The JSON text of a value, keys in their own order: "byte for byte". */
export const exactJson = (value: unknown): string => JSON.stringify(value) ?? 'undefined';

/** The JSON text of a value with object keys sorted: equality that ignores key order. */
export function sortedJson(value: unknown): string {
  const sortKeys = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(sortKeys);
    if (item !== null && typeof item === 'object') {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(item).sort()) {
        Object.defineProperty(out, key, { value: sortKeys((item as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return item;
  };
  return JSON.stringify(sortKeys(value)) ?? 'undefined';
}

/** Code point order of two strings (the byte order of their UTF-8): the order the contract's pages use. */
export function compareStrings(a: string, b: string): number {
  const x = Array.from(a, (char) => char.codePointAt(0)!);
  const y = Array.from(b, (char) => char.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** Loads records and sorts them by id (the contract does not fix `load`'s order). */
export async function loadSorted(store: CapaStore, tenantId: string, ids: readonly string[]): Promise<StoredRecord[]> {
  const records = await store.load(tenantId, ids);
  return [...records].sort((a, b) => compareStrings(a.id, b.id));
}

/** Every event of a tenant, read in pages of `limit`. */
export async function readAllTenantEvents(store: CapaStore, tenantId: string, limit = 1000): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let after = 0;
  for (let guard = 0; guard < 100_000; guard += 1) {
    const page = await store.readTenantEvents(tenantId, after, limit);
    if (page.length > limit) throw new ConformanceFailure(`readTenantEvents returned ${page.length} events for limit ${limit}`);
    if (page.length === 0) return events;
    events.push(...page);
    const last = page.at(-1)!.tenantSequence;
    if (!(last > after)) throw new ConformanceFailure(`readTenantEvents after ${after} returned an event with tenant sequence ${last}`);
    after = last;
  }
  throw new ConformanceFailure('readTenantEvents never reached the end');
}

/** The pages of a query, and every record of them in order. */
export interface Collected {
  readonly records: StoredRecord[];
  readonly pages: Page[];
}

/**
 * Reads every page of a query, with limits taken in turn from `limits`, and checks the
 * paging rules on the way: no page holds more than its limit; a page with a next cursor
 * is full (it holds exactly its limit) and is followed by at least one more record; the
 * last page's cursor is `null`.
 */
export async function queryAll(
  store: CapaStore,
  tenantId: string,
  filter: RecordFilter,
  limits: readonly number[] = [1000],
): Promise<Collected> {
  const records: StoredRecord[] = [];
  const pages: Page[] = [];
  let cursor: string | undefined;
  for (let turn = 0; turn < 100_000; turn += 1) {
    const limit = limits[turn % limits.length]!;
    const page = await store.query(tenantId, cursor === undefined ? { filter, limit } : { filter, limit, cursor });
    const where = `query page ${turn + 1} (limit ${limit}) of ${JSON.stringify(filter)}`;
    if (!Array.isArray(page.records)) throw new ConformanceFailure(`${where}: records is not an array`);
    if (page.records.length > limit) throw new ConformanceFailure(`${where}: ${page.records.length} records, more than the limit`);
    if (page.cursor !== null && typeof page.cursor !== 'string') {
      throw new ConformanceFailure(`${where}: the cursor is ${JSON.stringify(page.cursor)}, neither a string nor null`);
    }
    if (turn > 0 && page.records.length === 0) {
      throw new ConformanceFailure(`${where}: the previous page had a cursor, but this page is empty (a cursor must be null at the end)`);
    }
    if (page.cursor !== null && page.records.length !== limit) {
      throw new ConformanceFailure(`${where}: a page with a next cursor holds ${page.records.length} records, not its limit`);
    }
    pages.push(page);
    records.push(...page.records);
    if (page.cursor === null) return { records, pages };
    cursor = page.cursor;
  }
  throw new ConformanceFailure(`query of ${JSON.stringify(filter)} never reached a null cursor`);
}

/**
 * Everything a tenant holds, as the contract lets one read it: the records by id, each
 * record's events, the tenant's events, every record of each kind through `query`, and
 * the idempotency results of some keys.
 */
export interface TenantSnapshot {
  readonly records: RecordView[];
  readonly events: Record<string, EventView[]>;
  readonly tenantEvents: EventView[];
  readonly findings: string[];
  readonly actions: string[];
  readonly idempotency: Record<string, string>;
}

export async function snapshot(
  store: CapaStore,
  tenantId: string,
  ids: readonly string[],
  keys: readonly string[] = [],
): Promise<TenantSnapshot> {
  const events: Record<string, EventView[]> = {};
  for (const id of ids) events[id] = (await store.readEvents(tenantId, id)).map(eventView);
  const idempotency: Record<string, string> = {};
  for (const key of keys) {
    const result: JsonValue | undefined = await store.idempotentResult(tenantId, key);
    idempotency[key] = result === undefined ? '(none)' : exactJson(result);
  }
  return {
    records: (await loadSorted(store, tenantId, ids)).map(recordView),
    events,
    tenantEvents: (await readAllTenantEvents(store, tenantId)).map(eventView),
    findings: (await queryAll(store, tenantId, { kind: 'finding' })).records.map((record) => record.id),
    actions: (await queryAll(store, tenantId, { kind: 'action' })).records.map((record) => record.id),
    idempotency,
  };
}

/** Settles promises and splits them into fulfilled values and rejection reasons. */
export async function settle<T>(promises: readonly Promise<T>[]): Promise<{ won: { index: number; value: T }[]; lost: { index: number; error: unknown }[] }> {
  const results = await Promise.allSettled(promises);
  const won: { index: number; value: T }[] = [];
  const lost: { index: number; error: unknown }[] = [];
  results.forEach((result, index) => {
    if (result.status === 'fulfilled') won.push({ index, value: result.value });
    else lost.push({ index, error: result.reason });
  });
  return { won, lost };
}

/** Fails unless every error is a concurrency refusal. */
export function onlyConcurrencyErrors(label: string, errors: readonly unknown[]): void {
  const other = errors.find((error) => !isConcurrencyError(error));
  if (other !== undefined) {
    throw new ConformanceFailure(`${label}: a losing writer got ${describeError(other)}, not a ConcurrencyError (code CAPA_CONCURRENCY)`);
  }
}

/** A record's fields, the document as key-order-free JSON text. */
export interface RecordView {
  readonly kind: string;
  readonly id: string;
  readonly tenantId: string;
  readonly version: number;
  readonly head: string | null;
  readonly index: StoredRecord['index'];
  readonly document: string;
}

/** An event's fields, the entry as exact JSON text. */
export interface EventView {
  readonly tenantId: string;
  readonly recordId: string;
  readonly sequence: number;
  readonly tenantSequence?: number;
  readonly entry: string;
}

/** A record's fields, the document as key-order-free JSON (the store may reorder its keys). */
export const recordView = (record: StoredRecord): RecordView => ({
  kind: record.kind,
  id: record.id,
  tenantId: record.tenantId,
  version: record.version,
  head: record.head,
  index: record.index,
  document: sortedJson(record.document),
});

/** An event's fields, the entry as exact JSON text (the contract: byte for byte). */
export const eventView = (event: Pick<StoredEvent, 'tenantId' | 'recordId' | 'sequence' | 'entry'> & { tenantSequence?: number }): EventView => ({
  tenantId: event.tenantId,
  recordId: event.recordId,
  sequence: event.sequence,
  ...(event.tenantSequence === undefined ? {} : { tenantSequence: event.tenantSequence }),
  entry: exactJson(event.entry),
});

/** Checks that `records` are exactly `expected` (by id). */
export function sameRecords(check: Checks, label: string, records: readonly StoredRecord[], expected: readonly StoredRecord[]): void {
  const byId = (list: readonly StoredRecord[]) => [...list].sort((a, b) => compareStrings(a.id, b.id)).map(recordView);
  check.equal(label, byId(records), byId(expected));
}

