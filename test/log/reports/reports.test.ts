import { beforeAll, describe, expect, it } from 'vitest';
import { defineSeverityPolicy, iso27001 } from '../../../src/index.js';
import { CapaValidationError } from '../../../src/errors/validation-error.js';
import { exportLog } from '../../../src/log/export/export-log.js';
import type { LogLine, LoggedFinding } from '../../../src/log/format/lines.js';
import { durationStats } from '../../../src/log/reports/counters.js';
import { managementReview } from '../../../src/log/reports/management-review.js';
import { riskFeedback } from '../../../src/log/reports/risk-feedback.js';
import type { CapaRegister, CapaStore } from '../../../src/register/index.js';
import { compareReferences } from '../../../src/log/reports/references.js';
import { buildDataset, datasetRegister, jsonl, logLines, ORGANISATION, people, SPECS, TENANT, walkSpec } from './support/dataset.js';

let lines: LogLine[];
let ids: Map<string, string>;
let register: CapaRegister;
let store: CapaStore;
const H1 = { from: '2026-01-01', to: '2026-06-30' } as const;

beforeAll(async () => {
  const dataset = await buildDataset();
  ({ ids, register, store } = dataset);
  lines = await logLines(store);
});

const refOf = (key: string) => lines.find((l): l is LoggedFinding => l.type === 'finding' && l.finding.id === ids.get(key))!.finding.reference;
const counts = (list: readonly { key: string; count: number }[]) => Object.fromEntries(list.filter((c) => c.count > 0).map((c) => [c.key, c.count]));

