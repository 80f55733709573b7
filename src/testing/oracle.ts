import type { RecordFilter, StoredRecord } from '../store/contract.js';

// The kit's own reading of `RecordFilter`, written from the contract's comments and
// nothing else: slow, plain and separate from the stores' shared evaluator, so that a bug
// there cannot hide itself by being in the oracle too.

/** Whether a list condition holds: absent, or the value is one of the list (never `null`). */
function anyOf(list: readonly string[] | undefined, value: string | null): boolean {
  if (list === undefined) return true;
  if (value === null) return false;
  for (const item of list) if (item === value) return true;
  return false;
}

/** Whether `record` (of the filter's kind) passes the recurrence condition, counted over `all`. */
function recurs(record: StoredRecord, all: readonly StoredRecord[], filter: RecordFilter): boolean {
  const recurrence = filter.recurrence;
  if (recurrence === undefined) return true;
  const value = record.index[recurrence.field];
  if (value === null) return false;
  if (record.index.raisedAt < recurrence.raisedSince) return false;
  let sharing = 0;
  for (const other of all) {
    if (other.kind !== filter.kind) continue;
    if (other.index.raisedAt < recurrence.raisedSince) continue;
    if (other.index[recurrence.field] === value) sharing += 1;
  }
  return sharing > recurrence.moreThan;
}

/**
 * Whether a record matches a filter, by the contract's rules: every condition ANDed;
 * lists match any of their values (an empty list matches nothing, `null` matches no list);
 * `text` is a case-insensitive substring (the filter lowercased, in the lowercased index
 * text); `dueBefore` is strict and `dueOnOrBefore` inclusive, and neither matches a record
 * without a due date; `inactiveSince` is strict; `recurrence` counts the records of the
 * kind raised at or after `raisedSince` that share the record's value, itself included.
 */
function matches(record: StoredRecord, all: readonly StoredRecord[], filter: RecordFilter): boolean {
  const index = record.index;
  if (record.kind !== filter.kind) return false;
  if (!anyOf(filter.status, index.status)) return false;
  if (filter.open !== undefined && index.open !== filter.open) return false;
  if (!anyOf(filter.grade, index.grade)) return false;
  if (!anyOf(filter.source, index.source)) return false;
  if (!anyOf(filter.ownerId, index.ownerId)) return false;
  if (!anyOf(filter.requirement, index.requirement)) return false;
  if (!anyOf(filter.causeCategory, index.causeCategory)) return false;
  if (filter.text !== undefined && index.text.toLowerCase().indexOf(filter.text.toLowerCase()) === -1) return false;
  if (filter.dueBefore !== undefined) {
    if (index.dueDate === null || !(index.dueDate < filter.dueBefore)) return false;
  }
  if (filter.dueOnOrBefore !== undefined) {
    if (index.dueDate === null || !(index.dueDate <= filter.dueOnOrBefore)) return false;
  }
  if (filter.inactiveSince !== undefined && !(index.lastActivityAt < filter.inactiveSince)) return false;
  return recurs(record, all, filter);
}

/** Code point order, the slow and obvious way: compare the strings' code points one by one. */
function byCodePoint(a: string, b: string): number {
  const x = Array.from(a, (char) => char.codePointAt(0)!);
  const y = Array.from(b, (char) => char.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/**
 * What a query over `records` must return, every page together: the records matching the
 * filter, ordered by `raisedAt` then `id`, both ascending by Unicode code point (the byte
 * order of UTF-8: `COLLATE "C"` in PostgreSQL, `BINARY` in SQLite; not JavaScript's `<`,
 * which compares UTF-16 code units). A naive, independent
 * implementation of the {@link RecordFilter} rules, for checking a store against.
 *
 * Instants and dates are compared as strings, as the contract's stores do; the kit only
 * writes them in one fixed-width format (`YYYY-MM-DDTHH:mm:ss.sssZ`, `YYYY-MM-DD`), where
 * string order is time order.
 *
 * @example
 * ```ts
 * import { oracleQuery } from 'capa-kit/testing';
 * import type { StoredRecord } from 'capa-kit/register';
 *
 * declare const everything: StoredRecord[];
 * const overdue = oracleQuery(everything, { kind: 'finding', open: true, dueBefore: '2026-11-22' });
 * ```
 */
export function oracleQuery(records: readonly StoredRecord[], filter: RecordFilter): StoredRecord[] {
  const matching = records.filter((record) => matches(record, records, filter));
  return matching.sort((a, b) => byCodePoint(a.index.raisedAt, b.index.raisedAt) || byCodePoint(a.id, b.id));
}
