// The RFC 6962 / RFC 9162 vectors of transparency-dev/merkle (test/fixtures/merkle/SOURCE.md),
// read out of the upstream files themselves, so that no hash here is retyped.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromBase64, toHex } from '../../../src/proofs/bytes.js';
import { CompactRange } from '../../../src/proofs/merkle/compact-range.js';
import { consistencyProof, verifyConsistency } from '../../../src/proofs/merkle/consistency.js';
import { emptyRoot, hashLeaf } from '../../../src/proofs/merkle/hash.js';
import { inclusionProof, verifyInclusion } from '../../../src/proofs/merkle/inclusion.js';
import { consistencyProofFromSource, inclusionProofFromSource, MemoryTreeHashes } from '../../../src/proofs/merkle/tiles.js';
import { merkleRoot, rangeRoot } from '../../../src/proofs/merkle/tree.js';

const fixtures = new URL('../../fixtures/merkle/', import.meta.url).pathname;
const read = (name: string) => readFileSync(join(fixtures, name), 'utf8');
const between = (text: string, from: string, to: string) => text.slice(text.indexOf(from), text.indexOf(to, text.indexOf(from)));
const hds = (text: string) => [...text.matchAll(/hd\("([0-9a-f]*)"\)/g)].map((match) => match[1]!);
const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));

const constants = read('constants.go');
const leafInputs = hds(between(constants, 'func LeafInputs', 'func NodeHashes')).map(bytes);
const nodeHashes = between(constants, 'func NodeHashes', 'func RootHashes').split('}, {').map(hds);
const emptyRootHex = hds(between(constants, 'func EmptyRootHash', '\n}'))[0]!;
const rootHashes = [emptyRootHex, ...hds(between(constants, 'func RootHashes', 'func CompactTrees'))];
const compactTrees = [...between(constants, 'func CompactTrees', 'func EmptyRootHash').matchAll(/^\t\t(nil|\{[^}]*\}),/gm)].map((match) =>
  match[1] === 'nil' ? [] : [...match[1]!.matchAll(/nh\[(\d)\]\[(\d)\]/g)].map((nh) => nodeHashes[Number(nh[1])]![Number(nh[2])]!),
);
const leafHashes = leafInputs.map(hashLeaf);

describe('the vectors are read as upstream wrote them', () => {
  it('8 leaves, 4 levels of node hashes, 9 roots, 9 compact trees', () => {
    expect(leafInputs.map((leaf) => leaf.length)).toEqual([0, 1, 1, 2, 2, 4, 8, 16]);
    expect(nodeHashes.map((level) => level.length)).toEqual([8, 4, 2, 1]);
    expect(rootHashes).toHaveLength(9);
    expect(compactTrees.map((tree) => tree.length)).toEqual([0, 1, 1, 2, 1, 2, 2, 3, 1]);
  });
});

describe('RFC 6962 tree hashing (testonly/constants.go)', () => {
  it('hashes each leaf input to its level-0 node hash', () => {
    expect(leafHashes.map(toHex)).toEqual(nodeHashes[0]);
  });

  it('has the empty root for no leaves', () => {
    expect(toHex(emptyRoot())).toBe(emptyRootHex);
    expect(toHex(merkleRoot([]))).toBe(emptyRootHex);
  });

  it.each(rootHashes.map((root, size) => [size, root] as const))('the root of the first %i leaves', (size, root) => {
    expect(toHex(merkleRoot(leafHashes.slice(0, size)))).toBe(root);
  });

  it('every complete subtree has its node hash', () => {
    for (const [level, hashes] of nodeHashes.entries()) {
      for (const [index, hash] of hashes.entries()) {
        expect(toHex(rangeRoot((i) => leafHashes[i]!, index * 2 ** level, (index + 1) * 2 ** level))).toBe(hash);
      }
    }
  });

  it('the compact range at every size holds the compact tree, and gives the root', () => {
    const range = new CompactRange();
    for (let size = 0; size <= 8; size++) {
      expect(range.hashes().map(toHex)).toEqual(compactTrees[size]);
      expect(toHex(range.root())).toBe(rootHashes[size]);
      if (size < 8) range.appendLeaf(leafHashes[size]!);
    }
  });
});

const reference = read('reference_test.go');
/** `{index: 1, size: 5, want: [][]byte{hd(…), …}}` rows of one Go test table. */
function table(test: string, fields: readonly string[]): { values: number[]; want: string[] }[] {
  const body = between(reference, `func ${test}(`, '\t} {\n\t\tt.Run');
  const row = new RegExp(`\\{${fields.map((field) => `${field}: (\\d+)`).join(', ')}, want: (nil|\\[\\]\\[\\]byte\\{[^}]*\\})\\}`, 'g');
  return [...body.matchAll(row)].map((match) => ({ values: fields.map((_, i) => Number(match[i + 1])), want: hds(match[fields.length + 1]!) }));
}

