import { DuplicateReferenceError, type DuplicateReference } from '../errors/store-errors.js';
import type { CommitBatch, RecordKind, StoredRecord } from './contract.js';

// References are unique per tenant and kind: the rule every shipped store enforces, written
// once. A store says who holds a reference now; the batch is checked against that and
// against itself, before anything is written.

/** A key for one reference of one kind, as a map keeps it. */
export const referenceKey = (kind: RecordKind, reference: string): string => `${kind}\u0000${reference}`;

/** A record's reference, `null` when it has none (an index written before contract 2 has no field at all). */
export const referenceOf = (record: StoredRecord): string | null => record.index.reference ?? null;

/**
 * The first reference a batch would hold twice: given to two of its records, or to a
 * record while another (`holderOf`) holds it. `null` when there is none.
 */
export function duplicateInBatch(
  batch: CommitBatch,
  holderOf: (kind: RecordKind, reference: string) => string | undefined,
): DuplicateReference | null {
  const given = new Map<string, string>();
  for (const { record } of batch.writes) {
    const reference = referenceOf(record);
    if (reference === null) continue;
    const key = referenceKey(record.kind, reference);
    const holder = given.get(key) ?? holderOf(record.kind, reference);
    if (holder !== undefined && holder !== record.id) {
      return { tenantId: batch.tenantId, kind: record.kind, reference, recordIds: [holder, record.id] };
    }
    given.set(key, record.id);
  }
  return null;
}

/** Refuses a batch that would hold a reference twice (see {@link duplicateInBatch}). */
export function refuseDuplicateReferences(batch: CommitBatch, holderOf: (kind: RecordKind, reference: string) => string | undefined): void {
  const duplicate = duplicateInBatch(batch, holderOf);
  if (duplicate !== null) throw new DuplicateReferenceError([duplicate], duplicate.recordIds[1]!);
}

/**
 * Refuses a kind `nextReference` does not count with a `RangeError`: a caller written for
 * storage contract 1 passes none.
 */
export function checkReferenceKind(kind: unknown): asserts kind is RecordKind {
  if (kind !== 'finding' && kind !== 'action') {
    throw new RangeError(`nextReference needs the kind of record to number, 'finding' or 'action', not ${kind === undefined ? 'none' : JSON.stringify(kind)}`);
  }
}

/**
 * The reference a record's document names, as the register writes documents
 * (`document.finding.reference`, `document.action.reference`), or `null`. Only for data
 * written under storage contract 1, whose index has no reference: what a store's
 * migration backfills (the SQL stores do the same in SQL). A store never reads the
 * document otherwise.
 */
export function referenceInDocument(record: StoredRecord): string | null {
  const document = record.document;
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return null;
  const body = document[record.kind];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const reference = body.reference;
  return typeof reference === 'string' ? reference : null;
}
