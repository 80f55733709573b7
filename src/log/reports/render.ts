import { escapeHtml, escapeMarkdown } from './escape.js';
import { labelOf, STATUS_LABELS } from './labels.js';
import type { DurationStats, ManagementReview, RecurringGroup, ReportBreakdown, ReportFinding } from './management-review.js';
import type { RecurrenceGroup, RiskFeedback } from './risk-feedback.js';
import { barChart, COLORS, columnChart } from './svg.js';

/**
 * A report {@link renderReportHtml} and {@link renderReportMarkdown} render.
 *
 * @example
 * ```ts
 * import type { LogReport } from 'capa-kit/log';
 *
 * const title = (report: LogReport) => (report.kind === 'management-review' ? 'Clause 9.3 input' : 'Clause 6 feedback');
 * ```
 */
export type LogReport = ManagementReview | RiskFeedback;

/**
 * Options of {@link renderReportHtml}.
 *
 * @example
 * ```ts
 * import type { RenderHtmlOptions } from 'capa-kit/log';
 *
 * const options: RenderHtmlOptions = { title: 'ISMS management review, H1 2026' };
 * ```
 */
export interface RenderHtmlOptions {
  /** The page title. Default: from the reports and the organisation. */
  readonly title?: string;
}

const percent = (rate: number | null) => (rate === null ? '–' : `${Math.round(rate * 100)}%`);
const days = (value: number | null) => (value === null ? '–' : `${value} d`);
const organisation = (report: LogReport) => report.tenant?.organisation ?? report.tenant?.id ?? null;
const kindTitle = (report: LogReport) =>
  report.kind === 'management-review' ? 'Management review input (ISO/IEC 27001 Clause 9.3)' : 'Risk feedback (ISO/IEC 27001 Clause 6)';
const date = (instant: string) => instant.slice(0, 10);

/** The key figures of a management review, in reading order: [key, label, value]. */
function reviewFigures(report: ManagementReview): [string, string, string][] {
  return [
    ['open', 'Open', String(report.open.total)],
    ['overdue', 'Overdue', String(report.overdue.total)],
    ['raised', report.countBy === 'raisedAt' ? 'Raised in period' : 'Detected in period', String(report.raised.total)],
    ['closed', 'Closed in period', String(report.closed.total)],
    ['mean-time-to-close', 'Mean time to close', days(report.timeToClose.meanDays)],
    ['p90-time-to-close', '90th percentile time to close', days(report.timeToClose.p90Days)],
    ['effectiveness', 'Effective on first review', percent(report.effectiveness.rate)],
    ['stale', 'Stale (no activity)', String(report.stale)],
  ];
}

// ---------------------------------------------------------------- Markdown

function mdTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(head.map(escapeMarkdown)), line(head.map(() => '---')), ...rows.map((row) => line(row.map(escapeMarkdown)))].join('\n');
}

function mdBreakdown(report: ManagementReview): string {
  const by = (pick: (b: ReportBreakdown) => readonly { key: string; label: string; count: number }[]) => {
    const base = pick(report.open);
    return base.map((row, index) => [
      row.label,
      String(row.count),
      String(pick(report.overdue)[index]?.count ?? 0),
      String(pick(report.raised)[index]?.count ?? 0),
      String(pick(report.closed)[index]?.count ?? 0),
    ]);
  };
  const head = ['', 'Open', 'Overdue', report.countBy === 'raisedAt' ? 'Raised' : 'Detected', 'Closed'];
  return `### By grade\n\n${mdTable(['Grade', ...head.slice(1)], by((b) => b.byGrade))}\n\n### By source\n\n${mdTable(['Source', ...head.slice(1)], by((b) => b.bySource))}`;
}

const mdGroups = (groups: readonly RecurringGroup[], what: string) =>
  groups.length === 0 ? `No ${what} recurred.` : mdTable([what === 'requirement' ? 'Requirement' : 'Cause category', 'Findings', 'References'], groups.map((g) => [g.label, String(g.count), g.references.join(', ')]));

