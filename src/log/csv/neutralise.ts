// Formula injection (CSV injection): a spreadsheet that opens a CSV evaluates a cell that
// starts with `=`, `+`, `-` or `@` (and some applications a tab, a carriage return or a
// NUL before them) as a formula, which can run commands or leak data. OWASP's
// "CSV Injection" page and OWASP ASVS 5.0 V1.2.10 ask an exporter to prefix such cells
// with a single quote, which makes the spreadsheet read them as text. Apple Numbers also
// normalises the full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20) to the ASCII ones, so
// they are treated the same.

/**
 * The first characters that make a spreadsheet read a cell as a formula: `=`, `+`, `-`,
 * `@`, tab, carriage return, NUL, and the full-width `＝`, `＋`, `－`, `＠`.
 *
 * @example
 * ```ts
 * import { FORMULA_TRIGGERS } from 'capa-kit/log';
 *
 * FORMULA_TRIGGERS.includes('='); // true
 * ```
 */
export const FORMULA_TRIGGERS: readonly string[] = ['=', '+', '-', '@', '\t', '\r', '\0', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'];

const TRIGGERS = new Set(FORMULA_TRIGGERS);

/**
 * Neutralises formula injection in one CSV cell: a value whose first character is in
 * {@link FORMULA_TRIGGERS} gets a single quote `'` in front, so that a spreadsheet shows
 * it as text. Other values are returned unchanged. Quoting and escaping of separators,
 * quotes and line breaks (RFC 4180) is the CSV writer's job and happens after this.
 *
 * @example
 * ```ts
 * import { neutraliseFormula } from 'capa-kit/log';
 *
 * neutraliseFormula('=HYPERLINK("http://evil.example","Click")'); // `'=HYPERLINK("http://evil.example","Click")`
 * neutraliseFormula('Leavers kept accounts'); // unchanged
 * ```
 */
export function neutraliseFormula(value: string): string {
  return value.length > 0 && TRIGGERS.has(value[0]!) ? `'${value}` : value;
}

/**
 * Undoes {@link neutraliseFormula} on a cell read back from a CSV: a leading `'` followed
 * by a formula trigger is removed. A spreadsheet never writes that apostrophe itself (it
 * is how a person types text that looks like a formula), so it can only come from an
 * exporter that neutralised the cell.
 */
export function restoreNeutralised(value: string): string {
  return value.length > 1 && value[0] === "'" && TRIGGERS.has(value[1]!) ? value.slice(1) : value;
}
