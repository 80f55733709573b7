import { TZDateMini } from '@date-fns/tz/date/mini';
import { calendarDateIn } from '../../policies/due-date.js';

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Year, month (1-12) and day of a `YYYY-MM-DD` date; throws on anything else. */
export function dateParts(date: string): [number, number, number] {
  const match = DATE.exec(date);
  if (match === null) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${date}`);
  const parts: [number, number, number] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2]));
  if (check.getUTCFullYear() !== parts[0] || check.getUTCMonth() !== parts[1] - 1 || check.getUTCDate() !== parts[2]) {
    throw new RangeError(`Not a real calendar date: ${date}`);
  }
  return parts;
}

/** The instant a calendar day starts in a time zone (epoch milliseconds). */
export function startOfDay(date: string, timeZone: string): number {
  const [year, month, day] = dateParts(date);
  if (timeZone === 'UTC') return Date.UTC(year, month - 1, day);
  return new TZDateMini(year, month - 1, day, timeZone).getTime();
}

/** The next calendar day of a `YYYY-MM-DD` date. */
export function nextDay(date: string): string {
  const [year, month, day] = dateParts(date);
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

/**
 * An `asOf` as an instant (epoch milliseconds): an ISO 8601 instant as it is, a calendar
 * date (`YYYY-MM-DD`) as the last millisecond of that day in the policy's zone. One rule
 * for `validateLog`, the reports and `capa --as-of`, so a date means the same day to all
 * of them, whatever the machine's or UTC's date is then. `NaN` for anything else.
 */
export function asOfInstant(value: string | Date, timeZone: string): number {
  if (value instanceof Date) return value.getTime();
  if (DATE.test(value)) {
    try {
      return startOfDay(nextDay(value), timeZone) - 1;
    } catch {
      return Number.NaN;
    }
  }
  return /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
}

/** The instant a calendar month (`YYYY-MM`) ends in a time zone: the last millisecond. */
export function endOfMonth(month: string, timeZone: string): number {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const next = timeZone === 'UTC' ? Date.UTC(year, monthNumber, 1) : new TZDateMini(year, monthNumber, 1, timeZone).getTime();
  return next - 1;
}

/** Every month (`YYYY-MM`) from the month of `from` to the month of `to`, inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const [fromYear, fromMonth] = dateParts(from);
  const [toYear, toMonth] = dateParts(to);
  const months: string[] = [];
  for (let year = fromYear, month = fromMonth; year < toYear || (year === toYear && month <= toMonth); ) {
    months.push(`${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

/** The calendar date of an epoch-millisecond instant in a zone. */
export function dateOf(instant: number, timeZone: string): string {
  return calendarDateIn(new Date(instant).toISOString(), timeZone);
}

/** An instant as ISO 8601 UTC without milliseconds when they are zero (as records keep them). */
export function isoInstant(instant: number): string {
  const iso = new Date(instant).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** Whole days from one calendar date to another (`to - from`). */
export function daysBetweenDates(from: string, to: string): number {
  const [fy, fm, fd] = dateParts(from);
  const [ty, tm, td] = dateParts(to);
  return Math.round((Date.UTC(ty, tm - 1, td) - Date.UTC(fy, fm - 1, fd)) / DAY_MS);
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A calendar date as people read it: `30 June 2026`. */
export function humanDate(date: string): string {
  const [year, month, day] = dateParts(date);
  return `${day} ${MONTH_NAMES[month - 1]!} ${year}`;
}

/** An instant as people read it, in a zone: `30 June 2026, 23:59 UTC` (minutes, no seconds). */
export function humanInstant(instant: string | number, timeZone: string): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  // The zone's wall clock (TZDate's getters), so a daylight-saving day reads right.
  const local = timeZone === 'UTC' ? null : new TZDateMini(ms, timeZone);
  const [hours, minutes] = local === null ? [new Date(ms).getUTCHours(), new Date(ms).getUTCMinutes()] : [local.getHours(), local.getMinutes()];
  return `${humanDate(dateOf(ms, timeZone))}, ${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')} ${timeZone}`;
}
