// PostgreSQL's text cannot hold U+0000, which the contract lets any string carry. Text
// columns therefore keep U+0000 and U+0001 escaped, behind U+0001:
//   U+0000 → U+0001 U+0001,  U+0001 → U+0001 U+0002.
// The escape keeps equality (it is one to one) and order (no escape is a prefix of
// another, and both sort before every other character, as their originals do), so keys,
// IN lists and keyset pages work on the escaped text. Substring search does not survive an
// escape, so the search text is stored as bytea instead. Strings without either character,
// which is nearly all of them, are stored as they are.

const ESCAPED = /[\u0000\u0001]/;

/** A string as PostgreSQL text can hold it. */
export function escapeText(value: string): string {
  return ESCAPED.test(value) ? value.replace(/[\u0000\u0001]/g, (char) => (char === '\u0000' ? '\u0001\u0001' : '\u0001\u0002')) : value;
}

/** The string {@link escapeText} was given. */
export function unescapeText(value: string): string {
  return value.includes('\u0001') ? value.replace(/\u0001([\u0001\u0002])/g, (_, next: string) => (next === '\u0001' ? '\u0000' : '\u0001')) : value;
}