const mdFindings = (findings: readonly ReportFinding[], withOverdue: boolean) =>
  mdTable(
    ['Reference', 'Title', 'Grade', 'Status', 'Owner', 'Due', ...(withOverdue ? ['Days overdue'] : [])],
    findings.map((f) => [f.reference, f.title, f.gradeLabel, labelOf(STATUS_LABELS, f.status), f.owner, f.dueDate ?? '–', ...(withOverdue ? [String(f.daysOverdue)] : [])]),
  );

function reviewMarkdown(report: ManagementReview): string {
  const org = organisation(report);
  const parts = [
    `# ${escapeMarkdown(kindTitle(report))}`,
    `${org === null ? '' : `**${escapeMarkdown(org)}** · `}Period ${report.period.from} to ${report.period.to} · as of ${escapeMarkdown(report.asOf)} · policy ${escapeMarkdown(`${report.policy.name} (${report.policy.id} ${report.policy.version})`)}`,
    '## Key figures',
    mdTable(['Figure', 'Value'], reviewFigures(report).map(([, label, value]) => [label, value])),
    `Effectiveness: ${report.effectiveness.effectiveFirst} of ${report.effectiveness.firstReviews} first reviews found the actions effective; ${report.effectiveness.notEffectiveReviews} review(s) in the period found them not effective. Rejected in the period: ${report.rejected}.`,
    '## Open, overdue, raised and closed',
    mdBreakdown(report),
    '## Time to close',
    mdTable(
      ['Grade', 'Closed', 'Mean', 'Median', '90th percentile'],
      [
        ...report.timeToClose.byGrade.map((g) => [g.label, String(g.count), days(g.meanDays), days(g.medianDays), days(g.p90Days)]),
        ['All grades', String(report.timeToClose.count), days(report.timeToClose.meanDays), days(report.timeToClose.medianDays), days(report.timeToClose.p90Days)],
      ],
    ),
    '## Trend by month',
    mdTable(
      ['Month', report.countBy === 'raisedAt' ? 'Raised' : 'Detected', 'Closed', 'Open at end', 'Overdue at end'],
      report.trend.map((m) => [m.month, String(m.raised), String(m.closed), String(m.openAtEnd), String(m.overdueAtEnd)]),
    ),
    `## Recurring requirements (${report.recurring.atLeast} or more findings)`,
    mdGroups(report.recurring.requirements, 'requirement'),
    `## Recurring root cause categories (${report.recurring.atLeast} or more findings)`,
    mdGroups(report.recurring.causeCategories, 'cause category'),
    `## Overdue findings (${report.overdue.total})`,
    report.overdueFindings.length === 0 ? 'None.' : mdFindings(report.overdueFindings, true),
    ...(report.overdueFindingsOmitted > 0 ? [`${report.overdueFindingsOmitted} more overdue finding(s) not listed.`] : []),
  ];
  return parts.join('\n\n');
}

function riskGroupsMarkdown(groups: readonly RecurrenceGroup[], what: string, report: RiskFeedback): string {
  if (groups.length === 0) return `No ${what} recurred more than ${report.moreThan} times.`;
  return groups
    .map((group) =>
      [
        `### ${escapeMarkdown(group.label)}: ${group.count} findings (${group.open} open)`,
        mdFindings(group.findings, false),
        ...(group.findingsOmitted > 0 ? [`${group.findingsOmitted} more not listed.`] : []),
      ].join('\n\n'),
    )
    .join('\n\n');
}

