// The patterns of the shipped JSON Schemas: the white-space rule is exactly what
// String.prototype.trim removes, and every pattern means the same to ECMAScript (zod, ajv)
// and to Python's `re` (Python's jsonschema), whose `\d`, `\s`, `.` and `$` differ.
import fc from 'fast-check';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { buildJsonSchema } from 'capa-kit/schemas';
import { buildLogJsonSchema } from '../../src/log/index.js';
import { portablePattern } from '../../src/schemas/portable-pattern.js';
import { TRIMMED_TEXT } from '../../src/schemas/primitives.js';
import { needTool, pythonHas, pythonSearches } from '../fixtures/outside-validators.js';

const trimmed = (text: string) => text.trim() === text;

/** Every `pattern` keyword of a JSON Schema document. */
function patternsOf(schema: unknown): Set<string> {
  const found = new Set<string>();
  const stack: unknown[] = [schema];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'pattern' && typeof value === 'string') found.add(value);
      else stack.push(value);
    }
  }
  return found;
}
const SHIPPED = [...new Set([...patternsOf(buildJsonSchema()), ...patternsOf(buildLogJsonSchema())])];

describe('the white-space rule', () => {
  // zod's check (TRIMMED_TEXT.test, which trims) and the pattern itself, as ajv runs it.
  const pattern = new RegExp(TRIMMED_TEXT.source, 'u');

  it('is exactly what String.prototype.trim removes, for every code point (lone surrogates too), first, last and alone', () => {
    const differ: string[] = [];
    for (let code = 0; code <= 0x10ffff; code++) {
      const char = String.fromCodePoint(code);
      for (const text of [char, `${char}a`, `a${char}`, `a${char}a`]) {
        if (pattern.test(text) !== trimmed(text) || TRIMMED_TEXT.test(text) !== trimmed(text)) differ.push(`U+${code.toString(16)}`);
      }
    }
    expect(differ).toEqual([]);
  });

  it('agrees with trim on any text, as a pattern and as zod checks it (property)', () => {
    const char = fc.oneof(fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u2028', '\u3000', '\ufeff', '\u0085', '\u200b', '\ud800'), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }));
    fc.assert(
      fc.property(fc.array(char, { maxLength: 12 }), (chars) => {
        const text = chars.join('');
        expect(pattern.test(text)).toBe(trimmed(text));
        expect(TRIMMED_TEXT.test(text)).toBe(trimmed(text));
      }),
      { numRuns: 2000, seed: 11 },
    );
  });

  it('is in the JSON Schema of every text field', () => {
    const person = (buildJsonSchema().$defs.Person as { properties: { name: { pattern?: string } } }).properties.name;
    expect(person.pattern).toBe(TRIMMED_TEXT.source);
    expect(new RegExp(person.pattern!, 'u').test(' Priya')).toBe(false);
  });
});

describe('portablePattern', () => {
  it('rewrites \\d and a final $, and keeps [\\s\\S]', () => {
    expect(portablePattern('^\\d{4}-[12]\\d$')).toBe('^[0-9]{4}-[12][0-9](?![\\s\\S])');
    expect(portablePattern('^[\\d_]+$')).toBe('^[0-9_]+(?![\\s\\S])');
    expect(portablePattern('^(?![\\s\\S]*x)\\$')).toBe('^(?![\\s\\S]*x)\\$');
  });

  it.each(['^\\s+$', '^\\w+', '^a.b', '^a$|^b$', '^\\p{L}+', '^(?<year>[0-9]{4})', '^[]a]', '\\bword'])('refuses %s, which the two dialects read differently', (pattern) => {
    expect(() => portablePattern(pattern)).toThrow(SyntaxError);
  });

  it("means what zod's own ISO date and instant patterns mean, to ECMAScript (property)", () => {
    const sources = patternsOf(z.toJSONSchema(z.strictObject({ date: z.iso.date(), instant: z.iso.datetime({ offset: false }) }), { target: 'draft-2020-12' }));
    expect(sources.size).toBe(2);
    const alphabet = fc.constantFrom(...'0123456789-:TZ.'.split(''), '\n', '\u0662', '0', '2');
    const text = fc.oneof(
      fc.array(alphabet, { maxLength: 26 }).map((chars) => chars.join('')),
      fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
      fc.date({ noInvalidDate: true }).map((date) => `${date.toISOString().slice(0, 10)}\n`),
    );
    for (const source of sources) {
      const original = new RegExp(source, 'u');
      const portable = new RegExp(portablePattern(source), 'u');
      fc.assert(
        fc.property(text, (value) => {
          expect(portable.test(value), JSON.stringify(value)).toBe(original.test(value));
        }),
        { numRuns: 3000, seed: 12 },
      );
    }
  });

  it('has nothing left to rewrite in the shipped schemas: every pattern there is portable', () => {
    expect(SHIPPED.length).toBeGreaterThanOrEqual(7);
    for (const pattern of SHIPPED) expect(portablePattern(pattern)).toBe(pattern);
  });
});

if (needTool(pythonHas.python, 'python3', 'apt-get install python3')) {
  describe("every shipped pattern reads the same to Python's re as to ECMAScript", () => {
    it('on text around each rule: white space of both kinds, final newlines, Unicode digits, lone surrogates', () => {
      const edges = ['\t', '\n', '\v', '\f', '\r', ' ', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u0085', '\u180e', '\u200b', '\u001c', '\u001f', '\u0000', '\ud800'];
      const cores = ['a', 'u-sam', 'Priya Shah', 'NC-2026-0001', 'NC-\u0662\u0660\u0662\u0666-0001', '2026-03-01', '\u0662\u0660\u0662\u0666-03-01', '2026-03-01T09:30:00Z', '2026-03-01T09:30:00.5Z', 'acme.risk', 'Europe/London', 'f'.repeat(64), '0'.repeat(64), ''];
      const corpus = new Set<string>();
      for (const core of cores) {
        corpus.add(core);
        for (const edge of edges) for (const text of [`${edge}${core}`, `${core}${edge}`, `${core}${edge}${edge}`, edge]) corpus.add(text);
      }
      const cases = SHIPPED.flatMap((pattern) => [...corpus].map((text) => ({ pattern, text })));
      const python = pythonSearches(cases);
      const differ = cases.filter((c, i) => new RegExp(c.pattern, 'u').test(c.text) !== python[i]).map((c) => `${JSON.stringify(c.text)} on ${c.pattern.slice(0, 40)}`);
      expect(differ).toEqual([]);
    });
  });
}
