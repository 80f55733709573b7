import { CompactRange } from './compact-range.js';
import { HASH_SIZE } from './hash.js';
import { checkCount } from './tree.js';

// The leaves of the tenant's tree, filled in whatever order a log lists them. A log lists
// records (in id order) with each record's history inside, while the tree orders every
// entry of the tenant by tenant sequence, so the validator cannot stream the tree: it
// keeps one 32-byte leaf hash per entry at index tenantSequence − 1, then hashes the tree
// from left to right through a compact range (n − 1 node hashes, O(log n) more memory).
//
// The slots live in chunks of 256 (8 KiB, one tile of leaves), allocated when a first
// leaf lands in them: a header that claims a huge size costs nothing until entries come,
// and memory follows the entries present (32 bytes each plus 32 bytes of presence bits
// and about 100 bytes of bookkeeping per chunk: 32.5 bytes an entry in all).

const CHUNK = 256;

/**
 * A table of leaf hashes for a tree of `size` leaves, filled in any order and each slot
 * once; the root when every slot is filled.
 *
 * @example
 * ```ts nocheck
 * import { entryLeafHash, LeafHashTable } from 'capa-kit/proofs';
 *
 * declare const logged: { tenantSequence: number; entry: { hash: string } }[];
 * const table = new LeafHashTable(1200); // the header's tenant sequence
 * for (const { tenantSequence, entry } of logged) {
 *   if (!table.set(tenantSequence - 1, entryLeafHash(tenantSequence, entry.hash))) console.error(`tenant sequence ${tenantSequence} twice`);
 * }
 * if (table.firstMissing() === null) console.log(table.root());
 * ```
 */
export class LeafHashTable {
  readonly size: number;
  readonly #hashes = new Map<number, Uint8Array>();
  readonly #present = new Map<number, Uint8Array>();
  #filled = 0;

  constructor(size: number) {
    checkCount('size', size);
    this.size = size;
  }

  /** How many slots hold a leaf hash. */
  get filled(): number {
    return this.#filled;
  }

  /** Bytes held for leaf hashes and presence bits. */
  get bytes(): number {
    return this.#hashes.size * (CHUNK * HASH_SIZE + CHUNK / 8);
  }

  /** Whether slot `index` holds a leaf hash. */
  has(index: number): boolean {
    const present = this.#present.get(Math.floor(index / CHUNK));
    const offset = index % CHUNK;
    return present !== undefined && (present[offset >> 3]! & (1 << (offset & 7))) !== 0;
  }

  /**
   * Puts the leaf hash of slot `index` (0 to size − 1: tenantSequence − 1). Returns false,
   * changing nothing, when the slot is already filled. Throws a `RangeError` for an index
   * outside the table or a hash that is not 32 bytes.
   */
  set(index: number, leafHash: Uint8Array): boolean {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) throw new RangeError(`Leaf ${index} is outside a tree of ${this.size} leaves`);
    if (leafHash.length !== HASH_SIZE) throw new RangeError('Leaf hashes are 32 bytes');
    const chunk = Math.floor(index / CHUNK);
    const offset = index % CHUNK;
    let present = this.#present.get(chunk);
    if (present === undefined) {
      present = new Uint8Array(CHUNK / 8);
      this.#present.set(chunk, present);
      this.#hashes.set(chunk, new Uint8Array(CHUNK * HASH_SIZE));
    }
    const bit = 1 << (offset & 7);
    if ((present[offset >> 3]! & bit) !== 0) return false;
    present[offset >> 3]! |= bit;
    this.#hashes.get(chunk)!.set(leafHash, offset * HASH_SIZE);
    this.#filled += 1;
    return true;
  }

  /** The leaf hash in slot `index` (a copy), or `null` when it is empty. */
  get(index: number): Uint8Array | null {
    if (!this.has(index)) return null;
    const offset = (index % CHUNK) * HASH_SIZE;
    return this.#hashes.get(Math.floor(index / CHUNK))!.slice(offset, offset + HASH_SIZE);
  }

  /** The first empty slot, or `null` when all are filled. */
  firstMissing(): number | null {
    if (this.#filled === this.size) return null;
    for (let index = 0; index < this.size; index++) if (!this.has(index)) return index;
    return null;
  }

  /** The tree's root (RFC 9162 MTH). Throws a `RangeError` while a slot is empty. */
  root(): Uint8Array {
    const missing = this.firstMissing();
    if (missing !== null) throw new RangeError(`Leaf ${missing} of ${this.size} is missing: the tree has no root`);
    const range = new CompactRange();
    for (let chunk = 0; chunk * CHUNK < this.size; chunk++) {
      const hashes = this.#hashes.get(chunk)!;
      const count = Math.min(CHUNK, this.size - chunk * CHUNK);
      for (let i = 0; i < count; i++) range.appendLeaf(hashes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
    }
    return range.root();
  }
}