function riskMarkdown(report: RiskFeedback): string {
  const org = organisation(report);
  return [
    `# ${escapeMarkdown(kindTitle(report))}`,
    `${org === null ? '' : `**${escapeMarkdown(org)}** · `}${report.findingsInWindow} findings ${report.countBy === 'raisedAt' ? 'raised' : 'detected'} from ${date(report.since)} to ${date(report.asOf)} (${report.withinDays} days) · threshold: more than ${report.moreThan} · policy ${escapeMarkdown(`${report.policy.id} ${report.policy.version}`)}`,
    '## Recurring requirements',
    riskGroupsMarkdown(report.requirements, 'requirement', report),
    '## Recurring root cause categories',
    riskGroupsMarkdown(report.causeCategories, 'cause category', report),
    '## Corrective actions found not effective, or findings reopened',
    report.notEffective.length === 0 ? 'None.' : mdFindings(report.notEffective, false),
  ].join('\n\n');
}

/**
 * Renders a report, or several, as Markdown (CommonMark with GitHub tables). Every piece of
 * text from the log is escaped: a title cannot add HTML, links or table cells.
 *
 * @example
 * ```ts
 * import { managementReview, renderReportMarkdown, type LogInput } from 'capa-kit/log';
 *
 * declare const log: LogInput;
 * const markdown = renderReportMarkdown(await managementReview(log, { from: '2026-01-01', to: '2026-06-30' }));
 * ```
 */
export function renderReportMarkdown(reports: LogReport | readonly LogReport[]): string {
  const list: readonly LogReport[] = Array.isArray(reports) ? reports : [reports as LogReport];
  return `${list.map((report) => (report.kind === 'management-review' ? reviewMarkdown(report) : riskMarkdown(report))).join('\n\n---\n\n')}\n`;
}

// ---------------------------------------------------------------- HTML

