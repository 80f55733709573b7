// The verification core (issue 16): what the Merkle trees cost at a tenant's scale.
//
// - leaf hashing: entryLeafHash of N entries (hex entry hash → 41-byte leaf → SHA-256),
//   against N bare SHA-256 calls of 41 bytes (Node's crypto.hash: the floor);
// - root building: N leaf hashes through a compact range (N − 1 node hashes), against
//   N bare SHA-256 calls of 65 bytes; and the validator's way: a LeafHashTable filled in
//   record order (shuffled), then its root;
// - the validator's memory: bytes of the LeafHashTable for N entries, by its own count and
//   by the process's ArrayBuffer memory;
// - tiles: the stored hashes of N leaves (time to append, bytes), and inclusion and
//   consistency proofs from them, in memory and from a better-sqlite3 table of tree
//   hashes (one row per hash, the leaf hashes included), as a store would answer them;
// - an evidence pack's 20 inclusion proofs at once, from SQLite (reads shared per tile);
// - checkpoints: signing and verifying one (Web Crypto Ed25519).
//
// Run alone: `npx tsx bench/proofs.bench.ts --entries 1000000` (default 1,000,000).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { toHex } from '../src/proofs/bytes.js';
import { signCheckpoint, verifyCheckpoint } from '../src/proofs/checkpoint/checkpoint.js';
import { generateNoteKeys, signerFromNoteKey } from '../src/proofs/checkpoint/signer.js';
import { entryLeafHash } from '../src/proofs/leaves/entry-leaf.js';
import { CompactRange } from '../src/proofs/merkle/compact-range.js';
import { HASH_SIZE } from '../src/proofs/merkle/hash.js';
import { verifyInclusion } from '../src/proofs/merkle/inclusion.js';
import { LeafHashTable } from '../src/proofs/merkle/leaf-table.js';
import {
  appendLeafHashes,
  consistencyProofFromSource,
  inclusionProofFromSource,
  inclusionProofsFromSource,
  MemoryTreeHashes,
  type TreeHashSource,
} from '../src/proofs/merkle/tiles.js';
import { sha256 } from '../src/proofs/sha256.js';
import { type BenchResult, collectGarbage, type Measurement, measureAll, printTable, round } from './harness.js';

export function entriesArg(argv: readonly string[]): number {
  let raw: string | undefined = process.env.BENCH_PROOF_ENTRIES;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--entries') raw = argv[i + 1];
    else if (argv[i]?.startsWith('--entries=')) raw = argv[i]!.slice('--entries='.length);
  }
  const n = raw === undefined ? 1_000_000 : Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 2) throw new Error(`--entries needs an integer from 2, got ${raw}`);
  return n;
}

/** Per-op times of many async calls: median and 99th percentile, in ms. */
async function timeEach(count: number, run: (i: number) => Promise<unknown>): Promise<{ median: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await run(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(count / 2)]!, p99: times[Math.floor(count * 0.99)]! };
}

