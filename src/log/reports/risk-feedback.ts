import * as z from 'zod';
import { parseRecord } from '../../schemas/parse.js';
import { CalendarDate, Instant } from '../../schemas/primitives.js';
import { requirementKey } from '../../schemas/requirement-ref.js';
import type { SeverityPolicy } from '../../schemas/severity-policy.js';
import { CAUSE_CATEGORY_LABELS, labelOf } from './labels.js';
import { countsTowardRecurrence } from './recurrence.js';
import { compareReferences } from './references.js';
import { type CountBy, type ReportFinding, reportFinding, requirePolicy } from './report-finding.js';
import { type LogInput, recordLines, type SourceContext } from './source.js';
import { asOfInstant, DAY_MS, dateOf, isoInstant } from './time.js';
import { timelineOf } from './timeline.js';

/**
 * A requirement or root cause category that recurred more than the threshold within the
 * window, with the findings behind it (most recent first, up to `listLimit`).
 *
 * @example
 * ```ts
 * import type { RecurrenceGroup } from 'capa-kit/log';
 *
 * const line = (group: RecurrenceGroup) => `${group.label}: ${group.count} findings, ${group.open} still open`;
 * ```
 */
export interface RecurrenceGroup {
  readonly key: string;
  readonly label: string;
  readonly count: number;
  /** How many of them were open at `asOf`. */
  readonly open: number;
  readonly findings: readonly ReportFinding[];
  /** Findings left out of `findings` by `listLimit`. */
  readonly findingsOmitted: number;
}

/**
 * Feedback for risk assessment (ISO/IEC 27001 Clause 6): the requirements and root cause
 * categories that recur more than `moreThan` times among findings raised in the
 * `withinDays` before `asOf`, and the findings whose corrective actions were found not
 * effective or that were reopened. Recurrence means a corrective action did not work, or a
 * risk was underestimated.
 *
 * @example
 * ```ts
 * import type { RiskFeedback } from 'capa-kit/log';
 *
 * const toRiskRegister = (feedback: RiskFeedback) =>
 *   feedback.requirements.map((group) => ({ control: group.key, occurrences: group.count }));
 * ```
 */
export interface RiskFeedback {
  readonly kind: 'risk-feedback';
  readonly tenant: { readonly id: string; readonly organisation: string | null } | null;
  readonly policy: { readonly id: string; readonly version: string; readonly name: string; readonly timeZone: string };
  readonly asOf: string;
  readonly withinDays: number;
  readonly moreThan: number;
  /** The window's first instant: `asOf` minus `withinDays` days. */
  readonly since: string;
  readonly countBy: CountBy;
  /** Findings counted: raised in the window, neither rejected nor conformities at `asOf`. */
  readonly findingsInWindow: number;
  readonly requirements: readonly RecurrenceGroup[];
  readonly causeCategories: readonly RecurrenceGroup[];
  /** Findings in the window whose actions were found not effective, or that were reopened, in reference order. */
  readonly notEffective: readonly ReportFinding[];
}

const RiskFeedbackOptionsSchema = z.strictObject({
  asOf: z.union([Instant, CalendarDate]),
  withinDays: z.int().min(1).max(3650),
  moreThan: z.int().min(0).max(100_000),
  policy: z.custom<SeverityPolicy>((value) => typeof value === 'object' && value !== null, { error: 'Must be a severity policy' }).optional(),
  countBy: z.enum(['raisedAt', 'detectedAt']).default('raisedAt'),
  listLimit: z.int().min(0).max(100_000).default(50),
});

/**
 * How {@link riskFeedback} reads a log. `withinDays`, `moreThan` and `asOf` mean what they
 * mean in the register's `query({ recurrence })`.
 *
 * @example
 * ```ts
 * import type { RiskFeedbackOptions } from 'capa-kit/log';
 *
 * const yearly: RiskFeedbackOptions = { asOf: '2026-11-22T09:00:00Z', withinDays: 365, moreThan: 2 };
 * ```
 */
export interface RiskFeedbackOptions {
  /** The end of the window: an ISO 8601 instant, or a date (`YYYY-MM-DD`: the end of that day in the policy's zone). */
  readonly asOf: string;
  /** The window's length in days, back from `asOf`. */
  readonly withinDays: number;
  /** A group is reported when it has more findings than this (the threshold). */
  readonly moreThan: number;
  /** The policy for grade labels and time zone. Default: the one in the log's header. */
  readonly policy?: SeverityPolicy;
  /** Count findings from when they were raised (default) or detected. */
  readonly countBy?: CountBy;
  /** How many findings to list per group (default 50). */
  readonly listLimit?: number;
}