function htmlTable(head: readonly string[], rows: readonly (readonly string[])[], className = ''): string {
  const th = head.map((cell) => `<th scope="col">${escapeHtml(cell)}</th>`).join('');
  const td = (cell: string) => (/^\d{4}-\d{2}(-\d{2})?$/.test(cell) ? `<td class="date">${escapeHtml(cell)}</td>` : `<td>${escapeHtml(cell)}</td>`);
  const body = rows.map((row) => `<tr>${row.map((cell, index) => (index === 0 ? `<th scope="row">${escapeHtml(cell)}</th>` : td(cell))).join('')}</tr>`).join('');
  return `<table${className === '' ? '' : ` class="${className}"`}><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

const figure = (svg: string, caption: string, table: string) =>
  `<figure>${svg}<figcaption>${escapeHtml(caption)}</figcaption><details><summary>Data</summary>${table}</details></figure>`;

function findingsTable(findings: readonly ReportFinding[], withOverdue: boolean): string {
  return htmlTable(
    ['Reference', 'Title', 'Grade', 'Status', 'Owner', 'Requirement', 'Due', ...(withOverdue ? ['Days overdue'] : [])],
    findings.map((f) => [
      f.reference,
      f.title,
      f.gradeLabel,
      labelOf(STATUS_LABELS, f.status),
      f.owner,
      f.requirement,
      f.dueDate ?? '–',
      ...(withOverdue ? [String(f.daysOverdue)] : []),
    ]),
    'findings',
  );
}

function durationRows(report: ManagementReview): { label: string; stats: DurationStats }[] {
  return report.timeToClose.byGrade.map((g) => ({ label: g.label, stats: g }));
}

function reviewHtml(report: ManagementReview): string {
  const raisedWord = report.countBy === 'raisedAt' ? 'Raised' : 'Detected';
  const figures = reviewFigures(report)
    .map(([key, label, value]) => `<div class="figure"><dt>${escapeHtml(label)}</dt><dd data-figure="${key}">${escapeHtml(value)}</dd></div>`)
    .join('');
  const months = report.trend.map((m) => m.month);
  const trend = columnChart({
    id: 'trend',
    title: 'Trend by month',
    description: `${raisedWord} and closed findings per month, with open and overdue findings at each month's end.`,
    categories: months,
    series: [
      { name: raisedWord, color: COLORS.blue, values: report.trend.map((m) => m.raised) },
      { name: 'Closed', color: COLORS.green, values: report.trend.map((m) => m.closed) },
      { name: 'Open at month end', color: COLORS.purple, values: report.trend.map((m) => m.openAtEnd), line: true },
      { name: 'Overdue at month end', color: COLORS.red, values: report.trend.map((m) => m.overdueAtEnd), line: true, dashed: true },
    ],
  });
  const grades = report.open.byGrade;
  const byGrade = barChart({
    id: 'open-by-grade',
    title: 'Open and overdue by grade',
    description: `Open and overdue findings by grade as of ${report.asOf}.`,
    categories: grades.map((g) => g.label),
    series: [
      { name: 'Open', color: COLORS.blue, values: grades.map((g) => g.count) },
      { name: 'Overdue', color: COLORS.red, values: report.overdue.byGrade.map((g) => g.count) },
    ],
  });
  const sources = report.open.bySource.map((s, index) => ({ open: s, raised: report.raised.bySource[index]! })).filter((s) => s.open.count > 0 || s.raised.count > 0);
  const bySource = barChart({
    id: 'by-source',
    title: `Open and ${raisedWord.toLowerCase()} by source`,
    description: `Findings open as of ${report.asOf}, and ${raisedWord.toLowerCase()} in the period, by source.`,
    categories: sources.map((s) => s.open.label),
    series: [
      { name: 'Open', color: COLORS.blue, values: sources.map((s) => s.open.count) },
      { name: `${raisedWord} in period`, color: COLORS.amber, values: sources.map((s) => s.raised.count) },
    ],
  });
  const durations = durationRows(report);
  const timeToClose = barChart({
    id: 'time-to-close',
    title: 'Time to close by grade (days)',
    description: `Mean and 90th percentile days from ${report.countBy === 'raisedAt' ? 'raising' : 'detection'} to closure, for findings closed in the period, by grade.`,
    categories: durations.map((d) => d.label),
    series: [
      { name: 'Mean', color: COLORS.green, values: durations.map((d) => d.stats.meanDays ?? 0) },
      { name: '90th percentile', color: COLORS.grey, values: durations.map((d) => d.stats.p90Days ?? 0) },
    ],
    unit: ' d',
  });
  const org = organisation(report);
  const groupsTable = (groups: readonly RecurringGroup[], head: string) =>
    groups.length === 0 ? '<p class="none">None recurred.</p>' : htmlTable([head, 'Findings', 'References'], groups.map((g) => [g.label, String(g.count), g.references.join(', ')]));
  return [
    `<section class="report" data-report="management-review">`,
    `<h1>${escapeHtml(kindTitle(report))}</h1>`,
    `<p class="meta">${org === null ? '' : `<strong>${escapeHtml(org)}</strong> · `}Period ${escapeHtml(report.period.from)} to ${escapeHtml(report.period.to)} · as of ${escapeHtml(report.asOf)} · policy ${escapeHtml(`${report.policy.name} (${report.policy.id} ${report.policy.version}, ${report.policy.timeZone})`)}</p>`,
    `<dl class="figures">${figures}</dl>`,
    `<p>${escapeHtml(`Effectiveness: ${report.effectiveness.effectiveFirst} of ${report.effectiveness.firstReviews} first reviews found the actions effective; ${report.effectiveness.notEffectiveReviews} review(s) in the period found them not effective. Rejected in the period: ${report.rejected}.`)}</p>`,
    `<h2>Trend by month</h2>`,
    figure(trend, `${raisedWord} and closed per month; open and overdue at each month's end.`, htmlTable(['Month', raisedWord, 'Closed', 'Open at end', 'Overdue at end'], report.trend.map((m) => [m.month, String(m.raised), String(m.closed), String(m.openAtEnd), String(m.overdueAtEnd)]))),
    `<h2>By grade</h2>`,
    figure(
      byGrade,
      `Open and overdue as of ${date(report.asOf)}, by grade.`,
      htmlTable(['Grade', 'Open', 'Overdue', raisedWord, 'Closed'], grades.map((g, i) => [g.label, String(g.count), String(report.overdue.byGrade[i]?.count ?? 0), String(report.raised.byGrade[i]?.count ?? 0), String(report.closed.byGrade[i]?.count ?? 0)])),
    ),
    `<h2>By source</h2>`,
    figure(
      bySource,
      `Open as of ${date(report.asOf)} and ${raisedWord.toLowerCase()} in the period, by source.`,
      htmlTable(['Source', 'Open', 'Overdue', raisedWord, 'Closed'], report.open.bySource.map((s, i) => [s.label, String(s.count), String(report.overdue.bySource[i]?.count ?? 0), String(report.raised.bySource[i]?.count ?? 0), String(report.closed.bySource[i]?.count ?? 0)])),
    ),
    `<h2>Time to close</h2>`,
    figure(
      timeToClose,
      `Days to close, for the ${report.timeToClose.count} findings closed in the period (all grades: mean ${days(report.timeToClose.meanDays)}, 90th percentile ${days(report.timeToClose.p90Days)}).`,
      htmlTable(['Grade', 'Closed', 'Mean', 'Median', '90th percentile'], [
        ...durations.map((d) => [d.label, String(d.stats.count), days(d.stats.meanDays), days(d.stats.medianDays), days(d.stats.p90Days)]),
        ['All grades', String(report.timeToClose.count), days(report.timeToClose.meanDays), days(report.timeToClose.medianDays), days(report.timeToClose.p90Days)],
      ]),
    ),
    `<h2>Recurring requirements and causes</h2>`,
    `<p>Shared by ${report.recurring.atLeast} or more findings ${raisedWord.toLowerCase()} in the period.</p>`,
    `<h3>Requirements</h3>`,
    groupsTable(report.recurring.requirements, 'Requirement'),
    `<h3>Root cause categories</h3>`,
    groupsTable(report.recurring.causeCategories, 'Cause category'),
    `<h2>Overdue findings (${report.overdue.total})</h2>`,
    report.overdueFindings.length === 0 ? '<p class="none">None.</p>' : findingsTable(report.overdueFindings, true),
    report.overdueFindingsOmitted > 0 ? `<p>${report.overdueFindingsOmitted} more overdue finding(s) not listed.</p>` : '',
    `</section>`,
  ].join('\n');
}