describe('inclusion proofs (testonly/reference_test.go, TestRefInclusionProof)', () => {
  const rows = table('TestRefInclusionProof', ['index', 'size']);
  it('reads the table', () => expect(rows).toHaveLength(7));

  it.each(rows.map(({ values: [index, size], want }) => [index!, size!, want] as const))('leaf %i of %i', async (index, size, want) => {
    expect(inclusionProof(leafHashes, index, size).map(toHex)).toEqual(want);
    const tree = new MemoryTreeHashes();
    tree.append(leafHashes.slice(0, size));
    expect((await inclusionProofFromSource(tree, index, size)).map(toHex)).toEqual(want);
    verifyInclusion(leafHashes[index]!, index, size, want.map(bytes), bytes(rootHashes[size]!));
  });
});

describe('consistency proofs (testonly/reference_test.go, TestRefConsistencyProof)', () => {
  const rows = table('TestRefConsistencyProof', ['size1', 'size2']);
  it('reads the table', () => expect(rows).toHaveLength(4));

  it.each(rows.map(({ values: [size1, size2], want }) => [size1!, size2!, want] as const))('from %i to %i leaves', async (size1, size2, want) => {
    expect(consistencyProof(leafHashes, size1, size2).map(toHex)).toEqual(want);
    const tree = new MemoryTreeHashes();
    tree.append(leafHashes.slice(0, size2));
    expect((await consistencyProofFromSource(tree, size1, size2)).map(toHex)).toEqual(want);
    verifyConsistency(size1, size2, bytes(rootHashes[size1]!), bytes(rootHashes[size2]!), want.map(bytes));
  });
});

/** Every JSON file under a fixture folder, with its path. */
function probes<T>(folder: string): { path: string; probe: T }[] {
  const found: { path: string; probe: T }[] = [];
  const visit = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (name.endsWith('.json')) found.push({ path: path.slice(fixtures.length), probe: JSON.parse(readFileSync(path, 'utf8')) as T });
    }
  };
  visit(join(fixtures, folder));
  return found;
}

// Go's []byte in JSON: base64, `null` or "" for none. Not decodable as 32 bytes stays as it is (to be refused).
const goBytes = (value: string | null): Uint8Array => (value === null || value === '' ? new Uint8Array(0) : (fromBase64(value) ?? new Uint8Array(0)));
const outcome = (run: () => void): 'ok' | 'error' => {
  try {
    run();
    return 'ok';
  } catch {
    return 'error';
  }
};

// Where capa-kit is stricter than Go: a hash is 32 bytes, always. Upstream's "don't care"
// roots (12 bytes) are ignored by Go when the sizes are equal; capa-kit refuses them.
const STRICTER = new Set(['consistency/additional/sizes-are-equal-one-and-proof-is-empty.json']);

describe('upstream inclusion probes (testdata/inclusion)', () => {
  interface Probe {
    leafIdx: number;
    treeSize: number;
    root: string | null;
    leafHash: string | null;
    proof: string[] | null;
    desc: string;
    wantErr: boolean;
  }
  const all = probes<Probe>('inclusion');
  it('reads them all, happy paths and corruptions', () => {
    expect(all.length).toBeGreaterThan(90);
    expect(all.filter(({ probe }) => !probe.wantErr).length).toBeGreaterThanOrEqual(5);
  });

  it.each(all.map(({ path, probe }) => [path, probe] as const))('%s', (_path, probe) => {
    const verdict = outcome(() => verifyInclusion(goBytes(probe.leafHash), probe.leafIdx, probe.treeSize, (probe.proof ?? []).map(goBytes), goBytes(probe.root)));
    expect(verdict).toBe(probe.wantErr ? 'error' : 'ok');
  });
});

describe('upstream consistency probes (testdata/consistency)', () => {
  interface Probe {
    size1: number;
    size2: number;
    root1: string | null;
    root2: string | null;
    proof: string[] | null;
    desc: string;
    wantErr: boolean;
  }
  const all = probes<Probe>('consistency');
  it('reads them all, happy paths and corruptions', () => {
    expect(all.length).toBeGreaterThan(90);
    expect(all.filter(({ probe }) => !probe.wantErr).length).toBeGreaterThanOrEqual(5);
  });

  it.each(all.map(({ path, probe }) => [path, probe] as const))('%s', (path, probe) => {
    const verdict = outcome(() => verifyConsistency(probe.size1, probe.size2, goBytes(probe.root1), goBytes(probe.root2), (probe.proof ?? []).map(goBytes)));
    expect(verdict).toBe(probe.wantErr || STRICTER.has(path) ? 'error' : 'ok');
  });

  it('the stricter cases are exactly the ones with a hash that is not 32 bytes', () => {
    for (const path of STRICTER) {
      const { probe } = all.find((found) => found.path === path)!;
      expect(probe.wantErr).toBe(false);
      expect([probe.root1, probe.root2].some((root) => goBytes(root).length !== 32)).toBe(true);
    }
  });
});
