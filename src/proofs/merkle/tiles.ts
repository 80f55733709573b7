import { CompactRange, decompose } from './compact-range.js';
import { consistencyPathRanges } from './consistency.js';
import { HASH_SIZE, hashChildren } from './hash.js';
import { inclusionPathRanges } from './inclusion.js';
import { checkCount, type NodeRange } from './tree.js';

// What a store keeps so that a proof answers in milliseconds, not by rehashing the log:
// the tree hashes of C2SP tlog-tiles, level by level. Level L holds the hash of every
// complete perfect subtree of 256^L leaves (subtree height 8·L), in order: level 0 is the
// leaf hashes, level 1 the roots of each run of 256 leaves, level 2 of each 65,536, and
// so on. 256 consecutive hashes of a level are exactly a tlog-tiles tile (tile L/N holds
// level L's hashes N·256 to N·256 + 255), so a store may keep them packed as tiles or as
// one row per hash. Storage: n·32·(1 + 1/256 + 1/65536 + …) bytes for n leaves, about 0.4%
// above the leaf hashes, and every stored hash is written once, never changed.
//
// Any proof hash is the root of a range that splits into perfect subtrees; a subtree of
// height h is rebuilt from at most 2^(h mod 8) ≤ 128 stored hashes of level ⌊h/8⌋.

/**
 * Tree levels per stored level: tlog-tiles' tile height.
 *
 * @example
 * ```ts nocheck
 * import { TILE_HEIGHT } from 'capa-kit/proofs';
 *
 * const leavesPerLevel2Hash = 2 ** (2 * TILE_HEIGHT); // 65,536
 * ```
 */
export const TILE_HEIGHT = 8;
/**
 * Hashes in a full tile (2^TILE_HEIGHT).
 *
 * @example
 * ```ts nocheck
 * import { TILE_WIDTH } from 'capa-kit/proofs';
 *
 * const tile = (index: number) => Math.floor(index / TILE_WIDTH); // the tile a level's hash is in
 * ```
 */
export const TILE_WIDTH = 256;

/**
 * Consecutive stored hashes of one level: indices `start` to `end − 1` of level `level`.
 *
 * @example
 * ```ts nocheck
 * import type { HashRun } from 'capa-kit/proofs';
 *
 * const leaves: HashRun = { level: 0, start: 256, end: 384 }; // 128 leaf hashes
 * ```
 */
export interface HashRun {
  readonly level: number;
  readonly start: number;
  readonly end: number;
}

/**
 * Where the stored tree hashes come from: a store's table of tree hashes, an in-memory
 * copy ({@link MemoryTreeHashes}), tiles fetched over HTTP. `readHashes` returns the hashes
 * of level `level` from `start` to `end − 1`, concatenated (32 bytes each); every one
 * asked for is complete, so it exists.
 *
 * @example
 * ```ts nocheck
 * import type { TreeHashSource } from 'capa-kit/proofs';
 *
 * declare function selectHashes(level: number, start: number, end: number): Promise<Uint8Array>; // one SQL range query
 * const source: TreeHashSource = { readHashes: (level, start, end) => selectHashes(level, start, end) };
 * ```
 */
export interface TreeHashSource {
  readHashes(level: number, start: number, end: number): Uint8Array | Promise<Uint8Array>;
}

/**
 * One hash a store keeps: level `level` (a perfect subtree of 256^level leaves), at
 * `index` within the level.
 *
 * @example
 * ```ts nocheck
 * import type { StoredTreeHash } from 'capa-kit/proofs';
 *
 * declare function insertHash(level: number, index: number, hash: Uint8Array): void;
 * declare const stored: StoredTreeHash[];
 * for (const { level, index, hash } of stored) insertHash(level, index, hash);
 * ```
 */
export interface StoredTreeHash {
  readonly level: number;
  readonly index: number;
  readonly hash: Uint8Array;
}

/** A perfect subtree: `height` levels, the `index`-th of its height. */
interface Subtree {
  readonly height: number;
  readonly index: number;
}

