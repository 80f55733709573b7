import * as z from 'zod';
import { CapaValidationError, type ValidationIssue } from '../errors/index.js';

/**
 * Turns zod issues into capa-kit {@link ValidationIssue}s: path, rule and sentence.
 *
 * @example
 * ```ts
 * import { Evidence, toValidationIssues } from 'capa-kit';
 *
 * const result = Evidence.safeParse({});
 * if (!result.success) console.log(toValidationIssues(result.error));
 * ```
 */
export function toValidationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment)),
    code: issue.code,
    message: issue.message,
  }));
}

/**
 * Parses `input` with `schema`, returning the typed record (trimmed, defaults applied)
 * or throwing a {@link CapaValidationError} naming every field and rule that failed.
 *
 * @example
 * ```ts
 * import { parseRecord, Evidence } from 'capa-kit';
 *
 * const evidence = parseRecord(Evidence, {
 *   schemaVersion: 1,
 *   kind: 'test-result',
 *   title: 'Re-test of offboarding',
 *   location: 'https://intranet.example/retest/42',
 *   collectedBy: { id: 'u-2', name: 'Jonas Berg' },
 *   collectedAt: '2026-06-30T12:00:00Z',
 * });
 * ```
 */
export function parseRecord<TSchema extends z.ZodType>(schema: TSchema, input: unknown, subject?: string): z.output<TSchema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const name = subject ?? (z.globalRegistry.get(schema)?.id as string | undefined) ?? 'input';
  throw new CapaValidationError(name, toValidationIssues(result.error));
}
