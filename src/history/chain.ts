import type { HistoryEntry } from '../schemas/history-entry.js';
import { hashJson, hashJsonWithout } from './hash.js';

/**
 * A history entry before it is sealed: everything but its hash.
 *
 * @example
 * ```ts
 * import type { HistoryEntry } from 'capa-kit';
 * import { sealEntry, type UnsealedEntry } from 'capa-kit/register';
 *
 * declare const last: HistoryEntry; // the record's latest entry
 * const { hash: _hash, ...content } = last;
 * const unsealed: UnsealedEntry = { ...content, sequence: last.sequence + 1, prevHash: last.hash, payload: { text: 'Seen' } };
 * const next = sealEntry(unsealed);
 * ```
 */
export type UnsealedEntry = Omit<HistoryEntry, 'hash'>;

/**
 * Seals an entry: its hash is the SHA-256 of its RFC 8785 canonical JSON (everything but
 * `hash`, `prevHash` included), which chains it to the entry before.
 *
 * @example
 * ```ts
 * import { sealEntry } from 'capa-kit/register';
 *
 * const sealed = sealEntry({
 *   schemaVersion: 1, tenantId: 'acme', recordKind: 'finding', recordId: 'f-1', sequence: 1, type: 'COMMENT',
 *   actor: { id: 'u-1', name: 'Ada', roles: [] }, at: '2026-03-01T09:00:00Z', reason: null,
 *   payload: { text: 'Seen' }, madeUnder: { schema: 1, machine: 1, policy: { id: 'iso27001', version: '2022.1' } },
 *   signature: null, prevHash: null,
 * });
 * sealed.hash.length; // 64
 * ```
 */
export function sealEntry(entry: UnsealedEntry): HistoryEntry {
  return { ...entry, hash: hashJson(entry) };
}

/**
 * The first place a record's history does not hold together, and why.
 *
 * @example
 * ```ts
 * import type { HistoryEntry } from 'capa-kit';
 * import { firstBrokenLink, type BrokenLink } from 'capa-kit/register';
 *
 * declare const entries: HistoryEntry[];
 * const broken: BrokenLink | null = firstBrokenLink('f-1', entries);
 * if (broken !== null) console.error(`${broken.reason} at entry ${broken.sequence}: ${broken.message}`);
 * ```
 */
export interface BrokenLink {
  readonly recordId: string;
  /** The sequence of the first entry that fails (or where one is missing). */
  readonly sequence: number;
  readonly reason: 'hash-mismatch' | 'chain-broken' | 'sequence-gap' | 'wrong-record';
  readonly message: string;
}

/**
 * Checks one record's entries, in order: sequences run 1, 2, 3…; each entry's hash is the
 * hash of its content; each `prevHash` is the previous entry's hash. Returns the first
 * broken link, or `null` when the chain holds. Messages name the record by `name` (its
 * reference, say; default its id).
 *
 * @example
 * ```ts
 * import type { HistoryEntry } from 'capa-kit';
 * import { firstBrokenLink } from 'capa-kit/register';
 *
 * declare const entries: HistoryEntry[];
 * const broken = firstBrokenLink('f-1', entries);
 * if (broken !== null) console.log(broken.message);
 * ```
 */
export function firstBrokenLink(recordId: string, entries: readonly HistoryEntry[], name: string = recordId): BrokenLink | null {
  const at = (sequence: number, reason: BrokenLink['reason'], message: string): BrokenLink => ({ recordId, sequence, reason, message });
  let previous: string | null = null;
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]!;
    const expected = index + 1;
    if (entry.recordId !== recordId) return at(expected, 'wrong-record', `Entry ${expected} of ${name} belongs to ${entry.recordId}.`);
    if (entry.sequence !== expected) {
      return at(expected, 'sequence-gap', `Entry ${expected} of ${name} carries sequence ${entry.sequence}: an entry is missing or moved.`);
    }
    if (entry.prevHash !== previous) {
      return at(expected, 'chain-broken', `Entry ${expected} of ${name} does not point at entry ${expected - 1}: the history was cut or reordered.`);
    }
    const hash = entry.hash;
    if (hashJsonWithout(entry, 'hash') !== hash) {
      return at(expected, 'hash-mismatch', `Entry ${expected} of ${name} (${entry.type}) was changed after it was written.`);
    }
    previous = hash;
  }
  return null;
}
