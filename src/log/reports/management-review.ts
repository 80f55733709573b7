import * as z from 'zod';
import { parseRecord } from '../../schemas/parse.js';
import { CalendarDate, Instant } from '../../schemas/primitives.js';
import { requirementKey } from '../../schemas/requirement-ref.js';
import type { SeverityPolicy } from '../../schemas/severity-policy.js';
import { BreakdownCounter, type DurationStats, durationStats, GroupCounter, type RecurringGroup, type ReportBreakdown } from './counters.js';
import { CAUSE_CATEGORY_LABELS, labelOf } from './labels.js';
import { resolvePeriod } from './period.js';
import { countsTowardRecurrence } from './recurrence.js';
import { compareReferences } from './references.js';
import { type CountBy, type ReportFinding, reportFinding, requirePolicy } from './report-finding.js';
import { type LogInput, recordLines, type SourceContext } from './source.js';
import { DAY_MS, dateOf, endOfMonth, isoInstant, monthsBetween } from './time.js';
import { type Timeline, timelineOf } from './timeline.js';

/**
 * One month of the trend: findings raised and closed in it, and open and overdue at its end.
 *
 * @example
 * ```ts
 * import type { MonthTrend } from 'capa-kit/log';
 *
 * const net = (month: MonthTrend) => month.raised - month.closed;
 * ```
 */
export interface MonthTrend {
  /** `YYYY-MM`, in the policy's time zone. */
  readonly month: string;
  readonly raised: number;
  readonly closed: number;
  readonly openAtEnd: number;
  readonly overdueAtEnd: number;
}

/**
 * The management review input of ISO/IEC 27001 Clause 9.3 (the status of nonconformities
 * and corrective actions, and their trends) for a period, as typed data: render it with
 * {@link renderReportMarkdown} or {@link renderReportHtml}, or serve it as JSON.
 *
 * @example
 * ```ts
 * import type { ManagementReview } from 'capa-kit/log';
 *
 * const headline = (r: ManagementReview) =>
 *   `${r.open.total} open (${r.overdue.total} overdue), ${r.closed.total} closed from ${r.period.from} to ${r.period.to}`;
 * ```
 */
export interface ManagementReview {
  readonly kind: 'management-review';
  readonly tenant: { readonly id: string; readonly organisation: string | null } | null;
  readonly policy: { readonly id: string; readonly version: string; readonly name: string; readonly timeZone: string };
  /** Calendar dates, inclusive, in the policy's time zone. */
  readonly period: { readonly from: string; readonly to: string };
  /** The instant open, overdue and stale are measured at. */
  readonly asOf: string;
  readonly countBy: CountBy;
  /** Findings raised (or detected, see `countBy`) in the period. */
  readonly raised: ReportBreakdown;
  /** Findings closed in the period and still closed at its end. */
  readonly closed: ReportBreakdown;
  /** Findings rejected in the period and still rejected at its end. */
  readonly rejected: number;
  /** Findings open at `asOf` (observations and OFIs included: they are open until closed). */
  readonly open: ReportBreakdown;
  /** Open findings past their due date at `asOf`. */
  readonly overdue: ReportBreakdown;
  /** Open findings with no activity for longer than the policy's `staleAfterDays` at `asOf`. */
  readonly stale: number;
  /** From `countBy` to closure, for the findings in `closed`. */
  readonly timeToClose: DurationStats & { readonly byGrade: readonly (DurationStats & { readonly grade: string; readonly label: string })[] };
  /** First effectiveness reviews made in the period, and how many found the actions effective. */
  readonly effectiveness: {
    readonly firstReviews: number;
    readonly effectiveFirst: number;
    /** `effectiveFirst / firstReviews`, or `null` with no first review in the period. */
    readonly rate: number | null;
    /** Every review in the period that found the actions not effective (each restarts an investigation). */
    readonly notEffectiveReviews: number;
  };
  /**
   * Requirements and root cause categories shared by at least `recurringAtLeast` findings
   * raised in the period. A finding rejected, or a conformity, at the end of the period
   * does not count (the rule the risk feedback applies too).
   */
  readonly recurring: { readonly atLeast: number; readonly requirements: readonly RecurringGroup[]; readonly causeCategories: readonly RecurringGroup[] };
  readonly trend: readonly MonthTrend[];
  /** The most overdue open findings at `asOf`, most overdue first, up to `listLimit`. */
  readonly overdueFindings: readonly ReportFinding[];
  /** Overdue findings left out of `overdueFindings` by `listLimit`. */
  readonly overdueFindingsOmitted: number;
}

const ManagementReviewOptionsSchema = z
  .strictObject({
    from: CalendarDate.optional(),
    to: CalendarDate.optional(),
    asOf: z.union([Instant, CalendarDate]).optional(),
    clock: z.custom<() => Date>((value) => typeof value === 'function', { error: 'Must be a function returning a Date' }).optional(),
    policy: z.custom<SeverityPolicy>((value) => typeof value === 'object' && value !== null, { error: 'Must be a severity policy' }).optional(),
    countBy: z.enum(['raisedAt', 'detectedAt']).default('raisedAt'),
    recurringAtLeast: z.int().min(2).max(100_000).default(2),
    listLimit: z.int().min(0).max(100_000).default(50),
  })
  .refine((options) => options.from === undefined || options.to === undefined || options.from <= options.to, { error: 'The period must not end before it starts', path: ['to'] });