function riskHtml(report: RiskFeedback): string {
  const org = organisation(report);
  const chart = (id: string, title: string, groups: readonly RecurrenceGroup[]) =>
    barChart({
      id,
      title,
      description: `${title}: findings per group in the ${report.withinDays} days to ${date(report.asOf)}, above the threshold of ${report.moreThan}.`,
      categories: groups.map((g) => g.label),
      series: [
        { name: 'Findings', color: COLORS.amber, values: groups.map((g) => g.count) },
        { name: 'Still open', color: COLORS.blue, values: groups.map((g) => g.open) },
      ],
      threshold: { value: report.moreThan, label: `threshold ${report.moreThan}` },
    });
  const groupsHtml = (groups: readonly RecurrenceGroup[]) =>
    groups.length === 0
      ? `<p class="none">Nothing recurred more than ${report.moreThan} times.</p>`
      : groups
          .map(
            (g) =>
              `<h3>${escapeHtml(g.label)}: ${g.count} findings (${g.open} open)</h3>${findingsTable(g.findings, false)}${g.findingsOmitted > 0 ? `<p>${g.findingsOmitted} more not listed.</p>` : ''}`,
          )
          .join('\n');
  return [
    `<section class="report" data-report="risk-feedback">`,
    `<h1>${escapeHtml(kindTitle(report))}</h1>`,
    `<p class="meta">${org === null ? '' : `<strong>${escapeHtml(org)}</strong> · `}${escapeHtml(`${report.findingsInWindow} findings ${report.countBy === 'raisedAt' ? 'raised' : 'detected'} from ${date(report.since)} to ${date(report.asOf)} (${report.withinDays} days) · threshold: more than ${report.moreThan} · policy ${report.policy.id} ${report.policy.version}`)}</p>`,
    `<dl class="figures"><div class="figure"><dt>Findings in window</dt><dd data-figure="in-window">${report.findingsInWindow}</dd></div><div class="figure"><dt>Recurring requirements</dt><dd data-figure="recurring-requirements">${report.requirements.length}</dd></div><div class="figure"><dt>Recurring cause categories</dt><dd data-figure="recurring-causes">${report.causeCategories.length}</dd></div><div class="figure"><dt>Not effective or reopened</dt><dd data-figure="not-effective">${report.notEffective.length}</dd></div></dl>`,
    `<h2>Recurring requirements</h2>`,
    figure(chart('recurring-requirements', 'Recurring requirements', report.requirements), 'Requirements breached more often than the threshold.', htmlTable(['Requirement', 'Findings', 'Open'], report.requirements.map((g) => [g.label, String(g.count), String(g.open)]))),
    groupsHtml(report.requirements),
    `<h2>Recurring root cause categories</h2>`,
    figure(chart('recurring-causes', 'Recurring root cause categories', report.causeCategories), 'Root cause categories found more often than the threshold.', htmlTable(['Cause category', 'Findings', 'Open'], report.causeCategories.map((g) => [g.label, String(g.count), String(g.open)]))),
    groupsHtml(report.causeCategories),
    `<h2>Corrective actions found not effective, or findings reopened</h2>`,
    report.notEffective.length === 0 ? '<p class="none">None.</p>' : findingsTable(report.notEffective, false),
    `</section>`,
  ].join('\n');
}