/** The perfect subtrees a range splits into, left to right (RFC 9162's split, read as binary digits). */
function subtreesOf({ start, end }: NodeRange): Subtree[] {
  if (!(end > start)) throw new RangeError(`Leaves ${start} to ${end - 1}: an empty range has no root here`);
  const subtrees: Subtree[] = [];
  let at = start;
  for (const height of decompose(end - start)) {
    const width = 2 ** height;
    if (at % width !== 0) throw new RangeError(`Leaves ${start} to ${end - 1} are not a node of the tree`);
    subtrees.push({ height, index: at / width });
    at += width;
  }
  return subtrees;
}

/** The stored hashes a perfect subtree is rebuilt from. */
function runOf({ height, index }: Subtree): HashRun {
  const level = Math.floor(height / TILE_HEIGHT);
  const count = 2 ** (height - level * TILE_HEIGHT);
  return { level, start: index * count, end: (index + 1) * count };
}

/**
 * The stored hashes needed to compute the roots of these ranges (a proof's, from
 * {@link inclusionPathRanges} or {@link consistencyPathRanges}): one run per perfect
 * subtree, so a store can fetch them all at once.
 *
 * @example
 * ```ts nocheck
 * import { hashRunsFor, inclusionPathRanges } from 'capa-kit/proofs';
 *
 * const runs = hashRunsFor(inclusionPathRanges(123_456, 1_000_000)); // a few runs of at most 128 hashes
 * ```
 */
export function hashRunsFor(ranges: readonly NodeRange[]): HashRun[] {
  return ranges.flatMap((range) => subtreesOf(range).map(runOf));
}

/** Folds 2^k consecutive hashes (concatenated) pairwise into the root of their subtree. */
function foldRun(bytes: Uint8Array, count: number): Uint8Array {
  let level: Uint8Array[] = [];
  for (let i = 0; i < count; i++) level.push(bytes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(hashChildren(level[i]!, level[i + 1]!));
    level = next;
  }
  return level[0]!.slice();
}

/**
 * The runs merged into one read per tile: every run lies inside one tile (256 hashes of a
 * level), so a proof's runs, a few per tile, become one span each (at most 256 hashes),
 * and a store answers a proof of a 1,000,000-leaf tree in about 5 reads instead of 25.
 *
 * @example
 * ```ts nocheck
 * import { hashRunsFor, inclusionPathRanges, readsFor } from 'capa-kit/proofs';
 *
 * const reads = readsFor(hashRunsFor(inclusionPathRanges(123_456, 1_000_000)));
 * ```
 */
export function readsFor(runs: readonly HashRun[]): HashRun[] {
  const spans = new Map<string, { level: number; start: number; end: number }>();
  for (const { level, start, end } of runs) {
    const key = `${level}/${Math.floor(start / TILE_WIDTH)}`;
    const span = spans.get(key);
    if (span === undefined) spans.set(key, { level, start, end });
    else {
      span.start = Math.min(span.start, start);
      span.end = Math.max(span.end, end);
    }
  }
  return [...spans.values()];
}

async function read(source: TreeHashSource, run: HashRun): Promise<Uint8Array> {
  const bytes = await source.readHashes(run.level, run.start, run.end);
  if (!(bytes instanceof Uint8Array) || bytes.length !== (run.end - run.start) * HASH_SIZE) {
    throw new RangeError(`The tree hash source returned ${bytes instanceof Uint8Array ? bytes.length : typeof bytes} bytes for hashes ${run.start} to ${run.end - 1} of level ${run.level}`);
  }
  return bytes;
}

/**
 * The roots of these ranges, from stored hashes: the runs are read (one span per tile, in
 * parallel), then each range's perfect subtrees are folded, and the subtrees folded from
 * the right (MTH).
 *
 * @example
 * ```ts nocheck
 * import { rangeRootsFromSource, type TreeHashSource } from 'capa-kit/proofs';
 *
 * declare const source: TreeHashSource;
 * const [left] = await rangeRootsFromSource(source, [{ start: 0, end: 512 }]);
 * ```
 */
