import * as z from 'zod';
import { findGrade } from '../../policies/grade.js';
import { FINDING_SOURCES } from '../../schemas/finding.js';
import { parseRecord } from '../../schemas/parse.js';
import { CalendarDate, Instant } from '../../schemas/primitives.js';
import { requirementKey } from '../../schemas/requirement-ref.js';
import type { SeverityPolicy } from '../../schemas/severity-policy.js';
import type { LoggedFinding } from '../format/lines.js';
import { CAUSE_CATEGORY_LABELS, gradeLabel, labelOf, SOURCE_LABELS } from './labels.js';
import { type LogInput, recordLines, type SourceContext } from './source.js';
import { DAY_MS, dateOf, dateParts, daysBetweenDates, endOfMonth, isoInstant, monthsBetween, startOfDay } from './time.js';
import { type Standing, type Timeline, timelineOf } from './timeline.js';

/**
 * One bar of a breakdown: a grade, a source or a category, its label and how many.
 *
 * @example
 * ```ts
 * import type { ReportCount } from 'capa-kit/log';
 *
 * const row = (count: ReportCount) => `${count.label}: ${count.count}`;
 * ```
 */
export interface ReportCount {
  readonly key: string;
  readonly label: string;
  readonly count: number;
}

/**
 * A count of findings, split by grade (every grade of the policy, in its order) and by
 * source (every source kind).
 *
 * @example
 * ```ts
 * import type { ReportBreakdown } from 'capa-kit/log';
 *
 * const majors = (breakdown: ReportBreakdown) => breakdown.byGrade.find((g) => g.key === 'major')?.count ?? 0;
 * ```
 */
export interface ReportBreakdown {
  readonly total: number;
  readonly byGrade: readonly ReportCount[];
  readonly bySource: readonly ReportCount[];
}

/**
 * Times to close, in days (one decimal): how many closures, their mean, median and 90th
 * percentile (nearest rank); `null` when nothing closed.
 *
 * @example
 * ```ts
 * import type { DurationStats } from 'capa-kit/log';
 *
 * const line = (d: DurationStats) => d.count === 0 ? 'none closed' : `mean ${d.meanDays} d, p90 ${d.p90Days} d`;
 * ```
 */
export interface DurationStats {
  readonly count: number;
  readonly meanDays: number | null;
  readonly medianDays: number | null;
  readonly p90Days: number | null;
}

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

/**
 * Findings sharing a requirement or a root cause category: the key, its label, how many,
 * and the references of the first 20 (in log order).
 *
 * @example
 * ```ts
 * import type { RecurringGroup } from 'capa-kit/log';
 *
 * const line = (group: RecurringGroup) => `${group.label}: ${group.count} (${group.references.join(', ')})`;
 * ```
 */
export interface RecurringGroup {
  readonly key: string;
  readonly label: string;
  readonly count: number;
  readonly references: readonly string[];
}

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
  /** Requirements and root cause categories shared by at least `recurringAtLeast` findings raised in the period. */
  readonly recurring: { readonly atLeast: number; readonly requirements: readonly RecurringGroup[]; readonly causeCategories: readonly RecurringGroup[] };
  readonly trend: readonly MonthTrend[];
  /** The most overdue open findings at `asOf`, most overdue first, up to `listLimit`. */
  readonly overdueFindings: readonly ReportFinding[];
  /** Overdue findings left out of `overdueFindings` by `listLimit`. */
  readonly overdueFindingsOmitted: number;
}

const ManagementReviewOptionsSchema = z
  .strictObject({
    from: CalendarDate,
    to: CalendarDate,
    asOf: Instant.optional(),
    policy: z.custom<SeverityPolicy>((value) => typeof value === 'object' && value !== null, { error: 'Must be a severity policy' }).optional(),
    countBy: z.enum(['raisedAt', 'detectedAt']).default('raisedAt'),
    recurringAtLeast: z.int().min(2).max(100_000).default(2),
    listLimit: z.int().min(0).max(100_000).default(50),
  })
  .refine((options) => options.from <= options.to, { error: 'The period must not end before it starts', path: ['to'] });

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
  /** First day of the period (`YYYY-MM-DD`, policy time zone). */
  readonly from: string;
  /** Last day of the period, inclusive. */
  readonly to: string;
  /** When open, overdue and stale are measured. Default: the end of `to`. */
  readonly asOf?: string;
  /** The policy for grades, deadlines and time zone. Default: the one in the log's header. */
  readonly policy?: SeverityPolicy;
  /** Count findings from when they were raised (default) or detected. */
  readonly countBy?: CountBy;
  /** How many findings make a requirement or cause recurring (default 2). */
  readonly recurringAtLeast?: number;
  /** How many overdue findings to list (default 50). */
  readonly listLimit?: number;
}

