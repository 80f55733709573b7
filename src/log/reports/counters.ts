import { findGrade } from '../../policies/grade.js';
import { FINDING_SOURCES } from '../../schemas/finding.js';
import type { SeverityPolicy } from '../../schemas/severity-policy.js';
import { gradeLabel, labelOf, SOURCE_LABELS } from './labels.js';
import { compareReferences } from './references.js';

// The counters a streaming report keeps instead of the findings: counts by grade and
// source, durations for percentiles, and groups with their first references.

/**
 * One bar of a breakdown: a grade, a source or a category, its label and how many.
 *
 * @example
 * ```ts
 * import type { ReportCount } from 'capa-kit/log';
 *
 * const row = (count: ReportCount) => `${count.label}: ${count.count}`;
 * ```
 */
export interface ReportCount {
  readonly key: string;
  readonly label: string;
  readonly count: number;
}

/**
 * A count of findings, split by grade (every grade of the policy, in its order) and by
 * source (every source kind).
 *
 * @example
 * ```ts
 * import type { ReportBreakdown } from 'capa-kit/log';
 *
 * const majors = (breakdown: ReportBreakdown) => breakdown.byGrade.find((g) => g.key === 'major')?.count ?? 0;
 * ```
 */
export interface ReportBreakdown {
  readonly total: number;
  readonly byGrade: readonly ReportCount[];
  readonly bySource: readonly ReportCount[];
}

/**
 * Times to close, in days (one decimal): how many closures, their mean, median and 90th
 * percentile (nearest rank); `null` when nothing closed.
 *
 * @example
 * ```ts
 * import type { DurationStats } from 'capa-kit/log';
 *
 * const line = (d: DurationStats) => d.count === 0 ? 'none closed' : `mean ${d.meanDays} d, p90 ${d.p90Days} d`;
 * ```
 */
export interface DurationStats {
  readonly count: number;
  readonly meanDays: number | null;
  readonly medianDays: number | null;
  readonly p90Days: number | null;
}

/**
 * Findings sharing a requirement or a root cause category: the key, its label, how many,
 * and the first 20 references in reference order (prefix, year, then number: NC-2026-0002
 * before NC-2026-0010).
 *
 * @example
 * ```ts
 * import type { RecurringGroup } from 'capa-kit/log';
 *
 * const line = (group: RecurringGroup) => `${group.label}: ${group.count} (${group.references.join(', ')})`;
 * ```
 */
export interface RecurringGroup {
  readonly key: string;
  readonly label: string;
  readonly count: number;
  readonly references: readonly string[];
}

/** Counts by grade and by source, in a stable order. */
export class BreakdownCounter {
  total = 0;
  private readonly grades = new Map<string, number>();
  private readonly sources = new Map<string, number>();
  add(grade: string, source: string): void {
    this.total += 1;
    this.grades.set(grade, (this.grades.get(grade) ?? 0) + 1);
    this.sources.set(source, (this.sources.get(source) ?? 0) + 1);
  }
  result(policy: SeverityPolicy): ReportBreakdown {
    const gradeKeys = [...policy.grades.map((grade) => grade.id), ...[...this.grades.keys()].filter((grade) => findGrade(policy, grade) === undefined).sort()];
    const sourceKeys = [...FINDING_SOURCES, ...[...this.sources.keys()].filter((source) => !(FINDING_SOURCES as readonly string[]).includes(source)).sort()];
    return {
      total: this.total,
      byGrade: gradeKeys.map((key) => ({ key, label: gradeLabel(policy, key), count: this.grades.get(key) ?? 0 })),
      bySource: sourceKeys.map((key) => ({ key, label: labelOf(SOURCE_LABELS, key), count: this.sources.get(key) ?? 0 })),
    };
  }
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** Mean, median and nearest-rank 90th percentile of durations in days. */
export function durationStats(days: readonly number[]): DurationStats {
  if (days.length === 0) return { count: 0, meanDays: null, medianDays: null, p90Days: null };
  const sorted = [...days].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
  return {
    count: sorted.length,
    meanDays: round1(sorted.reduce((sum, value) => sum + value, 0) / sorted.length),
    medianDays: round1(rank(0.5)),
    p90Days: round1(rank(0.9)),
  };
}

/** Counts findings by a key, keeping the first references of each in reference order. */
export class GroupCounter {
  private readonly groups = new Map<string, { count: number; references: string[] }>();
  constructor(private readonly keep = 20) {}
  add(key: string, reference: string): void {
    let group = this.groups.get(key);
    if (group === undefined) {
      group = { count: 0, references: [] };
      this.groups.set(key, group);
    }
    group.count += 1;
    group.references.push(reference);
    // The log is in record id order, not reference order: keep the lowest, trimming now and then.
    if (group.references.length > 2 * this.keep + 100) this.trim(group.references);
  }
  private trim(references: string[]): string[] {
    references.sort(compareReferences);
    references.length = Math.min(references.length, this.keep);
    return references;
  }
  atLeast(minimum: number, label: (key: string) => string): RecurringGroup[] {
    return [...this.groups.entries()]
      .filter(([, group]) => group.count >= minimum)
      .map(([key, group]) => ({ key, label: label(key), count: group.count, references: this.trim(group.references) }))
      .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}

