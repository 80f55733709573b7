import { UTCDateMini } from '@date-fns/utc/date/mini';
import { addBusinessDays } from 'date-fns/addBusinessDays';
import { addDays } from 'date-fns/addDays';
import { addMonths } from 'date-fns/addMonths';
import type { Deadline } from '../schemas/severity-policy.js';

/**
 * The instants a deadline can count from.
 *
 * @example
 * ```ts
 * import { computeDueDate, type DeadlineBase } from 'capa-kit';
 *
 * const base: DeadlineBase = { detectedAt: '2026-03-01T10:00:00Z', raisedAt: '2026-03-02T15:30:00Z' };
 * computeDueDate({ amount: 30, unit: 'days', from: 'raisedAt' }, base, 'UTC'); // '2026-04-01'
 * ```
 */
export interface DeadlineBase {
  /** When the nonconformity was detected (ISO 8601 UTC). */
  readonly detectedAt: string;
  /** When the finding was raised in the register (ISO 8601 UTC). */
  readonly raisedAt: string;
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/**
 * The calendar date (`YYYY-MM-DD`) of an instant in a time zone: the day a person in that
 * zone would write down.
 *
 * @example
 * ```ts
 * import { calendarDateIn } from 'capa-kit';
 *
 * calendarDateIn('2026-01-31T11:00:00Z', 'Pacific/Chatham'); // '2026-02-01'
 * ```
 */
export function calendarDateIn(instant: string, timeZone: string): string {
  const parsed = Date.parse(instant);
  if (Number.isNaN(parsed)) throw new RangeError(`Not a valid instant: ${instant}`);
  const [year, month, day] = calendarParts(parsed, timeZone);
  return `${pad(year, 4)}-${pad(month + 1, 2)}-${pad(day, 2)}`;
}

/** Year, month (0-based) and day of an instant in a zone: one zone lookup, getters only. */
function calendarParts(instant: number, timeZone: string): [number, number, number] {
  if (Number.isNaN(instant)) throw new RangeError('Not a valid instant: expected ISO 8601 such as 2026-03-01T09:30:00Z');
  if (timeZone === 'UTC') {
    // The common case needs no zone lookup: a Date's UTC getters are the calendar in UTC.
    const utc = new Date(instant);
    return [utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate()];
  }
  const parts = { year: NaN, month: NaN, day: NaN };
  for (const part of zoneCalendar(timeZone).formatToParts(instant)) {
    if (part.type === 'year' || part.type === 'month' || part.type === 'day') parts[part.type] = Number(part.value);
  }
  return [parts.year, parts.month - 1, parts.day];
}

// The platform's time-zone database reads the calendar day in a zone (no library needed:
// every supported runtime has Intl with IANA zones). One formatter per zone, kept.
const calendars = new Map<string, Intl.DateTimeFormat>();

function zoneCalendar(timeZone: string): Intl.DateTimeFormat {
  let calendar = calendars.get(timeZone);
  if (calendar === undefined) {
    try {
      calendar = new Intl.DateTimeFormat('en-US', { timeZone, calendar: 'gregory', numberingSystem: 'latn', year: 'numeric', month: 'numeric', day: 'numeric' });
    } catch {
      throw new RangeError(`Unknown time zone "${timeZone}": expected an IANA name such as Europe/London`);
    }
    calendars.set(timeZone, calendar);
  }
  return calendar;
}

/**
 * The due date a deadline gives: take the calendar date of the base instant in the
 * policy's time zone, then add calendar months (clamped at month ends: 31 January + 1
 * month is 28 or 29 February), days, or business days (Monday to Friday; public
 * holidays are not modelled). Only the calendar date is read in the zone; the counting
 * is calendar arithmetic, so a daylight-saving change can never move the day.
 *
 * @example
 * ```ts
 * import { computeDueDate } from 'capa-kit';
 *
 * computeDueDate(
 *   { amount: 1, unit: 'months', from: 'detectedAt' },
 *   { detectedAt: '2026-01-31T09:00:00Z', raisedAt: '2026-02-02T09:00:00Z' },
 *   'Europe/London',
 * ); // '2026-02-28'
 * ```
 */
export function computeDueDate(deadline: Deadline, base: DeadlineBase, timeZone: string): string {
  const startInstant = Date.parse(base[deadline.from]);
  if (Number.isNaN(startInstant)) throw new RangeError(`${deadline.from} is not a valid instant: ${base[deadline.from]}`);
  // Read the calendar date in the policy's zone once, then count on a UTC date: once the
  // day is known the arithmetic is calendar-only, and a UTC date's setters never consult
  // a zone (the zone-aware date re-derives its offset on every setter, ~50x slower).
  const [year, month, day] = calendarParts(startInstant, timeZone);
  const start = new UTCDateMini(year, month, day, 12);
  const due =
    deadline.unit === 'months'
      ? addMonths(start, deadline.amount)
      : deadline.unit === 'days'
        ? addDays(start, deadline.amount)
        : addBusinessDays(start, deadline.amount);
  return `${pad(due.getFullYear(), 4)}-${pad(due.getMonth() + 1, 2)}-${pad(due.getDate(), 2)}`;
}
