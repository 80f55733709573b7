import { InvalidProofError } from '../../errors/proof-errors.js';
import { equalBytes } from '../bytes.js';
import { emptyRoot, hashChildren } from './hash.js';
import { checkPath } from './inclusion.js';
import { checkCount, type NodeRange, pathSides, rangeRoot, splitPoint } from './tree.js';

/**
 * The ranges whose roots make up the consistency proof between the tree of `oldSize`
 * leaves and the tree of `newSize` (RFC 9162 §2.1.4.1, PROOF(m, D[n]) = SUBPROOF(m, D[n],
 * true)), in the RFC's order. Empty when the sizes are equal or `oldSize` is 0.
 *
 * @example
 * ```ts nocheck
 * import { consistencyPathRanges } from 'capa-kit/proofs';
 *
 * consistencyPathRanges(6, 8); // [{4,6}, {6,8}, {0,4}]
 * ```
 */
export function consistencyPathRanges(oldSize: number, newSize: number): NodeRange[] {
  checkCount('oldSize', oldSize);
  checkCount('newSize', newSize, oldSize);
  if (oldSize === 0 || oldSize === newSize) return [];
  const ranges: NodeRange[] = [];
  let start = 0;
  let end = newSize;
  let m = oldSize;
  // `whole`: the old tree's root is this subtree's (b = true in the RFC): the verifier has it.
  let whole = true;
  for (;;) {
    if (m === end - start) {
      if (!whole) ranges.push({ start, end });
      break;
    }
    const k = splitPoint(end - start);
    if (m <= k) {
      ranges.push({ start: start + k, end });
      end = start + k;
    } else {
      ranges.push({ start, end: start + k });
      start += k;
      m -= k;
      whole = false;
    }
  }
  return ranges.reverse();
}

/**
 * The consistency proof between the first `oldSize` and the first `newSize` of these
 * leaf hashes, computed from the leaves (O(n) hashes: tests and small trees).
 *
 * @example
 * ```ts nocheck
 * import { consistencyProof, hashLeaf, merkleRoot, verifyConsistency } from 'capa-kit/proofs';
 *
 * const leaves = [0, 1, 2, 3, 4, 5, 6].map((byte) => hashLeaf(new Uint8Array([byte])));
 * const path = consistencyProof(leaves, 3, 7);
 * verifyConsistency(3, 7, merkleRoot(leaves.slice(0, 3)), merkleRoot(leaves), path); // returns: it holds
 * ```
 */
export function consistencyProof(leafHashes: readonly Uint8Array[], oldSize: number, newSize: number = leafHashes.length): Uint8Array[] {
  if (newSize > leafHashes.length) throw new RangeError(`${leafHashes.length} leaves are fewer than a tree of ${newSize}`);
  return consistencyPathRanges(oldSize, newSize).map(({ start, end }) => rangeRoot((index) => leafHashes[index]!, start, end));
}

/**
 * Checks a consistency proof (RFC 9162 §2.1.4.2): the tree of `oldSize` leaves with root
 * `oldRoot` is a prefix of the tree of `newSize` leaves with root `newRoot`, so nothing
 * of the older tree was changed, removed or reordered. Returns when it holds; throws an
 * {@link InvalidProofError} when not. Equal sizes need equal roots and an empty path; an
 * old size of 0 needs the empty tree's root and an empty path.
 *
 * @example
 * ```ts nocheck
 * import { verifyConsistency } from 'capa-kit/proofs';
 *
 * declare const oldRoot: Uint8Array, newRoot: Uint8Array, path: Uint8Array[];
 * verifyConsistency(1200, 1830, oldRoot, newRoot, path);
 * ```
 */
export function verifyConsistency(oldSize: number, newSize: number, oldRoot: Uint8Array, newRoot: Uint8Array, path: readonly Uint8Array[]): void {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || newSize < oldSize) {
    throw new InvalidProofError('consistency', 'out-of-range', `a tree of ${oldSize} leaves cannot be a prefix of one of ${newSize}`);
  }
  checkPath('consistency', [oldRoot, newRoot]);
  checkPath('consistency', path);
  const mismatch = (what: string) => new InvalidProofError('consistency', 'root-mismatch', what);
  const expected = consistencyPathRanges(oldSize, newSize).length;
  if (path.length !== expected) {
    throw new InvalidProofError('consistency', 'length', `a proof from ${oldSize} to ${newSize} leaves has ${expected} hashes, not ${path.length}`);
  }
  if (oldSize === 0) {
    if (!equalBytes(oldRoot, emptyRoot())) throw mismatch('the old root is not the empty tree\'s');
    return;
  }
  if (oldSize === newSize) {
    if (!equalBytes(oldRoot, newRoot)) throw mismatch(`two trees of ${oldSize} leaves with different roots`);
    return;
  }
  // RFC 9162 §2.1.4.2, steps 2–7.
  const proof = isPowerOfTwo(oldSize) ? [oldRoot, ...path] : [...path];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  const sides = pathSides(fn, sn, proof.length - 1);
  if (sides === null) throw new InvalidProofError('consistency', 'length', 'the path does not fit trees of these sizes');
  let fr = proof[0]!;
  let sr = proof[0]!;
  for (const [i, c] of proof.slice(1).entries()) {
    if (sides[i]) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
    } else {
      sr = hashChildren(sr, c);
    }
  }
  if (!equalBytes(fr, oldRoot)) throw mismatch(`the path does not lead to the old root at size ${oldSize}`);
  if (!equalBytes(sr, newRoot)) throw mismatch(`the path does not lead to the new root at size ${newSize}`);
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}
