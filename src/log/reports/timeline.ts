import { computeDueDate } from '../../policies/due-date.js';
import { findGrade } from '../../policies/grade.js';
import type { SeverityPolicy } from '../../schemas/severity-policy.js';
import type { LoggedFinding } from '../format/lines.js';

// A finding's life, read back from its history: what it was at any instant. The log line
// carries the finding as it is at export; the history says when each change happened, so
// a report for an earlier period counts what was true then, not what is true now.

/** Where a finding stood at an instant. */
export type StandingKind = 'open' | 'closed' | 'rejected' | 'conformity';

/** What a finding was at one instant. */
export interface Standing {
  readonly kind: StandingKind;
  readonly grade: string;
  /** The due date its grade gave it then (`null`: no deadline). */
  readonly dueDate: string | null;
  /** The last history entry at or before the instant (epoch ms). */
  readonly lastActivity: number;
}

/** One change of the finding's life that a report counts. */
export interface TimelineEvent {
  readonly at: number;
  readonly type: 'raise' | 'close' | 'reopen' | 'reject' | 'regrade' | 'review';
  readonly grade?: string;
  readonly result?: 'effective' | 'not-effective';
}

/** A finding's life as a report reads it. */
export interface Timeline {
  readonly raisedAt: number;
  readonly detectedAt: number;
  /** In time order. */
  readonly events: readonly TimelineEvent[];
  /** Every history entry's time, ascending. */
  readonly activity: readonly number[];
  /** Standing at an instant; `null` when the finding was not raised yet. */
  at(instant: number): Standing | null;
}

const record = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

const stringAt = (value: unknown, ...path: string[]): string | undefined => {
  let current: unknown = value;
  for (const key of path) current = record(current)?.[key];
  return typeof current === 'string' ? current : undefined;
};

/** Reads a finding line's timeline; a line without history falls back to the finding's own fields. */
export function timelineOf(line: LoggedFinding, policy: SeverityPolicy): Timeline {
  const { finding } = line;
  const raisedAt = Date.parse(finding.raisedAt);
  const detectedAt = Date.parse(finding.detectedAt);
  const events: TimelineEvent[] = [];
  const activity: number[] = [];
  if (line.history.length > 0) {
    for (const { entry } of line.history) {
      const at = Date.parse(entry.at);
      activity.push(at);
      switch (entry.type) {
        case 'RAISE':
          events.push({ at, type: 'raise', grade: stringAt(entry.payload, 'finding', 'grade') ?? finding.grade });
          break;
        case 'REGRADE': {
          const grade = stringAt(entry.payload, 'grade');
          if (grade !== undefined) events.push({ at, type: 'regrade', grade });
          break;
        }
        case 'CLOSE':
          events.push({ at, type: 'close' });
          break;
        case 'REOPEN':
          events.push({ at, type: 'reopen' });
          break;
        case 'REJECT':
          events.push({ at, type: 'reject' });
          break;
        case 'RECORD_REVIEW': {
          const result = stringAt(entry.payload, 'review', 'result');
          if (result === 'effective' || result === 'not-effective') events.push({ at, type: 'review', result });
          break;
        }
        default:
          break;
      }
    }
  } else {
    // No history in the line: what the finding's fields say (the raise grade is unknown: take the current).
    events.push({ at: raisedAt, type: 'raise', grade: finding.grade });
    activity.push(raisedAt);
    for (const review of finding.effectivenessReviews) events.push({ at: Date.parse(review.reviewedAt), type: 'review', result: review.result });
    if (finding.closure !== null) events.push({ at: Date.parse(finding.closure.closedAt), type: 'close' });
    if (finding.rejection !== null) events.push({ at: Date.parse(finding.rejection.rejectedAt), type: 'reject' });
    activity.push(Date.parse(finding.updatedAt));
  }
  events.sort((a, b) => a.at - b.at);
  activity.sort((a, b) => a - b);
  if (!events.some((event) => event.type === 'raise')) events.unshift({ at: raisedAt, type: 'raise', grade: finding.grade });

  const dueFor = (grade: string): string | null => {
    const policyGrade = findGrade(policy, grade);
    if (policyGrade === undefined) return grade === finding.grade ? finding.dueDate : null;
    return policyGrade.deadline === null ? null : computeDueDate(policyGrade.deadline, finding, policy.timeZone);
  };
  const lifecycleOf = (grade: string) => findGrade(policy, grade)?.lifecycle ?? (finding.status === 'conformity' ? 'none' : 'corrective-action');

  return {
    raisedAt,
    detectedAt,
    events,
    activity,
    at(instant: number): Standing | null {
      let kind: StandingKind | null = null;
      let grade = finding.grade;
      for (const event of events) {
        if (event.at > instant) break;
        switch (event.type) {
          case 'raise':
            grade = event.grade ?? grade;
            kind = lifecycleOf(grade) === 'none' ? 'conformity' : 'open';
            break;
          case 'regrade':
            grade = event.grade ?? grade;
            break;
          case 'close':
            kind = 'closed';
            break;
          case 'reject':
            kind = 'rejected';
            break;
          case 'reopen':
            kind = 'open';
            break;
          default:
            break;
        }
      }
      if (kind === null) return null;
      let lastActivity = raisedAt;
      for (const at of activity) {
        if (at > instant) break;
        lastActivity = at;
      }
      return { kind, grade, dueDate: dueFor(grade), lastActivity };
    },
  };
}
