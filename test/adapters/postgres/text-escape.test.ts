import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeText, unescapeText } from '../../../src/adapters/postgres/text-escape.js';
import { compareCodePoints } from '../../../src/store/code-point-order.js';

// PostgreSQL text cannot hold U+0000: text columns keep it escaped. The escape must give
// the string back, keep strings apart, and keep their order (keys and keyset pages).

const tricky = fc.string({ unit: fc.constantFrom('\u0000', '\u0001', '\u0002', 'a', '\u007f', 'é', '😀'), maxLength: 8 });

describe('escapeText', () => {
  it('leaves strings without U+0000 or U+0001 as they are', () => {
    expect(escapeText('ISO/IEC 27001:2022 A.5.18')).toBe('ISO/IEC 27001:2022 A.5.18');
    expect(escapeText('')).toBe('');
  });

  it('never leaves a U+0000, and unescapeText gives the string back (property)', () => {
    fc.assert(
      fc.property(fc.oneof(tricky, fc.string({ unit: 'binary' })), (text) => {
        expect(escapeText(text)).not.toContain('\u0000');
        expect(unescapeText(escapeText(text))).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps equality and code point order (property)', () => {
    fc.assert(
      fc.property(tricky, tricky, (a, b) => {
        expect(escapeText(a) === escapeText(b)).toBe(a === b);
        expect(Math.sign(compareCodePoints(escapeText(a), escapeText(b)))).toBe(Math.sign(compareCodePoints(a, b)));
      }),
      { numRuns: 2000 },
    );
  });

  it('escapes U+0000 as U+0001 U+0001 and U+0001 as U+0001 U+0002', () => {
    expect(escapeText('a\u0000b\u0001c')).toBe('a\u0001\u0001b\u0001\u0002c');
  });
});
