// A date as `asOf` means one day to every reader: the end of that day in the policy's time
// zone, for validateLog, the reports and `capa --as-of`. Before, the CLI turned
// `--as-of 2026-06-30` into the end of that day in UTC while the library's defaults end a
// day in the policy's zone: a zone east of UTC judged overdue findings a day late.
import { describe, expect, it } from 'vitest';
import { defineSeverityPolicy, iso27001 } from 'capa-kit';
import { managementReview, riskFeedback, validateLog } from 'capa-kit/log';
import { asOfInstant } from '../../../src/log/reports/time.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { driveTo, setup } from '../../register/harness.js';
import { exportText } from '../fixtures.js';
import { capa, scratch } from '../../cli/support.js';

const auckland = defineSeverityPolicy({ ...iso27001, id: 'iso27001-nz', timeZone: 'Pacific/Auckland' });

describe('a date as asOf', () => {
  it('is the last millisecond of that day in the zone', () => {
    expect(new Date(asOfInstant('2026-06-30', 'Pacific/Auckland')).toISOString()).toBe('2026-06-30T11:59:59.999Z'); // NZST, UTC+12
    expect(new Date(asOfInstant('2026-01-15', 'Pacific/Auckland')).toISOString()).toBe('2026-01-15T10:59:59.999Z'); // NZDT, UTC+13
    expect(new Date(asOfInstant('2026-06-30', 'UTC')).toISOString()).toBe('2026-06-30T23:59:59.999Z');
    expect(asOfInstant('2026-06-30T08:00:00Z', 'Pacific/Auckland')).toBe(Date.parse('2026-06-30T08:00:00Z'));
    expect(asOfInstant('2026-02-30', 'UTC')).toBeNaN();
    expect(asOfInstant('yesterday', 'UTC')).toBeNaN();
  });

  it('validateLog, the reports and capa --as-of read it alike, in the policy\'s zone', async () => {
    const h = setup({ policy: auckland });
    await driveTo(h.register, 'implementing');
    const text = await exportText(h.store, { policy: auckland });
    const [finding] = (await h.register.query({})).findings;
    const due = finding!.dueDate!;
    const endOfDue = new Date(asOfInstant(due, 'Pacific/Auckland')).toISOString();

    // The day after the due date: overdue there, though in UTC it is still the due date for 12 hours.
    const dayAfter = new Date(Date.parse(`${due}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const byDate = await validateLog(text, { asOf: dayAfter, workers: 0 });
    const byInstant = await validateLog(text, { asOf: new Date(asOfInstant(dayAfter, 'Pacific/Auckland')), workers: 0 });
    expect(byDate.issues.map((issue) => issue.code)).toContain('overdue');
    expect(byDate.issues).toEqual(byInstant.issues);
    expect((await validateLog(text, { asOf: due, workers: 0 })).issues.map((issue) => issue.code)).not.toContain('overdue');

    const review = await managementReview(text, { from: '2026-01-01', to: dayAfter, asOf: dayAfter });
    expect(review.asOf).toBe(new Date(asOfInstant(dayAfter, 'Pacific/Auckland')).toISOString());
    expect(review.overdue.total).toBe(1);
    const feedback = await riskFeedback(text, { asOf: due, withinDays: 365, moreThan: 0 });
    expect(feedback.asOf).toBe(endOfDue);

    const dir = scratch('as-of');
    writeFileSync(join(dir, 'acme.jsonl'), text);
    const run = await capa(dir, ['validate', 'acme.jsonl', '--as-of', dayAfter, '--format', 'json', '--strict']);
    const cli = JSON.parse(run.stdout) as { issues: { code: string }[] };
    expect(run.code).toBe(1);
    expect(cli.issues.map((issue) => issue.code)).toEqual(byDate.issues.map((issue) => issue.code));
  });
});
