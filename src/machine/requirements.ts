import type { UnmetRequirement } from '../errors/transition-error.js';
import { findGrade } from '../policies/grade.js';
import { actionName } from '../schemas/action-name.js';
import type { SeverityPolicy } from '../schemas/severity-policy.js';
import { type CapaContext, currentActions, currentCycle } from './context.js';
import { eventIssues } from './event-shape.js';
import type { CapaEvent, CapaEventOf, CapaEventType } from './events.js';
import { judgeRootCause } from './shallow-cause.js';

/**
 * What a requirement looks at: the finding's context, the event, and the policy.
 *
 * @example
 * ```ts
 * import { initialCapaContext, iso27001, requirementsFor, type RequirementArgs } from 'capa-kit/machine';
 *
 * const args: RequirementArgs = {
 *   context: initialCapaContext(iso27001),
 *   event: { type: 'REOPEN', at: '2026-09-01T09:00:00Z', by: { id: 'u-4', name: 'Lee Quality', roles: [] } },
 *   policy: iso27001,
 * };
 * requirementsFor('REOPEN').map((requirement) => requirement.holds(args)); // [false]: no reason given
 * ```
 */
export interface RequirementArgs<T extends CapaEventType = CapaEventType> {
  readonly context: CapaContext;
  readonly event: CapaEventOf<T>;
  readonly policy: SeverityPolicy;
}

/**
 * One lifecycle rule: a stable code, the events it gates, a sentence a person can read,
 * and the check. The machine's guards and {@link explain} are both built from
 * {@link LIFECYCLE_REQUIREMENTS}, so they cannot disagree.
 *
 * @example
 * ```ts
 * import { requirementsFor, type LifecycleRequirement } from 'capa-kit/machine';
 *
 * const gates: readonly LifecycleRequirement[] = requirementsFor('SUBMIT_PLAN');
 * gates.map((requirement) => requirement.code); // ['plan.notEmpty', 'plan.actionOwner', ...]
 * ```
 */
export interface LifecycleRequirement<T extends CapaEventType = CapaEventType> {
  /** Stable code, e.g. `closure.evidence`. */
  readonly code: string;
  /** The events this rule gates. */
  readonly events: readonly T[];
  /** What is required, as a person reads it. */
  readonly description: string;
  /** True when the requirement is met (or does not apply to this finding). */
  readonly holds: (args: RequirementArgs<T>) => boolean;
  /** A sentence naming exactly what is missing, when more useful than the description. */
  readonly explain?: (args: RequirementArgs<T>) => string;
}

// Typed per event, stored widened: `define` keeps each check's event narrow.
function define<T extends CapaEventType>(requirement: LifecycleRequirement<T>): LifecycleRequirement {
  return requirement as unknown as LifecycleRequirement;
}

const hasReason = (event: CapaEvent) => typeof event.reason === 'string' && event.reason.trim().length > 0;

const actionById = (context: CapaContext, actionId: string) =>
  currentActions(context).find((action) => action.id === actionId);

const isOpenAction = (status: string) => status === 'planned' || status === 'in-progress';

const gradeLifecycle = (policy: SeverityPolicy, gradeId: string) => findGrade(policy, gradeId)?.lifecycle;

/**
 * Every lifecycle requirement, in the order they are reported. Codes are stable.
 *
 * @example
 * ```ts
 * import { LIFECYCLE_REQUIREMENTS } from 'capa-kit/machine';
 *
 * for (const requirement of LIFECYCLE_REQUIREMENTS) {
 *   console.log(requirement.code, requirement.events.join(', '), requirement.description);
 * }
 * ```
 */
