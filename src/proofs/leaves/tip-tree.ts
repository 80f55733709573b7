import { CompactRange } from '../merkle/compact-range.js';
import { MemoryTreeHashes } from '../merkle/tiles.js';
import { compareRecordIds, tipLeafHash } from './tip-leaf.js';

/**
 * The record-tip tree's size and root.
 *
 * @example
 * ```ts nocheck
 * import type { TipTreeHead } from 'capa-kit/proofs';
 *
 * declare const tips: TipTreeHead;
 * console.log(`${tips.count} records`);
 * ```
 */
export interface TipTreeHead {
  /** How many records (leaves). */
  readonly count: number;
  readonly root: Uint8Array;
}

/**
 * Builds the record-tip tree from each record's tip. With `order: 'ascending'` (a log
 * that lists records by id, code point order) it streams: O(log n) memory, and a tip out
 * of order or repeated is refused with a `RangeError`. With `order: 'any'` it keeps each
 * record's id and 32-byte leaf hash and sorts them at the end (refusing a repeated id
 * there).
 *
 * @example
 * ```ts nocheck
 * import { TipTreeBuilder } from 'capa-kit/proofs';
 *
 * declare const records: { id: string; history: { tenantSequence: number; entry: { hash: string } }[] }[];
 * const tips = new TipTreeBuilder({ order: 'any' });
 * for (const record of records) {
 *   const last = record.history.at(-1)!;
 *   tips.add(record.id, last.tenantSequence, last.entry.hash);
 * }
 * const { count, root } = tips.finish();
 * ```
 */
export class TipTreeBuilder {
  readonly order: 'ascending' | 'any';
  readonly #range = new CompactRange();
  readonly #kept: { id: string; leafHash: Uint8Array }[] = [];
  #previous: string | null = null;
  #finished = false;

  constructor(options: { readonly order: 'ascending' | 'any' }) {
    this.order = options.order;
  }

  /** Adds a record's tip: its latest entry in the tree. */
  add(recordId: string, tenantSequence: number, entryHash: string | Uint8Array): void {
    this.addLeafHash(recordId, tipLeafHash(recordId, tenantSequence, entryHash));
  }

  /** Adds a record's tip leaf hash, computed elsewhere (a worker, a store column). */
  addLeafHash(recordId: string, leafHash: Uint8Array): void {
    if (this.#finished) throw new RangeError('The tip tree is finished');
    if (this.order === 'any') {
      this.#kept.push({ id: recordId, leafHash: leafHash.slice() });
      return;
    }
    if (this.#previous !== null && compareRecordIds(this.#previous, recordId) >= 0) {
      throw new RangeError(`Record tips must come in ascending id order: ${JSON.stringify(recordId)} after ${JSON.stringify(this.#previous)}`);
    }
    this.#previous = recordId;
    this.#range.appendLeaf(leafHash);
  }

  /** The tree's size and root; call once, after the last tip. */
  finish(): TipTreeHead {
    if (this.#finished) throw new RangeError('The tip tree is finished');
    this.#finished = true;
    if (this.order === 'ascending') return { count: this.#range.size, root: this.#range.root() };
    this.#kept.sort((a, b) => compareRecordIds(a.id, b.id));
    for (let i = 0; i < this.#kept.length; i++) {
      if (i > 0 && this.#kept[i - 1]!.id === this.#kept[i]!.id) throw new RangeError(`Record ${JSON.stringify(this.#kept[i]!.id)} has two tips`);
      this.#range.appendLeaf(this.#kept[i]!.leafHash);
    }
    this.#kept.length = 0;
    return { count: this.#range.size, root: this.#range.root() };
  }
}

/**
 * A record's tip: its id, and the tenant sequence and hash of its latest entry in the tree.
 *
 * @example
 * ```ts nocheck
 * import type { RecordTip } from 'capa-kit/proofs';
 *
 * const tip: RecordTip = { recordId: 'f-1', tenantSequence: 57, entryHash: 'c'.repeat(64) };
 * ```
 */
export interface RecordTip {
  readonly recordId: string;
  readonly tenantSequence: number;
  readonly entryHash: string | Uint8Array;
}

/**
 * The record-tip tree of these tips, in memory, with each record's position: for the
 * memory store, tests, and a checkpoint's snapshot of the tips. Refuses a repeated id.
 *
 * @example
 * ```ts nocheck
 * import { inclusionProofFromSource, tipTreeOf } from 'capa-kit/proofs';
 *
 * const tips = tipTreeOf([
 *   { recordId: 'f-2', tenantSequence: 9, entryHash: 'a'.repeat(64) },
 *   { recordId: 'f-1', tenantSequence: 7, entryHash: 'b'.repeat(64) },
 * ]);
 * const index = tips.indexOf('f-2'); // 1: ids in code point order
 * const path = await inclusionProofFromSource(tips.tree, index, tips.tree.size);
 * ```
 */
export function tipTreeOf(tips: readonly RecordTip[]): { readonly tree: MemoryTreeHashes; readonly ids: readonly string[]; indexOf(recordId: string): number } {
  const sorted = [...tips].sort((a, b) => compareRecordIds(a.recordId, b.recordId));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i - 1]!.recordId === sorted[i]!.recordId) throw new RangeError(`Record ${JSON.stringify(sorted[i]!.recordId)} has two tips`);
  }
  const tree = new MemoryTreeHashes();
  tree.append(sorted.map((tip) => tipLeafHash(tip.recordId, tip.tenantSequence, tip.entryHash)));
  const ids = sorted.map((tip) => tip.recordId);
  const indexOf = (recordId: string): number => {
    let low = 0;
    let high = ids.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareRecordIds(ids[middle]!, recordId) < 0) low = middle + 1;
      else high = middle;
    }
    return ids[low] === recordId ? low : -1;
  };
  return { tree, ids, indexOf };
}
