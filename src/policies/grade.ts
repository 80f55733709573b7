import type { GradePolicy, SeverityPolicy } from '../schemas/severity-policy.js';

/**
 * The policy's entry for a grade id, or `undefined` when the policy does not know it.
 *
 * @example
 * ```ts
 * import { findGrade, iso27001 } from 'capa-kit';
 *
 * findGrade(iso27001, 'minor')?.approval; // { role: 'auditor' }
 * ```
 */
export function findGrade(policy: SeverityPolicy, gradeId: string): GradePolicy | undefined {
  return policy.grades.find((grade) => grade.id === gradeId);
}