export const LIFECYCLE_REQUIREMENTS: readonly LifecycleRequirement[] = [
  define({
    code: 'grade.known',
    events: ['RAISE', 'REGRADE'],
    description: 'The grade must be one the severity policy defines.',
    holds: ({ event, policy }) =>
      findGrade(policy, event.type === 'RAISE' ? event.finding.grade : event.grade) !== undefined,
    explain: ({ event, policy }) =>
      `The grade "${event.type === 'RAISE' ? event.finding.grade : event.grade}" is not defined by policy ${policy.id} ` +
      `(known: ${policy.grades.map((grade) => grade.id).join(', ')}).`,
  }),
  define({
    code: 'finding.detectedBeforeRaised',
    events: ['RAISE'],
    description: 'A finding cannot be detected after it was raised (deadlines count from detection).',
    holds: ({ event }) => Date.parse(event.finding.detectedAt) <= Date.parse(event.finding.raisedAt),
    explain: ({ event }) =>
      `finding.detectedAt (${event.finding.detectedAt}) is after finding.raisedAt (${event.finding.raisedAt}): a finding cannot be detected after it was raised.`,
  }),
  define({
    code: 'reason.given',
    events: ['REJECT', 'REOPEN', 'REGRADE', 'RETURN_PLAN', 'CANCEL_ACTION'],
    description: 'A reason must be given.',
    holds: ({ event }) => hasReason(event),
    explain: ({ event }) => `${event.type} needs a reason: say why, for the history.`,
  }),
  define({
    code: 'closure.note',
    events: ['CLOSE'],
    description: 'Closing an observation or an opportunity for improvement needs a note on its outcome.',
    holds: ({ context, event }) => context.lifecycle === 'corrective-action' || hasReason(event),
  }),
  define({
    code: 'correction.afterDetection',
    events: ['RECORD_CORRECTION'],
    description: 'A correction cannot be completed before the nonconformity was detected.',
    holds: ({ context, event }) =>
      event.correction.kind !== 'performed' ||
      context.finding === null ||
      Date.parse(event.correction.completedAt) >= Date.parse(context.finding.detectedAt),
  }),
  define({
    code: 'rootCause.whyChain',
    events: ['RECORD_ROOT_CAUSE'],
    description: 'A 5 Whys analysis must record its chain of whys (at least two).',
    holds: ({ event }) => event.rootCause.method !== 'five-whys' || event.rootCause.whys.length >= 2,
  }),
  define({
    code: 'rootCause.recorded',
    events: ['PLAN_ACTIONS'],
    description:
      'A corrective action plan needs a root cause recorded in this investigation (a not-effective review or a reopening starts a new one).',
    holds: ({ context }) => context.rootCause !== null && context.rootCauseCycle === currentCycle(context),
  }),
  define({
    code: 'rootCause.notShallow',
    events: ['PLAN_ACTIONS'],
    description:
      'The root cause must name the process, training, ownership or system gap behind the failure, not a symptom such as "human error" or a restatement of the finding.',
    holds: ({ context, policy }) =>
      context.rootCause === null ||
      !judgeRootCause(context.rootCause.statement, {
        phrases: policy.shallowCause.phrases,
        findingTitle: context.finding?.title ?? '',
      }).shallow,
    explain: ({ context, policy }) => {
      const verdict = judgeRootCause(context.rootCause?.statement ?? '', {
        phrases: policy.shallowCause.phrases,
        findingTitle: context.finding?.title ?? '',
      });
      return verdict.reason === 'restates-finding'
        ? 'The root cause restates the finding; ask why it happened until a process, training, ownership or system gap appears.'
        : `The root cause "${context.rootCause?.statement ?? ''}" names a symptom${verdict.matched === null ? '' : ` ("${verdict.matched}")`}; ask which process, training, ownership or system gap allowed it.`;
    },
  }),
  define({
    code: 'rootCause.extentOfCondition',
    events: ['PLAN_ACTIONS'],
    description: 'The extent of condition must be recorded: where similar nonconformities were looked for, and what was found.',
    holds: ({ context }) => context.rootCause === null || context.rootCause.extentOfCondition !== null,
  }),
  define({
    code: 'plan.notEmpty',
    events: ['PLAN_ACTIONS', 'SUBMIT_PLAN'],
    description: 'A plan needs at least one corrective action.',
    holds: ({ context, event }) =>
      event.type === 'PLAN_ACTIONS' ? event.actions.length > 0 : currentActions(context).length > 0,
  }),
  define({
    code: 'plan.uniqueActionIds',
    events: ['PLAN_ACTIONS'],
    description: 'Each corrective action in a plan needs its own id, not used by an earlier cycle.',
    holds: ({ context, event }) => {
      const earlier = new Set(context.actions.filter((a) => a.cycle !== currentCycle(context)).map((a) => a.id));
      const ids = event.actions.map((action) => action.id);
      return new Set(ids).size === ids.length && ids.every((id) => !earlier.has(id));
    },
  }),
  define({
    code: 'plan.actionOwner',
    events: ['SUBMIT_PLAN'],
    description: 'Every corrective action needs a named owner.',
    holds: ({ context }) => currentActions(context).every((action) => action.owner !== null),
    explain: ({ context }) =>
      `Every corrective action needs a named owner; missing on ${currentActions(context)
        .filter((a) => a.owner === null)
        .map(actionName)
        .join(', ')}.`,
  }),
  define({
    code: 'plan.actionDueDate',
    events: ['SUBMIT_PLAN'],
    description: 'Every corrective action needs a due date.',
    holds: ({ context }) => currentActions(context).every((action) => action.dueDate !== null),
    explain: ({ context }) =>
      `Every corrective action needs a due date; missing on ${currentActions(context)
        .filter((a) => a.dueDate === null)
        .map(actionName)
        .join(', ')}.`,
  }),
  define({
    code: 'plan.actionOutcome',
    events: ['SUBMIT_PLAN'],
    description: 'Every corrective action needs a measurable outcome: how anyone can tell it worked.',
    holds: ({ context }) => currentActions(context).every((action) => action.measurableOutcome !== null),
    explain: ({ context }) =>
      `Every corrective action needs a measurable outcome; missing on ${currentActions(context)
        .filter((a) => a.measurableOutcome === null)
        .map(actionName)
        .join(', ')}.`,
  }),
  define({
    code: 'approval.role',
    events: ['APPROVE_PLAN'],
    description: 'The plan must be approved by an actor holding the role the policy names for this grade.',
    holds: ({ context, event, policy }) => {
      const role = context.grade === null ? undefined : findGrade(policy, context.grade)?.approval?.role;
      return role === undefined || event.by.roles.includes(role);
    },
    explain: ({ context, event, policy }) =>
      `The plan for a ${context.grade ?? 'finding'} must be approved by the "${
        context.grade === null ? '' : (findGrade(policy, context.grade)?.approval?.role ?? '')
      }" role; ${event.by.name} holds ${event.by.roles.length === 0 ? 'no roles' : event.by.roles.join(', ')}.`,
  }),
  define({
    code: 'action.known',
    events: ['START_ACTION', 'COMPLETE_ACTION', 'CANCEL_ACTION'],
    description: 'The corrective action must be one of this plan.',
    holds: ({ context, event }) => actionById(context, event.actionId) !== undefined,
    explain: ({ event }) => `No corrective action "${event.actionId}" in the current plan.`,
  }),
  define({
    code: 'action.planned',
    events: ['START_ACTION'],
    description: 'Only a planned corrective action can be started.',
    holds: ({ context, event }) => {
      const action = actionById(context, event.actionId);
      return action === undefined || action.status === 'planned';
    },
  }),
  define({
    code: 'action.open',
    events: ['COMPLETE_ACTION', 'CANCEL_ACTION'],
    description: 'The corrective action must still be open (planned or in progress).',
    holds: ({ context, event }) => {
      const action = actionById(context, event.actionId);
      return action === undefined || isOpenAction(action.status);
    },
  }),
  define({
    code: 'action.evidence',
    events: ['COMPLETE_ACTION'],
    description: 'Completing a corrective action needs implementation evidence.',
    holds: ({ event }) => event.evidence.length > 0,
  }),
  define({
    code: 'actions.finished',
    events: ['START_VERIFICATION'],
    description: 'Every corrective action must be done, or cancelled with a reason, before verification.',
    holds: ({ context }) => currentActions(context).every((action) => !isOpenAction(action.status)),
    explain: ({ context }) =>
      `Every corrective action must be done or cancelled before verification; still open: ${currentActions(context)
        .filter((a) => isOpenAction(a.status))
        .map(actionName)
        .join(', ')}.`,
  }),
  define({
    code: 'actions.doneWithEvidence',
    events: ['START_VERIFICATION'],
    description: 'At least one corrective action must be done, and every done action must carry implementation evidence.',
    holds: ({ context }) => {
      const done = currentActions(context).filter((action) => action.status === 'done');
      return done.length > 0 && done.every((action) => action.implementationEvidence.length > 0);
    },
  }),
  define({
    code: 'closure.effectiveReview',
    events: ['CLOSE'],
    description:
      'Closing a nonconformity needs an effectiveness review, made after this cycle\'s corrective actions, that found them effective.',
    holds: ({ context }) => {
      if (context.lifecycle !== 'corrective-action') return true;
      const last = context.reviews.at(-1);
      return last !== undefined && last.result === 'effective' && context.reviewCycle === currentCycle(context);
    },
  }),
  define({
    code: 'closure.evidence',
    events: ['CLOSE'],
    description:
      'Closing a nonconformity needs closure evidence: something verifiable such as an updated procedure, a training record or a re-test result.',
    holds: ({ context, event }) => context.lifecycle !== 'corrective-action' || event.evidence.length > 0,
  }),
  define({
    code: 'rejection.duplicateOf',
    events: ['REJECT'],
    description: 'Rejecting a finding as a duplicate must name the other finding (not itself).',
    holds: ({ context, event }) =>
      event.kind !== 'duplicate' ||
      (typeof event.duplicateOf === 'string' && event.duplicateOf.length > 0 && event.duplicateOf !== context.finding?.id),
  }),
  define({
    code: 'grade.changed',
    events: ['REGRADE'],
    description: 'A regrade must change the grade.',
    holds: ({ context, event }) => event.grade !== context.grade,
  }),
  define({
    code: 'grade.lifecycleAllowed',
    events: ['REGRADE'],
    description:
      'A finding cannot be regraded to a conformity (reject it instead), and once a corrective action plan was made for it it stays a nonconformity.',
    holds: ({ context, event, policy }) => {
      const target = gradeLifecycle(policy, event.grade);
      if (target === undefined) return true; // grade.known reports it
      if (target === 'none') return false;
      // Any plan, of any cycle: a finding whose actions did not work cannot be downgraded away.
      if (context.lifecycle === 'corrective-action' && context.actions.length > 0) {
        return target === 'corrective-action';
      }
      // An observation escalates to a nonconformity, an OFI likewise; not sideways.
      if (context.lifecycle === 'monitor') return target !== 'log';
      if (context.lifecycle === 'log') return target !== 'monitor';
      return true;
    },
  }),
];

