// Properties of the trees and proofs: the iterative code agrees with RFC 9162 as written
// (reference.ts), every proof verifies, and any single change to a proof or its claim fails.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidProofError } from '../../../src/errors/proof-errors.js';
import { CompactRange } from '../../../src/proofs/merkle/compact-range.js';
import { consistencyProof, verifyConsistency } from '../../../src/proofs/merkle/consistency.js';
import { hashChildren } from '../../../src/proofs/merkle/hash.js';
import { inclusionProof, rootFromInclusion, verifyInclusion } from '../../../src/proofs/merkle/inclusion.js';
import { merkleRoot } from '../../../src/proofs/merkle/tree.js';
import { referenceConsistency, referenceInclusion, referenceRoot, someLeaves } from './reference.js';

const flip = (hash: Uint8Array, bit: number): Uint8Array => {
  const copy = hash.slice();
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
};
const fails = (run: () => void): boolean => {
  try {
    run();
    return false;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidProofError);
    return true;
  }
};

const leaves = someLeaves(300);
const roots = Array.from({ length: 301 }, (_, size) => merkleRoot(leaves.slice(0, size)));

describe('roots', () => {
  it('the compact range gives RFC 9162 MTH at every size up to 300', () => {
    const range = new CompactRange();
    for (let size = 0; size <= 300; size++) {
      expect(range.root()).toEqual(referenceRoot(leaves.slice(0, size)));
      expect(roots[size]).toEqual(range.root());
      if (size < 300) range.appendLeaf(leaves[size]!);
    }
  });

  it('a compact range rebuilt from its hashes, or grown by whole subtrees, has the same root (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 4 }), (size, height) => {
        const range = new CompactRange();
        for (const leaf of leaves.slice(0, size)) range.appendLeaf(leaf);
        const rebuilt = CompactRange.fromHashes(size, range.hashes());
        expect(rebuilt.root()).toEqual(range.root());
        // Pad to a multiple of 2^height, then append one subtree of that height as a single hash.
        const width = 2 ** height;
        const padded = Math.ceil(size / width) * width;
        if (padded + width > 300) return;
        for (const leaf of leaves.slice(size, padded)) rebuilt.appendLeaf(leaf);
        rebuilt.appendSubtree(height, merkleRoot(leaves.slice(padded, padded + width)));
        expect(rebuilt.root()).toEqual(roots[padded + width]);
      }),
      { numRuns: 200, seed: 16_1 },
    );
  });

  it('refuses a subtree that does not sit where the tree puts it, and a wrong count of hashes', () => {
    const range = new CompactRange();
    range.appendLeaf(leaves[0]!);
    expect(() => range.appendSubtree(1, leaves[1]!)).toThrow(RangeError);
    expect(() => CompactRange.fromHashes(3, [leaves[0]!])).toThrow(RangeError);
  });

  it('the visitor sees every complete subtree once, with its index', () => {
    const seen = new Map<string, Uint8Array>();
    const range = new CompactRange();
    for (const leaf of leaves.slice(0, 37)) range.appendLeaf(leaf, (height, index, hash) => void seen.set(`${height}/${index}`, hash));
    // 37 leaves: 37 + 18 + 9 + 4 + 2 + 1 complete subtrees of heights 0 to 5.
    expect(seen.size).toBe(37 + 18 + 9 + 4 + 2 + 1);
    expect(seen.get('3/2')).toEqual(referenceRoot(leaves.slice(16, 24)));
    expect(seen.get('5/0')).toEqual(referenceRoot(leaves.slice(0, 32)));
  });
});

