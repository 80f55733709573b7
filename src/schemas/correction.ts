import * as z from 'zod';
import { Person } from './actor.js';
import { Instant, LONG_TEXT, schemaVersionField, text } from './primitives.js';

/**
 * The correction: what was done at once to contain the nonconformity and deal with its
 * consequences (disable the leaver's account now), by whom and when; or a justified
 * statement that no correction applies. It fixes the symptom, not the cause.
 *
 * @example
 * ```ts
 * import { Correction } from 'capa-kit';
 *
 * Correction.parse({
 *   schemaVersion: 1,
 *   kind: 'performed',
 *   description: 'Disabled the two leavers\' accounts and reviewed their last sign-ins.',
 *   performedBy: { id: 'u-9', name: 'Sam IT' },
 *   completedAt: '2026-03-03T16:00:00Z',
 * });
 * Correction.parse({
 *   schemaVersion: 1,
 *   kind: 'not-applicable',
 *   justification: 'The late review has no consequence left to contain.',
 * });
 * ```
 */
export const Correction = z
  .discriminatedUnion('kind', [
    z.strictObject({
      schemaVersion: schemaVersionField,
      kind: z.literal('performed'),
      description: text(LONG_TEXT),
      performedBy: Person,
      completedAt: Instant,
    }),
    z.strictObject({
      schemaVersion: schemaVersionField,
      kind: z.literal('not-applicable'),
      justification: text(LONG_TEXT),
    }),
  ])
  .meta({
    id: 'Correction',
    description: 'What was done at once to contain the nonconformity, by whom and when; or why no correction applies.',
  });
/** The immediate fix of the symptom, or why none applies. */
export type Correction = z.infer<typeof Correction>;
