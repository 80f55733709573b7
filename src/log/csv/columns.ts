import { calendarDateIn } from '../../policies/due-date.js';
import { actionName } from '../../schemas/action-name.js';
import type { CorrectiveAction } from '../../schemas/corrective-action.js';
import type { Finding } from '../../schemas/finding.js';
import { requirementKey } from '../../schemas/requirement-ref.js';
import type { SeverityPolicy } from '../../schemas/severity-policy.js';
import { CAUSE_CATEGORY_LABELS, gradeLabel, labelOf, SOURCE_LABELS, STATUS_LABELS } from '../reports/labels.js';

/**
 * The columns of the CSV export, in their default order: what an auditor reads in a
 * Nonconformity and Corrective Action Log.
 *
 * @example
 * ```ts
 * import { CSV_COLUMN_IDS } from 'capa-kit/log';
 *
 * const short = CSV_COLUMN_IDS.filter((id) => !['description', 'observedEvidence'].includes(id));
 * ```
 */
export const CSV_COLUMN_IDS = [
  'reference',
  'title',
  'grade',
  'status',
  'source',
  'sourceReference',
  'requirement',
  'requirementTitle',
  'description',
  'observedEvidence',
  'process',
  'asset',
  'owner',
  'raisedBy',
  'detected',
  'raised',
  'due',
  'correction',
  'correctionDate',
  'rootCause',
  'causeCategory',
  'rcaMethod',
  'actionReferences',
  'actions',
  'actionOwners',
  'actionDueDates',
  'actionOutcomes',
  'actionStatus',
  'planApproved',
  'effectiveness',
  'closureEvidence',
  'closed',
  'rejection',
  'recurrences',
  'lastActivity',
] as const;

/**
 * A column of the CSV export.
 *
 * @example
 * ```ts
 * import type { CsvColumnId } from 'capa-kit/log';
 *
 * const columns: CsvColumnId[] = ['reference', 'title', 'grade', 'status', 'due'];
 * ```
 */
export type CsvColumnId = (typeof CSV_COLUMN_IDS)[number];

/**
 * A column: its id, the header the export writes, and what it holds.
 *
 * @example
 * ```ts
 * import { CSV_COLUMNS, type CsvColumn } from 'capa-kit/log';
 *
 * const due: CsvColumn | undefined = CSV_COLUMNS.find((column) => column.id === 'due');
 * ```
 */
export interface CsvColumn {
  readonly id: CsvColumnId;
  readonly header: string;
  readonly description: string;
}

/** What one row is built from. */
export interface RowInput {
  readonly finding: Finding;
  /** The finding's corrective actions in `correctiveActionIds` order; a string is an id not found in the log. */
  readonly actions: readonly (CorrectiveAction | string)[];
  readonly policy: SeverityPolicy | null;
  readonly timeZone: string;
}

const lines = (values: readonly string[]) => values.join('\n');
const date = (instant: string | null | undefined, zone: string) => (instant == null ? '' : calendarDateIn(instant, zone));
const perAction = (row: RowInput, cell: (action: CorrectiveAction) => string) =>
  lines(row.actions.map((action) => (typeof action === 'string' ? `(${action}: not in the log)` : cell(action))));

