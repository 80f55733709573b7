import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/history/canonical.js';
import { createSha256, hashJson, hashJsonWithout, nodeSha256Hex, portableSha256Hex, sha256Hex } from '../../src/history/hash.js';

// FIPS 180-2 test vectors. Text outside ASCII is covered by the property: both hash its UTF-8 bytes.
const VECTORS: [string, string][] = [
  ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
];

describe('SHA-256 of text', () => {
  it('runs on Node with the built-in hash (the fast path is taken)', () => {
    expect(nodeSha256Hex).toBeTypeOf('function');
    expect(sha256Hex).toBe(nodeSha256Hex);
  });

  it.each(VECTORS)('both implementations give the FIPS 180-2 digest of %j', (text, digest) => {
    expect(portableSha256Hex(text)).toBe(digest);
    expect(nodeSha256Hex?.(text)).toBe(digest);
  });

  it('both implementations agree on any text, astral characters included (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(portableSha256Hex(text)).toBe(nodeSha256Hex?.(text));
      }),
      { numRuns: 300 },
    );
  });

  it('hashJson is the SHA-256 of the RFC 8785 form, whatever the key order', () => {
    const value = { b: [1, 'é', null], a: { d: true, c: 1e21 } };
    expect(canonicalJson(value)).toBe('{"a":{"c":1e+21,"d":true},"b":[1,"é",null]}');
    expect(hashJson(value)).toBe(portableSha256Hex('{"a":{"c":1e+21,"d":true},"b":[1,"é",null]}'));
    expect(hashJson({ a: { d: true, c: 1e21 }, b: [1, 'é', null] })).toBe(hashJson(value));
  });
});

describe('hashJsonWithout and the incremental SHA-256', () => {
  it('hashJsonWithout is hashJson of the object without that key (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), (object, key) => {
        const { [key]: _omitted, ...rest } = object;
        expect(hashJsonWithout(object, key)).toBe(hashJson(rest));
      }),
      { numRuns: 300 },
    );
  });

  it('an incremental hash of the pieces is the hash of the whole text (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 8 }), (pieces) => {
        const hash = createSha256();
        for (const piece of pieces) hash.update(piece);
        expect(hash.digest()).toBe(portableSha256Hex(pieces.join('')));
      }),
      { numRuns: 200 },
    );
  });
});