class Grouping {
  private readonly groups = new Map<string, { count: number; open: number; findings: ReportFinding[] }>();
  constructor(private readonly limit: number) {}
  add(key: string, finding: ReportFinding, open: boolean): void {
    let group = this.groups.get(key);
    if (group === undefined) {
      group = { count: 0, open: 0, findings: [] };
      this.groups.set(key, group);
    }
    group.count += 1;
    if (open) group.open += 1;
    group.findings.push(finding);
    if (group.findings.length > Math.max(2 * this.limit, 100)) this.trim(group.findings);
  }
  private trim(findings: ReportFinding[]): void {
    findings.sort((a, b) => (a.raisedAt < b.raisedAt ? 1 : a.raisedAt > b.raisedAt ? -1 : compareReferences(a.reference, b.reference)));
    findings.length = Math.min(findings.length, this.limit);
  }
  over(moreThan: number, label: (key: string) => string): RecurrenceGroup[] {
    return [...this.groups.entries()]
      .filter(([, group]) => group.count > moreThan)
      .map(([key, group]) => {
        this.trim(group.findings);
        return { key, label: label(key), count: group.count, open: group.open, findings: group.findings, findingsOmitted: group.count - group.findings.length };
      })
      .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}

/**
 * Builds the risk feedback (ISO/IEC 27001 Clause 6) from a log, streaming: findings raised
 * in the window are grouped by requirement and by root cause category as they pass; only
 * the groups' counts and listed findings are kept. A finding rejected, or a conformity, at
 * `asOf` is not counted (the management review's rule for recurring requirements too;
 * `register.query({ recurrence })` counts every finding).
 *
 * @example
 * ```ts
 * import { riskFeedback, renderReportHtml } from 'capa-kit/log';
 * import type { LogInput } from 'capa-kit/log';
 *
 * declare const log: LogInput; // a log with its header, which names the policy
 * const feedback = await riskFeedback(log, { asOf: '2026-11-22T09:00:00Z', withinDays: 365, moreThan: 2 });
 * const html = renderReportHtml(feedback);
 * ```
 */
export async function riskFeedback(source: LogInput, options: RiskFeedbackOptions): Promise<RiskFeedback> {
  const parsed = parseRecord(RiskFeedbackOptionsSchema, options, 'risk feedback options');
  const context: SourceContext = { header: null };
  // A date as `asOf` is the end of that day in the policy's zone: known with the policy.
  let asOf = Number.NaN;
  let since = Number.NaN;
  const measureIn = (active: SeverityPolicy) => {
    if (!Number.isNaN(asOf)) return;
    asOf = asOfInstant(parsed.asOf, active.timeZone);
    since = asOf - parsed.withinDays * DAY_MS;
  };
  const requirements = new Grouping(parsed.listLimit);
  const causes = new Grouping(parsed.listLimit);
  const notEffective: ReportFinding[] = [];
  let counted = 0;
  let policy: SeverityPolicy | null = parsed.policy ?? null;

  for await (const line of recordLines(source, context)) {
    if (line.type !== 'finding') continue;
    policy ??= requirePolicy(undefined, context, 'riskFeedback');
    measureIn(policy);
    const timeline = timelineOf(line, policy);
    const base = parsed.countBy === 'raisedAt' ? timeline.raisedAt : timeline.detectedAt;
    if (timeline.raisedAt > asOf || base < since || base > asOf) continue;
    const standing = timeline.at(asOf);
    if (!countsTowardRecurrence(standing)) continue;
    counted += 1;
    const listed = reportFinding(line, policy, standing, dateOf(asOf, policy.timeZone));
    const open = standing.kind === 'open';
    requirements.add(requirementKey(line.finding.requirement), listed, open);
    if (line.finding.rootCause !== null) causes.add(line.finding.rootCause.category, listed, open);
    const recurred = timeline.events.some(
      (event) => event.at <= asOf && ((event.type === 'review' && event.result === 'not-effective') || event.type === 'reopen'),
    );
    if (recurred) notEffective.push(listed);
  }
  policy ??= requirePolicy(undefined, context, 'riskFeedback');
  measureIn(policy);
  const header = context.header;
  return {
    kind: 'risk-feedback',
    tenant: header === null ? null : { id: header.tenant.id, organisation: header.tenant.organisation },
    policy: { id: policy.id, version: policy.version, name: policy.name, timeZone: policy.timeZone },
    asOf: isoInstant(asOf),
    withinDays: parsed.withinDays,
    moreThan: parsed.moreThan,
    since: isoInstant(since),
    countBy: parsed.countBy,
    findingsInWindow: counted,
    requirements: requirements.over(parsed.moreThan, (key) => key),
    causeCategories: causes.over(parsed.moreThan, (key) => labelOf(CAUSE_CATEGORY_LABELS, key)),
    notEffective: notEffective.sort((a, b) => compareReferences(a.reference, b.reference)).slice(0, parsed.listLimit),
  };
}
