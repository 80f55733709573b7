import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCodePoints } from '../../src/store/code-point-order.js';
import type { StoredRecord } from '../../src/store/contract.js';
import { decodeCursor, encodeCursor } from '../../src/store/cursor.js';

// The order every store pages in (code points: what SQL databases compare), and the cursor
// every shipped store hands out.

const codePoints = (text: string) => Array.from(text, (char) => char.codePointAt(0)!);
const bySlowCodePoints = (a: string, b: string) => {
  const [x, y] = [codePoints(a), codePoints(b)];
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) if (x[i] !== y[i]) return Math.sign(x[i]! - y[i]!);
  return Math.sign(x.length - y.length);
};
const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('compareCodePoints', () => {
  it('orders by code point, which is UTF-8 byte order (property)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'z', '\u0000', '\uE000', '\uFFFD', '\uFFFF', '😀', '𝕏', 'é'), maxLength: 6 });
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(bySlowCodePoints(a, b));
        expect(Math.sign(compareCodePoints(a, b))).toBe(utf8Order(a, b));
      }),
      { numRuns: 500 },
    );
  });

  it('differs from UTF-16 code unit order exactly for U+E000–U+FFFF against astral characters', () => {
    expect(compareCodePoints('\uFFFD', '😀')).toBeLessThan(0);
    expect('\uFFFD' < '😀').toBe(false);
    expect(compareCodePoints('\uD7FF', '😀')).toBeLessThan(0);
    expect(compareCodePoints('a', 'ab')).toBeLessThan(0);
    expect(compareCodePoints('same', 'same')).toBe(0);
  });
});

describe('page cursors', () => {
  const at = (raisedAt: string, id: string) => ({ id, index: { raisedAt } }) as StoredRecord;

  it('round-trip any id, non-Latin-1 ones included', () => {
    for (const id of ['f-1', 'café', '情報', '👩‍👩‍👧‍👦', 'nul\u0000', '"quoted"']) {
      expect(decodeCursor(encodeCursor(at('2026-01-01T00:00:00.000Z', id)))).toEqual(['2026-01-01T00:00:00.000Z', id]);
    }
    expect(decodeCursor(undefined)).toBeNull();
  });

  it('refuse malformed cursors with a RangeError', () => {
    for (const cursor of ['%%%', btoa('[1,2]'), btoa('["a"]'), btoa('{"a":1}'), btoa('\u00ff\u00fe'), '']) {
      expect(() => decodeCursor(cursor), JSON.stringify(cursor)).toThrow(RangeError);
    }
  });
});
