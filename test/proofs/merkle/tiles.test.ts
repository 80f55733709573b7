import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/proofs/bytes.js';
import { CompactRange } from '../../../src/proofs/merkle/compact-range.js';
import { consistencyProof } from '../../../src/proofs/merkle/consistency.js';
import { HASH_SIZE } from '../../../src/proofs/merkle/hash.js';
import { inclusionPathRanges, inclusionProof } from '../../../src/proofs/merkle/inclusion.js';
import { LeafHashTable } from '../../../src/proofs/merkle/leaf-table.js';
import {
  appendLeafHashes,
  consistencyProofFromSource,
  frontierFromSource,
  hashRunsFor,
  inclusionProofFromSource,
  inclusionProofsFromSource,
  MemoryTreeHashes,
  readsFor,
  type TreeHashSource,
} from '../../../src/proofs/merkle/tiles.js';
import { merkleRoot, rangeRoot } from '../../../src/proofs/merkle/tree.js';
import { someLeaves } from './reference.js';

// 70,000 leaves: three stored levels (256 and 65,536 leaves a hash), with partial tiles on
// every level, as in tlog-tiles' own example of a tree of 70,000.
const SIZE = 70_000;
const leaves = someLeaves(SIZE, 7);
const tree = new MemoryTreeHashes();
tree.append(leaves);

/** A source that counts what is read, to show proofs touch only a few hashes. */
function counted(source: TreeHashSource) {
  const stats = { calls: 0, hashes: 0 };
  const wrapped: TreeHashSource = {
    readHashes: (level, start, end) => {
      stats.calls += 1;
      stats.hashes += end - start;
      return source.readHashes(level, start, end);
    },
  };
  return { stats, source: wrapped };
}

describe('stored tree hashes (tlog-tiles levels)', () => {
  it('level L holds the root of every complete run of 256^L leaves, and nothing else', () => {
    expect(tree.readHashes(0, 0, SIZE).length).toBe(SIZE * HASH_SIZE);
    expect(() => tree.readHashes(1, 0, 274)).toThrow(RangeError); // 70,000 / 256 = 273 complete
    expect(() => tree.readHashes(2, 0, 2)).toThrow(RangeError); // one complete run of 65,536
    const level1 = tree.readHashes(1, 0, 273);
    for (const index of [0, 1, 100, 272]) {
      expect(toHex(level1.subarray(index * 32, index * 32 + 32))).toBe(toHex(rangeRoot((i) => leaves[i]!, index * 256, (index + 1) * 256)));
    }
    expect(toHex(tree.readHashes(2, 0, 1))).toBe(toHex(merkleRoot(leaves.slice(0, 65_536))));
    // n·32·(1 + 1/256 + 1/65536) bytes of hashes, in arrays grown by doubling.
    expect(tree.bytes).toBeLessThan(2 * SIZE * HASH_SIZE * (1 + 1 / 255));
  });

  it('the root is the tree\'s', () => {
    expect(toHex(tree.root())).toBe(toHex(merkleRoot(leaves)));
  });

  it('appending in batches of any sizes stores the same hashes, in order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 12 }), (batches) => {
        let frontier = new CompactRange();
        const stored: string[] = [];
        let at = 0;
        for (const count of batches) {
          const next = appendLeafHashes(frontier, leaves.slice(at, at + count));
          expect(frontier.size).toBe(at); // the frontier passed in is left alone
          frontier = next.frontier;
          at += count;
          for (const { level, index, hash } of next.stored) stored.push(`${level}/${index}/${toHex(hash)}`);
        }
        const expected: string[] = [];
        for (let index = 0; (index + 1) * 256 <= at; index++) expected.push(`1/${index}/${toHex(tree.readHashes(1, index, index + 1))}`);
        expect(stored).toEqual(expected);
        expect(frontier.root()).toEqual(merkleRoot(leaves.slice(0, at)));
      }),
      { numRuns: 60, seed: 16_4 },
    );
  });

  it('the frontier rebuilt from stored hashes is the one appending kept', async () => {
    for (const size of [0, 1, 255, 256, 257, 65_535, 65_536, 65_537, SIZE]) {
      const frontier = await frontierFromSource(tree, size);
      expect(frontier.hashes().map(toHex)).toEqual(appendLeafHashes(new CompactRange(), leaves.slice(0, size)).frontier.hashes().map(toHex));
    }
  });
});

