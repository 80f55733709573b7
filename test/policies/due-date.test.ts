// Due dates: the calendar date of an instant in the policy's zone, plus months, days or
// business days. Every expected value below was worked out by hand from the calendar and
// the zones' offsets; nothing here asks date-fns. The suite runs with the process in
// Pacific/Chatham and again in UTC, so a result can never depend on the machine's zone.
//
// Calendar notes used below (2026): 1 Jan is a Thursday; 1 Mar is a Sunday, so Fri 6 Mar,
// Sat 7, Sun 8, Mon 9; 27 Mar is a Friday; 25 Oct and 1 Nov are Sundays.
// Offsets: London GMT+0 / BST+1 (BST from 29 Mar 01:00Z to 25 Oct 01:00Z).
// New York EST-5 / EDT-4 (EDT from 8 Mar 07:00Z to 1 Nov 06:00Z).
// Sydney AEDT+11 / AEST+10 (AEST from 4 Apr 16:00Z to 3 Oct 16:00Z).
// Chatham +13:45 / +12:45 (standard from 4 Apr 14:00Z to 26 Sep 14:00Z).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarDateIn, computeDueDate, soc2, iso27001, findGrade, type Deadline } from 'capa-kit';

type Unit = Deadline['unit'];

/** The due date for a deadline counted from `at` (used as both detectedAt and raisedAt). */
const due = (amount: number, unit: Unit, at: string, zone: string): string =>
  computeDueDate({ amount, unit, from: 'detectedAt' }, { detectedAt: at, raisedAt: at }, zone);

describe('process time zone', () => {
  it('runs under the zone the project sets', () => {
    expect(['Pacific/Chatham', 'UTC']).toContain(process.env['TZ']);
  });
});

