import { InvalidProofError } from '../../errors/proof-errors.js';
import { equalBytes } from '../bytes.js';
import { HASH_SIZE, hashChildren } from './hash.js';
import { checkCount, type NodeRange, pathSides, rangeRoot, splitPoint } from './tree.js';

/**
 * The ranges whose roots make up the inclusion proof of leaf `leafIndex` in a tree of
 * `treeSize` leaves (RFC 9162 §2.1.3.1, PATH(m, D[n])), the leaf's sibling first, the
 * root's child last. No hashing: a store looks the hashes up (see tiles), a test computes
 * them with {@link rangeRoot}.
 *
 * @example
 * ```ts nocheck
 * import { inclusionPathRanges } from 'capa-kit/proofs';
 *
 * inclusionPathRanges(2, 5); // [{3,4}, {0,2}, {4,5}]
 * ```
 */
export function inclusionPathRanges(leafIndex: number, treeSize: number): NodeRange[] {
  checkCount('treeSize', treeSize, 1);
  checkCount('leafIndex', leafIndex);
  if (leafIndex >= treeSize) throw new RangeError(`Leaf ${leafIndex} is not in a tree of ${treeSize} leaves`);
  const ranges: NodeRange[] = [];
  let start = 0;
  let end = treeSize;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (leafIndex < start + k) {
      ranges.push({ start: start + k, end });
      end = start + k;
    } else {
      ranges.push({ start, end: start + k });
      start += k;
    }
  }
  return ranges.reverse();
}

/**
 * The inclusion proof of leaf `leafIndex` in the tree of the first `treeSize` of these
 * leaf hashes (default all), computed from the leaves: O(n) hashes, for tests, small
 * trees and records that hold their own leaves. Stores answer from tiles instead.
 *
 * @example
 * ```ts nocheck
 * import { hashLeaf, inclusionProof, merkleRoot, verifyInclusion } from 'capa-kit/proofs';
 *
 * const leaves = [0, 1, 2, 3, 4].map((byte) => hashLeaf(new Uint8Array([byte])));
 * const path = inclusionProof(leaves, 2);
 * verifyInclusion(leaves[2]!, 2, 5, path, merkleRoot(leaves)); // returns: it holds
 * ```
 */
export function inclusionProof(leafHashes: readonly Uint8Array[], leafIndex: number, treeSize: number = leafHashes.length): Uint8Array[] {
  if (treeSize > leafHashes.length) throw new RangeError(`${leafHashes.length} leaves are fewer than a tree of ${treeSize}`);
  return inclusionPathRanges(leafIndex, treeSize).map(({ start, end }) => rangeRoot((index) => leafHashes[index]!, start, end));
}

/** Throws unless every hash of a proof is 32 bytes. */
export function checkPath(proof: 'inclusion' | 'consistency', path: readonly Uint8Array[]): void {
  for (const [i, hash] of path.entries()) {
    if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) throw new InvalidProofError(proof, 'malformed', `hash ${i} of the path is not 32 bytes`);
  }
}

/**
 * The root an inclusion proof leads to from a leaf hash (RFC 9162 §2.1.3.2, steps 1–4),
 * or an {@link InvalidProofError}: index out of range, a path of the wrong length, or a
 * hash that is not 32 bytes. Compare the result with a trusted root, or call
 * {@link verifyInclusion}.
 *
 * @example
 * ```ts nocheck
 * import { rootFromInclusion } from 'capa-kit/proofs';
 *
 * declare const leafHash: Uint8Array, path: Uint8Array[];
 * const root = rootFromInclusion(leafHash, 2, 5, path);
 * ```
 */
export function rootFromInclusion(leafHash: Uint8Array, leafIndex: number, treeSize: number, path: readonly Uint8Array[]): Uint8Array {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) {
    throw new InvalidProofError('inclusion', 'out-of-range', `leaf ${leafIndex} is not in a tree of ${treeSize} leaves`);
  }
  checkPath('inclusion', [leafHash]);
  checkPath('inclusion', path);
  const expected = inclusionPathRanges(leafIndex, treeSize).length;
  if (path.length !== expected) {
    throw new InvalidProofError('inclusion', 'length', `a proof for leaf ${leafIndex} of ${treeSize} has ${expected} hashes, not ${path.length}`);
  }
  const sides = pathSides(leafIndex, treeSize - 1, path.length);
  if (sides === null) throw new InvalidProofError('inclusion', 'length', 'the path does not fit a tree of this size');
  let r = leafHash;
  for (const [i, p] of path.entries()) r = sides[i] ? hashChildren(p, r) : hashChildren(r, p);
  return r;
}

/**
 * Checks an inclusion proof (RFC 9162 §2.1.3.2): the leaf hash, at `leafIndex` in a
 * tree of `treeSize` leaves, with this path, leads to `root`. Returns when it does;
 * throws an {@link InvalidProofError} (`problem` says why) when it does not.
 *
 * @example
 * ```ts nocheck
 * import { InvalidProofError, verifyInclusion } from 'capa-kit/proofs';
 *
 * declare const leafHash: Uint8Array, path: Uint8Array[], root: Uint8Array;
 * try {
 *   verifyInclusion(leafHash, 2, 5, path, root);
 * } catch (error) {
 *   if (error instanceof InvalidProofError) console.log(error.problem); // 'root-mismatch', say
 * }
 * ```
 */
export function verifyInclusion(leafHash: Uint8Array, leafIndex: number, treeSize: number, path: readonly Uint8Array[], root: Uint8Array): void {
  checkPath('inclusion', [root]);
  const computed = rootFromInclusion(leafHash, leafIndex, treeSize, path);
  if (!equalBytes(computed, root)) throw new InvalidProofError('inclusion', 'root-mismatch', `leaf ${leafIndex} with this path does not lead to the tree's root at size ${treeSize}`);
}
