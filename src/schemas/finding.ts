import * as z from 'zod';
import { Person } from './actor.js';
import { Correction } from './correction.js';
import { EffectivenessReview } from './effectiveness-review.js';
import { Evidence } from './evidence.js';
import { CalendarDate, Id, Instant, LONG_TEXT, NAME_TEXT, Reference, SHORT_TEXT, schemaVersionField, text, wholeText } from './primitives.js';
import { RequirementRef } from './requirement-ref.js';
import { RootCauseAnalysis } from './root-cause.js';
import { FINDING_STATUSES } from './status.js';

/**
 * Where findings come from: the values of {@link FindingSource} `kind`.
 *
 * @example
 * ```ts
 * import { FINDING_SOURCES } from 'capa-kit';
 *
 * FINDING_SOURCES.includes('internal-audit'); // true
 * ```
 */
export const FINDING_SOURCES = [
  'internal-audit',
  'external-audit',
  'kpi-measurement',
  'management-review',
  'incident-review',
  'monitoring',
  'other',
] as const;

/**
 * Where a finding came from, with a reference such as the audit's id.
 *
 * @example
 * ```ts
 * import { FindingSource } from 'capa-kit';
 *
 * FindingSource.parse({ kind: 'internal-audit', reference: 'IA-2026-03' });
 * ```
 */
export const FindingSource = z
  .strictObject({ kind: z.enum(FINDING_SOURCES), reference: text(NAME_TEXT).optional() })
  .meta({ id: 'FindingSource', description: 'Where a finding came from, with a reference such as the audit id.' });
/** Where a finding came from. */
export type FindingSource = z.infer<typeof FindingSource>;

/**
 * The process or asset a finding affects; at least one of the two.
 *
 * @example
 * ```ts
 * import { Affected } from 'capa-kit';
 *
 * Affected.parse({ process: 'Joiner-mover-leaver' });
 * ```
 */
export const Affected = z
  .strictObject({ process: text(NAME_TEXT).optional(), asset: text(NAME_TEXT).optional() })
  .refine((a) => a.process !== undefined || a.asset !== undefined, {
    error: 'Name the affected process, the affected asset, or both',
  })
  .meta({ id: 'Affected', description: 'The affected process or asset (at least one).' });
/** The process or asset a finding affects. */
export type Affected = z.infer<typeof Affected>;

/**
 * The pattern an extension namespace follows: `acme`, `acme.risk`, `vendor-x`.
 *
 * @example
 * ```ts
 * import { EXTENSION_NAMESPACE } from 'capa-kit';
 *
 * EXTENSION_NAMESPACE.test('acme.risk'); // true
 * EXTENSION_NAMESPACE.test('Acme'); // false: lowercase only
 * ```
 */
export const EXTENSION_NAMESPACE: RegExp = wholeText('[a-z][a-z0-9-]*(?:\\.[a-z][a-z0-9-]*)*');

/**
 * Host-defined fields, under a namespace each (`{ acme: { riskId: 'R-12' } }`). Without
 * host schemas any JSON is accepted under a valid namespace; with {@link createFindingSchemas}
 * each namespace is validated by the schema the host supplies.
 *
 * @example
 * ```ts
 * import { Extensions } from 'capa-kit';
 *
 * Extensions.parse({ acme: { riskId: 'R-12' } });
 * ```
 */
export const Extensions = z
  .record(
    z.string().regex(EXTENSION_NAMESPACE, { error: 'Extension namespaces are lowercase words joined by "." or "-"' }),
    z.record(z.string(), z.json()),
  )
  .meta({ id: 'Extensions', description: 'Host-defined fields under a namespace each.' });
/** Host-defined fields, under a namespace each. */
export type Extensions = z.infer<typeof Extensions>;

/** The facts of a finding as raised, before the lifecycle adds to it. */
const raisedShape = {
  id: Id,
  tenantId: Id,
  /** Human reference, unique per tenant, e.g. `NC-2026-0001`. */
  reference: Reference,
  title: text(NAME_TEXT),
  description: text(LONG_TEXT),
  requirement: RequirementRef,
  /** What the auditor saw: the objective evidence of the nonconformity. */
  observedEvidence: text(LONG_TEXT),
  affected: Affected,
  source: FindingSource,
  /** A grade id defined by the severity policy (e.g. `major`), not a closed list. */
  grade: Id,
  /** The person accountable for the finding. */
  owner: Person,
  raisedBy: Person,
  detectedAt: Instant,
  raisedAt: Instant,
  extensions: Extensions.default({}),
};