/** A deterministic shuffle (the order a log lists entries in: by record, not by tenant sequence). */
function shuffled(n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let seed = 16;
  for (let i = n - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

export async function benchProofs(options: { entries: number }): Promise<BenchResult[]> {
  const n = options.entries;
  const results: BenchResult[] = [];
  const ms = (ns: number) => round(ns / 1e6, 1);
  console.log(`proofs: ${n.toLocaleString('en-US')} entries`);

  // The validator's memory, measured first (before the benchmark's own arrays): the table
  // filled from one reused 32-byte hash, so the only new buffers are the table's.
  collectGarbage();
  const before = process.memoryUsage();
  let slots: LeafHashTable | null = new LeafHashTable(n);
  const oneHash = new Uint8Array(32);
  for (let i = 0; i < n; i++) {
    oneHash[i & 31] = i & 0xff;
    slots.set(i, oneHash);
  }
  collectGarbage();
  const after = process.memoryUsage();
  const held = after.arrayBuffers - before.arrayBuffers + Math.max(0, after.heapUsed - before.heapUsed);
  results.push(
    { name: `LeafHashTable of ${n} entries: its own count`, value: round(slots.bytes / 2 ** 20, 1), unit: 'MiB', baseline: null, ratio: null },
    { name: `LeafHashTable of ${n} entries: ArrayBuffers + heap`, value: round(held / 2 ** 20, 1), unit: 'MiB', baseline: null, ratio: null },
    { name: 'LeafHashTable: bytes an entry', value: round(held / n, 2), unit: 'B', baseline: null, ratio: null },
  );
  slots = null;

  // Made-up entry hashes, as the validator has them: hex strings.
  const entryHashes = Array.from({ length: n }, () => toHex(randomBytes(32)));
  const leaves: Uint8Array[] = new Array(n);
  const in41 = randomBytes(41);
  const in65 = randomBytes(65);

  const [bare41, leafHashing, bare65, rootBuilding, table] = measureAll(
    [
      { name: `SHA-256 of 41 bytes ×${n}`, fn: () => { for (let i = 0; i < n; i++) sha256(in41); } },
      { name: `entryLeafHash ×${n}`, fn: () => { for (let i = 0; i < n; i++) leaves[i] = entryLeafHash(i + 1, entryHashes[i]!); } },
      { name: `SHA-256 of 65 bytes ×${n}`, fn: () => { for (let i = 0; i < n; i++) sha256(in65); } },
      {
        name: `root of ${n} leaf hashes (compact range)`,
        fn: () => {
          const range = new CompactRange();
          for (let i = 0; i < n; i++) range.appendLeaf(leaves[i]!);
          range.root();
        },
      },
      {
        name: `LeafHashTable: ${n} leaves in record order, then the root`,
        fn: () => {
          const order = shuffled(n);
          const slots = new LeafHashTable(n);
          for (const i of order) slots.set(i, leaves[i]!);
          slots.root();
        },
      },
    ],
    3,
  ) as [Measurement, Measurement, Measurement, Measurement, Measurement];
  results.push(
    { name: bare41.name, value: ms(bare41.medianNs), unit: 'ms', baseline: null, ratio: null },
    { name: leafHashing.name, value: ms(leafHashing.medianNs), unit: 'ms', baseline: bare41.name, ratio: round(leafHashing.medianNs / bare41.medianNs, 2) },
    { name: bare65.name, value: ms(bare65.medianNs), unit: 'ms', baseline: null, ratio: null },
    { name: rootBuilding.name, value: ms(rootBuilding.medianNs), unit: 'ms', baseline: bare65.name, ratio: round(rootBuilding.medianNs / bare65.medianNs, 2) },
    { name: table.name, value: ms(table.medianNs), unit: 'ms', baseline: bare65.name, ratio: round(table.medianNs / bare65.medianNs, 2) },
  );

  // Tiles: what a store keeps, in memory.
  const tree = new MemoryTreeHashes();
  let start = performance.now();
  for (let i = 0; i < n; i += 1000) tree.append(leaves.slice(i, i + 1000)); // commits of 1000 entries
  results.push(
    { name: `tiles: append ${n} leaves (commits of 1000)`, value: round(performance.now() - start, 1), unit: 'ms', baseline: null, ratio: null },
    { name: `tiles: stored hashes of ${n} leaves`, value: round(tree.bytes / 2 ** 20, 1), unit: 'MiB', baseline: null, ratio: null },
  );
  const root = tree.root();
  const index = (i: number) => (i * 2_654_435_761) % n;
  const memoryInclusion = await timeEach(2000, async (i) => verifyInclusion(leaves[index(i)]!, index(i), n, await inclusionProofFromSource(tree, index(i), n), root));
  const memoryConsistency = await timeEach(2000, (i) => consistencyProofFromSource(tree, 1 + (index(i) % (n - 1)), n));
  results.push(
    { name: 'tiles in memory: inclusion proof (and its check), median', value: round(memoryInclusion.median, 3), unit: 'ms', baseline: null, ratio: null },
    { name: 'tiles in memory: inclusion proof, p99', value: round(memoryInclusion.p99, 3), unit: 'ms', baseline: null, ratio: null },
    { name: 'tiles in memory: consistency proof, median', value: round(memoryConsistency.median, 3), unit: 'ms', baseline: null, ratio: null },
  );

  // Tiles in SQLite: one row per stored hash, as a store might keep them (leaf hashes at level 0).
  const dir = mkdtempSync(join(tmpdir(), 'capa-proofs-bench-'));
  try {
    const db = new Database(join(dir, 'tree.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE tree_hash (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID');
    const insert = db.prepare('INSERT INTO tree_hash (level, idx, hash) VALUES (?, ?, ?)');
    start = performance.now();
    db.transaction(() => {
      let frontier = new CompactRange();
      for (let i = 0; i < n; i += 1000) {
        const batch = leaves.slice(i, i + 1000);
        const appended = appendLeafHashes(frontier, batch);
        batch.forEach((leaf, j) => insert.run(0, i + j, leaf));
        for (const stored of appended.stored) insert.run(stored.level, stored.index, stored.hash);
        frontier = appended.frontier;
      }
    })();
    results.push({ name: `SQLite: insert ${n} leaf hashes and their tile hashes`, value: round(performance.now() - start, 1), unit: 'ms', baseline: null, ratio: null });
    const select = db.prepare('SELECT hash FROM tree_hash WHERE level = ? AND idx >= ? AND idx < ? ORDER BY idx').pluck();
    const source: TreeHashSource = {
      readHashes: (level, from, to) => {
        const rows = select.all(level, from, to) as Uint8Array[];
        const out = new Uint8Array(rows.length * HASH_SIZE);
        rows.forEach((row, i) => out.set(row, i * HASH_SIZE));
        return out;
      },
    };
    const sqlInclusion = await timeEach(2000, async (i) => verifyInclusion(leaves[index(i)]!, index(i), n, await inclusionProofFromSource(source, index(i), n), root));
    const sqlConsistency = await timeEach(2000, (i) => consistencyProofFromSource(source, 1 + (index(i) % (n - 1)), n));
    // An evidence pack: a finding's 10 entries and 2 actions' 5 each, spread over the log.
    const sqlPack = await timeEach(500, (i) => inclusionProofsFromSource(source, Array.from({ length: 20 }, (_, j) => index(i * 20 + j)), n));
    results.push(
      { name: 'tiles in SQLite: inclusion proof (and its check), median', value: round(sqlInclusion.median, 3), unit: 'ms', baseline: null, ratio: null },
      { name: 'tiles in SQLite: inclusion proof, p99', value: round(sqlInclusion.p99, 3), unit: 'ms', baseline: null, ratio: null },
      { name: 'tiles in SQLite: consistency proof, median', value: round(sqlConsistency.median, 3), unit: 'ms', baseline: null, ratio: null },
      { name: 'tiles in SQLite: 20 inclusion proofs at once (a pack), median', value: round(sqlPack.median, 3), unit: 'ms', baseline: null, ratio: null },
      { name: 'tiles in SQLite: 20 inclusion proofs at once, p99', value: round(sqlPack.p99, 3), unit: 'ms', baseline: null, ratio: null },
    );
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // Checkpoints.
  const { signerKey, verifierKey } = await generateNoteKeys('acme.example/capa');
  const signer = await signerFromNoteKey(signerKey);
  const checkpoint = { origin: 'acme.example/capa/acme', size: n, root, tips: { count: Math.ceil(n / 6), root } };
  const note = await signCheckpoint(checkpoint, signer);
  const signing = await timeEach(200, () => signCheckpoint(checkpoint, signer));
  const verifying = await timeEach(200, () => verifyCheckpoint(note, [verifierKey]));
  results.push(
    { name: 'signCheckpoint (Ed25519 sign, then verify), median', value: round(signing.median, 3), unit: 'ms', baseline: null, ratio: null },
    { name: 'verifyCheckpoint, median', value: round(verifying.median, 3), unit: 'ms', baseline: null, ratio: null },
  );
  return results;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await benchProofs({ entries: entriesArg(process.argv.slice(2)) });
  printTable(results);
}
