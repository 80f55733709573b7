import { isCapaError } from './capa-error.js';
import { CapaTransitionError } from './transition-error.js';
import { CapaValidationError, formatPath } from './validation-error.js';

/**
 * The one formatter for capa-kit errors: a few lines a person can act on, led by the
 * stable code. Anything else is rendered with its message.
 *
 * @example
 * ```ts
 * import { formatCapaError, CapaTransitionError } from 'capa-kit';
 *
 * const error = new CapaTransitionError('verifying', 'CLOSE', [
 *   { code: 'closure.evidence', message: 'Closing needs closure evidence.' },
 * ]);
 * console.log(formatCapaError(error));
 * // CAPA_TRANSITION_REFUSED: CLOSE refused in state "verifying"
 * //   - Closing needs closure evidence. [closure.evidence]
 * ```
 */
export function formatCapaError(error: unknown): string {
  if (error instanceof CapaValidationError) {
    const lines = error.issues.map((issue) => `  - ${formatPath(issue.path)}: ${issue.message} [${issue.code}]`);
    return [`${error.code}: invalid ${error.subject}`, ...lines].join('\n');
  }
  if (error instanceof CapaTransitionError) {
    const lines = error.unmet.map((u) => `  - ${u.message} [${u.code}]`);
    const where = error.finding === null ? '' : ` for ${error.finding}`;
    return [`${error.code}: ${error.event} refused${where} in state "${error.state}"`, ...lines].join('\n');
  }
  if (isCapaError(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
