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
    // A bad record key hides its rule in nested issues: surface it.
    message:
      issue.code === 'invalid_key' && issue.issues.length > 0
        ? issue.issues.map((nested) => nested.message).join('; ')
        : issue.message,
  }));
}

/** Keys that can reach an object's prototype when a consumer merges or assigns input. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** True when a forbidden key is anywhere in `input`: the common case is a quick "no", without paths. */
function hasForbiddenKey(input: unknown): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [input];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
      continue;
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) return true;
      stack.push((value as Record<string, unknown>)[key]);
    }
  }
  return false;
}

/**
 * Every `__proto__`, `constructor` or `prototype` key anywhere in `input`, as issues.
 * zod's strict objects refuse them, but records and JSON values drop or keep them
 * silently; this names them instead. Iterative, so deep input cannot overflow the stack.
 */
function forbiddenKeyIssues(input: unknown): ValidationIssue[] {
  if (!hasForbiddenKey(input)) return [];
  const issues: ValidationIssue[] = [];
  const seen = new WeakSet<object>();
  const stack: Array<[unknown, (string | number)[]]> = [[input, []]];
  while (stack.length > 0) {
    const [value, path] = stack.pop() as [unknown, (string | number)[]];
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push([item, [...path, index]]));
      continue;
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) {
        issues.push({
          path: [...path, key],
          code: 'forbidden_key',
          message: `The key "${key}" is refused: it can reach object prototypes`,
        });
      } else {
        stack.push([(value as Record<string, unknown>)[key], [...path, key]]);
      }
    }
  }
  return issues;
}

/**
 * Parses `input` with `schema`, returning the typed record (defaults applied) or throwing
 * a {@link CapaValidationError} naming every field and rule that failed. A record holds
 * text exactly: white space at either end of a text or an id is refused, not trimmed
 * (the register's command inputs trim it).
 * Keys named `__proto__`, `constructor` or `prototype` are refused anywhere in the input
 * (code `forbidden_key`), even where zod would drop them silently.
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
  return settleParse(schema, schema.safeParse(input), input, subject);
}

/**
 * The rest of {@link parseRecord} once `result` is known (from `schema` or a faster parser
 * of it): refuses forbidden keys, and turns issues into a {@link CapaValidationError}.
 * @internal
 */
export function settleParse<TSchema extends z.ZodType>(
  schema: TSchema,
  result: z.ZodSafeParseResult<z.output<TSchema>>,
  input: unknown,
  subject?: string,
): z.output<TSchema> {
  const forbidden = forbiddenKeyIssues(input);
  if (result.success && forbidden.length === 0) return result.data;
  const name = subject ?? (z.globalRegistry.get(schema)?.id as string | undefined) ?? 'input';
  const issues = result.success ? [] : toValidationIssues(result.error);
  // A strict object already reports a forbidden key as unrecognized: say it once.
  const reported = new Set(issues.map((issue) => JSON.stringify(issue.path)));
  const extra = forbidden.filter((issue) => !reported.has(JSON.stringify(issue.path)) && !reported.has(JSON.stringify(issue.path.slice(0, -1))));
  throw new CapaValidationError(name, [...issues, ...extra]);
}
