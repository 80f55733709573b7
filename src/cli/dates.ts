import { CliExit } from './io.js';
import { EXIT } from './exit-codes.js';

/** A `YYYY-MM-DD` option, checked as a real calendar date. */
export function dateOption(name: string, value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match === null ? null : new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (match === null || date === null || date.toISOString().slice(0, 10) !== value) {
    throw new CliExit(`${name} ${value}: expected a date as YYYY-MM-DD, such as 2026-11-22.`, EXIT.unusable);
  }
  return value;
}

/**
 * An `--as-of` option: a date, passed on as it is (the library reads it as the end of that
 * day in the policy's time zone, as for every other date), or an instant; default now.
 */
export function asOfOption(value: string | undefined, now: Date): string {
  if (value === undefined) return now.toISOString();
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return dateOption('--as-of', value);
  const parsed = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(parsed)) {
    throw new CliExit(`--as-of ${value}: expected a date (YYYY-MM-DD) or an ISO 8601 instant.`, EXIT.unusable);
  }
  return new Date(parsed).toISOString();
}

/** A whole number option within bounds. */
export function integerOption(name: string, value: string, min: number, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < min || number > max) {
    throw new CliExit(`${name} ${value}: expected a whole number from ${min} to ${max}.`, EXIT.unusable);
  }
  return number;
}