/**
 * How {@link managementReview} reads a log.
 *
 * @example
 * ```ts
 * import type { ManagementReviewOptions } from 'capa-kit/log';
 *
 * const h1: ManagementReviewOptions = { from: '2026-01-01', to: '2026-06-30', asOf: '2026-07-01T08:00:00Z' };
 * ```
 */
export interface ManagementReviewOptions {
  /** First day of the period (`YYYY-MM-DD`, policy time zone). Default: the day after the same date a year before `to`. */
  readonly from?: string;
  /** Last day of the period, inclusive. Default: today (the clock's date in the policy's zone). */
  readonly to?: string;
  /**
   * When open, overdue and stale are measured: an ISO 8601 instant, or a date (`YYYY-MM-DD`:
   * the end of that day in the policy's zone). Default: the end of `to`, or now (the clock)
   * when that is earlier.
   */
  readonly asOf?: string;
  /** What "now" is for the defaults of `to` and `asOf`. Default: the system clock. */
  readonly clock?: () => Date;
  /** The policy for grades, deadlines and time zone. Default: the one in the log's header. */
  readonly policy?: SeverityPolicy;
  /** Count findings from when they were raised (default) or detected. */
  readonly countBy?: CountBy;
  /** How many findings make a requirement or cause recurring (default 2). */
  readonly recurringAtLeast?: number;
  /** How many overdue findings to list (default 50). */
  readonly listLimit?: number;
}

/**
 * Builds the management review input (ISO/IEC 27001 Clause 9.3) from a log, streaming:
 * each finding line is read once and dropped; only counters, one duration per closed
 * finding, the first references of each recurring group and the `listLimit` most overdue
 * findings are kept. Corrective-action lines are skipped.
 *
 * Each finding's standing at an instant comes from its history (raise, regrade, close,
 * reject, reopen), so a past period counts what was true then. Due dates are recomputed
 * from the grade the finding had then, under the policy. Findings raised after `asOf` do
 * not exist yet for the report.
 *
 * Without a period the review covers the twelve months up to today; it is measured at
 * the end of its period, or now when the period has not ended yet (see docs/reports.md).
 *
 * @example
 * ```ts
 * import { managementReview, renderReportMarkdown } from 'capa-kit/log';
 * import type { LoggedFinding } from 'capa-kit/log';
 * import { iso27001 } from 'capa-kit';
 *
 * declare const lines: Iterable<LoggedFinding>;
 * const review = await managementReview(lines, { from: '2026-01-01', to: '2026-06-30', policy: iso27001 });
 * console.log(renderReportMarkdown(review));
 * ```
 */
