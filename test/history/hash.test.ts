import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, hashJson, nodeSha256Hex, portableSha256Hex, sha256Hex } from '../../src/history/hash.js';

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