describe('managementReview (Clause 9.3 input)', () => {
  it('counts raised, closed, rejected, open, overdue and stale findings for the period, by grade and source', async () => {
    const review = await managementReview(lines, H1);
    expect(review).toMatchObject({
      kind: 'management-review',
      tenant: { id: TENANT, organisation: ORGANISATION },
      policy: { id: 'iso27001', timeZone: 'UTC' },
      period: H1,
      asOf: '2026-06-30T23:59:59.999Z',
      rejected: 1,
      stale: 4,
    });
    expect(review.raised.total).toBe(8);
    expect(counts(review.raised.byGrade)).toEqual({ major: 3, minor: 3, observation: 1, ofi: 1 });
    expect(counts(review.raised.bySource)).toEqual({ 'internal-audit': 3, 'external-audit': 1, 'kpi-measurement': 1, 'management-review': 1, 'incident-review': 1, other: 1 });
    expect(review.raised.byGrade.map((g) => g.key)).toEqual(iso27001.grades.map((g) => g.id));
    expect(review.closed.total).toBe(5);
    expect(counts(review.closed.byGrade)).toEqual({ major: 2, minor: 2, ofi: 1 });
    expect(review.open.total).toBe(4);
    expect(counts(review.open.byGrade)).toEqual({ major: 3, observation: 1 });
    expect(review.overdue.total).toBe(2);
    expect(counts(review.overdue.bySource)).toEqual({ 'internal-audit': 1, 'external-audit': 1 });
    expect(review.overdueFindings.map((f) => [f.reference, f.dueDate, f.daysOverdue])).toEqual([
      [refOf('F9'), '2026-03-01', 121],
      [refOf('F3'), '2026-05-20', 41],
    ]);
  });

  it('gives the mean, median and 90th percentile time to close, overall and by grade', async () => {
    const { timeToClose } = await managementReview(lines, H1);
    // Closed in the period: 15, 69, 80, 87 and 109 days after being raised.
    expect(timeToClose).toMatchObject({ count: 5, meanDays: 72, medianDays: 80, p90Days: 109 });
    expect(timeToClose.byGrade.map((g) => [g.grade, g.count, g.meanDays, g.p90Days])).toEqual([
      ['major', 2, 74.5, 80],
      ['minor', 2, 98, 109],
      ['ofi', 1, 15, 15],
    ]);
  });

  it('gives the effectiveness rate on first review, recurring requirements and causes, and the monthly trend', async () => {
    const review = await managementReview(lines, H1);
    expect(review.effectiveness).toEqual({ firstReviews: 4, effectiveFirst: 3, rate: 0.75, notEffectiveReviews: 1 });
    // A.8.8 has F3 and F8 raised in the period, but F8 was rejected: not a recurrence.
    expect(review.recurring.requirements.map((g) => [g.key, g.count, g.references])).toEqual([['ISO/IEC 27001:2022 A.5.18', 3, [refOf('F1'), refOf('F2'), refOf('F4')]]]);
    expect(review.recurring.causeCategories.map((g) => [g.label, g.count])).toEqual([['Process', 2]]);
    expect(review.trend.map((m) => [m.month, m.raised, m.closed, m.openAtEnd, m.overdueAtEnd])).toEqual([
      ['2026-01', 1, 1, 2, 0],
      ['2026-02', 2, 0, 4, 0],
      ['2026-03', 1, 1, 4, 1],
      ['2026-04', 2, 1, 5, 1],
      ['2026-05', 2, 1, 5, 2],
      ['2026-06', 0, 1, 4, 2],
    ]);
  });

  it('counts what was true in an earlier period, from the history, not what is true at export', async () => {
    const q1 = await managementReview(lines, { from: '2026-01-01', to: '2026-03-31' });
    // At the end of March F1 had just closed; F2, F3, F4 and F9 were open (F2 closed only in May).
    expect(q1.open.total).toBe(4);
    expect(q1.closed.total).toBe(2);
    expect(q1.overdue.total).toBe(1);
    expect(q1.effectiveness).toEqual({ firstReviews: 2, effectiveFirst: 2, rate: 1, notEffectiveReviews: 0 });
    const asOf = await managementReview(lines, { ...H1, asOf: '2026-04-12T00:00:00Z' });
    expect(asOf.asOf).toBe('2026-04-12T00:00:00Z');
    expect(asOf.trend.at(-1)).toMatchObject({ month: '2026-06', openAtEnd: 5 });
  });

  it('counts by detection date when asked (findings imported from a spreadsheet are raised at import)', async () => {
    const moved = lines.map((line) =>
      line.type === 'finding' && line.finding.id === ids.get('F7') ? { ...line, finding: { ...line.finding, detectedAt: '2025-12-15T09:00:00Z' } } : line,
    );
    const byRaised = await managementReview(moved, H1);
    const byDetected = await managementReview(moved, { ...H1, countBy: 'detectedAt' });
    expect(byRaised.raised.total).toBe(8);
    expect(byDetected.raised.total).toBe(7);
  });

  it('reads the log as JSON Lines text, bytes in arbitrary chunks, or an async stream', async () => {
    const expected = await managementReview(lines, H1);
    const bytes = new TextEncoder().encode(jsonl(lines));
    const chunks = Array.from({ length: Math.ceil(bytes.length / 333) }, (_, i) => bytes.slice(i * 333, (i + 1) * 333));
    expect(await managementReview(chunks, H1)).toEqual(expected);
    expect(await managementReview(jsonl(lines), H1)).toEqual(expected);
    async function* stream() {
      for (const line of lines) yield line;
    }
    expect(await managementReview(stream(), H1)).toEqual(expected);
  });

  it('reads the log exportLog writes from the store', async () => {
    const exported = exportLog(store, { tenant: TENANT, organisation: ORGANISATION, policy: iso27001, generatedAt: '2026-11-22T09:00:00Z' });
    const review = await managementReview(exported, H1);
    expect(review).toEqual(await managementReview(lines, H1));
  });

  it('needs a policy: the options\' or the header\'s', async () => {
    const noHeader = lines.filter((l) => l.type !== 'capa-log');
    await expect(managementReview(noHeader, H1)).rejects.toThrow(/no severity policy/);
    const review = await managementReview(noHeader, { ...H1, policy: iso27001 });
    expect(review.tenant).toBeNull();
    expect(review.open.total).toBe(4);
    // Another policy's zone moves calendar dates and its deadlines move due dates.
    const strict = defineSeverityPolicy({ ...iso27001, id: 'strict', grades: iso27001.grades.map((g) => (g.id === 'minor' ? { ...g, deadline: { amount: 30, unit: 'days', from: 'detectedAt' } } : g)) });
    expect((await managementReview(noHeader, { ...H1, policy: strict })).overdue.total).toBe(2);
  });

  it('refuses bad options and bad lines with typed errors', async () => {
    await expect(managementReview(lines, { from: '2026-07-01', to: '2026-06-30' })).rejects.toBeInstanceOf(CapaValidationError);
    await expect(managementReview(lines, { from: '2026-02-30', to: '2026-06-30' })).rejects.toBeInstanceOf(CapaValidationError);
    const error = await managementReview(['{"type":"finding"}\n'], { ...H1, policy: iso27001 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CapaValidationError);
    expect((error as CapaValidationError).subject).toBe('log line 1');
  });

  it('keeps the list of overdue findings to listLimit, most overdue first', async () => {
    const review = await managementReview(lines, { ...H1, listLimit: 1 });
    expect(review.overdueFindings.map((f) => f.reference)).toEqual([refOf('F9')]);
    expect(review.overdueFindingsOmitted).toBe(1);
  });
});

describe('durationStats', () => {
  it('uses nearest-rank percentiles', () => {
    expect(durationStats([])).toEqual({ count: 0, meanDays: null, medianDays: null, p90Days: null });
    expect(durationStats([10])).toEqual({ count: 1, meanDays: 10, medianDays: 10, p90Days: 10 });
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(durationStats(hundred)).toEqual({ count: 100, meanDays: 50.5, medianDays: 50, p90Days: 90 });
  });
});

describe('riskFeedback (Clause 6)', () => {
  const options = { asOf: '2026-07-31T00:00:00Z', withinDays: 365, moreThan: 2 } as const;

  it('lists requirements and cause categories recurring more than the threshold within the window, with their findings', async () => {
    const feedback = await riskFeedback(lines, options);
    expect(feedback).toMatchObject({ kind: 'risk-feedback', since: '2025-07-31T00:00:00Z', findingsInWindow: 10 });
    expect(feedback.requirements.map((g) => [g.key, g.count, g.open])).toEqual([['ISO/IEC 27001:2022 A.5.18', 5, 1]]);
    expect(feedback.requirements[0]!.findings.map((f) => f.reference).sort()).toEqual(['F1', 'F2', 'F4', 'F9', 'F11'].map(refOf).sort());
    // Most recent first.
    expect(feedback.requirements[0]!.findings[0]!.reference).toBe(refOf('F4'));
    expect(feedback.causeCategories.map((g) => [g.key, g.label, g.count])).toEqual([['process', 'Process', 3]]);
    expect(feedback.notEffective.map((f) => f.reference)).toEqual([refOf('F2')]);
  });

  it('lowers and raises with the threshold and the window', async () => {
    const lower = await riskFeedback(lines, { ...options, moreThan: 1 });
    expect(lower.requirements.map((g) => [g.key, g.count])).toEqual([
      ['ISO/IEC 27001:2022 A.5.18', 5],
      ['ISO/IEC 27001:2022 A.8.8', 2],
    ]);
    const shortWindow = await riskFeedback(lines, { ...options, withinDays: 120 });
    // Raised after 2026-04-02: F6, F7 and F10 (F8 was rejected).
    expect(shortWindow.findingsInWindow).toBe(3);
    expect(shortWindow.requirements).toEqual([]);
  });

  it('agrees with register.query({ recurrence }), except that rejected findings are not counted', async () => {
    const query = await register.query({ recurrence: { by: 'requirement', moreThan: 2, withinDays: 365, asOf: options.asOf } }, { limit: 100 });
    const feedback = await riskFeedback(lines, options);
    const fromReport = feedback.requirements.flatMap((g) => g.findings.map((f) => f.reference)).sort();
    const fromRegister = query.findings.map((f) => f.reference).sort();
    // The register also counts the rejected F8, which lifts A.8.8 (F3, F8, F10) over the threshold.
    expect(fromRegister).toEqual([...fromReport, refOf('F3'), refOf('F8'), refOf('F10')].sort());
  });

  it('refuses bad options', async () => {
    await expect(riskFeedback(lines, { ...options, withinDays: 0 })).rejects.toBeInstanceOf(CapaValidationError);
    await expect(riskFeedback(lines, { ...options, asOf: 'yesterday' })).rejects.toBeInstanceOf(CapaValidationError);
  });
});

describe('one rule for recurrence in both reports', () => {
  const a518 = { kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: 'A.5.18' } as const;
  let extra: LogLine[];
  let extraIds: Map<string, string>;

  beforeAll(async () => {
    // The year of findings, and on A.5.18 a conformity and a duplicate rejected as such.
    const { register: reg, clock, store: st } = datasetRegister();
    extraIds = new Map();
    for (const spec of SPECS) extraIds.set(spec.key, await walkSpec(reg, clock, spec));
    extraIds.set('C1', await walkSpec(reg, clock, { key: 'C1', title: 'Quarterly access review done on time', grade: 'conformity', source: 'internal-audit', requirement: a518, raised: '2026-04-20' }));
    const duplicate = await walkSpec(reg, clock, { key: 'D1', title: 'Leavers still have accounts', grade: 'minor', source: 'internal-audit', requirement: a518, raised: '2026-01-12' });
    extraIds.set('D1', duplicate);
    clock.now = new Date('2026-01-13T09:00:00Z');
    await reg.reject({ actor: people.lee, findingId: duplicate, kind: 'duplicate', duplicateOf: extraIds.get('F1')!, reason: 'The same leaver accounts as the internal audit finding' });
    extra = await logLines(st);
  });

  const refIn = (key: string) => extra.find((l): l is LoggedFinding => l.type === 'finding' && l.finding.id === extraIds.get(key))!.finding.reference;

  it('counts neither a conformity nor a rejected duplicate toward a recurring requirement, in the management review and the risk feedback alike', async () => {
    // The same window for both: the twelve months to 31 July 2026.
    const review = await managementReview(extra, { from: '2025-08-01', to: '2026-07-31' });
    const risk = await riskFeedback(extra, { asOf: '2026-08-01T00:00:00Z', withinDays: 365, moreThan: 1 });
    const fromReview = review.recurring.requirements.find((g) => g.key === 'ISO/IEC 27001:2022 A.5.18')!;
    const fromRisk = risk.requirements.find((g) => g.key === 'ISO/IEC 27001:2022 A.5.18')!;
    const expected = ['F9', 'F11', 'F1', 'F2', 'F4'].map(refIn);
    expect(fromReview.count).toBe(5);
    expect(fromReview.references).toEqual(expected);
    expect(fromRisk.count).toBe(5);
    expect(fromRisk.findings.map((f) => f.reference).sort(compareReferences)).toEqual(expected);
    for (const left of ['C1', 'D1'].map(refIn)) {
      expect(fromReview.references).not.toContain(left);
      expect(fromRisk.findings.map((f) => f.reference)).not.toContain(left);
    }
    // A.8.8 in the same window: F3, F10, and F8, rejected; neither report calls it recurring at 2.
    expect(review.recurring.requirements.map((g) => [g.key, g.count])).toContainEqual(['ISO/IEC 27001:2022 A.8.8', 2]);
    expect(risk.requirements.map((g) => [g.key, g.count])).toContainEqual(['ISO/IEC 27001:2022 A.8.8', 2]);
    // Both are still counted where they belong: raised in the period, and the rejected one as rejected.
    expect(review.raised.total).toBe(13);
    expect(review.rejected).toBe(2);
  });
});

describe('references in report order', () => {
  it('sorts by prefix, year, then number, the number as a number', () => {
    const refs = ['NC-2026-10000', 'NC-2026-0002', 'CA-2026-0001', 'NC-2025-0009', 'NC-2026-9999', 'odd'];
    expect([...refs].sort(compareReferences)).toEqual(['CA-2026-0001', 'NC-2025-0009', 'NC-2026-0002', 'NC-2026-9999', 'NC-2026-10000', 'odd']);
  });

  it('lists the references of a recurring group in that order, whatever the log order', async () => {
    // The log is in record id order; reversed, the references come out the same.
    const reversed = [lines[0]!, ...lines.slice(1).reverse()];
    const review = await managementReview(reversed, H1);
    expect(review.recurring.requirements[0]!.references).toEqual([refOf('F1'), refOf('F2'), refOf('F4')]);
    expect((await managementReview(lines, H1)).recurring).toEqual(review.recurring);
  });
});

describe('the period and asOf defaults (the same in capa report)', () => {
  const clockAt = (iso: string) => () => new Date(iso);

  it('covers the twelve months up to today without a period, measured now', async () => {
    const review = await managementReview(lines, { clock: clockAt('2026-07-20T10:30:00Z') });
    expect(review.period).toEqual({ from: '2025-07-21', to: '2026-07-20' });
    expect(review.asOf).toBe('2026-07-20T10:30:00Z');
    expect(review.trend.map((m) => m.month)).toEqual(['2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07']);
    // A year to a 29 February starts on the 1st of March of the year before.
    expect((await managementReview(lines, { to: '2028-02-29', clock: clockAt('2028-03-05T00:00:00Z') })).period).toEqual({ from: '2027-03-01', to: '2028-02-29' });
    expect((await managementReview(lines, { from: '2026-01-01', clock: clockAt('2026-07-20T10:30:00Z') })).period).toEqual({ from: '2026-01-01', to: '2026-07-20' });
  });

  it('measures a past period at its end, and a period not over yet now, never in the future', async () => {
    const past = await managementReview(lines, { ...H1, clock: clockAt('2026-11-22T12:00:00Z') });
    expect(past.asOf).toBe('2026-06-30T23:59:59.999Z');
    const running = await managementReview(lines, { from: '2026-01-01', to: '2026-12-31', clock: clockAt('2026-04-12T00:00:00Z') });
    expect(running.asOf).toBe('2026-04-12T00:00:00Z');
    // As of 12 April only F9 was overdue; at the end of December F3 and F10 would be too.
    expect(running.overdue.total).toBe(1);
    expect((await managementReview(lines, { from: '2026-01-01', to: '2026-12-31', asOf: '2026-12-31T23:59:59Z' })).overdue.total).toBeGreaterThan(1);
    await expect(managementReview(lines, { from: '2026-08-01', clock: clockAt('2026-07-20T10:30:00Z') })).rejects.toThrow(/must not end before it starts \(2026-08-01 to 2026-07-20, the end defaulting to today\)/);
  });
});
