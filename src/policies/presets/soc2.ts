import type { SeverityPolicy } from '../../schemas/severity-policy.js';
import { DEFAULT_SHALLOW_CAUSE_PHRASES } from '../shallow-cause-phrases.js';

/**
 * A SOC 2 exception policy with day-based deadlines, in New York time: a critical
 * exception is due in 15 business days with its plan approved by the `security-officer`
 * role; high in 30 days; moderate in 90 days; a low-risk deviation is monitored; "no
 * exception" needs nothing. Deadlines count from when the exception was raised. Open
 * exceptions with no activity for 14 days are stale.
 *
 * @example
 * ```ts
 * import { soc2 } from 'capa-kit';
 *
 * soc2.grades.find((grade) => grade.id === 'critical')?.deadline;
 * // { amount: 15, unit: 'businessDays', from: 'raisedAt' }
 * ```
 */
export const soc2: SeverityPolicy = {
  schemaVersion: 1,
  id: 'soc2',
  version: '2017-tsc.1',
  name: 'SOC 2 exceptions (Trust Services Criteria)',
  description: 'Critical: 15 business days, plan approved by the security officer. High: 30 days. Moderate: 90 days.',
  timeZone: 'America/New_York',
  staleAfterDays: 14,
  grades: [
    {
      id: 'critical',
      label: 'Critical exception',
      lifecycle: 'corrective-action',
      deadline: { amount: 15, unit: 'businessDays', from: 'raisedAt' },
      approval: { role: 'security-officer' },
    },
    {
      id: 'high',
      label: 'High exception',
      lifecycle: 'corrective-action',
      deadline: { amount: 30, unit: 'days', from: 'raisedAt' },
      approval: null,
    },
    {
      id: 'moderate',
      label: 'Moderate exception',
      lifecycle: 'corrective-action',
      deadline: { amount: 90, unit: 'days', from: 'raisedAt' },
      approval: null,
    },
    {
      id: 'low',
      label: 'Low-risk deviation',
      lifecycle: 'monitor',
      deadline: null,
      approval: null,
    },
    {
      id: 'no-exception',
      label: 'No exception noted',
      lifecycle: 'none',
      deadline: null,
      approval: null,
    },
  ],
  shallowCause: { phrases: [...DEFAULT_SHALLOW_CAUSE_PHRASES] },
  segregationOfDuties: { reviewerNotActionOwner: true, rejecterNotRaiser: true, closerNotActionOwner: true },
  signatures: { required: true },
  clockSkewMinutes: 5,
  // SOC 2 testing rarely asks for an extent-of-condition sweep per exception.
  relaxes: ['rootCause.extentOfCondition'],
};
