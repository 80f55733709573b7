import { CapaError } from './capa-error.js';
import { CAPA_ERROR_CODES } from './codes.js';

/**
 * One problem found in input: where (`path`), which rule (`code`), and a sentence.
 *
 * @example
 * ```ts
 * import type { ValidationIssue } from 'capa-kit';
 *
 * const issue: ValidationIssue = {
 *   path: ['title'],
 *   code: 'too_big',
 *   message: 'Too big: expected string to have <=200 characters',
 * };
 * ```
 */
export interface ValidationIssue {
  /** The field's path from the root of the input, e.g. `['requirement', 'reference']`. */
  readonly path: readonly (string | number)[];
  /** The rule that failed, e.g. `too_big`, `invalid_type`, `unrecognized_keys`. */
  readonly code: string;
  /** A sentence for people. */
  readonly message: string;
}

/**
 * Renders a path as people read it: `actions[0].owner`, or `(root)` for the input itself.
 *
 * @example
 * ```ts
 * import { formatPath } from 'capa-kit';
 *
 * formatPath(['actions', 0, 'owner']); // 'actions[0].owner'
 * ```
 */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/**
 * Input or a stored record did not match its schema. `issues` names every field and rule
 * that failed; nothing was written.
 *
 * @example
 * ```ts
 * import { CapaValidationError, parseRecord, Evidence } from 'capa-kit';
 *
 * try {
 *   parseRecord(Evidence, { kind: 'document' });
 * } catch (error) {
 *   if (error instanceof CapaValidationError) {
 *     for (const issue of error.issues) console.log(issue.path.join('.'), issue.code);
 *   }
 * }
 * ```
 */
export class CapaValidationError extends CapaError {
  /** What was being validated, e.g. `Finding` or `SeverityPolicy`. */
  readonly subject: string;
  /** Every problem found, in input order. */
  readonly issues: readonly ValidationIssue[];

  constructor(
    subject: string,
    issues: readonly ValidationIssue[],
    options?: { code?: typeof CAPA_ERROR_CODES.validation | typeof CAPA_ERROR_CODES.invalidPolicy; cause?: unknown },
  ) {
    const lines = issues.map((issue) => `${formatPath(issue.path)}: ${issue.message} (${issue.code})`);
    super(
      options?.code ?? CAPA_ERROR_CODES.validation,
      [`Invalid ${subject}: ${issues.length} problem${issues.length === 1 ? '' : 's'}`, ...lines.map((line) => `  - ${line}`)].join('\n'),
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.subject = subject;
    this.issues = issues;
  }
}
