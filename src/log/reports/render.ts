import { escapeHtml, escapeMarkdown } from './escape.js';
import { labelOf, STATUS_LABELS } from './labels.js';
import type { DurationStats, RecurringGroup, ReportBreakdown } from './counters.js';
import type { ManagementReview } from './management-review.js';
import type { ReportFinding } from './report-finding.js';
import type { RecurrenceGroup, RiskFeedback } from './risk-feedback.js';
import { REPORT_STYLE } from './style.js';
import { barChart, COLORS, columnChart } from './svg.js';
import { asOfDay, effectivenessSentence, plural, reviewMeta, riskMeta } from './wording.js';

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
    [...(org === null ? [] : [`**${escapeMarkdown(org)}**`]), ...reviewMeta(report).map(escapeMarkdown)].join(' · '),
    '## Key figures',
    mdTable(['Figure', 'Value'], reviewFigures(report).map(([, label, value]) => [label, value])),
    escapeMarkdown(effectivenessSentence(report)),
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
    ...(report.overdueFindingsOmitted > 0 ? [`${plural(report.overdueFindingsOmitted, 'more overdue finding')} not listed.`] : []),
  ];
  return parts.join('\n\n');
}

function riskGroupsMarkdown(groups: readonly RecurrenceGroup[], what: string, report: RiskFeedback): string {
  if (groups.length === 0) return `No ${what} recurred more than ${report.moreThan} times.`;
  return groups
    .map((group) =>
      [
        `### ${escapeMarkdown(group.label)}: ${plural(group.count, 'finding')} (${group.open} open)`,
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
    [...(org === null ? [] : [`**${escapeMarkdown(org)}**`]), ...riskMeta(report).map(escapeMarkdown)].join(' · '),
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

/**
 * A table. A cell given as lines shows the first as the cell's text and the others under
 * it, smaller. `freeText` columns (titles, names) may break anywhere, so no word pushes
 * the table past the margin; `widths` (percentages) fix the columns' widths, so a long
 * text wraps in its own column instead of squeezing the others.
 */
function htmlTable(
  head: readonly string[],
  rows: readonly (readonly (string | readonly string[])[])[],
  layout: { className?: string; freeText?: readonly number[]; widths?: readonly number[] } = {},
): string {
  const { className = '', freeText = [], widths } = layout;
  const th = head.map((cell) => `<th scope="col">${escapeHtml(cell)}</th>`).join('');
  const content = (cell: string | readonly string[]) =>
    typeof cell === 'string' ? escapeHtml(cell) : cell.map((line, index) => (index === 0 ? escapeHtml(line) : `<span class="sub">${escapeHtml(line)}</span>`)).join('');
  const td = (cell: string | readonly string[], index: number) =>
    typeof cell === 'string' && /^\d{4}-\d{2}(-\d{2})?$/.test(cell) ? `<td class="date">${escapeHtml(cell)}</td>` : `<td${freeText.includes(index) ? ' class="text"' : ''}>${content(cell)}</td>`;
  const body = rows.map((row) => `<tr>${row.map((cell, index) => (index === 0 ? `<th scope="row">${content(cell)}</th>` : td(cell, index))).join('')}</tr>`).join('');
  const cols = widths === undefined ? '' : `<colgroup>${widths.map((width) => `<col style="width:${width}%">`).join('')}</colgroup>`;
  return `<table${className === '' ? '' : ` class="${className}"`}>${cols}<thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

/** A report's header line: the organisation in bold, then the parts, escaped. */
const htmlMeta = (org: string | null, parts: readonly string[]) =>
  `<p class="meta">${[...(org === null ? [] : [`<strong>${escapeHtml(org)}</strong>`]), ...parts.map(escapeHtml)].join(' · ')}</p>`;

const figure = (svg: string, caption: string, table: string) =>
  `<figure>${svg}<figcaption>${escapeHtml(caption)}</figcaption><details><summary>Data</summary>${table}</details></figure>`;

function findingsTable(findings: readonly ReportFinding[], withOverdue: boolean): string {
  return htmlTable(
    // Seven columns at most, so a portrait page holds them: the requirement goes under the title.
    ['Reference', 'Title and requirement', 'Grade', 'Status', 'Owner', 'Due', ...(withOverdue ? ['Days overdue'] : [])],
    findings.map((f) => [
      f.reference,
      [f.title, f.requirement],
      f.gradeLabel,
      labelOf(STATUS_LABELS, f.status),
      f.owner,
      f.dueDate ?? '–',
      ...(withOverdue ? [String(f.daysOverdue)] : []),
    ]),
    { className: 'findings', freeText: [1, 4], widths: withOverdue ? [14, 28, 14, 13, 11, 11, 9] : [14, 37, 14, 13, 11, 11] },
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
    description: `Open and overdue findings by grade as of ${asOfDay(report)}.`,
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
    description: `Findings open as of ${asOfDay(report)}, and ${raisedWord.toLowerCase()} in the period, by source.`,
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
    htmlMeta(org, reviewMeta(report)),
    `<dl class="figures">${figures}</dl>`,
    `<p>${escapeHtml(effectivenessSentence(report))}</p>`,
    `<h2>Trend by month</h2>`,
    figure(trend, `${raisedWord} and closed per month; open and overdue at each month's end.`, htmlTable(['Month', raisedWord, 'Closed', 'Open at end', 'Overdue at end'], report.trend.map((m) => [m.month, String(m.raised), String(m.closed), String(m.openAtEnd), String(m.overdueAtEnd)]))),
    `<h2>By grade</h2>`,
    figure(
      byGrade,
      `Open and overdue as of ${asOfDay(report)}, by grade.`,
      htmlTable(['Grade', 'Open', 'Overdue', raisedWord, 'Closed'], grades.map((g, i) => [g.label, String(g.count), String(report.overdue.byGrade[i]?.count ?? 0), String(report.raised.byGrade[i]?.count ?? 0), String(report.closed.byGrade[i]?.count ?? 0)])),
    ),
    `<h2>By source</h2>`,
    figure(
      bySource,
      `Open as of ${asOfDay(report)} and ${raisedWord.toLowerCase()} in the period, by source.`,
      htmlTable(['Source', 'Open', 'Overdue', raisedWord, 'Closed'], report.open.bySource.map((s, i) => [s.label, String(s.count), String(report.overdue.bySource[i]?.count ?? 0), String(report.raised.bySource[i]?.count ?? 0), String(report.closed.bySource[i]?.count ?? 0)])),
    ),
    `<h2>Time to close</h2>`,
    figure(
      timeToClose,
      `Days to close, for the ${plural(report.timeToClose.count, 'finding')} closed in the period (all grades: mean ${days(report.timeToClose.meanDays)}, 90th percentile ${days(report.timeToClose.p90Days)}).`,
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
    report.overdueFindingsOmitted > 0 ? `<p>${escapeHtml(plural(report.overdueFindingsOmitted, 'more overdue finding'))} not listed.</p>` : '',
    `</section>`,
  ].join('\n');
}

function riskHtml(report: RiskFeedback): string {
  const org = organisation(report);
  const chart = (id: string, title: string, groups: readonly RecurrenceGroup[]) =>
    barChart({
      id,
      title,
      description: `${title}: findings per group in the ${plural(report.withinDays, 'day')} to ${asOfDay(report)}, above the threshold of ${report.moreThan}.`,
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
              `<h3>${escapeHtml(`${g.label}: ${plural(g.count, 'finding')} (${g.open} open)`)}</h3>${findingsTable(g.findings, false)}${g.findingsOmitted > 0 ? `<p>${g.findingsOmitted} more not listed.</p>` : ''}`,
          )
          .join('\n');
  return [
    `<section class="report" data-report="risk-feedback">`,
    `<h1>${escapeHtml(kindTitle(report))}</h1>`,
    htmlMeta(org, riskMeta(report)),
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
    `<style>${REPORT_STYLE}</style>`,
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
