import { compareCodePoints } from './code-point-order.js';
import type { Page, PageRequest, RecordFilter, StoredRecord } from './contract.js';
import { checkPageLimit, type CursorPosition, decodeCursor, encodeCursor } from './cursor.js';

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

/** The stable order: `raisedAt`, then `id`, both by code point. */
const byPosition = (a: StoredRecord, b: StoredRecord): number =>
  compareCodePoints(a.index.raisedAt, b.index.raisedAt) || compareCodePoints(a.id, b.id);

function after(record: StoredRecord, cursor: CursorPosition | null): boolean {
  if (cursor === null) return true;
  const order = compareCodePoints(record.index.raisedAt, cursor[0]);
  return order > 0 || (order === 0 && compareCodePoints(record.id, cursor[1]) > 0);
}

/**
 * One page of the records matching a filter, in the stable order (`raisedAt`, then `id`,
 * by code point).
 * Linear in the number of records: fine for the embedded stores' sizes.
 */
export function queryInMemory(records: Iterable<StoredRecord>, request: PageRequest): Page {
  checkPageLimit(request.limit);
  const cursor = decodeCursor(request.cursor);
  const all = [...records];
  const counts = recurrenceCounts(all, request.filter);
  const matching = all
    .filter((record) => matches(record, request.filter, counts) && after(record, cursor))
    .sort(byPosition);
  const records_ = matching.slice(0, request.limit);
  const last = records_.at(-1);
  return { records: records_, cursor: matching.length > request.limit && last !== undefined ? encodeCursor(last) : null };
}
