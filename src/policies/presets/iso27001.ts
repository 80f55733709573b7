import type { SeverityPolicy } from '../../schemas/severity-policy.js';
import { DEFAULT_SHALLOW_CAUSE_PHRASES } from '../shallow-cause-phrases.js';

/**
 * The ISO/IEC 27001:2022 default grading: a major nonconformity is due in 3 months; a
 * minor one in 12 months, with its corrective action plan approved by the `auditor` role;
 * an observation is monitored; an opportunity for improvement is logged; a conformity
 * needs nothing. Deadlines count from detection, in UTC. Open findings with no activity
 * for 30 days are stale.
 *
 * @example
 * ```ts
 * import { iso27001 } from 'capa-kit';
 *
 * iso27001.grades.map((grade) => grade.id);
 * // ['major', 'minor', 'observation', 'ofi', 'conformity']
 * ```
 */
export const iso27001: SeverityPolicy = {
  schemaVersion: 1,
  id: 'iso27001',
  version: '2022.1',
  name: 'ISO/IEC 27001:2022 (certification audit grading)',
  description: 'Major: 3 months. Minor: 12 months, plan approved by the auditor. Observation: monitored. OFI: logged.',
  timeZone: 'UTC',
  staleAfterDays: 30,
  grades: [
    {
      id: 'major',
      label: 'Major nonconformity',
      description: 'A requirement is absent or fails significantly; certification is at risk.',
      lifecycle: 'corrective-action',
      deadline: { amount: 3, unit: 'months', from: 'detectedAt' },
      approval: null,
    },
    {
      id: 'minor',
      label: 'Minor nonconformity',
      description: 'An isolated lapse or partial gap.',
      lifecycle: 'corrective-action',
      deadline: { amount: 12, unit: 'months', from: 'detectedAt' },
      approval: { role: 'auditor' },
    },
    {
      id: 'observation',
      label: 'Observation',
      description: 'A weakness that could become a nonconformity; logged and monitored.',
      lifecycle: 'monitor',
      deadline: null,
      approval: null,
    },
    {
      id: 'ofi',
      label: 'Opportunity for improvement',
      description: 'A suggestion; feeds continual improvement.',
      lifecycle: 'log',
      deadline: null,
      approval: null,
    },
    {
      id: 'conformity',
      label: 'Conformity',
      description: 'The requirement is met and evidence supports it.',
      lifecycle: 'none',
      deadline: null,
      approval: null,
    },
  ],
  shallowCause: { phrases: [...DEFAULT_SHALLOW_CAUSE_PHRASES] },
  segregationOfDuties: { reviewerNotActionOwner: true, rejecterNotRaiser: true, closerNotActionOwner: true },
  signatures: { required: true },
  clockSkewMinutes: 5,
  relaxes: [],
};