/**
 * The requirements an event does not meet in this context, under this policy, in list
 * order. Requirements the policy relaxes are skipped. An event whose data is missing,
 * unknown or of the wrong type gets its `event.invalid` entries instead (the requirements
 * cannot be read on it). It does not look at whether the current state accepts the event
 * at all: {@link explain} adds that.
 *
 * @example
 * ```ts
 * import { unmetRequirements, initialCapaContext, iso27001 } from 'capa-kit/machine';
 *
 * unmetRequirements(iso27001, initialCapaContext(iso27001), {
 *   type: 'REOPEN',
 *   at: '2026-09-01T09:00:00Z',
 *   by: { id: 'u-4', name: 'Lee Quality', roles: [] },
 * }); // [{ code: 'reason.given', message: 'REOPEN needs a reason: say why, for the history.' }]
 * ```
 */
export function unmetRequirements(policy: SeverityPolicy, context: CapaContext, event: CapaEvent): UnmetRequirement[] {
  const unmet = eventIssues(event);
  if (unmet.length > 0) return unmet;
  const relaxed: readonly string[] = policy.relaxes;
  const args = { context, event, policy };
  for (const requirement of requirementsFor(event.type)) {
    if (relaxed.includes(requirement.code)) continue;
    if (!requirement.holds(args)) {
      unmet.push({ code: requirement.code, message: requirement.explain?.(args) ?? requirement.description });
    }
  }
  return unmet;
}

const byEvent = new Map<string, LifecycleRequirement[]>();
for (const requirement of LIFECYCLE_REQUIREMENTS) {
  for (const type of requirement.events) {
    const list = byEvent.get(type) ?? [];
    list.push(requirement);
    byEvent.set(type, list);
  }
}

/**
 * The requirements that gate an event type.
 *
 * @example
 * ```ts
 * import { requirementsFor } from 'capa-kit/machine';
 *
 * requirementsFor('CLOSE').map((r) => r.code);
 * // ['closure.note', 'closure.effectiveReview', 'closure.evidence']
 * ```
 */
export function requirementsFor(type: CapaEventType): readonly LifecycleRequirement[] {
  return byEvent.get(type) ?? [];
}
