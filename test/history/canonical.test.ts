import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CapaValidationError } from '../../src/errors/validation-error.js';
import { canonicalJson } from '../../src/history/canonical.js';

// The RFC 8785 vectors of cyberphone/json-canonicalization (one of the RFC's authors),
// copied with their provenance and licence into test/fixtures/rfc8785.
const fixtures = new URL('../fixtures/rfc8785/', import.meta.url);
const names = readdirSync(new URL('input/', fixtures)).filter((name) => name.endsWith('.json'));

describe('RFC 8785 vectors', () => {
  it('has every vector of the RFC test data', () => {
    expect(names.sort()).toEqual(['arrays.json', 'french.json', 'structures.json', 'unicode.json', 'values.json', 'weird.json']);
  });

  it.each(names)('%s canonicalises to the expected bytes, byte for byte', (name) => {
    const input = JSON.parse(readFileSync(new URL(`input/${name}`, fixtures), 'utf8')) as unknown;
    const expected = readFileSync(new URL(`output/${name}`, fixtures));
    const hex = readFileSync(new URL(`outhex/${name.replace('.json', '.txt')}`, fixtures), 'utf8').trim().split(/\s+/).join('');
    const actual = Buffer.from(canonicalJson(input), 'utf8');
    expect(actual.toString('hex')).toBe(expected.toString('hex'));
    expect(actual.toString('hex')).toBe(hex);
  });
});

/**
 * The ES6 number test of the RFC's test data: the same IEEE-754 sequence, regenerated here
 * from the algorithm the vectors' README gives (static values, then 2,000 subnormal-edge
 * values, then doubles from a SHA-256 chain), each line `hex,serialised`. The SHA-256 of
 * the first N lines is published in the README; matching it tests our serialisation
 * against the author's data, not against Number#toString.
 */
function* es6NumberLines(count: number): Generator<string> {
  const readme = readFileSync(new URL('README.md', fixtures), 'utf8');
  const statics = [...readme.slice(readme.indexOf('staticU64s'), readme.indexOf('staticF64s =')).matchAll(/0x([0-9a-f]{16})n/g)].map((m) =>
    BigInt(`0x${m[1]!}`),
  );
  const staticF64 = new Float64Array(new BigUint64Array(statics).buffer);
  const serial = new BigUint64Array(2000);
  for (let i = 0; i < 2000; i++) serial[i] = 0x0010000000000000n + BigInt(i);
  const serialF64 = new Float64Array(serial.buffer);
  const bits = new BigUint64Array(1);
  const double = new Float64Array(bits.buffer);
  let block = new Uint8Array(32);
  let pending: number[] = [];
  for (let index = 0; index < count; index++) {
    let f = 0;
    if (index < staticF64.length) f = staticF64[index]!;
    else if (index < staticF64.length + serialF64.length) f = serialF64[index - staticF64.length]!;
    else {
      while (f === 0 || !Number.isFinite(f)) {
        if (pending.length === 0) {
          block = new Uint8Array(createHash('sha256').update(block).digest());
          pending = [...new Float64Array(block.buffer, block.byteOffset, 4)];
        }
        f = pending.shift()!;
      }
    }
    double[0] = f;
    yield `${bits[0]!.toString(16)},${canonicalJson(f)}\n`;
  }
}

describe('RFC 8785 ES6 number serialisation', () => {
  it('has the static values the README lists', () => {
    const first = es6NumberLines(4);
    expect([...first]).toEqual(['0,0\n', '8000000000000000,0\n', '1,5e-324\n', '8000000000000001,-5e-324\n']);
  });

  it.each([
    [1_000, 'be18b62b6f69cdab33a7e0dae0d9cfa869fda80ddc712221570f9f40a5878687', 37_967],
    [1_000_000, '49415fee2c56c77864931bd3624faad425c3c577d6d74e89a83bc725506dad16', 40_357_417],
  ])('the first %i lines hash to the published SHA-256', (count, digest, size) => {
    const hash = createHash('sha256');
    let bytes = 0;
    for (const line of es6NumberLines(count)) {
      hash.update(line);
      bytes += line.length;
    }
    expect(bytes).toBe(size);
    expect(hash.digest('hex')).toBe(digest);
  }, 120_000);
});

// Arbitrary JSON in the shapes that trip canonicalisers: astral and other non-ASCII keys,
// integer-like keys (JavaScript enumerates them first, RFC 8785 sorts them as text), keys
// that differ only past a surrogate pair, -0, floats, long strings, deep nesting.
const key = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }).filter((text) => (text as string & { isWellFormed(): boolean }).isWellFormed()),
  fc.nat({ max: 200 }).map(String),
  fc.constantFrom('', '\u{1F600}', '\uE000', 'a\u{10000}', 'a\uFFFF', '__proto__', 'constructor', 'toJSON'),
);
const leaf = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(-0, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, 2 ** 53 + 2),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 1000, maxLength: 3000 }),
);
const { json } = fc.letrec((tie) => ({
  json: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('json'), { maxLength: 6 }),
  object: fc.dictionary(key, tie('json'), { maxKeys: 8, noNullPrototype: false }),
}));

describe('agreement with canonicalize (the oracle)', () => {
  it('gives the same text for arbitrary JSON (property)', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the same text for the same value parsed back, whatever its key order (property)', () => {
    fc.assert(
      fc.property(json, (value) => {
        const text = JSON.stringify(value);
        expect(canonicalJson(JSON.parse(text))).toBe(canonicalize(JSON.parse(text)));
      }),
      { numRuns: 1000 },
    );
  });

  it('sorts integer-like keys as text, as the RFC says', () => {
    expect(canonicalJson({ 9: 'nine', 10: 'ten', a: { 2: 0, 1: 0 } })).toBe('{"10":"ten","9":"nine","a":{"1":0,"2":0}}');
  });
});

describe('refusals: what is not JSON has no canonical form', () => {
  const refused = (value: unknown) => {
    try {
      canonicalJson(value);
    } catch (error) {
      expect(error).toBeInstanceOf(CapaValidationError);
      const issue = (error as CapaValidationError).issues[0]!;
      expect(issue.code).toBe('not_json');
      return issue;
    }
    throw new Error('accepted');
  };

  it.each([
    ['undefined', undefined],
    ['a function', () => 1],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['a BigInt', 10n],
    ['a symbol', Symbol('s')],
    ['a lone high surrogate', '\uD800'],
    ['a lone low surrogate', 'x\uDC00'],
    ['a Date', new Date(0)],
    ['a Map', new Map()],
  ])('refuses %s at the root', (_name, value) => {
    expect(refused(value).path).toEqual([]);
  });

  it('names where the value is', () => {
    expect(refused({ payload: { evidence: [{ ok: 1 }, { size: Number.NaN }] } }).path).toEqual(['payload', 'evidence', 1, 'size']);
    expect(refused({ a: { b: undefined } }).path).toEqual(['a', 'b']);
    expect(refused({ ['\uDBFF']: 1 }).message).toMatch(/lone surrogate/);
    // eslint-disable-next-line no-sparse-arrays
    expect(refused([1, , 3]).path).toEqual([1]);
  });

  it('accepts objects without a prototype, as JSON.parse never makes but hosts may', () => {
    const bare = Object.assign(Object.create(null) as object, { b: 2, a: 1 });
    expect(canonicalJson(bare)).toBe('{"a":1,"b":2}');
  });
});
