/**
 * Every state a finding can be in, as the lifecycle machine names them.
 *
 * - `draft`: not raised yet (the machine's initial state; never stored).
 * - `reported` → `contained` → `investigating` → `planning` → `awaitingApproval` →
 *   `implementing` → `verifying` → `closed`: the corrective-action loop of Clause 10.2.
 * - `monitoring`: an observation, watched until closed or escalated.
 * - `logged`: an opportunity for improvement, closed into continual improvement.
 * - `rejected`: not a nonconformity, or a duplicate.
 * - `conformity`: the requirement is met; nothing to do.
 *
 * @example
 * ```ts
 * import { FINDING_STATUSES } from 'capa-kit';
 *
 * FINDING_STATUSES.includes('verifying'); // true
 * ```
 */
export const FINDING_STATUSES = [
  'draft',
  'reported',
  'contained',
  'investigating',
  'planning',
  'awaitingApproval',
  'implementing',
  'verifying',
  'closed',
  'monitoring',
  'logged',
  'rejected',
  'conformity',
] as const;
/**
 * A state a finding can be in.
 *
 * @example
 * ```ts
 * import type { FindingStatus } from 'capa-kit';
 *
 * const isFinal = (status: FindingStatus) => status === 'closed' || status === 'rejected' || status === 'conformity';
 * ```
 */
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/**
 * The states in which a finding is still open (work remains).
 *
 * @example
 * ```ts
 * import { OPEN_STATUSES, type Finding } from 'capa-kit';
 *
 * declare const findings: Finding[];
 * const open = findings.filter((finding) => OPEN_STATUSES.includes(finding.status));
 * ```
 */
export const OPEN_STATUSES: readonly FindingStatus[] = [
  'reported',
  'contained',
  'investigating',
  'planning',
  'awaitingApproval',
  'implementing',
  'verifying',
  'monitoring',
  'logged',
];
