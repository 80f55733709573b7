// Formula injection (CSV injection): a spreadsheet that opens a CSV evaluates a cell that
// starts with `=`, `+`, `-` or `@` (and some applications a tab, a carriage return or a
// NUL before them) as a formula, which can run commands or leak data. OWASP's
// "CSV Injection" page and OWASP ASVS 5.0 V1.2.10 ask an exporter to prefix such cells
// with a single quote, which makes the spreadsheet read them as text.
//
// Looking at a cell's first character is not enough. A spreadsheet may split the row on
// another separator than the one the file was written with (a semicolon locale opening a
// comma file), and then every `,`, `;` or tab inside a cell, quoted or not, can end a cell
// and start the next; a line break inside a quoted cell can start a row. With "Trim
// spaces" on, LibreOffice drops blanks before a formula. So the rule is applied at every
// place a cell can start: the start of the value and right after each separator or line
// break in it, past any blanks and double quotes.

/** Where a spreadsheet may start a new cell or row: the three separators and the line ends. */
const BREAKS = new Set([',', ';', '\t', '\r', '\n']);

/**
 * The first characters that make a spreadsheet read a cell as a formula: `=`, `+`, `-`,
 * `@`, tab, carriage return, NUL, and every character that Unicode compatibility
 * normalisation (NFKC) turns into `=`, `+`, `-` or `@`: the full-width `＝` `＋` `－` `＠`
 * (Apple Numbers normalises them), the small forms `﹦` `﹢` `﹣` `﹫`, the superscript and
 * subscript `⁼` `⁺` `₌` `₊`, and the Hebrew alternative plus `﬩`.
 *
 * @example
 * ```ts
 * import { FORMULA_TRIGGERS } from 'capa-kit/log';
 *
 * FORMULA_TRIGGERS.includes('='); // true
 * ```
 */
export const FORMULA_TRIGGERS: readonly string[] = [
  '=',
  '+',
  '-',
  '@',
  '\t',
  '\r',
  '\0',
  '\uFF1D',
  '\uFF0B',
  '\uFF0D',
  '\uFF20',
  '\uFE66',
  '\uFE62',
  '\uFE63',
  '\uFE6B',
  '\u207C',
  '\u207A',
  '\u208C',
  '\u208A',
  '\uFB29',
];

const TRIGGERS = new Set(FORMULA_TRIGGERS);

/** What a spreadsheet may skip before a cell's content: blanks (not separators or line ends) and double quotes. */
const isPadding = (char: string) => char === '"' || (/\s/.test(char) && !BREAKS.has(char));

/**
 * The places a spreadsheet may start a cell in `value`, each as the index just past the
 * padding (blanks and double quotes) there: the start, and after every separator or line
 * break.
 */
function cellStarts(value: string): number[] {
  const starts: number[] = [];
  let start = 0;
  for (;;) {
    let at = start;
    while (at < value.length && isPadding(value[at]!)) at += 1;
    starts.push(at);
    let next = at;
    while (next < value.length && !BREAKS.has(value[next]!)) next += 1;
    if (next >= value.length) return starts;
    start = next + 1;
  }
}

/** Whether `value` at `at` holds zero or more `'` (at least `minQuotes`) and then a trigger. */
function quotesThenTrigger(value: string, at: number, minQuotes: number): boolean {
  let next = at;
  while (value[next] === "'") next += 1;
  return next - at >= minQuotes && next < value.length && TRIGGERS.has(value[next]!);
}

/**
 * Neutralises formula injection in one CSV cell, whichever of comma, semicolon or tab a
 * spreadsheet splits the row on. At every place a cell can start (the start of the value,
 * and right after each `,`, `;`, tab, carriage return or line feed in it), past any blanks
 * and double quotes there: when what follows is a trigger of {@link FORMULA_TRIGGERS},
 * possibly after apostrophes, one apostrophe `'` is inserted. The spreadsheet then reads
 * that cell as text, and the value's own leading apostrophes survive a round trip (the
 * CSV import removes exactly one at each such place). Other values are returned
 * unchanged. Quoting and escaping of separators, quotes and line breaks (RFC 4180) is the
 * CSV writer's job and happens after this.
 *
 * @example
 * ```ts
 * import { neutraliseFormula } from 'capa-kit/log';
 *
 * neutraliseFormula('=HYPERLINK("http://evil.example","Click")'); // `'=HYPERLINK("http://evil.example","Click")`
 * neutraliseFormula('Budget; =1+1'); // `Budget; '=1+1`: a semicolon locale would start a cell there
 * neutraliseFormula("'=kept"); // `''=kept`: the user's own apostrophe comes back on import
 * neutraliseFormula('Leavers kept accounts'); // unchanged
 * ```
 */
export function neutraliseFormula(value: string): string {
  let out = '';
  let copied = 0;
  for (const at of cellStarts(value)) {
    if (!quotesThenTrigger(value, at, 0)) continue;
    out += `${value.slice(copied, at)}'`;
    copied = at;
  }
  return out === '' ? value : out + value.slice(copied);
}

/**
 * Undoes {@link neutraliseFormula} on a cell read back from a CSV: at every place a cell
 * can start, past blanks and double quotes, one apostrophe is removed when one or more
 * apostrophes and then a formula trigger follow. `restoreNeutralised(neutraliseFormula(x))`
 * is `x` for every text.
 */
export function restoreNeutralised(value: string): string {
  let out = '';
  let copied = 0;
  for (const at of cellStarts(value)) {
    if (!quotesThenTrigger(value, at, 1)) continue;
    out += value.slice(copied, at);
    copied = at + 1;
  }
  return copied === 0 ? value : out + value.slice(copied);
}
