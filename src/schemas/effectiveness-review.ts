import * as z from 'zod';
import { Person } from './actor.js';
import { Evidence } from './evidence.js';
import { Instant, LONG_TEXT, SHORT_TEXT, schemaVersionField, text } from './primitives.js';

/**
 * How effectiveness is checked: the values of {@link EffectivenessReview} `method`.
 *
 * @example
 * ```ts
 * import { REVIEW_METHODS } from 'capa-kit';
 *
 * const options = REVIEW_METHODS.filter((method) => method !== 'other');
 * ```
 */
export const REVIEW_METHODS = ['follow-up-audit', 'kpi', 're-test', 'sample-of-next-occurrences', 'other'] as const;
/**
 * The verdict of an effectiveness review: the values of {@link EffectivenessReview} `result`.
 *
 * @example
 * ```ts
 * import { REVIEW_RESULTS } from 'capa-kit';
 *
 * REVIEW_RESULTS; // ['effective', 'not-effective']
 * ```
 */
export const REVIEW_RESULTS = ['effective', 'not-effective'] as const;

/**
 * The effectiveness review: did the corrective actions remove the cause? A
 * `not-effective` verdict sends the finding back to investigation.
 *
 * @example
 * ```ts
 * import { EffectivenessReview } from 'capa-kit';
 *
 * EffectivenessReview.parse({
 *   schemaVersion: 1,
 *   method: 'sample-of-next-occurrences',
 *   criterion: 'The next 10 departures are all disabled within 24 hours',
 *   result: 'effective',
 *   reviewer: { id: 'u-2', name: 'Jonas Berg' },
 *   reviewedAt: '2026-07-01T09:00:00Z',
 *   evidence: [],
 * });
 * ```
 */
export const EffectivenessReview = z
  .strictObject({
    schemaVersion: schemaVersionField,
    method: z.enum(REVIEW_METHODS),
    criterion: text(SHORT_TEXT),
    result: z.enum(REVIEW_RESULTS),
    reviewer: Person,
    reviewedAt: Instant,
    evidence: z.array(Evidence).max(100),
    notes: text(LONG_TEXT).optional(),
  })
  .meta({ id: 'EffectivenessReview', description: 'Whether the corrective actions removed the cause, how that was checked, by whom and when.' });
/** Whether the corrective actions removed the cause. */
export type EffectivenessReview = z.infer<typeof EffectivenessReview>;
