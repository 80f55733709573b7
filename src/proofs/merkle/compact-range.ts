import { emptyRoot, HASH_SIZE, hashChildren } from './hash.js';

/**
 * Called for each complete subtree as it forms: its `height` (0: a leaf), its `index`
 * among the subtrees of that height (the leaves it spans are `index·2^height` to
 * `(index+1)·2^height − 1`), and its hash. A store keeps the ones it needs (see tiles).
 *
 * @example
 * ```ts nocheck
 * import type { SubtreeVisitor } from 'capa-kit/proofs';
 *
 * const seen: string[] = [];
 * const visit: SubtreeVisitor = (height, index) => void seen.push(`${height}/${index}`);
 * ```
 */
export type SubtreeVisitor = (height: number, index: number, hash: Uint8Array) => void;

const pow2 = (height: number): number => 2 ** height;

/** The heights of the perfect subtrees that make up `size` leaves, tallest (leftmost) first. */
export function decompose(size: number): number[] {
  const heights: number[] = [];
  for (let height = 52; height >= 0; height--) if (Math.floor(size / pow2(height)) % 2 === 1) heights.push(height);
  return heights;
}

/**
 * The compact form of a tree of `size` leaves (a "frontier", transparency-dev/merkle's
 * `compact.Range` from 0): the hashes of its perfect subtrees, tallest first, one per
 * bit set in `size`. That is at most 53 hashes for any tree a JavaScript number can
 * count, yet enough to append leaves and compute the root (RFC 9162's MTH), so a log
 * streamed in tenant-sequence order hashes in O(log n) memory.
 *
 * Each append costs one hash per subtree it completes: n leaves cost n − 1 node hashes in
 * all, and `root()` up to log2(n) more.
 *
 * @example
 * ```ts nocheck
 * import { CompactRange, hashLeaf } from 'capa-kit/proofs';
 *
 * const range = new CompactRange();
 * for (const byte of [0, 1, 2]) range.appendLeaf(hashLeaf(new Uint8Array([byte])));
 * range.size; // 3
 * range.hashes().length; // 2: the subtree of leaves 0–1, and leaf 2
 * const root = range.root();
 * ```
 */
export class CompactRange {
  #size = 0;
  readonly #heights: number[] = [];
  readonly #hashes: Uint8Array[] = [];

  /**
   * The compact range of a tree of `size` leaves from its perfect subtree hashes, tallest
   * first (as {@link CompactRange.hashes} gives them, or a store keeps them). Throws a
   * `RangeError` when the count does not match `size`.
   */
  static fromHashes(size: number, hashes: readonly Uint8Array[]): CompactRange {
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`A tree size is a non-negative integer, not ${size}`);
    const heights = decompose(size);
    if (heights.length !== hashes.length) throw new RangeError(`A tree of ${size} leaves has ${heights.length} perfect subtrees, not ${hashes.length}`);
    const range = new CompactRange();
    for (const [i, hash] of hashes.entries()) {
      if (hash.length !== HASH_SIZE) throw new RangeError('Tree hashes are 32 bytes');
      range.#heights.push(heights[i]!);
      range.#hashes.push(hash.slice());
    }
    range.#size = size;
    return range;
  }

  /** The number of leaves. */
  get size(): number {
    return this.#size;
  }

  /** The perfect subtree hashes, tallest first (copies). */
  hashes(): Uint8Array[] {
    return this.#hashes.map((hash) => hash.slice());
  }

  /** A copy, to append to without changing this one. */
  clone(): CompactRange {
    return CompactRange.fromHashes(this.#size, this.#hashes);
  }

  /** Appends one leaf hash; `visit` sees the leaf and every subtree it completes. */
  appendLeaf(leafHash: Uint8Array, visit?: SubtreeVisitor): void {
    this.appendSubtree(0, leafHash, visit);
  }

  /**
   * Appends the hash of a perfect subtree of `height` (2^height leaves), computed
   * elsewhere (a worker, a stored tile). The range's size must be a multiple of
   * 2^height, so that the subtree sits where the tree would put it.
   */
  appendSubtree(height: number, hash: Uint8Array, visit?: SubtreeVisitor): void {
    if (hash.length !== HASH_SIZE) throw new RangeError('Tree hashes are 32 bytes');
    const width = pow2(height);
    if (!Number.isInteger(height) || height < 0 || this.#size % width !== 0) {
      throw new RangeError(`A subtree of height ${height} cannot follow ${this.#size} leaves`);
    }
    if (!Number.isSafeInteger(this.#size + width)) throw new RangeError('The tree would grow past 2^53 leaves');
    visit?.(height, this.#size / width, hash);
    this.#heights.push(height);
    this.#hashes.push(hash.slice());
    this.#size += width;
    for (let last = this.#heights.length - 1; last > 0 && this.#heights[last] === this.#heights[last - 1]; last--) {
      const merged = hashChildren(this.#hashes[last - 1]!, this.#hashes[last]!);
      const mergedHeight = this.#heights[last]! + 1;
      this.#heights.length -= 2;
      this.#hashes.length -= 2;
      this.#heights.push(mergedHeight);
      this.#hashes.push(merged);
      visit?.(mergedHeight, (this.#size - pow2(mergedHeight)) / pow2(mergedHeight), merged);
    }
  }

  /** The tree's root (RFC 9162 MTH): the subtrees folded from the right; the empty root for no leaves. */
  root(): Uint8Array {
    const count = this.#hashes.length;
    if (count === 0) return emptyRoot();
    let root = this.#hashes[count - 1]!;
    for (let i = count - 2; i >= 0; i--) root = hashChildren(this.#hashes[i]!, root);
    return root.slice();
  }
}
