import { calendarDateIn } from './due-date.js';

/**
 * What a reference generator is given: the store's next sequence number for the kind of
 * record, and when the record is made (the finding raised, or the plan with the action
 * recorded).
 *
 * @example
 * ```ts
 * import { defaultReference, type ReferenceInput } from 'capa-kit';
 *
 * const input: ReferenceInput = { kind: 'finding', sequence: 42, raisedAt: '2026-03-02T15:30:00Z', timeZone: 'Europe/London' };
 * defaultReference(input); // 'NC-2026-0042'
 * ```
 */
export interface ReferenceInput {
  /** The kind of record numbered; the register always says. Findings and actions have a sequence each. */
  readonly kind?: 'finding' | 'action';
  /** The next number in the tenant's sequence of this kind, from 1 (the store hands it out). */
  readonly sequence: number;
  /** When the finding is raised, or the action planned (ISO 8601 UTC). */
  readonly raisedAt: string;
  /** The policy's time zone: the year is the one a person there would write. */
  readonly timeZone: string;
}

/**
 * Makes a record's human reference (`NC-2026-0001`, `CA-2026-0001`) from a sequence
 * number. Inject your own to follow a house style (one per kind: see
 * {@link ReferenceGenerators}); the result must match `PREFIX-YYYY-NNNN` (see
 * {@link Reference}), and be unique per tenant and kind: make it from the sequence number,
 * which the store never hands out twice. The store refuses a record whose reference
 * another already holds.
 *
 * @example
 * ```ts
 * import type { ReferenceGenerator } from 'capa-kit';
 *
 * const byYear: ReferenceGenerator = ({ sequence, raisedAt }) =>
 *   `AUD-${raisedAt.slice(0, 4)}-${String(sequence).padStart(5, '0')}`;
 * ```
 */
export type ReferenceGenerator = (input: ReferenceInput) => string;

/**
 * Builds the default reference generator: `PREFIX-YEAR-SEQUENCE`, the sequence padded to
 * `width` digits (longer numbers are kept whole), the year taken in the policy's zone.
 *
 * @example
 * ```ts
 * import { createReferenceGenerator } from 'capa-kit';
 *
 * const next = createReferenceGenerator({ prefix: 'NC' });
 * next({ sequence: 7, raisedAt: '2026-12-31T23:30:00Z', timeZone: 'Europe/Berlin' }); // 'NC-2027-0007'
 * ```
 */
export function createReferenceGenerator(options: { prefix?: string; width?: number } = {}): ReferenceGenerator {
  const prefix = options.prefix ?? 'NC';
  const width = options.width ?? 4;
  if (!/^[A-Z][A-Z0-9]{0,9}$/.test(prefix)) {
    throw new RangeError(`Reference prefix "${prefix}" must be 1 to 10 capital letters or digits, starting with a letter`);
  }
  if (!Number.isInteger(width) || width < 4 || width > 9) throw new RangeError(`Reference width must be 4 to 9 digits, not ${width}`);
  return ({ sequence, raisedAt, timeZone }) => {
    if (!Number.isSafeInteger(sequence) || sequence < 1) throw new RangeError(`Reference sequence must be a positive integer, not ${sequence}`);
    const year = calendarDateIn(raisedAt, timeZone).slice(0, 4);
    return `${prefix}-${year}-${String(sequence).padStart(width, '0')}`;
  };
}

/**
 * The default references of findings: `NC-2026-0001`.
 *
 * @example
 * ```ts
 * import { defaultReference } from 'capa-kit';
 *
 * defaultReference({ sequence: 1, raisedAt: '2026-03-02T15:30:00Z', timeZone: 'UTC' }); // 'NC-2026-0001'
 * ```
 */
export const defaultReference: ReferenceGenerator = createReferenceGenerator();

/**
 * The default references of corrective actions: `CA-2026-0001`.
 *
 * @example
 * ```ts
 * import { defaultActionReference } from 'capa-kit';
 *
 * defaultActionReference({ kind: 'action', sequence: 1, raisedAt: '2026-03-06T09:00:00Z', timeZone: 'UTC' }); // 'CA-2026-0001'
 * ```
 */
export const defaultActionReference: ReferenceGenerator = createReferenceGenerator({ prefix: 'CA' });

/**
 * One reference generator per kind of record, as the register takes them; a kind left out
 * keeps its default ({@link defaultReference}, {@link defaultActionReference}).
 *
 * @example
 * ```ts
 * import { createReferenceGenerator, type ReferenceGenerators } from 'capa-kit';
 *
 * const references: ReferenceGenerators = {
 *   finding: createReferenceGenerator({ prefix: 'ISMS', width: 6 }),
 *   action: createReferenceGenerator({ prefix: 'CAPA', width: 6 }),
 * };
 * ```
 */
export interface ReferenceGenerators {
  readonly finding?: ReferenceGenerator;
  readonly action?: ReferenceGenerator;
}
