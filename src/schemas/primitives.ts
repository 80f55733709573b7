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

/** Trimmed, non-empty, bounded text. Bounds keep records and logs a sane size. */
export const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * An identifier: letters, digits, `_` and `-`, at most 64 characters (trimmed first).
 *
 * @example
 * ```ts
 * import { Id } from 'capa-kit';
 *
 * Id.parse(' ca-1 '); // 'ca-1'
 * Id.safeParse('ca 1').success; // false: no spaces
 * ```
 */
export const Id = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, { error: 'Must contain only letters, digits, "_" and "-"' })
  .meta({ id: 'Id', description: 'An identifier: letters, digits, "_" and "-", at most 64 characters.' });

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
export const Reference = z
  .string()
  .trim()
  .regex(/^[A-Z][A-Z0-9]{0,9}-\d{4}-\d{4,9}$/, { error: 'Must look like NC-2026-0001 (prefix-year-sequence)' })
  .meta({ id: 'Reference', description: 'A human reference, PREFIX-YYYY-NNNN (e.g. NC-2026-0001, CA-2026-0001), unique per tenant and kind.' });

/** A lowercase hex SHA-256 digest. */
export const Sha256 = z
  .string()
  .regex(/^[a-f0-9]{64}$/, { error: 'Must be a lowercase hex SHA-256 digest (64 characters)' });

/** Longest free text (descriptions, evidence observed). */
export const LONG_TEXT = 5000;
/** Titles, statements and short text. */
export const SHORT_TEXT = 500;
/** Names, labels and roles. */
export const NAME_TEXT = 200;