export async function rangeRootsFromSource(source: TreeHashSource, ranges: readonly NodeRange[]): Promise<Uint8Array[]> {
  const split = ranges.map(subtreesOf);
  const runs = split.flat().map(runOf);
  const spans = readsFor(runs);
  // Every read at once, awaited together (a failure is never left unhandled).
  const fetched = await Promise.all(spans.map((span) => read(source, span)));
  const hashesOf = (run: HashRun): Uint8Array => {
    const at = spans.findIndex((span) => span.level === run.level && span.start <= run.start && run.end <= span.end);
    const span = spans[at]!;
    return fetched[at]!.subarray((run.start - span.start) * HASH_SIZE, (run.end - span.start) * HASH_SIZE);
  };
  const roots: Uint8Array[] = [];
  let next = 0;
  for (const subtrees of split) {
    const subtreeRoots = subtrees.map((subtree) => foldRun(hashesOf(runs[next++]!), 2 ** (subtree.height % TILE_HEIGHT)));
    let root = subtreeRoots.at(-1)!;
    for (let j = subtreeRoots.length - 2; j >= 0; j--) root = hashChildren(subtreeRoots[j]!, root);
    roots.push(root);
  }
  return roots;
}

/**
 * The inclusion proof of leaf `leafIndex` in the tree of `treeSize` leaves, from stored
 * hashes: at most a few hundred hashes read and hashed, whatever the size.
 *
 * @example
 * ```ts nocheck
 * import { inclusionProofFromSource, type TreeHashSource } from 'capa-kit/proofs';
 *
 * declare const source: TreeHashSource;
 * const path = await inclusionProofFromSource(source, 41, 1200);
 * ```
 */
export function inclusionProofFromSource(source: TreeHashSource, leafIndex: number, treeSize: number): Promise<Uint8Array[]> {
  return rangeRootsFromSource(source, inclusionPathRanges(leafIndex, treeSize));
}

/**
 * The inclusion proofs of several leaves in the tree of `treeSize` leaves, with one read
 * per tile for all of them: an evidence pack's entries share most of their upper tiles,
 * so a pack of 20 entries costs a few more reads than one proof, not 20 times as many.
 *
 * @example
 * ```ts nocheck
 * import { inclusionProofsFromSource, type TreeHashSource } from 'capa-kit/proofs';
 *
 * declare const source: TreeHashSource;
 * const [first, second] = await inclusionProofsFromSource(source, [41, 977], 1200);
 * ```
 */
export async function inclusionProofsFromSource(source: TreeHashSource, leafIndices: readonly number[], treeSize: number): Promise<Uint8Array[][]> {
  const perProof = leafIndices.map((leafIndex) => inclusionPathRanges(leafIndex, treeSize));
  const roots = await rangeRootsFromSource(source, perProof.flat());
  let next = 0;
  return perProof.map((ranges) => roots.slice(next, (next += ranges.length)));
}

/**
 * The consistency proof from the tree of `oldSize` leaves to the tree of `newSize`, from
 * stored hashes.
 *
 * @example
 * ```ts nocheck
 * import { consistencyProofFromSource, type TreeHashSource } from 'capa-kit/proofs';
 *
 * declare const source: TreeHashSource;
 * const path = await consistencyProofFromSource(source, 1200, 1830);
 * ```
 */
export function consistencyProofFromSource(source: TreeHashSource, oldSize: number, newSize: number): Promise<Uint8Array[]> {
  return rangeRootsFromSource(source, consistencyPathRanges(oldSize, newSize));
}

/**
 * The compact range (frontier) of the tree of `size` leaves, from stored hashes: what a
 * store appends the next leaves to when it does not keep the frontier itself.
 *
 * @example
 * ```ts nocheck
 * import { frontierFromSource, type TreeHashSource } from 'capa-kit/proofs';
 *
 * declare const source: TreeHashSource;
 * const frontier = await frontierFromSource(source, 1200);
 * frontier.root(); // the root at size 1200
 * ```
 */
export async function frontierFromSource(source: TreeHashSource, size: number): Promise<CompactRange> {
  checkCount('size', size);
  const ranges: NodeRange[] = [];
  let start = 0;
  for (const height of decompose(size)) {
    ranges.push({ start, end: start + 2 ** height });
    start += 2 ** height;
  }
  return CompactRange.fromHashes(size, await rangeRootsFromSource(source, ranges));
}