/**
 * Closure: when, by whom, with what evidence.
 *
 * @example
 * ```ts
 * import { Closure } from 'capa-kit';
 *
 * Closure.parse({ closedAt: '2026-07-02T09:00:00Z', closedBy: { id: 'u-2', name: 'Jonas Berg' }, evidence: [] });
 * ```
 */
export const Closure = z
  .strictObject({ closedAt: Instant, closedBy: Person, evidence: z.array(Evidence).max(100), note: text(LONG_TEXT).optional() })
  .meta({ id: 'Closure', description: 'When, by whom and with what evidence a finding was closed.' });
/** When, by whom and with what evidence a finding was closed. */
export type Closure = z.infer<typeof Closure>;

/**
 * Why a finding was rejected: not a nonconformity, or a duplicate of another finding.
 *
 * @example
 * ```ts
 * import { Rejection } from 'capa-kit';
 *
 * Rejection.parse({
 *   kind: 'duplicate',
 *   duplicateOf: 'f-12',
 *   reason: 'Same leaver accounts as NC-2026-0003',
 *   rejectedBy: { id: 'u-4', name: 'Lee Quality' },
 *   rejectedAt: '2026-03-02T09:00:00Z',
 * });
 * ```
 */
export const Rejection = z
  .strictObject({
    kind: z.enum(['not-a-nonconformity', 'duplicate']),
    duplicateOf: Id.optional(),
    reason: text(LONG_TEXT),
    rejectedBy: Person,
    rejectedAt: Instant,
  })
  .meta({ id: 'Rejection', description: 'Why a finding was rejected: not a nonconformity, or a duplicate.' });
/** Why a finding was rejected. */
export type Rejection = z.infer<typeof Rejection>;

/**
 * Approval of a corrective action plan by an actor holding the role the policy names.
 *
 * @example
 * ```ts
 * import { PlanApproval } from 'capa-kit';
 *
 * PlanApproval.parse({ approvedBy: { id: 'u-2', name: 'Jonas Berg' }, role: 'auditor', approvedAt: '2026-03-10T09:00:00Z' });
 * ```
 */
export const PlanApproval = z
  .strictObject({ approvedBy: Person, role: text(64), approvedAt: Instant })
  .meta({ id: 'PlanApproval', description: 'Who approved a corrective action plan, in which role, and when.' });
/** Who approved a corrective action plan. */
export type PlanApproval = z.infer<typeof PlanApproval>;

/**
 * Something that needs a person's attention but must not be changed silently, such as an
 * approved action now due after its finding after a regrade.
 *
 * @example
 * ```ts
 * import { AttentionFlag } from 'capa-kit';
 *
 * AttentionFlag.parse({
 *   code: 'action.dueAfterFinding',
 *   message: 'Action ca-1 is due 2026-12-31, after the finding (2026-06-01).',
 *   actionId: 'ca-1',
 *   raisedAt: '2026-03-12T09:00:00Z',
 * });
 * ```
 */
export const AttentionFlag = z
  .strictObject({ code: text(64), message: text(SHORT_TEXT), actionId: Id.optional(), raisedAt: Instant })
  .meta({ id: 'AttentionFlag', description: 'Something a person must look at, never changed silently.' });
/** Something a person must look at. */
export type AttentionFlag = z.infer<typeof AttentionFlag>;

/** What the lifecycle adds to a raised finding. */
const lifecycleShape = {
  schemaVersion: schemaVersionField,
  /** Computed by the policy from the grade's deadline; `null` when the grade has none. */
  dueDate: CalendarDate.nullable(),
  status: z.enum(FINDING_STATUSES),
  correction: Correction.nullable(),
  rootCause: RootCauseAnalysis.nullable(),
  correctiveActionIds: z.array(Id).max(200),
  planApproval: PlanApproval.nullable(),
  effectivenessReviews: z.array(EffectivenessReview).max(100),
  evidence: z.array(Evidence).max(200),
  closure: Closure.nullable(),
  rejection: Rejection.nullable(),
  /** How many times a review found the actions not effective (or a closed finding was reopened). */
  recurrenceCount: z.int().min(0),
  flags: z.array(AttentionFlag).max(100),
  updatedAt: Instant,
};

