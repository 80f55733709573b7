import { describe, expect, it } from 'vitest';
import { createReferenceGenerator, defaultReference, RaisedFinding } from 'capa-kit';
import { sampleFinding } from '../fixtures/events.js';

describe('reference generators', () => {
  it.each([
    [1, '2026-03-02T15:30:00Z', 'UTC', 'NC-2026-0001'],
    [42, '2026-03-02T15:30:00Z', 'UTC', 'NC-2026-0042'],
    [12345, '2026-03-02T15:30:00Z', 'UTC', 'NC-2026-12345'],
    // The year is the one written in the policy's zone.
    [7, '2026-12-31T23:30:00Z', 'Europe/Berlin', 'NC-2027-0007'],
    [7, '2027-01-01T00:30:00Z', 'America/New_York', 'NC-2026-0007'],
    [7, '2026-12-31T10:30:00Z', 'Pacific/Chatham', 'NC-2027-0007'],
  ])('sequence %i raised %s in %s is %s', (sequence, raisedAt, timeZone, expected) => {
    expect(defaultReference({ sequence, raisedAt, timeZone })).toBe(expected);
  });

  it('every default reference passes the finding schema', () => {
    for (const sequence of [1, 9999, 10000, 123456789]) {
      const reference = defaultReference({ sequence, raisedAt: '2026-03-02T15:30:00Z', timeZone: 'UTC' });
      expect(RaisedFinding.safeParse(sampleFinding({ reference })).success).toBe(true);
    }
  });

  it('takes a house prefix and width', () => {
    const next = createReferenceGenerator({ prefix: 'ISMS', width: 6 });
    expect(next({ sequence: 3, raisedAt: '2026-01-05T09:00:00Z', timeZone: 'UTC' })).toBe('ISMS-2026-000003');
  });

  it.each([
    [{ prefix: 'nc' }, /prefix/],
    [{ prefix: '1NC' }, /prefix/],
    [{ width: 3 }, /width/],
    [{ width: 10 }, /width/],
  ])('refuses options %o', (options, message) => {
    expect(() => createReferenceGenerator(options)).toThrow(message);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses sequence %s', (sequence) => {
    expect(() => defaultReference({ sequence, raisedAt: '2026-03-02T15:30:00Z', timeZone: 'UTC' })).toThrow(RangeError);
  });
});
