import { assertEvent, assign, setup } from 'xstate';
import { computeDueDate } from '../policies/due-date.js';
import { findGrade } from '../policies/grade.js';
import { iso27001 } from '../policies/presets/iso27001.js';
import { actionName } from '../schemas/action-name.js';
import type { Actor, Person } from '../schemas/actor.js';
import type { AttentionFlag } from '../schemas/finding.js';
import type { GradeLifecycle, SeverityPolicy } from '../schemas/severity-policy.js';
import { bindPolicy } from './binding.js';
import { type CapaContext, type PlannedAction, currentCycle, initialCapaContext } from './context.js';
import type { CapaEvent } from './events.js';
import { unmetRequirements } from './requirements.js';
import { MACHINE_VERSION } from './version.js';

const person = (actor: Actor): Person => ({ id: actor.id, name: actor.name });

// Guard references, so the config reads as the specification: { guard: targets('monitor'), target: 'monitoring' }.
// Every guard is named (the inspector and toJSON() show the name and its params) and every
// transition has one: each checks the event's data and the requirements first.
const targets = (lifecycle: GradeLifecycle) => ({ type: 'gradeLeadsTo' as const, params: { lifecycle } });
const hasLifecycle = (lifecycle: GradeLifecycle) => ({ type: 'lifecycleIs' as const, params: { lifecycle } });

// Transitions several states share, written once.
/** Evidence and links are taken in every open state and change nothing else. */
const annotations = {
  LINK_FINDINGS: { guard: 'requirementsMet', actions: 'linkFindings' },
  ATTACH_EVIDENCE: { guard: 'requirementsMet', actions: 'attachEvidence' },
} as const;
/** Not a nonconformity, or a duplicate: taken in every open state before implementation. */
const rejection = { REJECT: { guard: 'requirementsMet', target: 'rejected', actions: 'reject' } } as const;
/** Before planning, a regrade may move the finding to a lighter lifecycle, or keep it here. */
const regradeBeforePlanning = [
  { guard: targets('monitor'), target: 'monitoring', actions: 'regrade' },
  { guard: targets('log'), target: 'logged', actions: 'regrade' },
  { guard: 'requirementsMet', actions: 'regrade' },
] as const;
/** An observation or improvement opportunity regraded to a nonconformity starts the corrective-action loop. */
const regradeToCorrectiveAction = [
  { guard: targets('corrective-action'), target: 'reported', actions: 'regrade' },
  { guard: 'requirementsMet', actions: 'regrade' },
] as const;
/** Reopening (with a reason) first returns an observation or improvement opportunity to its own lifecycle. */
const reopenLighter = [
  { guard: hasLifecycle('monitor'), target: 'monitoring', actions: 'reopen' },
  { guard: hasLifecycle('log'), target: 'logged', actions: 'reopen' },
] as const;

function dueDateFor(policy: SeverityPolicy, context: CapaContext, gradeId: string): string | null {
  const deadline = findGrade(policy, gradeId)?.deadline ?? null;
  if (deadline === null || context.finding === null) return null;
  return computeDueDate(deadline, context.finding, policy.timeZone);
}

function updateAction(
  context: CapaContext,
  actionId: string,
  change: (action: PlannedAction) => PlannedAction,
): readonly PlannedAction[] {
  const cycle = currentCycle(context);
  return context.actions.map((action) => (action.id === actionId && action.cycle === cycle ? change(action) : action));
}

