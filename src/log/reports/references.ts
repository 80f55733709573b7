// The order reports list references in: by prefix, then year, then number, the number
// compared as a number (NC-2026-9999 before NC-2026-10000, which a string sort reverses).
// A reference that does not look like PREFIX-YYYY-NNNN sorts after those, by its text.

const REFERENCE = /^([A-Z][A-Z0-9]*)-(\d{4})-(\d+)$/;

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Compares two references in report order: prefix, year, then sequence number. */
export function compareReferences(a: string, b: string): number {
  const left = REFERENCE.exec(a);
  const right = REFERENCE.exec(b);
  if (left === null || right === null) return left !== null ? -1 : right !== null ? 1 : byText(a, b);
  return byText(left[1]!, right[1]!) || Number(left[2]) - Number(right[2]) || Number(left[3]) - Number(right[3]) || byText(a, b);
}
