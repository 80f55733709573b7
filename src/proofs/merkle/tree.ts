import { CompactRange } from './compact-range.js';

/**
 * The leaves `start` to `end − 1` of a tree: a proof's hashes are each the root of such a
 * range (RFC 9162 writes MTH(D[start:end])).
 *
 * @example
 * ```ts nocheck
 * import { inclusionPathRanges, type NodeRange } from 'capa-kit/proofs';
 *
 * const ranges: NodeRange[] = inclusionPathRanges(5, 8); // [{4,5}, {6,8}, {0,4}]
 * ```
 */
export interface NodeRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The largest power of two smaller than `n` (n ≥ 2): where RFC 9162 splits a tree of n leaves.
 *
 * @example
 * ```ts nocheck
 * import { splitPoint } from 'capa-kit/proofs';
 *
 * splitPoint(7); // 4
 * splitPoint(8); // 4
 * ```
 */
export function splitPoint(n: number): number {
  if (!(n >= 2)) throw new RangeError(`Only a tree of 2 or more leaves splits, not ${n}`);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Throws unless `value` is a safe integer from `min`. */
export function checkCount(name: string, value: number, min = 0): void {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${name} must be an integer from ${min}, not ${value}`);
}

/**
 * The root (RFC 9162 MTH) of the leaves `start` to `end − 1`, read one at a time through
 * `leafAt`: O(log n) memory, `end − start − 1` hashes.
 *
 * @example
 * ```ts nocheck
 * import { hashLeaf, rangeRoot } from 'capa-kit/proofs';
 *
 * const leaves = [0, 1, 2, 3].map((byte) => hashLeaf(new Uint8Array([byte])));
 * const right = rangeRoot((index) => leaves[index]!, 2, 4); // the root of leaves 2 and 3
 * ```
 */
export function rangeRoot(leafAt: (index: number) => Uint8Array, start: number, end: number): Uint8Array {
  checkCount('start', start);
  checkCount('end', end, start);
  const range = new CompactRange();
  for (let index = start; index < end; index++) range.appendLeaf(leafAt(index));
  return range.root();
}

/**
 * The root (RFC 9162 MTH) of a tree of these leaf hashes; the empty root for none.
 *
 * @example
 * ```ts nocheck
 * import { hashLeaf, merkleRoot } from 'capa-kit/proofs';
 *
 * const root = merkleRoot([hashLeaf(new Uint8Array([0])), hashLeaf(new Uint8Array([1]))]);
 * ```
 */
export function merkleRoot(leafHashes: readonly Uint8Array[]): Uint8Array {
  return rangeRoot((index) => leafHashes[index]!, 0, leafHashes.length);
}

const half = (n: number): number => Math.floor(n / 2);

/**
 * The walk up the tree that RFC 9162 verifies a path with (§2.1.3.2 step 4, §2.1.4.2 step
 * 6): from node `fn` of a level whose last node is `sn`, for each of `length` path hashes,
 * whether it is the left sibling (true: hash(p, r)) or the right one (hash(r, p)). `null`
 * when the path does not fit the tree (too long or too short). Numbers, not 32-bit bit
 * operations: sizes go up to 2^53.
 */
export function pathSides(fn: number, sn: number, length: number): boolean[] | null {
  const sides: boolean[] = [];
  for (let i = 0; i < length; i++) {
    if (sn === 0) return null;
    const left = fn % 2 === 1 || fn === sn;
    sides.push(left);
    if (left && fn % 2 === 0) {
      while (fn % 2 === 0 && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? sides : null;
}