/** The policy a report applies: the caller's, else the log header's. */
export function requirePolicy(given: SeverityPolicy | undefined, context: SourceContext, report: string): SeverityPolicy {
  const policy = given ?? context.header?.policy;
  if (policy === undefined) {
    throw new TypeError(`${report}: no severity policy. Pass options.policy, or read a log that starts with its header line.`);
  }
  return policy;
}

/** Counts by grade and by source, in a stable order. */
class BreakdownCounter {
  total = 0;
  private readonly grades = new Map<string, number>();
  private readonly sources = new Map<string, number>();
  add(grade: string, source: string): void {
    this.total += 1;
    this.grades.set(grade, (this.grades.get(grade) ?? 0) + 1);
    this.sources.set(source, (this.sources.get(source) ?? 0) + 1);
  }
  result(policy: SeverityPolicy): ReportBreakdown {
    const gradeKeys = [...policy.grades.map((grade) => grade.id), ...[...this.grades.keys()].filter((grade) => findGrade(policy, grade) === undefined).sort()];
    const sourceKeys = [...FINDING_SOURCES, ...[...this.sources.keys()].filter((source) => !(FINDING_SOURCES as readonly string[]).includes(source)).sort()];
    return {
      total: this.total,
      byGrade: gradeKeys.map((key) => ({ key, label: gradeLabel(policy, key), count: this.grades.get(key) ?? 0 })),
      bySource: sourceKeys.map((key) => ({ key, label: labelOf(SOURCE_LABELS, key), count: this.sources.get(key) ?? 0 })),
    };
  }
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** Mean, median and nearest-rank 90th percentile of durations in days. */
export function durationStats(days: readonly number[]): DurationStats {
  if (days.length === 0) return { count: 0, meanDays: null, medianDays: null, p90Days: null };
  const sorted = [...days].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
  return {
    count: sorted.length,
    meanDays: round1(sorted.reduce((sum, value) => sum + value, 0) / sorted.length),
    medianDays: round1(rank(0.5)),
    p90Days: round1(rank(0.9)),
  };
}

/** Counts findings by a key, keeping the first references of each. */
export class GroupCounter {
  private readonly groups = new Map<string, { count: number; references: string[] }>();
  constructor(private readonly keep = 20) {}
  add(key: string, reference: string): void {
    let group = this.groups.get(key);
    if (group === undefined) {
      group = { count: 0, references: [] };
      this.groups.set(key, group);
    }
    group.count += 1;
    if (group.references.length < this.keep) group.references.push(reference);
  }
  atLeast(minimum: number, label: (key: string) => string): RecurringGroup[] {
    return [...this.groups.entries()]
      .filter(([, group]) => group.count >= minimum)
      .map(([key, group]) => ({ key, label: label(key), count: group.count, references: group.references }))
      .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
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

const nextDay = (date: string): string => {
  const [year, month, day] = dateParts(date);
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
};

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
    overdueList.sort((a, b) => b.daysOverdue - a.daysOverdue || (a.reference < b.reference ? -1 : 1));
    overdueList = overdueList.slice(0, parsed.listLimit);
  };

  const setUp = (chosen: SeverityPolicy) => {
    policy = chosen;
    zone = chosen.timeZone;
    fromStart = startOfDay(parsed.from, zone);
    const toEnd = startOfDay(nextDay(parsed.to), zone) - 1;
    asOf = parsed.asOf === undefined ? toEnd : Date.parse(parsed.asOf);
    periodEnd = Math.min(toEnd, asOf);
    asOfDate = dateOf(asOf, zone);
    months = monthsBetween(parsed.from, parsed.to).map((month) => {
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
      requirements.add(requirementKey(finding.requirement), finding.reference);
      if (finding.rootCause !== null) causes.add(finding.rootCause.category, finding.reference);
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
    period: { from: parsed.from, to: parsed.to },
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