describe('calendarDateIn', () => {
  it.each<[zone: string, instant: string, local: string, note: string]>([
    // Pacific/Chatham: the worked example, and the minutes around local midnight
    ['Pacific/Chatham', '2026-01-31T11:00:00Z', '2026-02-01', '+13:45: already 1 Feb'],
    ['Pacific/Chatham', '2026-01-31T10:14:59Z', '2026-01-31', '+13:45: 23:59:59 on 31 Jan'],
    ['Pacific/Chatham', '2026-01-31T10:15:00Z', '2026-02-01', '+13:45: midnight'],
    ['Pacific/Chatham', '2026-04-04T10:15:00Z', '2026-04-05', '+13:45: midnight of the DST-end day'],
    ['Pacific/Chatham', '2026-04-04T13:59:59Z', '2026-04-05', '+13:45: 03:44:59, last second of daylight time'],
    ['Pacific/Chatham', '2026-04-04T14:00:00Z', '2026-04-05', '+12:45: 02:45 again'],
    ['Pacific/Chatham', '2026-04-05T11:14:59Z', '2026-04-05', '+12:45: 23:59:59'],
    ['Pacific/Chatham', '2026-04-05T11:15:00Z', '2026-04-06', '+12:45: midnight'],
    ['Pacific/Chatham', '2026-09-26T11:15:00Z', '2026-09-27', '+12:45: midnight of the DST-start day'],
    ['Pacific/Chatham', '2026-09-27T10:14:59Z', '2026-09-27', '+13:45: 23:59:59'],
    ['Pacific/Chatham', '2026-09-27T10:15:00Z', '2026-09-28', '+13:45: midnight'],
    // Europe/London
    ['Europe/London', '2026-03-28T23:30:00Z', '2026-03-28', 'GMT: 23:30'],
    ['Europe/London', '2026-03-29T00:30:00Z', '2026-03-29', 'GMT: 00:30, before the switch at 01:00Z'],
    ['Europe/London', '2026-03-29T22:59:59Z', '2026-03-29', 'BST: 23:59:59'],
    ['Europe/London', '2026-03-29T23:30:00Z', '2026-03-30', 'BST: 00:30 next day, UTC still 29 Mar'],
    ['Europe/London', '2026-10-24T22:59:59Z', '2026-10-24', 'BST: 23:59:59'],
    ['Europe/London', '2026-10-24T23:30:00Z', '2026-10-25', 'BST: 00:30, UTC still 24 Oct'],
    ['Europe/London', '2026-10-25T00:59:59Z', '2026-10-25', 'BST: 01:59:59, first pass'],
    ['Europe/London', '2026-10-25T01:30:00Z', '2026-10-25', 'GMT: 01:30, second pass'],
    ['Europe/London', '2026-10-25T23:30:00Z', '2026-10-25', 'GMT: 23:30'],
    // America/New_York
    ['America/New_York', '2026-03-08T04:30:00Z', '2026-03-07', 'EST: 23:30 on 7 Mar, UTC already 8 Mar'],
    ['America/New_York', '2026-03-08T05:00:00Z', '2026-03-08', 'EST: midnight'],
    ['America/New_York', '2026-03-09T03:59:59Z', '2026-03-08', 'EDT: 23:59:59 on 8 Mar, UTC already 9 Mar'],
    ['America/New_York', '2026-03-09T04:00:00Z', '2026-03-09', 'EDT: midnight'],
    ['America/New_York', '2026-11-01T03:30:00Z', '2026-10-31', 'EDT: 23:30 on 31 Oct'],
    ['America/New_York', '2026-11-01T05:30:00Z', '2026-11-01', 'EDT: 01:30, first pass'],
    ['America/New_York', '2026-11-01T06:30:00Z', '2026-11-01', 'EST: 01:30, second pass'],
    ['America/New_York', '2026-11-02T04:30:00Z', '2026-11-01', 'EST: 23:30 on 1 Nov, UTC already 2 Nov'],
    ['America/New_York', '2026-11-02T05:00:00Z', '2026-11-02', 'EST: midnight'],
    // Australia/Sydney
    ['Australia/Sydney', '2026-04-04T12:59:59Z', '2026-04-04', 'AEDT: 23:59:59'],
    ['Australia/Sydney', '2026-04-04T13:00:00Z', '2026-04-05', 'AEDT: midnight, UTC still 4 Apr'],
    ['Australia/Sydney', '2026-04-04T16:30:00Z', '2026-04-05', 'AEST: 02:30, second pass'],
    ['Australia/Sydney', '2026-04-05T13:59:59Z', '2026-04-05', 'AEST: 23:59:59'],
    ['Australia/Sydney', '2026-04-05T14:00:00Z', '2026-04-06', 'AEST: midnight'],
    ['Australia/Sydney', '2026-10-03T13:59:59Z', '2026-10-03', 'AEST: 23:59:59'],
    ['Australia/Sydney', '2026-10-03T14:00:00Z', '2026-10-04', 'AEST: midnight of the DST-start day'],
    ['Australia/Sydney', '2026-10-04T12:59:59Z', '2026-10-04', 'AEDT: 23:59:59'],
    ['Australia/Sydney', '2026-10-04T13:00:00Z', '2026-10-05', 'AEDT: midnight, UTC still 4 Oct'],
    // UTC and fractional offsets
    ['UTC', '2026-01-31T23:59:59.999Z', '2026-01-31', 'UTC'],
    ['UTC', '2026-02-01T00:00:00Z', '2026-02-01', 'UTC'],
    ['Asia/Kolkata', '2026-01-31T18:29:59Z', '2026-01-31', '+05:30: 23:59:59'],
    ['Asia/Kolkata', '2026-01-31T18:30:00Z', '2026-02-01', '+05:30: midnight'],
    ['Asia/Kathmandu', '2026-01-31T18:15:00Z', '2026-02-01', '+05:45: midnight'],
    ['America/St_Johns', '2026-02-01T03:29:59Z', '2026-01-31', '-03:30: 23:59:59'],
  ])('%s %s → %s (%s)', (zone, instant, local) => {
    expect(calendarDateIn(instant, zone)).toBe(local);
  });

  it('an invalid instant throws RangeError', () => {
    expect(() => calendarDateIn('not-an-instant', 'UTC')).toThrow(RangeError);
  });

  it('an unknown zone throws RangeError naming it', () => {
    expect(() => calendarDateIn('2026-03-01T10:00:00Z', 'Mars/Olympus')).toThrow(/Unknown time zone "Mars\/Olympus"/);
  });
});