/** Flags what a regrade makes a person look at; it never moves an approved date itself. */
function regradeFlags(policy: SeverityPolicy, context: CapaContext, grade: string, dueDate: string | null, at: string) {
  const flags: AttentionFlag[] = [];
  const cycle = currentCycle(context);
  const planAccepted = context.approval !== null || (context.planSubmittedAt !== null && findGrade(policy, context.grade ?? '')?.approval == null);
  if (!planAccepted) return flags;
  if (dueDate !== null) {
    for (const action of context.actions) {
      if (action.cycle === cycle && action.dueDate !== null && action.dueDate > dueDate && (action.status === 'planned' || action.status === 'in-progress')) {
        flags.push({
          code: 'action.dueAfterFinding',
          message: `Approved action ${actionName(action)} is due ${action.dueDate}, after the finding's new due date ${dueDate}; review its date.`,
          actionId: action.id,
          raisedAt: at,
        });
      }
    }
  }
  const role = findGrade(policy, grade)?.approval?.role;
  if (role !== undefined && context.approval === null) {
    flags.push({
      code: 'plan.approvalNowRequired',
      message: `The plan was accepted without approval, but grade ${grade} needs approval by the "${role}" role.`,
      raisedAt: at,
    });
  }
  return flags;
}

// The machine definition; createCapaMachine() below is its public face.
function buildMachine(policy: SeverityPolicy) {
  const lifecycleOf = (gradeId: string): GradeLifecycle | undefined => findGrade(policy, gradeId)?.lifecycle;
  // Checks the event's data first (event.invalid), so a routing condition after it never
  // reads a field that is not there.
  const requirementsMet = ({ context, event }: { context: CapaContext; event: CapaEvent }) =>
    unmetRequirements(policy, context, event).length === 0;

  const machine = setup({
    types: {
      context: {} as CapaContext,
      events: {} as CapaEvent,
    },
    guards: {
      /** The event's data is well-formed and every requirement of LIFECYCLE_REQUIREMENTS for it holds. */
      requirementsMet,
      /** requirementsMet, and the grade the event names (raised or regraded to) has this lifecycle. */
      gradeLeadsTo: ({ context, event }, params: { lifecycle: GradeLifecycle }) => {
        if (!requirementsMet({ context, event })) return false;
        const grade = event.type === 'RAISE' ? event.finding.grade : event.type === 'REGRADE' ? event.grade : undefined;
        return grade !== undefined && lifecycleOf(grade) === params.lifecycle;
      },
      /** requirementsMet, and the finding's current lifecycle is this one. */
      lifecycleIs: ({ context, event }, params: { lifecycle: GradeLifecycle }) =>
        context.lifecycle === params.lifecycle && requirementsMet({ context, event }),
      /** requirementsMet, and the policy asks for the plan of this grade to be approved. */
      planNeedsApproval: ({ context, event }) =>
        findGrade(policy, context.grade ?? '')?.approval != null && requirementsMet({ context, event }),
      /** requirementsMet, and the review found the corrective actions effective. */
      reviewEffective: ({ context, event }) =>
        requirementsMet({ context, event }) && event.type === 'RECORD_REVIEW' && event.review.result === 'effective',
    },
    actions: {
      raise: assign(({ context, event }) => {
        assertEvent(event, 'RAISE');
        const raised = { ...context, finding: event.finding };
        return {
          finding: event.finding,
          grade: event.finding.grade,
          lifecycle: lifecycleOf(event.finding.grade) ?? null,
          dueDate: dueDateFor(policy, raised, event.finding.grade),
        };
      }),
      recordCorrection: assign(({ event }) => {
        assertEvent(event, 'RECORD_CORRECTION');
        return { correction: event.correction };
      }),
      recordRootCause: assign(({ context, event }) => {
        assertEvent(event, 'RECORD_ROOT_CAUSE');
        return { rootCause: event.rootCause, rootCauseCycle: currentCycle(context) };
      }),
      linkFindings: assign(({ context, event }) => {
        assertEvent(event, 'LINK_FINDINGS');
        const own = context.finding?.id;
        const ids = new Set(context.relatedFindingIds);
        for (const id of event.findingIds) if (id !== own) ids.add(id);
        return { relatedFindingIds: [...ids] };
      }),
      planActions: assign(({ context, event }) => {
        assertEvent(event, 'PLAN_ACTIONS');
        const cycle = currentCycle(context);
        const planned: PlannedAction[] = event.actions.map((draft) => ({
          id: draft.id,
          ...(draft.reference === undefined ? {} : { reference: draft.reference }),
          description: draft.description,
          owner: draft.owner,
          dueDate: draft.dueDate,
          measurableOutcome: draft.measurableOutcome,
          status: 'planned',
          cycle,
          implementationEvidence: [],
          startedAt: null,
          completedAt: null,
          cancellation: null,
        }));
        return {
          actions: [...context.actions.filter((action) => action.cycle !== cycle), ...planned],
        };
      }),
      submitPlan: assign(({ event }) => ({ planSubmittedAt: event.at })),
      approvePlan: assign(({ context, event }) => ({
        approval: {
          approvedBy: person(event.by),
          role: findGrade(policy, context.grade ?? '')?.approval?.role ?? 'approver',
          approvedAt: event.at,
        },
      })),
      returnPlan: assign(({ event }) => ({ planSubmittedAt: null })),
      withdrawPlan: assign({ planSubmittedAt: null }),
      startAction: assign(({ context, event }) => {
        assertEvent(event, 'START_ACTION');
        return {
          actions: updateAction(context, event.actionId, (a) => ({ ...a, status: 'in-progress', startedAt: event.at })),
        };
      }),
      completeAction: assign(({ context, event }) => {
        assertEvent(event, 'COMPLETE_ACTION');
        return {
          actions: updateAction(context, event.actionId, (a) => ({
            ...a,
            status: 'done',
            implementationEvidence: [...a.implementationEvidence, ...event.evidence],
            completedAt: event.at,
          })),
        };
      }),
      cancelAction: assign(({ context, event }) => {
        assertEvent(event, 'CANCEL_ACTION');
        return {
          actions: updateAction(context, event.actionId, (a) => ({
            ...a,
            status: 'cancelled',
            cancellation: { reason: event.reason ?? '', cancelledBy: person(event.by), cancelledAt: event.at },
          })),
        };
      }),
      recordReview: assign(({ context, event }) => {
        assertEvent(event, 'RECORD_REVIEW');
        return { reviews: [...context.reviews, event.review], reviewCycle: currentCycle(context) };
      }),
      /** A not-effective review or a reopening: count it and investigate again. */
      startNewCycle: assign(({ context }) => ({
        recurrenceCount: context.recurrenceCount + 1,
        planSubmittedAt: null,
        approval: null,
        closure: null,
      })),
      close: assign(({ event }) => {
        assertEvent(event, 'CLOSE');
        return {
          closure: {
            closedAt: event.at,
            closedBy: person(event.by),
            evidence: [...event.evidence],
            ...(event.reason === undefined ? {} : { note: event.reason }),
          },
        };
      }),
      reject: assign(({ event }) => {
        assertEvent(event, 'REJECT');
        return {
          rejection: {
            kind: event.kind,
            ...(event.kind === 'duplicate' && event.duplicateOf !== undefined ? { duplicateOf: event.duplicateOf } : {}),
            reason: event.reason ?? '',
            rejectedBy: person(event.by),
            rejectedAt: event.at,
          },
        };
      }),
      // Back to work: the old plan's submission and approval no longer stand.
      reopen: assign(({ event }) => ({
        closure: null,
        rejection: null,
        planSubmittedAt: null,
        approval: null,
      })),
      regrade: assign(({ context, event }) => {
        assertEvent(event, 'REGRADE');
        const dueDate = dueDateFor(policy, context, event.grade);
        return {
          grade: event.grade,
          lifecycle: lifecycleOf(event.grade) ?? context.lifecycle,
          dueDate,
          flags: [...context.flags, ...regradeFlags(policy, context, event.grade, dueDate, event.at)],
        };
      }),
      attachEvidence: assign(({ context, event }) => {
        assertEvent(event, 'ATTACH_EVIDENCE');
        return { evidence: [...context.evidence, event.evidence] };
      }),
    },
  }).createMachine({
    id: 'capa',
    // No input: the context is the same for every new finding, so xstate's pure
    // transition() (which builds it without input) pays nothing extra.
    context: () => initialCapaContext(policy),
    initial: 'draft',
    states: {
      draft: {
        description: 'Not raised yet.',
        on: {
          RAISE: [
            { guard: targets('corrective-action'), target: 'reported', actions: 'raise' },
            { guard: targets('monitor'), target: 'monitoring', actions: 'raise' },
            { guard: targets('log'), target: 'logged', actions: 'raise' },
            { guard: 'requirementsMet', target: 'conformity', actions: 'raise' },
          ],
        },
      },
      reported: {
        description: 'A nonconformity is recorded; contain it (correction) first.',
        on: {
          RECORD_CORRECTION: { guard: 'requirementsMet', target: 'contained', actions: 'recordCorrection' },
          REGRADE: regradeBeforePlanning,
          ...rejection,
          ...annotations,
        },
      },
      contained: {
        description: 'Correction recorded (or justified as not applicable); find the root cause.',
        on: {
          RECORD_CORRECTION: { guard: 'requirementsMet', actions: 'recordCorrection' },
          RECORD_ROOT_CAUSE: { guard: 'requirementsMet', target: 'investigating', actions: 'recordRootCause' },
          REGRADE: regradeBeforePlanning,
          ...rejection,
          ...annotations,
        },
      },
      investigating: {
        description: 'Root cause analysis and extent of condition; then plan corrective actions.',
        on: {
          RECORD_ROOT_CAUSE: { guard: 'requirementsMet', actions: 'recordRootCause' },
          PLAN_ACTIONS: { guard: 'requirementsMet', target: 'planning', actions: 'planActions' },
          REGRADE: regradeBeforePlanning,
          ...rejection,
          ...annotations,
        },
      },
      planning: {
        description: 'Corrective actions are drafted: each needs an owner, a due date and a measurable outcome.',
        on: {
          PLAN_ACTIONS: { guard: 'requirementsMet', actions: 'planActions' },
          SUBMIT_PLAN: [
            { guard: 'planNeedsApproval', target: 'awaitingApproval', actions: 'submitPlan' },
            { guard: 'requirementsMet', target: 'implementing', actions: 'submitPlan' },
          ],
          REGRADE: { guard: 'requirementsMet', actions: 'regrade' },
          ...rejection,
          ...annotations,
        },
      },
      awaitingApproval: {
        description: 'The plan waits for approval by the role the policy names.',
        on: {
          APPROVE_PLAN: { guard: 'requirementsMet', target: 'implementing', actions: 'approvePlan' },
          RETURN_PLAN: { guard: 'requirementsMet', target: 'planning', actions: 'returnPlan' },
          // The approval was asked under the old grade: resubmit under the new one's rules.
          REGRADE: { guard: 'requirementsMet', target: 'planning', actions: ['regrade', 'withdrawPlan'] },
          ...rejection,
          ...annotations,
        },
      },
      implementing: {
        description: 'Corrective actions are carried out, each completed with implementation evidence.',
        on: {
          START_ACTION: { guard: 'requirementsMet', actions: 'startAction' },
          COMPLETE_ACTION: { guard: 'requirementsMet', actions: 'completeAction' },
          CANCEL_ACTION: { guard: 'requirementsMet', actions: 'cancelAction' },
          START_VERIFICATION: { guard: 'requirementsMet', target: 'verifying' },
          REGRADE: { guard: 'requirementsMet', actions: 'regrade' },
          ...annotations,
        },
      },
      verifying: {
        description: 'The effectiveness review: did the actions remove the cause?',
        on: {
          RECORD_REVIEW: [
            { guard: 'reviewEffective', actions: 'recordReview' },
            { guard: 'requirementsMet', target: 'investigating', actions: ['recordReview', 'startNewCycle'] },
          ],
          CLOSE: { guard: 'requirementsMet', target: 'closed', actions: 'close' },
          ...annotations,
        },
      },
      closed: {
        description: 'Closed with evidence; reopening needs a reason.',
        on: {
          REOPEN: [...reopenLighter, { guard: 'requirementsMet', target: 'investigating', actions: ['reopen', 'startNewCycle'] }],
        },
      },
      monitoring: {
        description: 'An observation: monitored, then closed or escalated to a nonconformity by a regrade.',
        on: {
          CLOSE: { guard: 'requirementsMet', target: 'closed', actions: 'close' },
          REGRADE: regradeToCorrectiveAction,
          ...rejection,
          ...annotations,
        },
      },
      logged: {
        description: 'An opportunity for improvement: logged, then closed into continual improvement.',
        on: {
          CLOSE: { guard: 'requirementsMet', target: 'closed', actions: 'close' },
          REGRADE: regradeToCorrectiveAction,
          ...rejection,
          ...annotations,
        },
      },
      rejected: {
        description: 'Not a nonconformity, or a duplicate; reopening needs a reason.',
        on: {
          REOPEN: [...reopenLighter, { guard: 'requirementsMet', target: 'reported', actions: 'reopen' }],
        },
      },
      conformity: {
        description: 'The requirement is met and evidence supports it; no lifecycle.',
        type: 'final',
      },
    },
  });
  return machine;
}

