import { TZDateMini } from '@date-fns/tz/date/mini';
import { addBusinessDays } from 'date-fns/addBusinessDays';
import { addDays } from 'date-fns/addDays';
import { addMonths } from 'date-fns/addMonths';
import type { Deadline } from '../schemas/severity-policy.js';

/** The instants a deadline can count from. */
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
  const date = new TZDateMini(Date.parse(instant), timeZone);
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1, 2)}-${pad(date.getDate(), 2)}`;
}

/**
 * The due date a deadline gives: take the calendar date of the base instant in the
 * policy's time zone, then add calendar months (clamped at month ends: 31 January + 1
 * month is 28 or 29 February), days, or business days (Monday to Friday; public
 * holidays are not modelled). The arithmetic runs at noon in the zone so that a
 * daylight-saving change at midnight can never move the day.
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
  const zoned = new TZDateMini(startInstant, timeZone);
  const noon = new TZDateMini(zoned.getFullYear(), zoned.getMonth(), zoned.getDate(), 12, timeZone);
  const due =
    deadline.unit === 'months'
      ? addMonths(noon, deadline.amount)
      : deadline.unit === 'days'
        ? addDays(noon, deadline.amount)
        : addBusinessDays(noon, deadline.amount);
  return `${pad(due.getFullYear(), 4)}-${pad(due.getMonth() + 1, 2)}-${pad(due.getDate(), 2)}`;
}
