import { CapaValidationError, type ValidationIssue } from '../../errors/validation-error.js';
import { DEFAULT_TABLE_PREFIX, identifierIssue, MAX_PREFIX_LENGTH } from './identifiers.js';
import { SQL_STORE_SCHEMA_VERSION } from './migrations.js';

// Options are checked before anything touches the database, every problem at once, and
// refused with a CapaValidationError whose issues name the options.

/** The longest PostgreSQL identifier. */
const MAX_IDENTIFIER_LENGTH = 63;

/** The prefix (default `capa_`) and its issue, if any. */
export function prefixOption(value: unknown, issues: ValidationIssue[]): string {
  if (value === undefined) return DEFAULT_TABLE_PREFIX;
  const issue = identifierIssue('tablePrefix', value, MAX_PREFIX_LENGTH);
  if (issue !== null) issues.push(issue);
  return String(value);
}

/** The PostgreSQL schema (default: none, the search path's) and its issue, if any. */
export function schemaOption(value: unknown, issues: ValidationIssue[]): string | null {
  if (value === undefined) return null;
  const issue = identifierIssue('schema', value, MAX_IDENTIFIER_LENGTH);
  if (issue !== null) issues.push(issue);
  return String(value);
}

/** A whole number of milliseconds from 0 to 2^31 - 1 (what timers and lock timeouts take). */
export function millisecondsOption(option: string, value: unknown, fallback: number | null, issues: ValidationIssue[]): number | null {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 2 ** 31 - 1) {
    issues.push({ path: [option], code: 'invalid_value', message: `${option} must be a whole number of milliseconds from 0 to 2147483647, not ${String(value)}` });
    return fallback;
  }
  return value;
}

/** A boolean option (default `false`). */
export function booleanOption(option: string, value: unknown, issues: ValidationIssue[]): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') issues.push({ path: [option], code: 'invalid_type', message: `${option} must be true or false, not ${String(value)}` });
  return value === true;
}

/** The version the printed migrations start from (default 0: a new database). */
export function fromVersionOption(value: unknown, issues: ValidationIssue[]): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > SQL_STORE_SCHEMA_VERSION) {
    issues.push({ path: ['fromVersion'], code: 'invalid_value', message: `fromVersion must be a whole number from 0 to ${SQL_STORE_SCHEMA_VERSION}, not ${String(value)}` });
    return 0;
  }
  return value;
}

/** Throws every issue found at once. */
export function refuseIssues(subject: string, issues: readonly ValidationIssue[]): void {
  if (issues.length > 0) throw new CapaValidationError(subject, issues);
}
