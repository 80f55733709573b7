import { findGrade } from '../../policies/grade.js';
import type { FindingSource } from '../../schemas/finding.js';
import type { CAUSE_CATEGORIES } from '../../schemas/root-cause.js';
import type { SeverityPolicy } from '../../schemas/severity-policy.js';
import type { FindingStatus } from '../../schemas/status.js';

// The words people read for the library's ids, in one place: the CSV export writes them,
// the CSV import reads them back, the reports print them.

/** How each finding source is written for people. */
export const SOURCE_LABELS: Readonly<Record<FindingSource['kind'], string>> = {
  'internal-audit': 'Internal audit',
  'external-audit': 'External audit',
  'kpi-measurement': 'KPI measurement',
  'management-review': 'Management review',
  'incident-review': 'Incident review',
  monitoring: 'Monitoring',
  other: 'Other',
};

/** How each finding status is written for people. */
export const STATUS_LABELS: Readonly<Record<FindingStatus, string>> = {
  draft: 'Draft',
  reported: 'Reported',
  contained: 'Contained',
  investigating: 'Investigating',
  planning: 'Planning',
  awaitingApproval: 'Awaiting approval',
  implementing: 'Implementing',
  verifying: 'Verifying',
  closed: 'Closed',
  monitoring: 'Monitoring',
  logged: 'Logged',
  rejected: 'Rejected',
  conformity: 'Conformity',
};

/** How each root cause category is written for people. */
export const CAUSE_CATEGORY_LABELS: Readonly<Record<(typeof CAUSE_CATEGORIES)[number], string>> = {
  process: 'Process',
  training: 'Training',
  ownership: 'Ownership',
  'system-or-tooling': 'System or tooling',
  resources: 'Resources',
  supplier: 'Supplier',
  design: 'Design',
  other: 'Other',
};

/** A grade's label under a policy, or its id when the policy does not know it. */
export function gradeLabel(policy: SeverityPolicy | null, grade: string): string {
  return (policy === null ? undefined : findGrade(policy, grade)?.label) ?? grade;
}

/** A label from one of the maps above, or the key itself. */
export function labelOf(labels: Readonly<Record<string, string>>, key: string): string {
  return Object.hasOwn(labels, key) ? labels[key]! : key;
}
