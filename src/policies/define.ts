import { CAPA_ERROR_CODES, CapaValidationError } from '../errors/index.js';
import { atInput } from '../schemas/input.js';
import { toValidationIssues } from '../schemas/parse.js';
import { SeverityPolicy } from '../schemas/severity-policy.js';

// A policy as given is input: its text and ids are trimmed (a policy stored in a log is not).
const PolicyInput = atInput(SeverityPolicy);

/**
 * Validates a severity policy and returns it typed, its text and ids trimmed (a policy
 * itself, as a log's header carries it, holds them exactly). Use it for a policy written
 * in code or loaded from JSON (an exported log carries its policy). Throws a
 * {@link CapaValidationError} with code `CAPA_INVALID_POLICY` naming every field and rule
 * that failed.
 *
 * @example
 * ```ts
 * import { defineSeverityPolicy, iso27001 } from 'capa-kit';
 *
 * const acme = defineSeverityPolicy({
 *   ...iso27001,
 *   id: 'acme',
 *   version: '1.0.0',
 *   name: 'Acme ISMS grading',
 *   timeZone: 'Europe/London',
 *   grades: iso27001.grades.map((grade) =>
 *     grade.id === 'major' ? { ...grade, deadline: { amount: 60, unit: 'days', from: 'detectedAt' } } : grade,
 *   ),
 * });
 * ```
 */
export function defineSeverityPolicy(policy: unknown): SeverityPolicy {
  const result = PolicyInput.safeParse(policy);
  if (result.success) return result.data;
  throw new CapaValidationError('SeverityPolicy', toValidationIssues(result.error), {
    code: CAPA_ERROR_CODES.invalidPolicy,
  });
}