const DEFINITIONS: Readonly<Record<CsvColumnId, { header: string; description: string; cell: (row: RowInput) => string }>> = {
  reference: { header: 'Reference', description: 'The finding reference, e.g. NC-2026-0001.', cell: (r) => r.finding.reference },
  title: { header: 'Title', description: 'The finding title.', cell: (r) => r.finding.title },
  grade: { header: 'Grade', description: "The grade's label under the log's policy (its id when unknown).", cell: (r) => gradeLabel(r.policy, r.finding.grade) },
  status: { header: 'Status', description: 'Where the finding stands: Reported, Contained, Investigating, Planning, Awaiting approval, Implementing, Verifying, Closed, Monitoring, Logged, Rejected or Conformity.', cell: (r) => labelOf(STATUS_LABELS, r.finding.status) },
  source: { header: 'Source', description: 'Internal audit, External audit, KPI measurement, Management review, Incident review, Monitoring or Other.', cell: (r) => labelOf(SOURCE_LABELS, r.finding.source.kind) },
  sourceReference: { header: 'Source reference', description: "The source's reference, such as the audit id.", cell: (r) => r.finding.source.reference ?? '' },
  requirement: { header: 'Requirement', description: 'The requirement breached: framework and clause or control (ISO/IEC 27001:2022 A.5.18), or procedure, version and section.', cell: (r) => requirementKey(r.finding.requirement) },
  requirementTitle: { header: 'Requirement title', description: "The requirement's title, when recorded.", cell: (r) => r.finding.requirement.title ?? '' },
  description: { header: 'Description', description: 'The nonconformity.', cell: (r) => r.finding.description },
  observedEvidence: { header: 'Evidence observed', description: 'The objective evidence of the nonconformity.', cell: (r) => r.finding.observedEvidence },
  process: { header: 'Affected process', description: 'The affected process.', cell: (r) => r.finding.affected.process ?? '' },
  asset: { header: 'Affected asset', description: 'The affected asset.', cell: (r) => r.finding.affected.asset ?? '' },
  owner: { header: 'Owner', description: 'The person accountable for the finding.', cell: (r) => r.finding.owner.name },
  raisedBy: { header: 'Raised by', description: 'Who raised it.', cell: (r) => r.finding.raisedBy.name },
  detected: { header: 'Detected', description: 'The date it was detected (policy time zone).', cell: (r) => date(r.finding.detectedAt, r.timeZone) },
  raised: { header: 'Raised', description: 'The date it was raised in the register.', cell: (r) => date(r.finding.raisedAt, r.timeZone) },
  due: { header: 'Due', description: "The due date the policy's deadline gives its grade; empty when none.", cell: (r) => r.finding.dueDate ?? '' },
  correction: {
    header: 'Correction',
    description: 'The correction (the immediate fix), or "Not applicable: " and why.',
    cell: (r) => (r.finding.correction === null ? '' : r.finding.correction.kind === 'performed' ? r.finding.correction.description : `Not applicable: ${r.finding.correction.justification}`),
  },
  correctionDate: { header: 'Correction completed', description: 'The date the correction was completed.', cell: (r) => (r.finding.correction?.kind === 'performed' ? date(r.finding.correction.completedAt, r.timeZone) : '') },
  rootCause: { header: 'Root cause', description: 'The root cause statement.', cell: (r) => r.finding.rootCause?.statement ?? '' },
  causeCategory: { header: 'Cause category', description: 'Process, Training, Ownership, System or tooling, Resources, Supplier, Design or Other.', cell: (r) => (r.finding.rootCause === null ? '' : labelOf(CAUSE_CATEGORY_LABELS, r.finding.rootCause.category)) },
  rcaMethod: { header: 'RCA method', description: 'five-whys, fishbone, process-review, interview, cause-mapping or other.', cell: (r) => r.finding.rootCause?.method ?? '' },
  actionReferences: {
    header: 'Action references',
    description: "Each corrective action's reference (CA-2026-0001), one per line: the lines of the five action columns after it match.",
    cell: (r) => perAction(r, actionName),
  },
  actions: { header: 'Corrective actions', description: 'One corrective action per line, as Action references lists them (the lines of the next four columns match).', cell: (r) => perAction(r, (a) => a.description) },
  actionOwners: { header: 'Action owners', description: "Each action's owner, one per line.", cell: (r) => perAction(r, (a) => a.owner?.name ?? '(no owner)') },
  actionDueDates: { header: 'Action due dates', description: "Each action's due date, one per line.", cell: (r) => perAction(r, (a) => a.dueDate ?? '(no due date)') },
  actionOutcomes: { header: 'Measurable outcomes', description: "Each action's measurable outcome, one per line.", cell: (r) => perAction(r, (a) => a.measurableOutcome ?? '(none)') },
  actionStatus: {
    header: 'Action status',
    description: "Each action's status (planned, in-progress, done, cancelled) with its completion date, one per line.",
    cell: (r) => perAction(r, (a) => (a.status === 'done' && a.completedAt !== null ? `done ${date(a.completedAt, r.timeZone)}` : a.status)),
  },
  planApproved: {
    header: 'Plan approved',
    description: 'Who approved the corrective action plan, in which role, and when.',
    cell: (r) => (r.finding.planApproval === null ? '' : `${r.finding.planApproval.approvedBy.name} (${r.finding.planApproval.role}) ${date(r.finding.planApproval.approvedAt, r.timeZone)}`),
  },
  effectiveness: {
    header: 'Effectiveness result',
    description: 'Each effectiveness review, oldest first: result, date, method and reviewer.',
    cell: (r) => lines(r.finding.effectivenessReviews.map((v) => `${v.result} ${date(v.reviewedAt, r.timeZone)} (${v.method}, ${v.reviewer.name})`)),
  },
  closureEvidence: {
    header: 'Closure evidence',
    description: 'The closure evidence, one item per line: title and location.',
    cell: (r) => lines((r.finding.closure?.evidence ?? []).map((e) => `${e.title} (${e.location})`)),
  },
  closed: { header: 'Closed', description: 'The date it was closed.', cell: (r) => date(r.finding.closure?.closedAt, r.timeZone) },
  rejection: {
    header: 'Rejection',
    description: 'Why it was rejected: not a nonconformity, or a duplicate.',
    cell: (r) => (r.finding.rejection === null ? '' : `${r.finding.rejection.kind}: ${r.finding.rejection.reason}`),
  },
  recurrences: { header: 'Recurrences', description: 'How many times a review found the actions not effective, or it was reopened.', cell: (r) => String(r.finding.recurrenceCount) },
  lastActivity: { header: 'Last activity', description: 'The date of its last recorded activity.', cell: (r) => date(r.finding.updatedAt, r.timeZone) },
};

/**
 * Every column of the CSV export with its header and what it holds, in the default order.
 *
 * @example
 * ```ts
 * import { CSV_COLUMNS } from 'capa-kit/log';
 *
 * for (const column of CSV_COLUMNS) console.log(`${column.header}: ${column.description}`);
 * ```
 */
export const CSV_COLUMNS: readonly CsvColumn[] = CSV_COLUMN_IDS.map((id) => ({ id, header: DEFINITIONS[id].header, description: DEFINITIONS[id].description }));

/** One finding's cells, for the given columns, before neutralisation. */
export function rowCells(row: RowInput, columns: readonly CsvColumnId[]): string[] {
  return columns.map((id) => DEFINITIONS[id].cell(row));
}

