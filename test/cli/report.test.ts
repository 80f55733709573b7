import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managementReview, type ManagementReview } from '../../src/log/reports/management-review.js';
import type { RiskFeedback } from '../../src/log/reports/risk-feedback.js';
import { buildDataset, jsonl, logLines } from '../log/reports/support/dataset.js';
import { NOW, capa, scratch } from './support.js';

// `capa report`'s defaults are the library's: the same log gives the same figures from the
// command line and from code, and `capa report FILE` alone works.
const dir = scratch('report');

beforeAll(async () => {
  // The reports' year of findings (test/log/reports/support/dataset.ts), as a log file.
  const { store } = await buildDataset();
  writeFileSync(join(dir, 'acme.jsonl'), jsonl(await logLines(store)));
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const json = async <T>(argv: readonly string[]): Promise<T> => {
  const run = await capa(dir, [...argv, '--format', 'json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as T;
};

describe('capa report defaults', () => {
  it('gives the figures managementReview gives for the same log and period: measured at the end of a past period, not now', async () => {
    const period = { from: '2026-01-01', to: '2026-03-31' };
    const cli = await json<ManagementReview>(['report', 'acme.jsonl', '--kind', 'management-review', '--from', period.from, '--to', period.to]);
    const library = await managementReview(readFileSync(join(dir, 'acme.jsonl')), { ...period, clock: () => NOW });
    expect(cli).toEqual(library);
    expect(cli.asOf).toBe('2026-03-31T23:59:59.999Z');
    // Measured now instead, the same period gives other figures: why one default matters.
    const now = await managementReview(readFileSync(join(dir, 'acme.jsonl')), { ...period, asOf: NOW.toISOString() });
    expect([now.open.total, now.overdue.total, now.stale]).not.toEqual([cli.open.total, cli.overdue.total, cli.stale]);
  });

  it('works with no flags: the twelve months up to today, both reports measured now', async () => {
    const [review, risk] = await json<[ManagementReview, RiskFeedback]>(['report', 'acme.jsonl']);
    expect(review.period).toEqual({ from: '2025-11-23', to: '2026-11-22' });
    expect(review.asOf).toBe('2026-11-22T12:00:00Z');
    expect(risk.asOf).toBe(review.asOf);
    const markdown = await capa(dir, ['report', 'acme.jsonl']);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toContain('Period 23 November 2025 to 22 November 2026');
  });

  it('measures both reports at the same instant, --as-of when given', async () => {
    const [review, risk] = await json<[ManagementReview, RiskFeedback]>(['report', 'acme.jsonl', '--from', '2026-01-01', '--to', '2026-06-30']);
    expect(risk.asOf).toBe(review.asOf);
    expect(review.asOf).toBe('2026-06-30T23:59:59.999Z');
    const given = await json<[ManagementReview, RiskFeedback]>(['report', 'acme.jsonl', '--from', '2026-01-01', '--to', '2026-06-30', '--as-of', '2026-05-01T00:00:00Z']);
    expect(given.map((r) => r.asOf)).toEqual(['2026-05-01T00:00:00Z', '2026-05-01T00:00:00Z']);
    // A period that has not ended is measured now, never at its future end.
    const running = await json<ManagementReview>(['report', 'acme.jsonl', '--kind', 'management-review', '--from', '2026-01-01', '--to', '2026-12-31']);
    expect(running.asOf).toBe('2026-11-22T12:00:00Z');
  });
});