/**
 * Builds the finding schemas with host extension schemas: each namespace in
 * `extensions` is validated by the schema given for it, and unknown namespaces are
 * refused.
 *
 * @example
 * ```ts
 * import * as z from 'zod';
 * import { createFindingSchemas } from 'capa-kit';
 *
 * const { RaisedFinding } = createFindingSchemas({
 *   acme: z.strictObject({ riskId: z.string().regex(/^R-\d+$/) }),
 * });
 * ```
 */
export function createFindingSchemas<const TExtensions extends Record<string, z.ZodType<Record<string, unknown>>>>(
  extensions: TExtensions,
) {
  for (const namespace of Object.keys(extensions)) {
    if (!EXTENSION_NAMESPACE.test(namespace)) {
      throw new TypeError(`Extension namespace "${namespace}" must be lowercase words joined by "." or "-", such as acme or acme.risk`);
    }
  }
  const shape = Object.fromEntries(Object.entries(extensions).map(([ns, schema]) => [ns, schema.optional()])) as {
    [K in keyof TExtensions]: z.ZodOptional<TExtensions[K]>;
  };
  const namespaces = z.strictObject(shape);
  // Every namespace is optional, so {} is a valid value; TypeScript cannot see that through the generic.
  const extensionsSchema = namespaces.default({} as never);
  const raised = z.strictObject({ ...raisedShape, extensions: extensionsSchema });
  const finding = z.strictObject({ ...raisedShape, ...lifecycleShape, extensions: extensionsSchema });
  return { RaisedFinding: raised, Finding: finding };
}

/**
 * A finding as raised: identity, the requirement breached, the evidence observed, the
 * affected process or asset, source, grade, owner, and when it was detected and raised.
 * The lifecycle machine takes it in the `RAISE` event and computes the due date.
 *
 * @example
 * ```ts
 * import { RaisedFinding } from 'capa-kit';
 *
 * RaisedFinding.parse({
 *   id: 'f-1',
 *   tenantId: 'acme',
 *   reference: 'NC-2026-0001',
 *   title: 'Leavers kept active accounts for weeks',
 *   description: 'Two leavers kept active directory accounts for 3 and 5 weeks after leaving.',
 *   requirement: { kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: 'A.5.18' },
 *   observedEvidence: 'HR leaver list vs. directory export of 2026-03-01',
 *   affected: { process: 'Joiner-mover-leaver' },
 *   source: { kind: 'internal-audit', reference: 'IA-2026-03' },
 *   grade: 'minor',
 *   owner: { id: 'u-9', name: 'Sam IT' },
 *   raisedBy: { id: 'u-3', name: 'Ines Audit' },
 *   detectedAt: '2026-03-01T10:00:00Z',
 *   raisedAt: '2026-03-01T15:00:00Z',
 * });
 * ```
 */
export const RaisedFinding = z
  .strictObject(raisedShape)
  .meta({ id: 'RaisedFinding', description: 'A finding as raised, before the lifecycle adds to it.' });
/** A finding as raised. */
export type RaisedFinding = z.output<typeof RaisedFinding>;

/**
 * A finding with its lifecycle: status, due date, correction, root cause, linked
 * corrective actions, approval, effectiveness reviews, closure or rejection, recurrence.
 *
 * @example
 * ```ts
 * import { Finding } from 'capa-kit';
 *
 * const result = Finding.safeParse({});
 * result.success; // false: every field is named in result.error.issues
 * ```
 */
export const Finding = z
  .strictObject({ ...raisedShape, ...lifecycleShape })
  .meta({ id: 'Finding', description: 'A nonconformity (or observation, OFI, conformity) with its whole lifecycle.' });
/** A finding with its lifecycle. */
export type Finding = z.output<typeof Finding>;