describe('proofs from stored hashes', () => {
  it('inclusion proofs equal those from the leaves, across level and tile boundaries', async () => {
    const sizes = [1, 2, 255, 256, 257, 511, 512, 513, 65_535, 65_536, 65_537, SIZE];
    for (const size of sizes) {
      for (const index of [0, 1, Math.floor(size / 3), size - 2, size - 1].filter((i) => i >= 0 && i < size)) {
        const fromTiles = await inclusionProofFromSource(tree, index, size);
        expect(fromTiles.map(toHex)).toEqual(inclusionProof(leaves, index, size).map(toHex));
      }
    }
  });

  it('consistency proofs equal those from the leaves', async () => {
    for (const [oldSize, newSize] of [
      [1, SIZE],
      [255, 257],
      [256, 65_537],
      [1000, 65_536],
      [65_536, SIZE],
      [65_537, SIZE],
      [69_999, SIZE],
    ] as const) {
      expect((await consistencyProofFromSource(tree, oldSize, newSize)).map(toHex)).toEqual(consistencyProof(leaves, oldSize, newSize).map(toHex));
    }
  });

  it('random inclusion and consistency proofs equal those from the leaves (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3000 }).chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 }), fc.integer({ min: 0, max: size }))), async ([size, index, oldSize]) => {
        expect(await inclusionProofFromSource(tree, index, size)).toEqual(inclusionProof(leaves, index, size));
        expect(await consistencyProofFromSource(tree, oldSize, size)).toEqual(consistencyProof(leaves, oldSize, size));
      }),
      { numRuns: 60, seed: 16_5 },
    );
  });

  it('a proof reads one span per tile it touches, of at most 256 hashes', async () => {
    const { stats, source } = counted(tree);
    await inclusionProofFromSource(source, 12_345, SIZE);
    const runs = hashRunsFor(inclusionPathRanges(12_345, SIZE));
    expect(Math.max(...runs.map((run) => run.end - run.start))).toBeLessThanOrEqual(128);
    const reads = readsFor(runs);
    expect(stats.calls).toBe(reads.length);
    expect(reads.length).toBeLessThan(runs.length);
    expect(Math.max(...reads.map((read) => read.end - read.start))).toBeLessThanOrEqual(256);
    expect(stats.calls).toBeLessThanOrEqual(6);
    expect(stats.hashes).toBeLessThan(1000); // against 70,000 leaves to rehash
  });

  it('several proofs at once equal each alone, with fewer reads', async () => {
    const indices = [5, 6, 300, 4_000, 65_600, 69_999, 12_345, 12_346];
    const { stats, source } = counted(tree);
    const together = await inclusionProofsFromSource(source, indices, SIZE);
    for (const [i, index] of indices.entries()) expect(together[i]).toEqual(inclusionProof(leaves, index, SIZE));
    const alone = counted(tree);
    for (const index of indices) await inclusionProofFromSource(alone.source, index, SIZE);
    expect(stats.calls).toBeLessThan(alone.stats.calls);
  });

  it('a source that returns the wrong number of bytes is an error, not a proof', async () => {
    const broken: TreeHashSource = { readHashes: (level, start, end) => tree.readHashes(level, start, end).subarray(32) };
    await expect(inclusionProofFromSource(broken, 3, 600)).rejects.toThrow(/returned/);
  });
});

describe('the leaf hash table (the validator fills it in record order)', () => {
  it('filled in any order, it has the tree\'s root (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }).chain((size) => fc.tuple(fc.constant(size), fc.shuffledSubarray([...Array(size).keys()], { minLength: size, maxLength: size }))), ([size, order]) => {
        const table = new LeafHashTable(size);
        for (const index of order) expect(table.set(index, leaves[index]!)).toBe(true);
        expect(table.filled).toBe(size);
        expect(table.firstMissing()).toBeNull();
        expect(table.root()).toEqual(merkleRoot(leaves.slice(0, size)));
      }),
      { numRuns: 40, seed: 16_6 },
    );
  });

  it('refuses a slot twice, names the first missing one, and has no root until full', () => {
    const table = new LeafHashTable(600);
    expect(table.set(3, leaves[3]!)).toBe(true);
    expect(table.set(3, leaves[4]!)).toBe(false);
    expect(table.get(3)).toEqual(leaves[3]);
    expect(table.get(4)).toBeNull();
    expect(table.firstMissing()).toBe(0);
    expect(() => table.root()).toThrow(/Leaf 0 of 600 is missing/);
    expect(() => table.set(600, leaves[0]!)).toThrow(RangeError);
    expect(() => table.set(-1, leaves[0]!)).toThrow(RangeError);
    expect(() => table.set(1, new Uint8Array(31))).toThrow(RangeError);
  });

  it('allocates memory as entries come, not as the size claims', () => {
    const table = new LeafHashTable(Number.MAX_SAFE_INTEGER);
    expect(table.bytes).toBe(0);
    table.set(2 ** 50, leaves[0]!);
    expect(table.bytes).toBe(256 * 32 + 32 + 32); // one chunk: its hashes, presence bits and root
  });
});

describe('the leaf hash table: roots at several sizes', () => {
  it('gives the root at each size asked, in one pass, whatever the order of filling (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1500 }).chain((size) => fc.tuple(fc.constant(size), fc.array(fc.integer({ min: 0, max: size }), { maxLength: 5 }))),
        fc.integer({ min: 0, max: 1000 }),
        ([size, sizes], seed) => {
          const table = new LeafHashTable(size);
          const order = [...Array(size).keys()].sort((a, b) => ((a * 7919 + seed) % 1009) - ((b * 7919 + seed) % 1009) || a - b);
          for (const index of order) table.set(index, leaves[index]!);
          const asked = [...sizes, size];
          expect(table.rootsAt(asked)).toEqual(asked.map((n) => merkleRoot(leaves.slice(0, n))));
        },
      ),
      { numRuns: 60, seed: 16_8 },
    );
  });

  it('needs only the leaves below the largest size asked', () => {
    const table = new LeafHashTable(1000);
    for (let i = 0; i < 700; i++) table.set(i, leaves[i]!);
    expect(table.rootsAt([300, 700])).toEqual([merkleRoot(leaves.slice(0, 300)), merkleRoot(leaves.slice(0, 700))]);
    expect(() => table.rootsAt([701])).toThrow(/Leaf 700 of 1000 is missing/);
    expect(() => table.root()).toThrow(/missing/);
    expect(() => table.rootsAt([1001])).toThrow(RangeError);
  });
});