describe('computeDueDate: months, clamped at month ends', () => {
  it.each<[from: string, months: number, expected: string]>([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-01-30', 1, '2026-02-28'],
    ['2026-01-28', 1, '2026-02-28'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-05-31', 1, '2026-06-30'],
    ['2026-10-31', 1, '2026-11-30'],
    ['2026-12-31', 1, '2027-01-31'],
    ['2028-02-29', 12, '2029-02-28'],
    ['2028-02-29', 48, '2032-02-29'],
    ['2026-08-31', 3, '2026-11-30'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2027-12-31', 2, '2028-02-29'],
    ['2026-03-01', 3, '2026-06-01'],
    ['2026-03-01', 12, '2027-03-01'],
    ['2026-02-28', 1, '2026-03-28'],
  ])('%s + %i months → %s', (from, months, expected) => {
    // 12:00Z is the same calendar day in UTC, London and New York.
    for (const zone of ['UTC', 'Europe/London', 'America/New_York']) {
      expect(due(months, 'months', `${from}T12:00:00Z`, zone), zone).toBe(expected);
    }
  });

  it('the zone decides the start day: Chatham is already in February', () => {
    expect(due(1, 'months', '2026-01-31T11:00:00Z', 'Pacific/Chatham')).toBe('2026-03-01');
    expect(due(1, 'months', '2026-01-31T11:00:00Z', 'UTC')).toBe('2026-02-28');
    expect(due(1, 'months', '2026-01-31T10:14:59Z', 'Pacific/Chatham')).toBe('2026-02-28');
    expect(due(1, 'months', '2026-01-31T13:00:00Z', 'Australia/Sydney')).toBe('2026-03-01');
    expect(due(1, 'months', '2026-03-01T04:30:00Z', 'America/New_York')).toBe('2026-03-28');
  });

  it('months crossing DST changes', () => {
    // London 29 Mar (BST begins) + 1 month; New York 31 Oct 23:30 EDT + 1 month.
    expect(due(1, 'months', '2026-03-29T00:30:00Z', 'Europe/London')).toBe('2026-04-29');
    expect(due(1, 'months', '2026-11-01T03:30:00Z', 'America/New_York')).toBe('2026-11-30');
    expect(due(6, 'months', '2026-04-04T13:00:00Z', 'Australia/Sydney')).toBe('2026-10-05');
    expect(due(6, 'months', '2026-04-04T10:15:00Z', 'Pacific/Chatham')).toBe('2026-10-05');
  });
});

describe('computeDueDate: days across DST changes and local midnight', () => {
  it.each<[zone: string, instant: string, days: number, expected: string]>([
    // Europe/London, spring forward on Sun 29 Mar
    ['Europe/London', '2026-03-28T23:30:00Z', 1, '2026-03-29'],
    ['Europe/London', '2026-03-28T23:30:00Z', 2, '2026-03-30'],
    ['Europe/London', '2026-03-29T00:30:00Z', 1, '2026-03-30'],
    ['Europe/London', '2026-03-29T23:30:00Z', 1, '2026-03-31'],
    ['Europe/London', '2026-03-29T23:30:00Z', 7, '2026-04-06'],
    // Europe/London, fall back on Sun 25 Oct
    ['Europe/London', '2026-10-24T22:59:59Z', 1, '2026-10-25'],
    ['Europe/London', '2026-10-24T23:30:00Z', 1, '2026-10-26'],
    ['Europe/London', '2026-10-24T23:30:00Z', 7, '2026-11-01'],
    ['Europe/London', '2026-10-25T23:30:00Z', 1, '2026-10-26'],
    // America/New_York, spring forward on Sun 8 Mar
    ['America/New_York', '2026-03-08T04:30:00Z', 1, '2026-03-08'],
    ['America/New_York', '2026-03-08T04:30:00Z', 2, '2026-03-09'],
    ['America/New_York', '2026-03-08T04:30:00Z', 30, '2026-04-06'],
    ['America/New_York', '2026-03-09T03:59:59Z', 1, '2026-03-09'],
    ['America/New_York', '2026-03-09T04:00:00Z', 1, '2026-03-10'],
    // America/New_York, fall back on Sun 1 Nov
    ['America/New_York', '2026-11-01T03:30:00Z', 1, '2026-11-01'],
    ['America/New_York', '2026-11-01T03:30:00Z', 2, '2026-11-02'],
    ['America/New_York', '2026-11-02T04:30:00Z', 1, '2026-11-02'],
    ['America/New_York', '2026-11-02T04:30:00Z', 30, '2026-12-01'],
    // Australia/Sydney, fall back on Sun 5 Apr; spring forward on Sun 4 Oct
    ['Australia/Sydney', '2026-04-04T12:59:59Z', 1, '2026-04-05'],
    ['Australia/Sydney', '2026-04-04T13:00:00Z', 1, '2026-04-06'],
    ['Australia/Sydney', '2026-04-04T13:00:00Z', 30, '2026-05-05'],
    ['Australia/Sydney', '2026-04-05T13:59:59Z', 1, '2026-04-06'],
    ['Australia/Sydney', '2026-10-03T13:59:59Z', 1, '2026-10-04'],
    ['Australia/Sydney', '2026-10-03T13:59:59Z', 2, '2026-10-05'],
    ['Australia/Sydney', '2026-10-04T13:00:00Z', 1, '2026-10-06'],
    // Pacific/Chatham, fall back on Sun 5 Apr; spring forward on Sun 27 Sep
    ['Pacific/Chatham', '2026-01-31T11:00:00Z', 1, '2026-02-02'],
    ['Pacific/Chatham', '2026-01-31T11:00:00Z', 28, '2026-03-01'],
    ['Pacific/Chatham', '2026-04-04T10:15:00Z', 1, '2026-04-06'],
    ['Pacific/Chatham', '2026-04-04T14:00:00Z', 1, '2026-04-06'],
    ['Pacific/Chatham', '2026-04-05T11:14:59Z', 1, '2026-04-06'],
    ['Pacific/Chatham', '2026-04-05T11:15:00Z', 1, '2026-04-07'],
    ['Pacific/Chatham', '2026-09-26T11:15:00Z', 1, '2026-09-28'],
    ['Pacific/Chatham', '2026-09-27T10:14:59Z', 1, '2026-09-28'],
    ['Pacific/Chatham', '2026-09-26T11:14:59Z', 30, '2026-10-26'],
    // UTC: a long deadline across a leap day
    ['UTC', '2027-12-31T12:00:00Z', 60, '2028-02-29'],
    ['UTC', '2026-03-01T10:00:00Z', 365, '2027-03-01'],
    ['UTC', '2028-03-01T10:00:00Z', 3650, '2038-02-27'],
  ])('%s %s + %i days → %s', (zone, instant, days, expected) => {
    expect(due(days, 'days', instant, zone)).toBe(expected);
  });

  it('the same instant gives different due dates in different zones', () => {
    // 2026-03-29T23:30:00Z is 29 Mar in UTC and New York, 30 Mar in London, Sydney and Chatham.
    const at = '2026-03-29T23:30:00Z';
    expect(due(1, 'days', at, 'UTC')).toBe('2026-03-30');
    expect(due(1, 'days', at, 'America/New_York')).toBe('2026-03-30');
    expect(due(1, 'days', at, 'Europe/London')).toBe('2026-03-31');
    expect(due(1, 'days', at, 'Australia/Sydney')).toBe('2026-03-31');
    expect(due(1, 'days', at, 'Pacific/Chatham')).toBe('2026-03-31');
  });
});

describe('computeDueDate: business days (Monday to Friday; holidays not modelled)', () => {
  it.each<[start: string, weekday: string, amount: number, expected: string, expectedWeekday: string]>([
    ['2026-03-06', 'Fri', 1, '2026-03-09', 'Mon'],
    ['2026-03-07', 'Sat', 1, '2026-03-09', 'Mon'],
    ['2026-03-08', 'Sun', 1, '2026-03-09', 'Mon'],
    ['2026-03-09', 'Mon', 1, '2026-03-10', 'Tue'],
    ['2026-03-05', 'Thu', 1, '2026-03-06', 'Fri'],
    ['2026-03-05', 'Thu', 2, '2026-03-09', 'Mon'],
    ['2026-03-06', 'Fri', 5, '2026-03-13', 'Fri'],
    ['2026-03-04', 'Wed', 5, '2026-03-11', 'Wed'],
    ['2026-03-07', 'Sat', 5, '2026-03-13', 'Fri'],
    ['2026-03-08', 'Sun', 5, '2026-03-13', 'Fri'],
    ['2026-03-06', 'Fri', 15, '2026-03-27', 'Fri'],
    ['2026-03-02', 'Mon', 15, '2026-03-23', 'Mon'],
    ['2026-03-07', 'Sat', 15, '2026-03-27', 'Fri'],
    ['2026-03-04', 'Wed', 7, '2026-03-13', 'Fri'],
    ['2026-03-04', 'Wed', 8, '2026-03-16', 'Mon'],
    ['2026-12-23', 'Wed', 2, '2026-12-25', 'Fri'],
    ['2026-12-31', 'Thu', 1, '2027-01-01', 'Fri'],
    ['2027-01-01', 'Fri', 1, '2027-01-04', 'Mon'],
  ])('%s (%s) + %i business days → %s (%s)', (start, _weekday, amount, expected) => {
    for (const zone of ['UTC', 'Europe/London']) {
      expect(due(amount, 'businessDays', `${start}T12:00:00Z`, zone), zone).toBe(expected);
    }
  });

  it.each<[zone: string, instant: string, amount: number, expected: string, why: string]>([
    ['Europe/London', '2026-03-27T23:30:00Z', 1, '2026-03-30', 'Fri 27 Mar 23:30 GMT → Mon, across the BST weekend'],
    ['Europe/London', '2026-03-29T23:30:00Z', 1, '2026-03-31', 'already Mon 30 Mar in BST → Tue'],
    ['UTC', '2026-03-29T23:30:00Z', 1, '2026-03-30', 'Sun 29 Mar in UTC → Mon'],
    ['America/New_York', '2026-03-10T03:00:00Z', 4, '2026-03-13', 'Mon 9 Mar 23:00 EDT → Fri'],
    ['UTC', '2026-03-10T03:00:00Z', 4, '2026-03-16', 'Tue 10 Mar in UTC → Mon'],
    ['Australia/Sydney', '2026-03-08T14:00:00Z', 1, '2026-03-10', 'Mon 9 Mar 01:00 AEDT → Tue'],
    ['UTC', '2026-03-08T14:00:00Z', 1, '2026-03-09', 'Sun 8 Mar in UTC → Mon'],
    ['Pacific/Chatham', '2026-03-05T11:00:00Z', 1, '2026-03-09', 'Fri 6 Mar 00:45 in Chatham → Mon'],
    ['UTC', '2026-03-05T11:00:00Z', 1, '2026-03-06', 'Thu 5 Mar in UTC → Fri'],
    ['Pacific/Chatham', '2026-04-02T11:00:00Z', 1, '2026-04-06', 'Fri 3 Apr in Chatham → Mon 6 Apr, across the DST end'],
  ])('%s %s + %i business days → %s (%s)', (zone, instant, amount, expected) => {
    expect(due(amount, 'businessDays', instant, zone)).toBe(expected);
  });

  it('soc2 critical: 15 business days from raisedAt, New York time', () => {
    const critical = findGrade(soc2, 'critical')?.deadline;
    if (!critical) throw new Error('soc2 has no critical deadline');
    // raised Thu 5 Mar 21:00 EST (06 Mar 02:00Z): 15 business days = 3 weeks → Thu 26 Mar.
    const base = { detectedAt: '2026-02-20T12:00:00Z', raisedAt: '2026-03-06T02:00:00Z' };
    expect(computeDueDate(critical, base, soc2.timeZone)).toBe('2026-03-26');
    // The same instant counted in UTC starts on Fri 6 Mar → Fri 27 Mar.
    expect(computeDueDate(critical, base, 'UTC')).toBe('2026-03-27');
  });
});

describe("computeDueDate: from 'detectedAt' or 'raisedAt'", () => {
  const base = { detectedAt: '2026-03-01T10:00:00Z', raisedAt: '2026-03-20T10:00:00Z' };

  it.each<[amount: number, unit: Unit, fromDetected: string, fromRaised: string]>([
    [10, 'days', '2026-03-11', '2026-03-30'],
    [3, 'months', '2026-06-01', '2026-06-20'],
    [1, 'businessDays', '2026-03-02', '2026-03-23'],
  ])('%i %s', (amount, unit, fromDetected, fromRaised) => {
    expect(computeDueDate({ amount, unit, from: 'detectedAt' }, base, 'UTC')).toBe(fromDetected);
    expect(computeDueDate({ amount, unit, from: 'raisedAt' }, base, 'UTC')).toBe(fromRaised);
  });

  it('iso27001 major counts 3 months from detection', () => {
    const major = findGrade(iso27001, 'major')?.deadline;
    if (!major) throw new Error('iso27001 has no major deadline');
    expect(computeDueDate(major, base, iso27001.timeZone)).toBe('2026-06-01');
  });

  it('only the instant counted from must be valid', () => {
    const half = { detectedAt: '2026-03-01T10:00:00Z', raisedAt: 'not-an-instant' };
    expect(computeDueDate({ amount: 1, unit: 'days', from: 'detectedAt' }, half, 'UTC')).toBe('2026-03-02');
    expect(() => computeDueDate({ amount: 1, unit: 'days', from: 'raisedAt' }, half, 'UTC')).toThrow(RangeError);
  });
});

describe('computeDueDate: invalid input', () => {
  it.each(['', 'not-an-instant', '2026-13-01T00:00:00Z', 'yesterday'])('instant %j throws RangeError', (instant) => {
    expect(() => due(1, 'days', instant, 'UTC')).toThrow(RangeError);
  });

  it('names the field and the value', () => {
    expect(() =>
      computeDueDate({ amount: 1, unit: 'days', from: 'raisedAt' }, { detectedAt: 'x', raisedAt: 'tomorrow' }, 'UTC'),
    ).toThrowErrorMatchingInlineSnapshot(`[RangeError: raisedAt is not a valid instant: tomorrow]`);
  });

  // Policies validate their zone, but computeDueDate is public: it refuses one too.
  it('an unknown time zone throws RangeError', () => {
    expect(() => due(1, 'days', '2026-03-01T10:00:00Z', 'Mars/Olympus')).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------
// Properties: pure integer calendar math on the parts calendarDateIn returns.

const ZONES = [
  'UTC',
  'Europe/London',
  'America/New_York',
  'Australia/Sydney',
  'Pacific/Chatham',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Australia/Lord_Howe',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'America/Sao_Paulo',
  'America/Santiago',
  'Asia/Tehran',
] as const;

const DAY_MS = 86_400_000;
const MIN_MS = Date.UTC(2000, 0, 1);
const MAX_MS = Date.UTC(2090, 11, 31);

function parts(date: string): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`not a calendar date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Days since 1970-01-01 of a calendar date (no zone involved: Date.UTC is pure arithmetic). */
function dayNumber(date: string): number {
  const [y, m, d] = parts(date);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;

const instantArb = fc.integer({ min: MIN_MS, max: MAX_MS }).map((ms) => new Date(ms).toISOString());
const zoneArb = fc.constantFrom(...ZONES);

describe('properties', () => {
  it('calendarDateIn agrees with Intl.DateTimeFormat', () => {
    fc.assert(
      fc.property(instantArb, zoneArb, (instant, zone) => {
        const formatted = new Intl.DateTimeFormat('en-CA', {
          timeZone: zone,
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
        }).format(new Date(instant));
        expect(calendarDateIn(instant, zone)).toBe(formatted);
      }),
      { numRuns: 500 },
    );
  });

  it('a deadline of n days is n calendar days after the local start date', () => {
    fc.assert(
      fc.property(instantArb, zoneArb, fc.integer({ min: 1, max: 3650 }), (instant, zone, n) => {
        const start = dayNumber(calendarDateIn(instant, zone));
        expect(due(n, 'days', instant, zone)).toBe(fromDayNumber(start + n));
      }),
      { numRuns: 500 },
    );
  });

  it('a deadline of n business days lands on a weekday, with exactly n weekdays after the start', () => {
    fc.assert(
      fc.property(instantArb, zoneArb, fc.integer({ min: 1, max: 260 }), (instant, zone, n) => {
        const start = dayNumber(calendarDateIn(instant, zone));
        const end = dayNumber(due(n, 'businessDays', instant, zone));
        expect([0, 6]).not.toContain(weekday(end));
        let weekdays = 0;
        for (let day = start + 1; day <= end; day += 1) if (weekday(day) !== 0 && weekday(day) !== 6) weekdays += 1;
        expect(weekdays).toBe(n);
      }),
      { numRuns: 500 },
    );
  });

  it('a deadline of n months keeps the day of month, clamped to the end of the target month', () => {
    fc.assert(
      fc.property(instantArb, zoneArb, fc.integer({ min: 1, max: 120 }), (instant, zone, n) => {
        const [y, m, d] = parts(calendarDateIn(instant, zone));
        const monthIndex = y * 12 + (m - 1) + n;
        const ty = Math.floor(monthIndex / 12);
        const tm = (monthIndex % 12) + 1;
        const daysInTarget = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
        const expected = `${String(ty).padStart(4, '0')}-${String(tm).padStart(2, '0')}-${String(Math.min(d, daysInTarget)).padStart(2, '0')}`;
        expect(due(n, 'months', instant, zone)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});
