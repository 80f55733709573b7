import * as z from 'zod';
import { Id, NAME_TEXT, SHORT_TEXT, schemaVersionField, TRIMMED_TEXT, text, trimmedAtInput } from './primitives.js';

/**
 * How a grade's findings move through the lifecycle:
 * - `corrective-action`: the full Clause 10.2 loop (correction, root cause, plan, verify).
 * - `monitor`: an observation, watched and then closed or escalated.
 * - `log`: an opportunity for improvement, closed into continual improvement.
 * - `none`: a conformity; nothing to do.
 *
 * @example
 * ```ts
 * import { GRADE_LIFECYCLES } from 'capa-kit';
 *
 * GRADE_LIFECYCLES; // ['corrective-action', 'monitor', 'log', 'none']
 * ```
 */
export const GRADE_LIFECYCLES = ['corrective-action', 'monitor', 'log', 'none'] as const;
/**
 * How a grade's findings move through the lifecycle.
 *
 * @example
 * ```ts
 * import { findGrade, iso27001, type GradeLifecycle } from 'capa-kit';
 *
 * const lifecycle: GradeLifecycle | undefined = findGrade(iso27001, 'observation')?.lifecycle; // 'monitor'
 * ```
 */
export type GradeLifecycle = (typeof GRADE_LIFECYCLES)[number];

/**
 * The lifecycle requirements a policy may relax. The rest always hold.
 *
 * @example
 * ```ts
 * import { defineSeverityPolicy, iso27001, RELAXABLE_REQUIREMENTS } from 'capa-kit';
 *
 * const lenient = defineSeverityPolicy({ ...iso27001, id: 'lenient', relaxes: [...RELAXABLE_REQUIREMENTS] });
 * ```
 */
export const RELAXABLE_REQUIREMENTS = ['rootCause.notShallow', 'rootCause.extentOfCondition', 'rootCause.whyChain'] as const;
/**
 * A lifecycle requirement a policy may relax.
 *
 * @example
 * ```ts
 * import { defineSeverityPolicy, iso27001, type RelaxableRequirement } from 'capa-kit';
 *
 * const relaxes: RelaxableRequirement[] = ['rootCause.extentOfCondition'];
 * const acme = defineSeverityPolicy({ ...iso27001, id: 'acme', relaxes });
 * ```
 */
export type RelaxableRequirement = (typeof RELAXABLE_REQUIREMENTS)[number];

/**
 * A deadline: `amount` months, days or business days (Monday to Friday) counted from
 * when the finding was detected or raised, in the policy's time zone.
 *
 * @example
 * ```ts
 * import { Deadline } from 'capa-kit';
 *
 * Deadline.parse({ amount: 3, unit: 'months', from: 'detectedAt' });
 * ```
 */
export const Deadline = z
  .strictObject({
    amount: z.int().min(1).max(3650),
    unit: z.enum(['months', 'days', 'businessDays']),
    from: z.enum(['detectedAt', 'raisedAt']),
  })
  .meta({ id: 'Deadline', description: 'Months, days or business days from detection or raising, in the policy time zone.' });
/** A deadline rule. */
export type Deadline = z.infer<typeof Deadline>;

/**
 * What a policy says about one grade.
 *
 * @example
 * ```ts
 * import { GradePolicy } from 'capa-kit';
 *
 * GradePolicy.parse({
 *   id: 'minor',
 *   label: 'Minor nonconformity',
 *   lifecycle: 'corrective-action',
 *   deadline: { amount: 12, unit: 'months', from: 'detectedAt' },
 *   approval: { role: 'auditor' },
 * });
 * ```
 */
export const GradePolicy = z
  .strictObject({
    id: Id,
    label: text(NAME_TEXT),
    description: text(SHORT_TEXT).optional(),
    lifecycle: z.enum(GRADE_LIFECYCLES),
    /** When the finding is due; `null` for no deadline. */
    deadline: Deadline.nullable(),
    /** When set, a corrective action plan needs approval by an actor holding `role`. */
    approval: z.strictObject({ role: text(64) }).nullable(),
  })
  .meta({ id: 'GradePolicy', description: 'What a policy says about one grade: its lifecycle, deadline and plan approval.' });
/** What a policy says about one grade. */
export type GradePolicy = z.infer<typeof GradePolicy>;

