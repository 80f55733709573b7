import * as z from 'zod';
import { Person } from './actor.js';
import { Id, Instant, LONG_TEXT, SHORT_TEXT, schemaVersionField, text } from './primitives.js';

/**
 * Root cause analysis methods: the values of {@link RootCauseAnalysis} `method`.
 *
 * @example
 * ```ts
 * import { RCA_METHODS } from 'capa-kit';
 *
 * RCA_METHODS.includes('five-whys'); // true
 * ```
 */
export const RCA_METHODS = ['five-whys', 'fishbone', 'process-review', 'interview', 'cause-mapping', 'other'] as const;
/**
 * Where a root cause sits: the values of {@link RootCauseAnalysis} `category`.
 *
 * @example
 * ```ts
 * import { CAUSE_CATEGORIES, type RootCauseAnalysis } from 'capa-kit';
 *
 * declare const analyses: RootCauseAnalysis[];
 * const byCategory = CAUSE_CATEGORIES.map((category) => ({
 *   category,
 *   count: analyses.filter((analysis) => analysis.category === category).length,
 * }));
 * ```
 */
export const CAUSE_CATEGORIES = [
  'process',
  'training',
  'ownership',
  'system-or-tooling',
  'resources',
  'supplier',
  'design',
  'other',
] as const;

/**
 * Extent of condition: where similar nonconformities were looked for, what was found,
 * and the findings raised or linked as a result (Clause 10.2 b 3).
 *
 * @example
 * ```ts
 * import { ExtentOfCondition } from 'capa-kit';
 *
 * ExtentOfCondition.parse({
 *   scope: 'All departures in the last 12 months, all business units',
 *   result: 'One more account found active; disabled.',
 *   linkedFindingIds: [],
 * });
 * ```
 */
export const ExtentOfCondition = z
  .strictObject({
    scope: text(LONG_TEXT),
    result: text(LONG_TEXT),
    linkedFindingIds: z.array(Id).max(200),
  })
  .meta({ id: 'ExtentOfCondition', description: 'Where similar nonconformities were looked for, the result, and linked findings.' });
/** Where similar nonconformities were looked for, and what was found. */
export type ExtentOfCondition = z.infer<typeof ExtentOfCondition>;

/**
 * The output of a root cause analysis: the method, the chain of whys, the root cause
 * statement (the cause, not the symptom), its category, and the extent of condition.
 *
 * @example
 * ```ts
 * import { RootCauseAnalysis } from 'capa-kit';
 *
 * RootCauseAnalysis.parse({
 *   schemaVersion: 1,
 *   method: 'five-whys',
 *   whys: [
 *     'Procurement did not run the assessments',
 *     'They did not know the assessment was required',
 *     'The supplier procedure was never part of procurement onboarding',
 *   ],
 *   statement: 'Process-ownership gap: no one owns supplier security in procurement onboarding.',
 *   category: 'ownership',
 *   extentOfCondition: null,
 *   analysedBy: { id: 'u-4', name: 'Lee Quality' },
 *   analysedAt: '2026-03-05T11:00:00Z',
 * });
 * ```
 */
export const RootCauseAnalysis = z
  .strictObject({
    schemaVersion: schemaVersionField,
    method: z.enum(RCA_METHODS),
    /** Which other method, when `method` is `other`. */
    methodDetail: text(SHORT_TEXT).optional(),
    /** The chain of whys, first to last. */
    whys: z.array(text(SHORT_TEXT)).max(20),
    statement: text(2000),
    category: z.enum(CAUSE_CATEGORIES),
    extentOfCondition: ExtentOfCondition.nullable(),
    analysedBy: Person,
    analysedAt: Instant,
  })
  .meta({ id: 'RootCauseAnalysis', description: 'The method, chain of whys, root cause statement, cause category and extent of condition.' });
/** The output of a root cause analysis. */
export type RootCauseAnalysis = z.infer<typeof RootCauseAnalysis>;