/**
 * The type of a CAPA lifecycle machine, whatever its policy.
 *
 * @example
 * ```ts
 * import { createCapaMachine, soc2, type CapaMachine } from 'capa-kit/machine';
 *
 * const machine: CapaMachine = createCapaMachine(soc2);
 * ```
 */
export type CapaMachine = ReturnType<typeof buildMachine>;

/**
 * Builds the CAPA lifecycle machine for a severity policy. The machine is pure: no
 * timers, no invoked services, no clock (events carry `at`), so `transition()` can run
 * it server-side, `xstate/graph` can walk it, and a browser can drive buttons with
 * `snapshot.can(event)` and {@link explain}.
 *
 * The corrective-action loop: `reported` → `contained` (correction recorded) →
 * `investigating` (root cause, extent of condition) → `planning` → `awaitingApproval`
 * (where the policy asks) → `implementing` → `verifying` → `closed`. A not-effective
 * review goes back to `investigating` and counts a recurrence. Observations go to
 * `monitoring`, opportunities for improvement to `logged`, conformities to `conformity`.
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { createCapaMachine, soc2 } from 'capa-kit/machine';
 *
 * const machine = createCapaMachine(soc2);
 * const actor = createActor(machine).start();
 * actor.getSnapshot().value; // 'draft'
 * ```
 */
