import { CompactRange } from './compact-range.js';
import { HASH_SIZE } from './hash.js';
import { checkCount, rangeRoot } from './tree.js';

// The leaves of the tenant's tree, filled in whatever order a log lists them. A log lists
// records (in id order) with each record's history inside, while the tree orders every
// entry of the tenant by tenant sequence, so the validator cannot stream the tree: it
// keeps one 32-byte leaf hash per entry at index tenantSequence − 1.
//
// The slots live in chunks of 256 (8 KiB, one tile of leaves), allocated when a first
// leaf lands in them: a header that claims a huge size costs nothing until entries come,
// and memory follows the entries present: 32 bytes each, plus per chunk 32 bytes of
// presence bits, its 32-byte root and some bookkeeping (bench/proofs.bench.ts measures
// about 34 bytes an entry in all). A chunk's root (255 node hashes) is computed when its
// last slot fills, as the log is read, so the root at the end costs only the hashes above
// the chunks (n / 256 of them).

const CHUNK = 256;
const CHUNK_HEIGHT = 8;

interface Chunk {
  readonly hashes: Uint8Array;
  readonly present: Uint8Array;
  filled: number;
  root: Uint8Array | null;
}

/**
 * A table of leaf hashes for a tree of `size` leaves, filled in any order and each slot
 * once; the root when every slot is filled, and the roots at smaller sizes (a trusted
 * checkpoint's) in the same pass.
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
 * if (table.firstMissing() === null) {
 *   const [atTrusted, atCut] = table.rootsAt([800, 1200]); // last year's checkpoint, and this log's
 * }
 * ```
 */
export class LeafHashTable {
  readonly size: number;
  readonly #chunks = new Map<number, Chunk>();
  #filled = 0;

  constructor(size: number) {
    checkCount('size', size);
    this.size = size;
  }

  /** How many slots hold a leaf hash. */
  get filled(): number {
    return this.#filled;
  }

  /** Bytes held for leaf hashes, presence bits and chunk roots. */
  get bytes(): number {
    return this.#chunks.size * (CHUNK * HASH_SIZE + CHUNK / 8 + HASH_SIZE);
  }

  /** Whether slot `index` holds a leaf hash. */
  has(index: number): boolean {
    const chunk = this.#chunks.get(Math.floor(index / CHUNK));
    const offset = index % CHUNK;
    return chunk !== undefined && (chunk.present[offset >> 3]! & (1 << (offset & 7))) !== 0;
  }

  /**
   * Puts the leaf hash of slot `index` (0 to size − 1: tenantSequence − 1). Returns false,
   * changing nothing, when the slot is already filled. Throws a `RangeError` for an index
   * outside the table or a hash that is not 32 bytes.
   */
  set(index: number, leafHash: Uint8Array): boolean {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) throw new RangeError(`Leaf ${index} is outside a tree of ${this.size} leaves`);
    if (leafHash.length !== HASH_SIZE) throw new RangeError('Leaf hashes are 32 bytes');
    const number = Math.floor(index / CHUNK);
    const offset = index % CHUNK;
    let chunk = this.#chunks.get(number);
    if (chunk === undefined) {
      chunk = { hashes: new Uint8Array(CHUNK * HASH_SIZE), present: new Uint8Array(CHUNK / 8), filled: 0, root: null };
      this.#chunks.set(number, chunk);
    }
    const bit = 1 << (offset & 7);
    if ((chunk.present[offset >> 3]! & bit) !== 0) return false;
    chunk.present[offset >> 3]! |= bit;
    chunk.hashes.set(leafHash, offset * HASH_SIZE);
    chunk.filled += 1;
    this.#filled += 1;
    if (chunk.filled === CHUNK) chunk.root = rangeRoot((i) => chunk.hashes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE), 0, CHUNK);
    return true;
  }

  /** The leaf hash in slot `index` (a copy), or `null` when it is empty. */
  get(index: number): Uint8Array | null {
    if (!this.has(index)) return null;
    const offset = (index % CHUNK) * HASH_SIZE;
    return this.#chunks.get(Math.floor(index / CHUNK))!.hashes.slice(offset, offset + HASH_SIZE);
  }

  /** The first empty slot, or `null` when all are filled. */
  firstMissing(): number | null {
    if (this.#filled === this.size) return null;
    for (let number = 0; number * CHUNK < this.size; number++) {
      const chunk = this.#chunks.get(number);
      const count = Math.min(CHUNK, this.size - number * CHUNK);
      if (chunk === undefined) return number * CHUNK;
      if (chunk.filled < count) for (let i = 0; i < count; i++) if (!this.has(number * CHUNK + i)) return number * CHUNK + i;
    }
    return null;
  }

  /** The tree's root (RFC 9162 MTH). Throws a `RangeError` while a slot is empty. */
  root(): Uint8Array {
    return this.rootsAt([this.size])[0]!;
  }

  /**
   * The roots of the trees of the first `sizes[i]` leaves (each from 0 to `size`), in one
   * pass: the root at this log's size and at a trusted checkpoint's, say. Throws a
   * `RangeError` while a slot below the largest size is empty.
   */
  rootsAt(sizes: readonly number[]): Uint8Array[] {
    for (const size of sizes) if (!Number.isSafeInteger(size) || size < 0 || size > this.size) throw new RangeError(`A tree of ${size} leaves is not in a table of ${this.size}`);
    const largest = Math.max(0, ...sizes);
    const roots = new Map<number, Uint8Array>();
    const range = new CompactRange();
    const leaf = (chunk: Chunk, i: number) => chunk.hashes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
    const pending = [...new Set(sizes)].sort((a, b) => a - b);
    let next = 0;
    const take = () => {
      while (next < pending.length && pending[next] === range.size) roots.set(pending[next++]!, range.root());
    };
    take();
    for (let number = 0; number * CHUNK < largest; number++) {
      const chunk = this.#chunks.get(number);
      const count = Math.min(CHUNK, largest - number * CHUNK);
      if (chunk === undefined || chunk.filled < CHUNK) {
        for (let i = 0; i < count; i++) {
          if (!this.has(number * CHUNK + i)) throw new RangeError(`Leaf ${number * CHUNK + i} of ${this.size} is missing: the tree has no root`);
        }
      }
      const chunkEnd = (number + 1) * CHUNK;
      // A whole chunk in one hash, unless a size asked for ends inside it.
      if (count === CHUNK && chunk!.root !== null && !(next < pending.length && pending[next]! < chunkEnd)) {
        range.appendSubtree(CHUNK_HEIGHT, chunk!.root);
        take();
        continue;
      }
      for (let i = 0; i < count; i++) {
        range.appendLeaf(leaf(chunk!, i));
        take();
      }
    }
    return sizes.map((size) => roots.get(size)!);
  }
}