export async function managementReview(source: LogInput, options: ManagementReviewOptions): Promise<ManagementReview> {
  const parsed = parseRecord(ManagementReviewOptionsSchema, options, 'management review options');
  const context: SourceContext = { header: null };
  const lines = recordLines(source, context);

  let policy: SeverityPolicy | null = parsed.policy ?? null;
  let zone = 'UTC';
  let period = { from: '', to: '' };
  let fromStart = 0;
  let periodEnd = 0;
  let asOf = 0;
  let asOfDate = '';
  let months: { month: string; end: number; date: string }[] = [];
  const raised = new BreakdownCounter();
  const closed = new BreakdownCounter();
  const open = new BreakdownCounter();
  const overdue = new BreakdownCounter();
  let rejected = 0;
  let stale = 0;
  const durations: number[] = [];
  const durationsByGrade = new Map<string, number[]>();
  let firstReviews = 0;
  let effectiveFirst = 0;
  let notEffectiveReviews = 0;
  const requirements = new GroupCounter();
  const causes = new GroupCounter();
  const trend = new Map<string, { raised: number; closed: number; openAtEnd: number; overdueAtEnd: number }>();
  let overdueList: ReportFinding[] = [];
  const keepOverdue = () => {
    overdueList.sort((a, b) => b.daysOverdue - a.daysOverdue || compareReferences(a.reference, b.reference));
    overdueList = overdueList.slice(0, parsed.listLimit);
  };

  const setUp = (chosen: SeverityPolicy) => {
    policy = chosen;
    zone = chosen.timeZone;
    const resolved = resolvePeriod(parsed, zone, (parsed.clock ?? (() => new Date()))());
    period = { from: resolved.from, to: resolved.to };
    fromStart = resolved.fromStart;
    asOf = resolved.asOf;
    periodEnd = Math.min(resolved.toEnd, asOf);
    asOfDate = dateOf(asOf, zone);
    months = monthsBetween(resolved.from, resolved.to).map((month) => {
      const end = Math.min(endOfMonth(month, zone), periodEnd);
      return { month, end, date: dateOf(end, zone) };
    });
    for (const { month } of months) trend.set(month, { raised: 0, closed: 0, openAtEnd: 0, overdueAtEnd: 0 });
  };
  if (policy !== null) setUp(policy);

  const inPeriod = (at: number) => at >= fromStart && at <= periodEnd;
  const lastOf = (timeline: Timeline, type: string, until: number) => {
    let last: number | null = null;
    for (const event of timeline.events) if (event.type === type && event.at <= until) last = event.at;
    return last;
  };

  for await (const line of lines) {
    if (line.type !== 'finding') continue;
    if (policy === null) setUp(requirePolicy(undefined, context, 'managementReview'));
    const active = policy as unknown as SeverityPolicy;
    const { finding } = line;
    const timeline = timelineOf(line, active);
    if (timeline.raisedAt > asOf) continue;
    const base = parsed.countBy === 'raisedAt' ? timeline.raisedAt : timeline.detectedAt;
    const atEnd = timeline.at(periodEnd);
    const now = timeline.at(asOf);
    const source = finding.source.kind;

    if (inPeriod(base) && atEnd !== null) {
      raised.add(atEnd.grade, source);
      const bucket = trend.get(dateOf(base, zone).slice(0, 7));
      if (bucket !== undefined) bucket.raised += 1;
      if (countsTowardRecurrence(atEnd)) {
        requirements.add(requirementKey(finding.requirement), finding.reference);
        if (finding.rootCause !== null) causes.add(finding.rootCause.category, finding.reference);
      }
    }
    if (atEnd?.kind === 'closed') {
      const closedAt = lastOf(timeline, 'close', periodEnd);
      if (closedAt !== null && inPeriod(closedAt)) {
        closed.add(atEnd.grade, source);
        const days = Math.max(0, (closedAt - base) / DAY_MS);
        durations.push(days);
        const list = durationsByGrade.get(atEnd.grade) ?? [];
        list.push(days);
        durationsByGrade.set(atEnd.grade, list);
      }
    }
    if (atEnd?.kind === 'rejected') {
      const rejectedAt = lastOf(timeline, 'reject', periodEnd);
      if (rejectedAt !== null && inPeriod(rejectedAt)) rejected += 1;
    }
    if (now?.kind === 'open') {
      open.add(now.grade, source);
      if (now.dueDate !== null && now.dueDate < asOfDate) {
        overdue.add(now.grade, source);
        overdueList.push(reportFinding(line, active, now, asOfDate));
        if (overdueList.length > Math.max(2 * parsed.listLimit, 100)) keepOverdue();
      }
      if (asOf - now.lastActivity > active.staleAfterDays * DAY_MS) stale += 1;
    }
    const reviews = timeline.events.filter((event) => event.type === 'review' && event.at <= periodEnd);
    const first = reviews[0];
    if (first !== undefined && inPeriod(first.at)) {
      firstReviews += 1;
      if (first.result === 'effective') effectiveFirst += 1;
    }
    notEffectiveReviews += reviews.filter((review) => review.result === 'not-effective' && inPeriod(review.at)).length;

    for (const month of months) {
      const bucket = trend.get(month.month)!;
      const standing = timeline.at(month.end);
      if (standing === null) continue;
      if (standing.kind === 'closed') {
        const closedAt = lastOf(timeline, 'close', month.end);
        if (closedAt !== null && inPeriod(closedAt) && dateOf(closedAt, zone).startsWith(month.month)) bucket.closed += 1;
      }
      if (standing.kind === 'open') {
        bucket.openAtEnd += 1;
        if (standing.dueDate !== null && standing.dueDate < month.date) bucket.overdueAtEnd += 1;
      }
    }
  }

  if (policy === null) setUp(requirePolicy(undefined, context, 'managementReview'));
  const active = policy as unknown as SeverityPolicy;
  keepOverdue();
  const header = context.header;
  return {
    kind: 'management-review',
    tenant: header === null ? null : { id: header.tenant.id, organisation: header.tenant.organisation },
    policy: { id: active.id, version: active.version, name: active.name, timeZone: active.timeZone },
    period,
    asOf: isoInstant(asOf),
    countBy: parsed.countBy,
    raised: raised.result(active),
    closed: closed.result(active),
    rejected,
    open: open.result(active),
    overdue: overdue.result(active),
    stale,
    timeToClose: {
      ...durationStats(durations),
      byGrade: closed
        .result(active)
        .byGrade.filter((grade) => durationsByGrade.has(grade.key))
        .map((grade) => ({ grade: grade.key, label: grade.label, ...durationStats(durationsByGrade.get(grade.key)!) })),
    },
    effectiveness: {
      firstReviews,
      effectiveFirst,
      rate: firstReviews === 0 ? null : effectiveFirst / firstReviews,
      notEffectiveReviews,
    },
    recurring: {
      atLeast: parsed.recurringAtLeast,
      requirements: requirements.atLeast(parsed.recurringAtLeast, (key) => key),
      causeCategories: causes.atLeast(parsed.recurringAtLeast, (key) => labelOf(CAUSE_CATEGORY_LABELS, key)),
    },
    trend: months.map(({ month }) => ({ month, ...trend.get(month)! })),
    overdueFindings: overdueList,
    overdueFindingsOmitted: overdue.total - overdueList.length,
  };
}