describe('inclusion proofs', () => {
  it('equal RFC 9162 PATH, and verify, for every leaf of every size up to 70', () => {
    for (let size = 1; size <= 70; size++) {
      for (let index = 0; index < size; index++) {
        const path = inclusionProof(leaves, index, size);
        expect(path).toEqual(referenceInclusion(leaves.slice(0, size), index));
        verifyInclusion(leaves[index]!, index, size, path, roots[size]!);
      }
    }
  });

  it('any single change to the leaf, index, root or path fails, and the size ×2 or ÷2 (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }).chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 }))),
        fc.nat(255),
        fc.nat(1000),
        ([size, index], bit, pick) => {
          const path = inclusionProof(leaves, index, size);
          const root = roots[size]!;
          verifyInclusion(leaves[index]!, index, size, path, root);
          expect(fails(() => verifyInclusion(flip(leaves[index]!, bit), index, size, path, root))).toBe(true);
          expect(fails(() => verifyInclusion(leaves[index]!, index, size, path, flip(root, bit)))).toBe(true);
          if (size > 1) expect(fails(() => verifyInclusion(leaves[(index + 1) % size]!, index, size, path, root))).toBe(true);
          for (const other of [index - 1, index + 1, index ^ 2]) {
            if (other !== index) expect(fails(() => verifyInclusion(leaves[index]!, other, size, path, root))).toBe(true);
          }
          // The tree size itself is bound by the signed checkpoint, not by the proof: a leaf on
          // the left edge has the same path in trees of 7 and 8 leaves. Go's probes change it
          // by ×2 and ÷2, which always changes the path's length.
          for (const other of [size * 2, Math.floor(size / 2)]) {
            if (other !== size) expect(fails(() => verifyInclusion(leaves[index]!, index, other, path, root))).toBe(true);
          }
          if (path.length > 0) {
            const at = pick % path.length;
            expect(fails(() => verifyInclusion(leaves[index]!, index, size, path.map((hash, i) => (i === at ? flip(hash, bit) : hash)), root))).toBe(true);
            expect(fails(() => verifyInclusion(leaves[index]!, index, size, path.slice(0, -1), root))).toBe(true);
            expect(fails(() => verifyInclusion(leaves[index]!, index, size, [...path.slice(0, at), root, ...path.slice(at)], root))).toBe(true);
            if (path.length > 1) {
              const swapped = [...path];
              [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
              if (!swapped[0]!.every((byte, i) => byte === swapped[1]![i])) expect(fails(() => verifyInclusion(leaves[index]!, index, size, swapped, root))).toBe(true);
            }
          }
          expect(fails(() => verifyInclusion(leaves[index]!, index, size, [...path, root], root))).toBe(true);
        },
      ),
      { numRuns: 400, seed: 16_2 },
    );
  });

  it('refuses an index outside the tree, and hashes that are not 32 bytes', () => {
    expect(() => rootFromInclusion(leaves[0]!, 5, 5, [])).toThrow(/not in a tree of 5/);
    expect(() => rootFromInclusion(leaves[0]!, 0, 0, [])).toThrow(InvalidProofError);
    expect(() => rootFromInclusion(new Uint8Array(31), 0, 1, [])).toThrow(/32 bytes/);
    expect(() => verifyInclusion(leaves[0]!, 0, 2, [new Uint8Array(33)], roots[2]!)).toThrow(/32 bytes/);
  });

  it('works past 2^32 leaves (numbers, not 32-bit shifts)', () => {
    // Leaf 2^33 + 3 of 2^33 + 5: right of the split at 2^33; leaf 3 of the 5 on the right.
    // PATH = [leaf 2^33+2, the pair 2^33..2^33+1, leaf 2^33+4, the left 2^33 subtree], so the
    // root folds as H(p3, H(H(p1, H(p0, leaf)), p2)). Stand-in hashes: the shape is checked.
    const [leaf, p0, p1, p2, p3] = leaves as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    const computed = rootFromInclusion(leaf, 2 ** 33 + 3, 2 ** 33 + 5, [p0, p1, p2, p3]);
    expect(computed).toEqual(hashChildren(p3, hashChildren(hashChildren(p1, hashChildren(p0, leaf)), p2)));
    expect(fails(() => rootFromInclusion(leaf, 2 ** 33 + 3, 2 ** 33 + 5, [p0, p1, p2]))).toBe(true);
  });
});

