import { requirementKey } from '../../schemas/requirement-ref.js';
import type { SeverityPolicy } from '../../schemas/severity-policy.js';
import type { LoggedFinding } from '../format/lines.js';
import { gradeLabel } from './labels.js';
import type { SourceContext } from './source.js';
import { daysBetweenDates } from './time.js';
import type { Standing } from './timeline.js';

// What both reports share: the instant they count a finding from, the policy they apply,
// and a finding as they list it.

/**
 * Which instant a report counts a finding from: when it was raised in the register
 * (default, as `register.query` counts recurrence), or when the nonconformity was
 * detected (better for findings imported from a spreadsheet, raised at import).
 *
 * @example
 * ```ts
 * import type { CountBy } from 'capa-kit/log';
 *
 * const countBy: CountBy = 'detectedAt';
 * ```
 */
export type CountBy = 'raisedAt' | 'detectedAt';

/**
 * A finding as a report lists it.
 *
 * @example
 * ```ts
 * import type { ReportFinding } from 'capa-kit/log';
 *
 * const cell = (f: ReportFinding) => `${f.reference} ${f.title} (${f.gradeLabel}, due ${f.dueDate ?? 'none'})`;
 * ```
 */
export interface ReportFinding {
  readonly id: string;
  readonly reference: string;
  readonly title: string;
  readonly grade: string;
  readonly gradeLabel: string;
  readonly source: string;
  readonly status: string;
  readonly owner: string;
  readonly requirement: string;
  readonly causeCategory: string | null;
  readonly rootCause: string | null;
  readonly raisedAt: string;
  readonly detectedAt: string;
  readonly dueDate: string | null;
  /** Days past the due date at the report's `asOf`; 0 when not overdue. */
  readonly daysOverdue: number;
}

/** The policy a report applies: the caller's, else the log header's. */
export function requirePolicy(given: SeverityPolicy | undefined, context: SourceContext, report: string): SeverityPolicy {
  const policy = given ?? context.header?.policy;
  if (policy === undefined) {
    throw new TypeError(`${report}: no severity policy. Pass options.policy, or read a log that starts with its header line.`);
  }
  return policy;
}

/** A finding as reports list it, standing as given. */
export function reportFinding(line: LoggedFinding, policy: SeverityPolicy, standing: Standing | null, asOfDate: string | null): ReportFinding {
  const { finding } = line;
  const grade = standing?.grade ?? finding.grade;
  const dueDate = standing === null ? finding.dueDate : standing.dueDate;
  const overdue = asOfDate !== null && dueDate !== null && dueDate < asOfDate && (standing?.kind ?? 'open') === 'open';
  return {
    id: finding.id,
    reference: finding.reference,
    title: finding.title,
    grade,
    gradeLabel: gradeLabel(policy, grade),
    source: finding.source.kind,
    status: finding.status,
    owner: finding.owner.name,
    requirement: requirementKey(finding.requirement),
    causeCategory: finding.rootCause?.category ?? null,
    rootCause: finding.rootCause?.statement ?? null,
    raisedAt: finding.raisedAt,
    detectedAt: finding.detectedAt,
    dueDate,
    daysOverdue: overdue ? daysBetweenDates(dueDate, asOfDate) : 0,
  };
}

