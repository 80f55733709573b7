// The order the contract's pages use: strings compared by Unicode code point, which is the
// byte order of their UTF-8 (SQLite's BINARY collation, PostgreSQL's COLLATE "C").
// JavaScript's `<` compares UTF-16 code units instead, and the two differ for characters
// U+E000 to U+FFFF against astral ones (stored as surrogates, U+D800 to U+DFFF).

/** Moves surrogates above U+E000–U+FFFF, so code units compare as code points. */
const codePointRank = (unit: number): number => (unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit);

/** Compares two strings by code point: negative, zero or positive. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x < 0xd800 && y < 0xd800 ? x - y : codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}