describe('consistency proofs', () => {
  const small = leaves.slice(0, 64);

  it('equal RFC 9162 PROOF and verify for every pair of sizes up to 64', () => {
    let pairs = 0;
    for (let newSize = 0; newSize <= 64; newSize++) {
      for (let oldSize = 0; oldSize <= newSize; oldSize++) {
        const path = consistencyProof(small, oldSize, newSize);
        expect(path).toEqual(referenceConsistency(small.slice(0, newSize), oldSize));
        verifyConsistency(oldSize, newSize, roots[oldSize]!, roots[newSize]!, path);
        pairs += 1;
      }
    }
    expect(pairs).toBe((65 * 66) / 2);
  });

  it('fail for every pair up to 64 when one hash of the path, a root, the old size (±1) or the new size (×2, ÷2) is changed', () => {
    for (let newSize = 2; newSize <= 64; newSize++) {
      for (let oldSize = 1; oldSize < newSize; oldSize++) {
        const path = consistencyProof(small, oldSize, newSize);
        const oldRoot = roots[oldSize]!;
        const newRoot = roots[newSize]!;
        for (let at = 0; at < path.length; at++) {
          expect(fails(() => verifyConsistency(oldSize, newSize, oldRoot, newRoot, path.map((hash, i) => (i === at ? flip(hash, at * 7) : hash))))).toBe(true);
        }
        expect(fails(() => verifyConsistency(oldSize, newSize, flip(oldRoot, 3), newRoot, path))).toBe(true);
        expect(fails(() => verifyConsistency(oldSize, newSize, oldRoot, flip(newRoot, 3), path))).toBe(true);
        expect(fails(() => verifyConsistency(oldSize, newSize, newRoot, oldRoot, path))).toBe(true);
        expect(fails(() => verifyConsistency(oldSize, newSize, oldRoot, newRoot, path.slice(0, -1)))).toBe(true);
        expect(fails(() => verifyConsistency(oldSize, newSize, oldRoot, newRoot, [...path, oldRoot]))).toBe(true);
        expect(fails(() => verifyConsistency(oldSize, newSize, oldRoot, newRoot, []))).toBe(true);
        for (const other of [oldSize - 1, oldSize + 1]) {
          if (other >= 1 && other < newSize) expect(fails(() => verifyConsistency(other, newSize, oldRoot, newRoot, path))).toBe(true);
        }
        // As for inclusion, the new size is bound by its checkpoint: ±1 can keep the same path.
        for (const other of [newSize * 2, Math.floor(newSize / 2)]) {
          if (other > oldSize) expect(fails(() => verifyConsistency(oldSize, other, oldRoot, newRoot, path))).toBe(true);
        }
      }
    }
  });

  it('equal sizes need equal roots and no path; an old size of 0 needs the empty root', () => {
    verifyConsistency(5, 5, roots[5]!, roots[5]!, []);
    expect(fails(() => verifyConsistency(5, 5, roots[5]!, roots[6]!, []))).toBe(true);
    expect(fails(() => verifyConsistency(5, 5, roots[5]!, roots[5]!, [roots[5]!]))).toBe(true);
    verifyConsistency(0, 9, roots[0]!, roots[9]!, []);
    expect(fails(() => verifyConsistency(0, 9, roots[1]!, roots[9]!, []))).toBe(true);
    expect(fails(() => verifyConsistency(6, 5, roots[6]!, roots[5]!, []))).toBe(true);
  });

  it('a rewritten or reordered prefix has no consistency proof (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 120 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }))), ([newSize, oldSize, changed]) => {
        // The newer tree changed leaf `changed` (inside or outside the old prefix).
        const rewritten = leaves.slice(0, newSize).map((leaf, i) => (i === changed ? flip(leaf, 0) : leaf));
        const path = consistencyProof(rewritten, oldSize, newSize);
        const newRoot = merkleRoot(rewritten);
        if (changed < oldSize) expect(fails(() => verifyConsistency(oldSize, newSize, roots[oldSize]!, newRoot, path))).toBe(true);
        else verifyConsistency(oldSize, newSize, roots[oldSize]!, newRoot, path); // an append-only change
      }),
      { numRuns: 300, seed: 16_3 },
    );
  });
});