/**
 * An IANA zone name (`Europe/London`, `America/Argentina/Buenos_Aires`) or `UTC`, known
 * to this runtime. Offsets (`+05:00`) and abbreviations (`EST`) are refused: they do not
 * follow daylight-saving rules, so deadlines computed in them drift.
 */
function isTimeZone(zone: string): boolean {
  if (zone !== 'UTC' && !/^[A-Za-z][A-Za-z_-]*(?:\/[A-Za-z0-9][A-Za-z0-9_+-]*)+$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone. */
export const TimeZone = trimmedAtInput(
  z
    .string()
    .min(1, { abort: true })
    .max(64, { abort: true })
    .regex(TRIMMED_TEXT, { abort: true, error: 'Must not start or end with white space' })
    .refine(isTimeZone, { error: 'Must be an IANA time zone such as Europe/London, or UTC' }),
);

/**
 * A severity policy, as data: the grades it knows, their lifecycles, deadlines and
 * approvals, the time zone deadlines are computed in, when an open finding is stale,
 * the phrases that mark a root cause as shallow, the segregation of duties and
 * signatures the register enforces, and the requirements it relaxes.
 * Serializable, so an exported log can carry it and a validator can load it from JSON.
 *
 * @example
 * ```ts
 * import { SeverityPolicy, iso27001 } from 'capa-kit';
 *
 * const roundTripped = SeverityPolicy.parse(JSON.parse(JSON.stringify(iso27001)));
 * ```
 */
export const SeverityPolicy = z
  .strictObject({
    schemaVersion: schemaVersionField,
    id: Id,
    version: text(32),
    name: text(NAME_TEXT),
    description: text(SHORT_TEXT).optional(),
    /** IANA time zone deadlines are computed in, e.g. `Europe/London`. */
    timeZone: TimeZone,
    /** An open finding with no activity for longer than this is stale. */
    staleAfterDays: z.int().min(1).max(3650),
    grades: z.array(GradePolicy).min(1).max(50),
    shallowCause: z.strictObject({ phrases: z.array(text(100)).max(200) }),
    /** Segregation of duties the register enforces (on by default). */
    segregationOfDuties: z
      .strictObject({
        /** The effectiveness reviewer is not an owner of the finding's corrective actions. */
        reviewerNotActionOwner: z.boolean(),
        /** Whoever raised a finding cannot also reject it. */
        rejecterNotRaiser: z.boolean(),
        /** Whoever closes a nonconformity is not an owner of its corrective actions (added later: defaults to on). */
        closerNotActionOwner: z.boolean().default(true),
      })
      .default({ reviewerNotActionOwner: true, rejecterNotRaiser: true, closerNotActionOwner: true }),
    /** Whether plan approval, the effectiveness verdict and closure need an electronic signature. */
    signatures: z.strictObject({ required: z.boolean() }).default({ required: true }),
    /**
     * How many minutes an instant an actor reports (a detection, a correction's completion,
     * an analysis, a review, evidence collected) may be later than the register's clock (in
     * a log: than its entry's time): the clocks of the host's machines drift. Later than
     * that, the instant is in the future, and refused. Due dates are not instants: they are
     * in the future by design. Default 5.
     */
    clockSkewMinutes: z.int().min(0).max(1440).default(5),
    relaxes: z
      .array(z.enum(RELAXABLE_REQUIREMENTS))
      .max(RELAXABLE_REQUIREMENTS.length)
      .refine((codes) => new Set(codes).size === codes.length, { error: 'Each relaxed requirement is listed once' }),
  })
  .superRefine((policy, ctx) => {
    const seen = new Set<string>();
    policy.grades.forEach((grade, index) => {
      if (seen.has(grade.id)) {
        ctx.addIssue({ code: 'custom', path: ['grades', index, 'id'], message: `Grade id "${grade.id}" is defined twice` });
      }
      seen.add(grade.id);
      if (grade.lifecycle !== 'corrective-action' && grade.approval !== null) {
        ctx.addIssue({
          code: 'custom',
          path: ['grades', index, 'approval'],
          message: 'Only a corrective-action grade has a plan to approve',
        });
      }
    });
  })
  .meta({ id: 'SeverityPolicy', description: 'Grades, deadlines, approvals, staleness and shallow-cause phrases, as data.' });
/** A severity policy, as data. */
export type SeverityPolicy = z.infer<typeof SeverityPolicy>;