const STYLE = `
:root{color-scheme:light;--ink:#111827;--muted:#4b5563;--line:#e5e7eb}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff}
main{max-width:1000px;margin:0 auto;padding:24px}
h1{font-size:1.6rem;margin:0 0 4px}h2{font-size:1.2rem;margin:28px 0 8px;border-bottom:1px solid var(--line)}h3{font-size:1rem;margin:18px 0 6px}
.meta{color:var(--muted);margin:0 0 16px}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px;margin:0 0 12px}
.figure{border:1px solid var(--line);border-radius:6px;padding:8px 12px}
.figure dt{color:var(--muted);font-size:.85rem}.figure dd{margin:0;font-size:1.5rem;font-weight:600}
figure{margin:8px 0 16px}figcaption{color:var(--muted);font-size:.9rem}
svg.chart{max-width:100%;height:auto;display:block}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:.9rem}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:break-word}
table.findings th:first-child,td.date{white-space:nowrap}
thead th{background:#f3f4f6}
.report+.report{margin-top:48px;border-top:3px solid var(--line);padding-top:24px}
details summary{cursor:pointer;color:var(--muted);font-size:.9rem}
@media print{details{display:none}main{max-width:none}}
`;

/**
 * Renders a report, or several (a management review pack), as one self-contained HTML
 * page: inline CSS, charts as inline SVG with their data in a table, no script, nothing
 * fetched (a Content-Security-Policy of `default-src 'none'` says so to the browser). All
 * text from the log is escaped.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import { managementReview, riskFeedback, renderReportHtml, type LogInput } from 'capa-kit/log';
 *
 * declare const openLog: () => LogInput;
 * const review = await managementReview(openLog(), { from: '2026-01-01', to: '2026-06-30' });
 * const risk = await riskFeedback(openLog(), { asOf: review.asOf, withinDays: 365, moreThan: 2 });
 * await writeFile('management-review.html', renderReportHtml([review, risk]));
 * ```
 */
export function renderReportHtml(reports: LogReport | readonly LogReport[], options: RenderHtmlOptions = {}): string {
  const list: readonly LogReport[] = Array.isArray(reports) ? reports : [reports as LogReport];
  const first = list[0];
  const org = first === undefined ? null : organisation(first);
  const title = options.title ?? [list.map(kindTitle).join(' and '), org].filter((part) => part !== null && part !== '').join(' · ');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="capa-kit">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...list.map((report) => (report.kind === 'management-review' ? reviewHtml(report) : riskHtml(report))),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
