// A JSON Schema `pattern` is read by ECMAScript engines (ajv, with the "u" flag) and by
// Python's `re` (Python's jsonschema), which differ: `\d`, `\s` and `\w` are ASCII in one and
// Unicode-wide in the other, `.` stops at different characters, and Python's `$` also
// matches before a final "\n" (so `^[a-z]+$` accepts "abc\n" there). capa-kit's own patterns
// avoid all of these (src/schemas/primitives.ts); zod's built-in ones (ISO dates and
// instants) use `\d` and a final `$`. The published schemas carry every pattern rewritten
// into the common subset, with the same meaning for ECMAScript; anything else that could be
// read two ways fails the build instead of shipping.

/** The end of the text in both dialects: no character follows. */
const END = '(?![\\s\\S])';

/**
 * `source` (an ECMAScript pattern) rewritten to mean the same to ECMAScript and to Python's
 * `re`: `\d` becomes `[0-9]` (`0-9` inside a class), a final `$` becomes `(?![\s\S])`.
 * Throws on a construct the two read differently that has no such rewrite.
 */
export function portablePattern(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (char === '\\') {
      const next = source[i + 1];
      if (next === undefined) throw new SyntaxError(`A pattern ends with "\\": ${source}`);
      i += 1;
      if (next === 'd') {
        out += inClass ? '0-9' : '[0-9]';
        continue;
      }
      // `[\s\S]` is every character in both dialects: the only use of \s and \S kept.
      const everything = inClass && ((next === 's' && source.startsWith('\\S]', i + 1)) || (next === 'S' && source.slice(i - 3, i - 1) === '\\s'));
      // \p{…} (Unicode properties) and \k<…> (named references) are ECMAScript's alone.
      if ('DsSwWbBpPk'.includes(next) && !everything) throw new SyntaxError(`"\\${next}" means one thing to ECMAScript and another to Python's re: ${source}`);
      out += `\\${next}`;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      out += char;
      continue;
    }
    if (char === '[') {
      inClass = true;
      // A "]" first in a class is literal in Python and ends an empty class in ECMAScript.
      if (source[i + 1] === ']' || source.startsWith('^]', i + 1)) throw new SyntaxError(`A class starting with "]" is read differently by Python's re: ${source}`);
      out += char;
      continue;
    }
    if (char === '(' && source.startsWith('?<', i + 1) && !'=!'.includes(source[i + 3] ?? '')) {
      throw new SyntaxError(`A named group is written (?P<name>…) in Python's re: ${source}`);
    }
    if (char === '.') throw new SyntaxError(`"." stops at other characters in ECMAScript than in Python's re: ${source}`);
    if (char === '$') {
      if (i !== source.length - 1) throw new SyntaxError(`"$" before the end of a pattern: ${source}`);
      out += END;
      continue;
    }
    out += char;
  }
  return out;
}
