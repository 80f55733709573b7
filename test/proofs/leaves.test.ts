import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/proofs/bytes.js';
import { entryLeaf, entryLeafHash } from '../../src/proofs/leaves/entry-leaf.js';
import { compareRecordIds, tipLeaf, tipLeafHash } from '../../src/proofs/leaves/tip-leaf.js';
import { TipTreeBuilder, tipTreeOf } from '../../src/proofs/leaves/tip-tree.js';
import { verifyInclusion } from '../../src/proofs/merkle/inclusion.js';
import { inclusionProofFromSource } from '../../src/proofs/merkle/tiles.js';
import { merkleRoot } from '../../src/proofs/merkle/tree.js';

const sha = (hex: string) => createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');
const HASH = 'b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c';

describe('the entry leaf: uint64 BE tenant sequence || entry hash', () => {
  it('is these 40 bytes, and hashes with the 0x00 prefix', () => {
    expect(toHex(entryLeaf(1, HASH))).toBe(`0000000000000001${HASH}`);
    expect(toHex(entryLeaf(2 ** 40 + 258, HASH))).toBe(`0000010000000102${HASH}`);
    expect(toHex(entryLeaf(Number.MAX_SAFE_INTEGER, HASH))).toBe(`001fffffffffffff${HASH}`);
    expect(toHex(entryLeafHash(1, HASH))).toBe(sha(`000000000000000001${HASH}`));
  });

  it('binds the tenant sequence: the same entry at another place is another leaf', () => {
    expect(toHex(entryLeafHash(1, HASH))).not.toBe(toHex(entryLeafHash(2, HASH)));
  });

  it('refuses what is not a tenant sequence or an entry hash', () => {
    for (const bad of [0, -1, 1.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN]) expect(() => entryLeaf(bad, HASH)).toThrow(RangeError);
    for (const bad of [HASH.toUpperCase(), HASH.slice(2), `${HASH}00`, 'z'.repeat(64)]) expect(() => entryLeaf(1, bad)).toThrow(RangeError);
    expect(toHex(entryLeaf(1, Uint8Array.from(Buffer.from(HASH, 'hex'))))).toBe(`0000000000000001${HASH}`);
  });
});

describe('the record-tip leaf: uint8 id length || id || uint64 BE tenant sequence || entry hash', () => {
  it('is these bytes, and hashes with the 0x00 prefix', () => {
    // 'f-1' = 66 2d 31
    expect(toHex(tipLeaf('f-1', 57, HASH))).toBe(`03662d310000000000000039${HASH}`);
    expect(toHex(tipLeafHash('f-1', 57, HASH))).toBe(sha(`0003662d310000000000000039${HASH}`));
    // UTF-8 length, not UTF-16: 'é' is two bytes.
    expect(toHex(tipLeaf('é', 1, HASH)).slice(0, 6)).toBe('02c3a9');
  });

  it('is never 40 bytes long, so never an entry leaf', () => {
    expect(tipLeaf('a', 1, HASH).length).toBe(42);
  });

  it('refuses an empty, malformed or too long id', () => {
    expect(() => tipLeaf('', 1, HASH)).toThrow(RangeError);
    expect(() => tipLeaf('\ud800', 1, HASH)).toThrow(RangeError);
    expect(() => tipLeaf('x'.repeat(256), 1, HASH)).toThrow(RangeError);
    expect(tipLeaf('x'.repeat(255), 1, HASH).length).toBe(1 + 255 + 40);
  });
});

describe('the order of record ids: Unicode code points (UTF-8 bytes)', () => {
  it('is byte order, not UTF-16 order', () => {
    // U+FF5E (3 bytes EF BD 9E) sorts before U+1F600 (4 bytes F0 9F 98 80) by code point, after it by UTF-16 unit.
    expect(['\u{1f600}', '\uff5e'].sort(compareRecordIds)).toEqual(['\uff5e', '\u{1f600}']);
    expect(['f-10', 'F-2', 'f-9', 'f-1'].sort(compareRecordIds)).toEqual(['F-2', 'f-1', 'f-10', 'f-9']);
  });

  it('agrees with comparing UTF-8 bytes (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1 }), fc.string({ unit: 'grapheme', minLength: 1 }), (a, b) => {
        expect(Math.sign(compareRecordIds(a, b))).toBe(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
      }),
      { numRuns: 300, seed: 16_7 },
    );
  });
});

const tips = [
  { recordId: 'f-2', tenantSequence: 9, entryHash: 'a'.repeat(64) },
  { recordId: 'a-1', tenantSequence: 4, entryHash: 'b'.repeat(64) },
  { recordId: 'f-10', tenantSequence: 12, entryHash: 'c'.repeat(64) },
  { recordId: 'f-1', tenantSequence: 7, entryHash: 'd'.repeat(64) },
];
const sortedIds = ['a-1', 'f-1', 'f-10', 'f-2'];
const expectedRoot = merkleRoot(
  sortedIds.map((id) => {
    const tip = tips.find((t) => t.recordId === id)!;
    return tipLeafHash(id, tip.tenantSequence, tip.entryHash);
  }),
);

describe('the record-tip tree', () => {
  it('in any order, sorts by id; in ascending order, streams; both give the same root', () => {
    const any = new TipTreeBuilder({ order: 'any' });
    for (const tip of tips) any.add(tip.recordId, tip.tenantSequence, tip.entryHash);
    expect(any.finish()).toEqual({ count: 4, root: expectedRoot });
    const ascending = new TipTreeBuilder({ order: 'ascending' });
    for (const id of sortedIds) {
      const tip = tips.find((t) => t.recordId === id)!;
      ascending.add(id, tip.tenantSequence, tip.entryHash);
    }
    expect(ascending.finish()).toEqual({ count: 4, root: expectedRoot });
  });

  it('refuses a record out of order or twice', () => {
    const ascending = new TipTreeBuilder({ order: 'ascending' });
    ascending.add('f-2', 1, 'a'.repeat(64));
    expect(() => ascending.add('f-10', 2, 'a'.repeat(64))).toThrow(/ascending id order/);
    expect(() => ascending.add('f-2', 2, 'a'.repeat(64))).toThrow(/ascending id order/);
    const any = new TipTreeBuilder({ order: 'any' });
    any.add('f-2', 1, 'a'.repeat(64));
    any.add('f-2', 3, 'a'.repeat(64));
    expect(() => any.finish()).toThrow(/two tips/);
    expect(() => any.finish()).toThrow(/finished/);
  });

  it('in memory, gives each record its index and an inclusion proof', async () => {
    const tree = tipTreeOf(tips);
    expect(tree.ids).toEqual(sortedIds);
    expect(tree.tree.root()).toEqual(expectedRoot);
    expect(tree.indexOf('f-10')).toBe(2);
    expect(tree.indexOf('f-3')).toBe(-1);
    const path = await inclusionProofFromSource(tree.tree, 3, 4);
    verifyInclusion(tipLeafHash('f-2', 9, 'a'.repeat(64)), 3, 4, path, expectedRoot);
    // A stale tip of f-2 (an earlier entry) is not in the tree: a withheld later entry shows.
    expect(() => verifyInclusion(tipLeafHash('f-2', 8, 'e'.repeat(64)), 3, 4, path, expectedRoot)).toThrow(/does not lead/);
    expect(() => tipTreeOf([...tips, tips[0]!])).toThrow(/two tips/);
  });
});