export function createCapaMachine(policy: SeverityPolicy): CapaMachine {
  const machine = buildMachine(policy);
  bindPolicy(machine, policy);
  return machine;
}

/**
 * The CAPA lifecycle machine under the {@link iso27001} policy. Use
 * {@link createCapaMachine} for another policy.
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { capaMachine } from 'capa-kit/machine';
 *
 * const actor = createActor(capaMachine).start();
 * actor.send({
 *   type: 'RAISE',
 *   at: '2026-03-01T15:00:00Z',
 *   by: { id: 'u-3', name: 'Ines Audit', roles: ['internal-auditor'] },
 *   finding: {
 *     id: 'f-1',
 *     tenantId: 'acme',
 *     reference: 'NC-2026-0001',
 *     title: 'Leavers kept active accounts for weeks',
 *     description: 'Two leavers kept active accounts for 3 and 5 weeks.',
 *     requirement: { kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: 'A.5.18' },
 *     observedEvidence: 'HR leaver list vs. directory export',
 *     affected: { process: 'Joiner-mover-leaver' },
 *     source: { kind: 'internal-audit', reference: 'IA-2026-03' },
 *     grade: 'minor',
 *     owner: { id: 'u-9', name: 'Sam IT' },
 *     raisedBy: { id: 'u-3', name: 'Ines Audit' },
 *     detectedAt: '2026-03-01T10:00:00Z',
 *     raisedAt: '2026-03-01T15:00:00Z',
 *     extensions: {},
 *   },
 * });
 * actor.getSnapshot().value; // 'reported'
 * actor.getSnapshot().context.dueDate; // '2027-03-01'
 * ```
 */
export const capaMachine: CapaMachine = createCapaMachine(iso27001);

/** The machine version this build writes (re-exported for convenience). */
export { MACHINE_VERSION };
