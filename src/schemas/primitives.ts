import * as z from 'zod';

/**
 * The version of the record schemas this build writes. Records carry it as `schemaVersion`.
 *
 * @example
 * ```ts
 * import { Correction, SCHEMA_VERSION } from 'capa-kit';
 *
 * Correction.parse({ schemaVersion: SCHEMA_VERSION, kind: 'not-applicable', justification: 'Nothing left to contain.' });
 * ```
 */
export const SCHEMA_VERSION = 1 as const;

/** `schemaVersion` on every record: the version it was written with. */
export const schemaVersionField = z.literal(SCHEMA_VERSION);

/**
 * A format rule's message, used only when a value was given: a missing value keeps
 * zod's own "expected string, received undefined", which says what happened.
 */
export const formatError = (message: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? undefined : message;

// Records and logs hold text exactly as stored: a value with white space at either end is
// refused, never trimmed (trimming happens once, at the register's input: see
// src/schemas/input.ts), so that zod and the shipped JSON Schema give one verdict. "White
// space" is exactly what String.prototype.trim removes (ECMAScript's WhiteSpace and
// LineTerminator: TAB, LF, VT, FF, CR, SPACE, NO-BREAK SPACE, the Unicode space separators,
// LINE and PARAGRAPH SEPARATOR, and the BOM), written out as \u escapes.
//
// Every pattern here means the same to ECMAScript (ajv compiles patterns with the "u" flag,
// and zod tests them with it) and to Python's `re` (Python's jsonschema): no `\d`, `\s`,
// `\w` or `.` (Python's are Unicode-wide, or stop at other characters), and no `$`, which
// Python also matches before a final "\n". The end of the text is `(?![\s\S])`: no
// character follows (`[\s\S]` is every character in both dialects).

/** The characters `String.prototype.trim` removes, as the body of a character class. */
export const TRIMMED_CHARACTERS = '\\u0009-\\u000D\\u0020\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF';

/** The end of the text, read alike by both dialects (see above). */
const END_OF_TEXT = '(?![\\s\\S])';

/** A pattern anchored at both ends, with the "u" flag: `body` must match the whole text. */
export const wholeText = (body: string): RegExp => new RegExp(`^(?:${body})${END_OF_TEXT}`, 'u');

/**
 * Text that neither starts nor ends with white space (the empty text too: lengths are
 * checked apart). The pattern is what the JSON Schemas carry; zod's check calls `test`,
 * which gives the pattern's verdict with `trim` instead of a scan of the whole text (a log
 * has many long texts). test/schemas/patterns.test.ts proves the two agree on every code
 * point, first, last and alone.
 */
class TrimmedText extends RegExp {
  override test(text: string): boolean {
    return text.trim() === text;
  }
}
export const TRIMMED_TEXT: RegExp = new TrimmedText(`^(?![${TRIMMED_CHARACTERS}])[\\s\\S]*(?<![${TRIMMED_CHARACTERS}])${END_OF_TEXT}`, 'u');

// The string rules the register trims at its input, each with its input form: a trim, then
// the same rule. src/schemas/input.ts builds the inputs from the record schemas with them.
const inputForms = new WeakMap<z.ZodType, z.ZodType>();

/** Marks `schema` (a string rule of records) as trimmed at input: its input form trims, then applies it. */
export function trimmedAtInput<T extends z.ZodString>(schema: T): T {
  inputForms.set(schema, z.string().trim().pipe(schema));
  return schema;
}

/** The input form of a string rule marked with {@link trimmedAtInput}, or `undefined`. */
export const inputFormOf = (schema: z.ZodType): z.ZodType | undefined => inputForms.get(schema);

/**
 * Non-empty, bounded text, without white space at either end (trimmed at the register's
 * input). Bounds keep records and logs a sane size.
 */
export const text = (max: number) =>
  trimmedAtInput(z.string().min(1).max(max).regex(TRIMMED_TEXT, { error: 'Must not start or end with white space' }));

/**
 * An identifier: letters, digits, `_` and `-`, at most 64 characters. Records hold ids
 * exactly: one with white space around it is refused (the register trims its inputs).
 *
 * @example
 * ```ts
 * import { Id } from 'capa-kit';
 *
 * Id.parse('ca-1'); // 'ca-1'
 * Id.safeParse('ca 1').success; // false: no spaces
 * Id.safeParse(' ca-1').success; // false: not trimmed here
 * ```
 */
export const Id = trimmedAtInput(
  z
    .string()
    .min(1)
    .max(64)
    .regex(wholeText('[A-Za-z0-9_-]+'), { error: 'Must contain only letters, digits, "_" and "-"' })
    .meta({ id: 'Id', description: 'An identifier: letters, digits, "_" and "-", at most 64 characters.' }),
);

/**
 * An instant: an ISO 8601 UTC timestamp such as `2026-03-01T09:30:00Z`. Offsets are refused.
 *
 * @example
 * ```ts
 * import { Instant } from 'capa-kit';
 *
 * Instant.parse('2026-03-01T09:30:00Z'); // '2026-03-01T09:30:00Z'
 * Instant.safeParse('2026-03-01T09:30:00+01:00').success; // false: UTC only
 * ```
 */
export const Instant = z.iso
  .datetime({ offset: false, error: formatError('Must be an ISO 8601 UTC instant such as 2026-03-01T09:30:00Z') })
  .meta({ id: 'Instant', description: 'An ISO 8601 UTC timestamp, e.g. 2026-03-01T09:30:00Z.' });

/**
 * A calendar date `YYYY-MM-DD`, used for due dates.
 *
 * @example
 * ```ts
 * import { CalendarDate } from 'capa-kit';
 *
 * CalendarDate.parse('2026-05-31'); // '2026-05-31'
 * CalendarDate.safeParse('31/05/2026').success; // false
 * ```
 */
export const CalendarDate = z.iso
  .date({ error: formatError('Must be a calendar date YYYY-MM-DD') })
  .meta({ id: 'CalendarDate', description: 'A calendar date, YYYY-MM-DD.' });

/**
 * A record's human reference, `PREFIX-YYYY-NNNN`: a finding's (`NC-2026-0001`) or a
 * corrective action's (`CA-2026-0001`). Unique per tenant and kind: the store refuses a
 * second record with the same one.
 *
 * @example
 * ```ts
 * import { Reference } from 'capa-kit';
 *
 * Reference.parse('CA-2026-0001'); // 'CA-2026-0001'
 * Reference.safeParse('CA-26-1').success; // false
 * ```
 */
export const Reference = trimmedAtInput(
  z
    .string()
    .regex(wholeText('[A-Z][A-Z0-9]{0,9}-[0-9]{4}-[0-9]{4,9}'), { error: 'Must look like NC-2026-0001 (prefix-year-sequence)' })
    .meta({ id: 'Reference', description: 'A human reference, PREFIX-YYYY-NNNN (e.g. NC-2026-0001, CA-2026-0001), unique per tenant and kind.' }),
);

/** A lowercase hex SHA-256 digest. */
export const Sha256 = z.string().regex(wholeText('[a-f0-9]{64}'), { error: 'Must be a lowercase hex SHA-256 digest (64 characters)' });

/** Longest free text (descriptions, evidence observed). */
export const LONG_TEXT = 5000;
/** Titles, statements and short text. */
export const SHORT_TEXT = 500;
/** Names, labels and roles. */
export const NAME_TEXT = 200;
