// What auditors look for in a log, record by record: closure without evidence or an
// effective review, actions without a root cause, shallow causes, corrections posing as
// corrective actions, stale and overdue entries, actions without an owner or due date.
import { currentActions } from '../../machine/context.js';
import { actionName } from '../../schemas/action-name.js';
import type { CapaSnapshot } from '../../machine/explain.js';
import { judgeRootCause } from '../../machine/shallow-cause.js';
import { calendarDateIn } from '../../policies/due-date.js';
import { findGrade } from '../../policies/grade.js';
import { listOf } from '../../register/rules/names.js';
import type { CorrectiveAction } from '../../schemas/corrective-action.js';
import type { Finding } from '../../schemas/finding.js';
import type { SeverityPolicy } from '../../schemas/severity-policy.js';
import { OPEN_STATUSES } from '../../schemas/status.js';
import type { LogIssueCode } from '../format/issues.js';
import type { JsonPath } from './json.js';

export interface RuleContext {
  readonly policy: SeverityPolicy;
  /** The validation instant (ms since the epoch), or `null` to skip the time rules. */
  readonly asOf: number | null;
}

export type Report = (code: LogIssueCode, path: JsonPath, message: string) => void;

const DAY = 86_400_000;
const open: ReadonlySet<string> = new Set(OPEN_STATUSES);

// The calendar date of `asOf` in the policy's zone, computed once per context.
const todays = new WeakMap<RuleContext, string>();
function today(context: RuleContext): string {
  let date = todays.get(context);
  if (date === undefined) {
    date = calendarDateIn(new Date(context.asOf!).toISOString(), context.policy.timeZone);
    todays.set(context, date);
  }
  return date;
}

/** Text as compared: compatibility forms, case and everything but letters and digits ignored. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The rules on one finding, as the line records it; `snapshot` is its replayed lifecycle
 * (for the planned actions), `lastActivityAt` the time of its last history entry (what
 * staleness is judged by: activity comes from the history).
 */
export function findingRules(context: RuleContext, finding: Finding, snapshot: CapaSnapshot | null, lastActivityAt: string, report: Report): void {
  const { policy, asOf } = context;
  const name = finding.reference;
  const lifecycle = findGrade(policy, finding.grade)?.lifecycle;

  if (finding.status === 'closed' && lifecycle === 'corrective-action') {
    if (finding.closure === null || finding.closure.evidence.length === 0) {
      report('closed-without-evidence', finding.closure === null ? ['closure'] : ['closure', 'evidence'], `${name} is closed without closure evidence.`);
    }
    const last = finding.effectivenessReviews.at(-1);
    if (last === undefined || last.result !== 'effective') {
      report(
        'closed-without-effective-review',
        ['effectivenessReviews'],
        last === undefined ? `${name} is closed without an effectiveness review.` : `${name} is closed, but its last effectiveness review found the actions ${last.result}.`,
      );
    }
  }

  if (finding.correctiveActionIds.length > 0 && finding.rootCause === null) {
    // By reference: the replayed plan knows them (the finding record lists only ids).
    const planned = snapshot?.context.actions ?? [];
    const actions = finding.correctiveActionIds.map((id) => {
      const action = planned.find((a) => a.id === id);
      return action === undefined ? id : actionName(action);
    });
    report('action-without-root-cause', ['rootCause'], `${name} has corrective actions (${actions.join(', ')}) but no root cause.`);
  }

  if (finding.rootCause !== null) {
    const verdict = judgeRootCause(finding.rootCause.statement, { phrases: policy.shallowCause.phrases, findingTitle: finding.title });
    if (verdict.shallow) {
      const why =
        verdict.reason === 'symptom'
          ? `names a symptom ("${verdict.matched}"), not a cause`
          : verdict.reason === 'restates-finding'
            ? 'only restates the finding'
            : 'says nothing';
      report('shallow-root-cause', ['rootCause', 'statement'], `The root cause of ${name} ${why}.`);
    }
  }

  if (finding.correction !== null && finding.correction.kind === 'performed' && snapshot !== null) {
    const correction = normaliseText(finding.correction.description);
    const same = currentActions(snapshot.context).find((action) => action.status !== 'cancelled' && normaliseText(action.description) === correction);
    if (same !== undefined && correction !== '') {
      report('correction-is-action', ['correction', 'description'], `Corrective action ${actionName(same)} of ${name} repeats its correction ("${finding.correction.description}"): it fixes the symptom, not the cause.`);
    }
  }

  if (asOf !== null && open.has(finding.status)) {
    const idle = asOf - Date.parse(lastActivityAt);
    if (idle > policy.staleAfterDays * DAY) {
      report('stale', ['updatedAt'], `${name} is open with no activity since ${lastActivityAt} (${Math.floor(idle / DAY)} days; the policy allows ${policy.staleAfterDays}).`);
    }
    if (finding.dueDate !== null && finding.dueDate < today(context)) {
      report('overdue', ['dueDate'], `${name} was due ${finding.dueDate} and is still ${finding.status}.`);
    }
  }
}

/**
 * What an action rule found: its code, the field, and what it says of the action (the end
 * of the sentence {@link actionIssueMessage} begins with the action and its findings).
 */
export type ActionReport = (code: LogIssueCode, path: JsonPath, says: string) => void;

/** The rules on one corrective action, as the line records it. */
export function actionRules(context: RuleContext, action: CorrectiveAction, report: ActionReport): void {
  if (action.status === 'cancelled') return;
  if (action.owner === null) report('action-without-owner', ['owner'], 'has no owner.');
  if (action.dueDate === null) report('action-without-due-date', ['dueDate'], 'has no due date.');
  if (context.asOf !== null && (action.status === 'planned' || action.status === 'in-progress') && action.dueDate !== null && action.dueDate < today(context)) {
    report('action-overdue', ['dueDate'], `was due ${action.dueDate} and is still ${action.status}.`);
  }
}

/**
 * The sentence of an issue about a corrective action: the action, the findings it belongs
 * to (by reference, as people know them), and what the rule says of it.
 */
export function actionIssueMessage(action: string, findings: readonly string[], says: string): string {
  return `Corrective action ${action}${findings.length === 0 ? '' : ` of ${listOf(findings)}`} ${says}`;
}