/**
 * Appends leaf hashes to a tree given by its frontier, and says which hashes to store:
 * every subtree of 256^L leaves (L ≥ 1) the new leaves complete, with its level and index
 * (the leaf hashes themselves, level 0, the store keeps with its entries). Pure: the
 * frontier passed in is not changed; keep the one returned for the next append (or
 * rebuild it with {@link frontierFromSource}).
 *
 * @example
 * ```ts nocheck
 * import { appendLeafHashes, CompactRange } from 'capa-kit/proofs';
 *
 * declare const newLeafHashes: Uint8Array[];
 * const { frontier, stored } = appendLeafHashes(new CompactRange(), newLeafHashes);
 * // write the leaf hashes, `stored` and `frontier.hashes()` in the commit's transaction
 * ```
 */
export function appendLeafHashes(frontier: CompactRange, leafHashes: readonly Uint8Array[]): { readonly frontier: CompactRange; readonly stored: StoredTreeHash[] } {
  const next = frontier.clone();
  const stored: StoredTreeHash[] = [];
  const keep = (height: number, index: number, hash: Uint8Array) => {
    if (height > 0 && height % TILE_HEIGHT === 0) stored.push({ level: height / TILE_HEIGHT, index, hash });
  };
  for (const leafHash of leafHashes) next.appendLeaf(leafHash, keep);
  return { frontier: next, stored };
}

/**
 * The stored tree hashes of one tree, in memory: the reference for what a store keeps,
 * and the source of proofs for the memory store and tests. Each level is one packed
 * byte array, grown by doubling.
 *
 * @example
 * ```ts nocheck
 * import { hashLeaf, inclusionProofFromSource, MemoryTreeHashes } from 'capa-kit/proofs';
 *
 * const tree = new MemoryTreeHashes();
 * tree.append([0, 1, 2, 3, 4].map((byte) => hashLeaf(new Uint8Array([byte]))));
 * const path = await inclusionProofFromSource(tree, 2, tree.size);
 * const root = tree.root();
 * ```
 */
export class MemoryTreeHashes implements TreeHashSource {
  #frontier = new CompactRange();
  readonly #levels: { bytes: Uint8Array; count: number }[] = [];

  /** The number of leaves. */
  get size(): number {
    return this.#frontier.size;
  }

  /** The root of the whole tree. */
  root(): Uint8Array {
    return this.#frontier.root();
  }

  /** Bytes held for stored hashes (capacity included). */
  get bytes(): number {
    return this.#levels.reduce((sum, level) => sum + level.bytes.length, 0);
  }

  /** Appends leaf hashes, storing the leaf hashes and every completed tile-level hash. */
  append(leafHashes: readonly Uint8Array[]): void {
    const { frontier, stored } = appendLeafHashes(this.#frontier, leafHashes);
    const first = this.#frontier.size;
    for (const [i, leafHash] of leafHashes.entries()) this.#put(0, first + i, leafHash);
    for (const { level, index, hash } of stored) this.#put(level, index, hash);
    this.#frontier = frontier;
  }

  #put(level: number, index: number, hash: Uint8Array): void {
    while (this.#levels.length <= level) this.#levels.push({ bytes: new Uint8Array(64 * HASH_SIZE), count: 0 });
    const stored = this.#levels[level]!;
    if (index !== stored.count) throw new RangeError(`Hash ${index} of level ${level} out of order (expected ${stored.count})`);
    if ((index + 1) * HASH_SIZE > stored.bytes.length) {
      const grown = new Uint8Array(stored.bytes.length * 2);
      grown.set(stored.bytes);
      stored.bytes = grown;
    }
    stored.bytes.set(hash, index * HASH_SIZE);
    stored.count += 1;
  }

  readHashes(level: number, start: number, end: number): Uint8Array {
    const stored = this.#levels[level];
    if (stored === undefined || start < 0 || end > stored.count || start > end) {
      throw new RangeError(`Hashes ${start} to ${end - 1} of level ${level} are not stored`);
    }
    return stored.bytes.slice(start * HASH_SIZE, end * HASH_SIZE);
  }
}
