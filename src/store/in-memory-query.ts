import type { Page, PageRequest, RecordFilter, StoredRecord } from './contract.js';

// The declarative filter evaluated over records held in memory: shared by the stores
// that keep their records in a Map (memory, file). SQL stores translate it instead.

const within = (values: readonly string[] | undefined, value: string | null) =>
  values === undefined || (value !== null && values.includes(value));

/** Records of `kind` raised in the recurrence window, counted by the recurrence field. */
function recurrenceCounts(records: Iterable<StoredRecord>, filter: RecordFilter): Map<string, number> | null {
  const recurrence = filter.recurrence;
  if (recurrence === undefined) return null;
  const counts = new Map<string, number>();
  for (const record of records) {
    if (record.kind !== filter.kind || record.index.raisedAt < recurrence.raisedSince) continue;
    const value = record.index[recurrence.field];
    if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return counts;
}

function matches(record: StoredRecord, filter: RecordFilter, counts: Map<string, number> | null): boolean {
  const { index } = record;
  if (record.kind !== filter.kind) return false;
  if (!within(filter.status, index.status)) return false;
  if (filter.open !== undefined && index.open !== filter.open) return false;
  if (!within(filter.grade, index.grade)) return false;
  if (!within(filter.source, index.source)) return false;
  if (!within(filter.ownerId, index.ownerId)) return false;
  if (!within(filter.requirement, index.requirement)) return false;
  if (!within(filter.causeCategory, index.causeCategory)) return false;
  if (filter.text !== undefined && !index.text.includes(filter.text.toLowerCase())) return false;
  if (filter.dueBefore !== undefined && (index.dueDate === null || !(index.dueDate < filter.dueBefore))) return false;
  if (filter.dueOnOrBefore !== undefined && (index.dueDate === null || index.dueDate > filter.dueOnOrBefore)) return false;
  if (filter.inactiveSince !== undefined && !(index.lastActivityAt < filter.inactiveSince)) return false;
  if (filter.recurrence !== undefined && counts !== null) {
    const value = index[filter.recurrence.field];
    if (value === null || index.raisedAt < filter.recurrence.raisedSince) return false;
    if ((counts.get(value) ?? 0) <= filter.recurrence.moreThan) return false;
  }
  return true;
}

const sortKey = (record: StoredRecord): [string, string] => [record.index.raisedAt, record.id];

function after(record: StoredRecord, cursor: [string, string] | null): boolean {
  if (cursor === null) return true;
  const [raisedAt, id] = sortKey(record);
  return raisedAt > cursor[0] || (raisedAt === cursor[0] && id > cursor[1]);
}

/** Encodes a position in the stable order as an opaque cursor. */
export function encodeCursor(record: StoredRecord): string {
  return btoa(JSON.stringify(sortKey(record)));
}

/** Decodes a cursor; a malformed one is refused rather than read as the start. */
export function decodeCursor(cursor: string | undefined): [string, string] | null {
  if (cursor === undefined) return null;
  try {
    const value: unknown = JSON.parse(atob(cursor));
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string')) {
      return value as [string, string];
    }
  } catch {
    // fall through
  }
  throw new RangeError(`Malformed page cursor: ${cursor}`);
}

/**
 * One page of the records matching a filter, in the stable order (`raisedAt`, then `id`).
 * Linear in the number of records: fine for the embedded stores' sizes.
 */
export function queryInMemory(records: Iterable<StoredRecord>, request: PageRequest): Page {
  if (!Number.isInteger(request.limit) || request.limit < 1 || request.limit > 1000) {
    throw new RangeError(`Page limit must be 1 to 1000, not ${request.limit}`);
  }
  const cursor = decodeCursor(request.cursor);
  const all = [...records];
  const counts = recurrenceCounts(all, request.filter);
  const matching = all
    .filter((record) => matches(record, request.filter, counts) && after(record, cursor))
    .sort((a, b) => (a.index.raisedAt === b.index.raisedAt ? (a.id < b.id ? -1 : 1) : a.index.raisedAt < b.index.raisedAt ? -1 : 1));
  const records_ = matching.slice(0, request.limit);
  const last = records_.at(-1);
  return { records: records_, cursor: matching.length > request.limit && last !== undefined ? encodeCursor(last) : null };
}
