import type { CapaStore, Page, RecordFilter, StoredRecord } from '../../src/store/contract.js';
import { compareCodePoints } from '../../src/store/code-point-order.js';
import { MemoryState } from '../../src/stores/memory.js';
import { copy, storeOver } from './support/recording.js';

// Mutants of the filter rules: a store whose query answers with a naive evaluator that
// gets exactly one rule wrong. The query group must fail each of them.

export const MUTANTS = [
  'dueBefore inclusive',
  'dueOnOrBefore strict',
  'inactiveSince inclusive',
  'text case-sensitive',
  'null due date compares as empty',
  'open: false ignored',
  'empty list matches everything',
  'recurrence counts every kind',
  'recurrence counts outside the window',
  'recurrence ignores where the record was raised',
  'recurrence counts only matching records',
  'recurrence at least moreThan',
  'ties in insertion order',
] as const;

/** A mutant of the filter rules, or `none` for the rules as the contract states them. */
export type Mutant = (typeof MUTANTS)[number] | 'none';

function evaluate(mutant: Mutant, records: readonly StoredRecord[], filter: RecordFilter): StoredRecord[] {
  const list = (values: readonly string[] | undefined, value: string | null) =>
    values === undefined || (mutant === 'empty list matches everything' && values.length === 0) || (value !== null && values.includes(value));
  const plain = (record: StoredRecord): boolean => {
    const i = record.index;
    if (record.kind !== filter.kind) return false;
    if (!list(filter.status, i.status) || !list(filter.grade, i.grade) || !list(filter.source, i.source)) return false;
    if (!list(filter.ownerId, i.ownerId) || !list(filter.requirement, i.requirement) || !list(filter.causeCategory, i.causeCategory)) return false;
    if (mutant === 'open: false ignored' ? filter.open === true && !i.open : filter.open !== undefined && i.open !== filter.open) return false;
    if (filter.text !== undefined && !i.text.includes(mutant === 'text case-sensitive' ? filter.text : filter.text.toLowerCase())) return false;
    const due = mutant === 'null due date compares as empty' ? (i.dueDate ?? '') : i.dueDate;
    if (filter.dueBefore !== undefined && (due === null || !(mutant === 'dueBefore inclusive' ? due <= filter.dueBefore : due < filter.dueBefore))) return false;
    if (filter.dueOnOrBefore !== undefined && (due === null || !(mutant === 'dueOnOrBefore strict' ? due < filter.dueOnOrBefore : due <= filter.dueOnOrBefore))) return false;
    if (filter.inactiveSince !== undefined && !(mutant === 'inactiveSince inclusive' ? i.lastActivityAt <= filter.inactiveSince : i.lastActivityAt < filter.inactiveSince)) return false;
    return true;
  };
  const r = filter.recurrence;
  const matching = records.filter((record) => {
    if (!plain(record)) return false;
    if (r === undefined) return true;
    const value = record.index[r.field];
    if (value === null) return false;
    if (mutant !== 'recurrence ignores where the record was raised' && record.index.raisedAt < r.raisedSince) return false;
    const pool = mutant === 'recurrence counts only matching records' ? records.filter(plain) : records;
    const count = pool.filter(
      (other) =>
        (mutant === 'recurrence counts every kind' || other.kind === filter.kind) &&
        (mutant === 'recurrence counts outside the window' || other.index.raisedAt >= r.raisedSince) &&
        other.index[r.field] === value,
    ).length;
    return mutant === 'recurrence at least moreThan' ? count >= r.moreThan : count > r.moreThan;
  });
  return matching.sort((a, b) =>
    compareCodePoints(a.index.raisedAt, b.index.raisedAt) || (mutant === 'ties in insertion order' ? 0 : compareCodePoints(a.id, b.id)),
  );
}

/** A memory store whose query answers with the mutant (offset cursors, limits checked). */
export function mutantStore(mutant: Mutant): CapaStore {
  return storeOver(new MemoryState(), (state) => ({
    query: async (tenantId, request): Promise<Page> => {
      if (!Number.isInteger(request.limit) || request.limit < 1 || request.limit > 1000) throw new RangeError('limit');
      const start = request.cursor === undefined ? 0 : Number(request.cursor);
      if (!Number.isInteger(start) || start < 0) throw new RangeError('cursor');
      const all = evaluate(mutant, [...state.tenant(tenantId).records.values()], request.filter);
      const records = all.slice(start, start + request.limit);
      return copy({ records, cursor: start + request.limit < all.length ? String(start + request.limit) : null });
    },
  }));
}
