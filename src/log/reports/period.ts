import { CapaValidationError } from '../../errors/validation-error.js';
import { asOfInstant, dateOf, dateParts, nextDay, startOfDay } from './time.js';

// The period a management review covers and the instant it is measured at, with one set
// of defaults for the library and the `capa report` command: a review with no period
// covers the twelve months up to today, and is measured at the end of its period, or now
// when the period has not ended yet (a report must not count as overdue what is not due
// yet, nor show a future instant as if it had happened).

/** The first day of the twelve months that end on `to`: the day after the same date a year earlier (28 February for a 29th). */
export function yearEndingOn(to: string): string {
  const [year, month, day] = dateParts(to);
  const lastDay = new Date(Date.UTC(year - 1, month, 0)).getUTCDate();
  const sameDay = `${String(year - 1).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(day, lastDay)).padStart(2, '0')}`;
  return nextDay(sameDay);
}

/** A management review's period and instant, resolved. */
export interface ResolvedPeriod {
  readonly from: string;
  readonly to: string;
  /** The first millisecond of `from` and the last of `to`, in the zone. */
  readonly fromStart: number;
  readonly toEnd: number;
  /** When open, overdue and stale are measured (epoch ms). */
  readonly asOf: number;
}

/**
 * Resolves the period and `asOf`: `to` defaults to today (the clock's date in the zone),
 * `from` to the day after the same date a year before `to`, `asOf` to the end of `to`, or
 * the clock's now when that is earlier.
 */
export function resolvePeriod(given: { from?: string | undefined; to?: string | undefined; asOf?: string | undefined }, zone: string, now: Date): ResolvedPeriod {
  const to = given.to ?? dateOf(now.getTime(), zone);
  const from = given.from ?? yearEndingOn(to);
  if (from > to) {
    throw new CapaValidationError('management review options', [
      { path: [given.to === undefined ? 'from' : 'to'], code: 'custom', message: `The period must not end before it starts (${from} to ${to}${given.to === undefined ? ', the end defaulting to today' : ''})` },
    ]);
  }
  const fromStart = startOfDay(from, zone);
  const toEnd = startOfDay(nextDay(to), zone) - 1;
  const asOf = given.asOf === undefined ? Math.min(toEnd, now.getTime()) : asOfInstant(given.asOf, zone);
  return { from, to, fromStart, toEnd, asOf };
}
