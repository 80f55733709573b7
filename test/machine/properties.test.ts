// Property-based tests of the CAPA lifecycle machine (iso27001 policy).
//
// A sequence is a list of generated steps. Each step carries an event type drawn from all
// 18 types and a bag of payload variants drawn from small pools, so that interesting
// paths (shallow causes, missing owners, empty evidence, wrong approver...) happen often.
// To make sequences progress, a step is "steered" most of the time: the harness replaces
// its type by the next lifecycle step for the current state (and, for action events, the
// action id by an open action of the current plan). The payload stays the generated one,
// so steered events are still refused often, and refusals are as interesting as moves.
// A separate test measures that a good share of sequences reach `closed` and that
// not-effective loops reach `verifying` again, so the properties are not vacuous.
import fc from 'fast-check';
import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import {
  CAPA_EVENT_TYPES,
  CapaTransitionError,
  DEFAULT_SHALLOW_CAUSE_PHRASES,
  MACHINE_VERSION,
  advance,
  capaMachine,
  currentActions,
  currentCycle,
  explain,
  judgeRootCause,
  persistSnapshot,
  restoreSnapshot,
  type ActionDraft,
  type Actor,
  type CapaContext,
  type CapaEvent,
  type CapaEventType,
  type CapaSnapshot,
  type Correction,
  type RootCauseAnalysis,
} from 'capa-kit';
import { actors, sampleAction, sampleCorrection, sampleEvent, sampleFinding, sampleReview, sampleRootCause } from '../fixtures/events.js';

// ---------------------------------------------------------------------------------------
// Payload pools
// ---------------------------------------------------------------------------------------

const allRoles: Actor = { id: 'u-all', name: 'All Roles', roles: ['auditor', 'security-officer'] };

const actorArb: fc.Arbitrary<Actor> = fc.oneof(
  { arbitrary: fc.constant(allRoles), weight: 4 },
  { arbitrary: fc.constant<Actor>(actors.auditor), weight: 2 },
  { arbitrary: fc.constant<Actor>(actors.owner), weight: 1 },
  { arbitrary: fc.constant<Actor>(actors.nobody), weight: 1 },
);

/** A reason: present, empty, blank, or absent (`undefined`: the key is left out). */
const reasonArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { arbitrary: fc.constant('The facts changed'), weight: 6 },
  { arbitrary: fc.constant(''), weight: 1 },
  { arbitrary: fc.constant('   '), weight: 1 },
  { arbitrary: fc.constant(undefined), weight: 2 },
);

const raiseGradeArb = fc.oneof(
  { arbitrary: fc.constant('major'), weight: 8 },
  { arbitrary: fc.constant('minor'), weight: 7 },
  { arbitrary: fc.constant('observation'), weight: 2 },
  { arbitrary: fc.constant('ofi'), weight: 2 },
  { arbitrary: fc.constant('conformity'), weight: 1 },
  { arbitrary: fc.constant('bogus'), weight: 1 },
);

const regradeArb = fc.constantFrom('major', 'minor', 'observation', 'ofi', 'conformity', 'bogus');

const DEEP_CAUSES = [
  'The leaver procedure has no IT confirmation step.',
  'No one owns supplier security in procurement onboarding.',
];
const SHALLOW_CAUSES = ['Human error', 'Staff forgot', 'Leavers kept active accounts'];

const rootCauseArb: fc.Arbitrary<RootCauseAnalysis> = fc
  .record({
    statement: fc.oneof(
      { arbitrary: fc.constantFrom(...DEEP_CAUSES), weight: 6 },
      { arbitrary: fc.constantFrom(...SHALLOW_CAUSES), weight: 2 },
    ),
    extent: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
    method: fc.oneof(
      { arbitrary: fc.constant({ method: 'five-whys' as const, whys: 3 }), weight: 4 },
      { arbitrary: fc.constant({ method: 'five-whys' as const, whys: 1 }), weight: 1 },
      { arbitrary: fc.constant({ method: 'five-whys' as const, whys: 0 }), weight: 1 },
      { arbitrary: fc.constant({ method: 'process-review' as const, whys: 0 }), weight: 2 },
    ),
  })
  .map(({ statement, extent, method }) =>
    sampleRootCause({
      statement,
      method: method.method,
      whys: ['IT did not act on leaving dates', 'No step asks IT to confirm', 'Nobody owns the step'].slice(0, method.whys),
      ...(extent ? {} : { extentOfCondition: null }),
    }),
  );

const ACTION_IDS = ['ca-1', 'ca-2', 'ca-3'] as const;
const actionIdArb = fc.constantFrom(...ACTION_IDS);
const presentMostly = fc.oneof({ arbitrary: fc.constant(true), weight: 6 }, { arbitrary: fc.constant(false), weight: 1 });

const actionDraftArb: fc.Arbitrary<ActionDraft> = fc
  .record({ id: actionIdArb, owner: presentMostly, dueDate: presentMostly, outcome: presentMostly })
  .map(({ id, owner, dueDate, outcome }) =>
    sampleAction({
      id,
      ...(owner ? {} : { owner: null }),
      ...(dueDate ? {} : { dueDate: null }),
      ...(outcome ? {} : { measurableOutcome: null }),
    }),
  );

const actionsArb = fc.oneof(
  { arbitrary: fc.array(actionDraftArb, { minLength: 1, maxLength: 2 }), weight: 8 },
  { arbitrary: fc.constant<ActionDraft[]>([]), weight: 1 },
);

const correctionArb: fc.Arbitrary<Correction> = fc.oneof(
  { arbitrary: fc.constant(sampleCorrection()), weight: 6 },
  {
    arbitrary: fc.constant<Correction>({ schemaVersion: 1, kind: 'not-applicable', justification: 'Nothing to contain.' }),
    weight: 1,
  },
  // Completed before the nonconformity was detected (2026-03-01T10:00:00Z): refused.
  {
    arbitrary: fc.constant<Correction>({
      schemaVersion: 1,
      kind: 'performed',
      description: 'Disabled the accounts.',
      performedBy: { id: actors.owner.id, name: actors.owner.name },
      completedAt: '2026-02-01T00:00:00Z',
    }),
    weight: 1,
  },
);

type RejectPayload = { kind: 'not-a-nonconformity' | 'duplicate'; duplicateOf?: string };
const rejectArb: fc.Arbitrary<RejectPayload> = fc.oneof(
  { arbitrary: fc.constant<RejectPayload>({ kind: 'not-a-nonconformity' }), weight: 3 },
  { arbitrary: fc.constant<RejectPayload>({ kind: 'duplicate', duplicateOf: 'f-2' }), weight: 2 },
  { arbitrary: fc.constant<RejectPayload>({ kind: 'duplicate' }), weight: 1 },
  { arbitrary: fc.constant<RejectPayload>({ kind: 'duplicate', duplicateOf: 'f-1' }), weight: 1 }, // itself
  { arbitrary: fc.constant<RejectPayload>({ kind: 'duplicate', duplicateOf: '' }), weight: 1 },
);

/** Everything any event type needs; an event is built from its type and one of these. */
interface Payload {
  readonly raiseGrade: string;
  readonly regrade: string;
  readonly correction: Correction;
  readonly rootCause: RootCauseAnalysis;
  readonly actions: readonly ActionDraft[];
  readonly actionId: string;
  readonly completeWithEvidence: boolean;
  readonly reviewEffective: boolean;
  readonly closeWithEvidence: boolean;
  readonly reject: RejectPayload;
  readonly findingIds: readonly string[];
  readonly by: Actor;
  readonly reason: string | undefined;
}

const payloadArb: fc.Arbitrary<Payload> = fc.record({
  raiseGrade: raiseGradeArb,
  regrade: regradeArb,
  correction: correctionArb,
  rootCause: rootCauseArb,
  actions: actionsArb,
  actionId: actionIdArb,
  completeWithEvidence: presentMostly,
  reviewEffective: fc.oneof({ arbitrary: fc.constant(true), weight: 2 }, { arbitrary: fc.constant(false), weight: 1 }),
  closeWithEvidence: presentMostly,
  reject: rejectArb,
  findingIds: fc.constantFrom<readonly string[]>(['f-2'], ['f-1', 'f-3'], []),
  by: actorArb,
  reason: reasonArb,
});

/** Builds an event of `type` from the payload. */
function buildEvent(type: CapaEventType, p: Payload, actionId: string = p.actionId): CapaEvent {
  const base = { by: p.by, ...(p.reason === undefined ? {} : { reason: p.reason }) };
  const event = (() => {
    switch (type) {
      case 'RAISE':
        return sampleEvent('RAISE', { ...base, finding: sampleFinding({ grade: p.raiseGrade }) });
      case 'RECORD_CORRECTION':
        return sampleEvent('RECORD_CORRECTION', { ...base, correction: p.correction });
      case 'RECORD_ROOT_CAUSE':
        return sampleEvent('RECORD_ROOT_CAUSE', { ...base, rootCause: p.rootCause });
      case 'LINK_FINDINGS':
        return sampleEvent('LINK_FINDINGS', { ...base, findingIds: p.findingIds });
      case 'PLAN_ACTIONS':
        return sampleEvent('PLAN_ACTIONS', { ...base, actions: p.actions });
      case 'SUBMIT_PLAN':
        return sampleEvent('SUBMIT_PLAN', base);
      case 'APPROVE_PLAN':
        return sampleEvent('APPROVE_PLAN', base);
      case 'RETURN_PLAN':
        return sampleEvent('RETURN_PLAN', base);
      case 'START_ACTION':
        return sampleEvent('START_ACTION', { ...base, actionId });
      case 'COMPLETE_ACTION':
        return sampleEvent('COMPLETE_ACTION', {
          ...base,
          actionId,
          ...(p.completeWithEvidence ? {} : { evidence: [] }),
        });
      case 'CANCEL_ACTION':
        return sampleEvent('CANCEL_ACTION', { ...base, actionId });
      case 'START_VERIFICATION':
        return sampleEvent('START_VERIFICATION', base);
      case 'RECORD_REVIEW':
        return sampleEvent('RECORD_REVIEW', { ...base, review: sampleReview(p.reviewEffective ? 'effective' : 'not-effective') });
      case 'CLOSE':
        return sampleEvent('CLOSE', { ...base, ...(p.closeWithEvidence ? {} : { evidence: [] }) });
      case 'REJECT':
        return sampleEvent('REJECT', { ...base, ...p.reject });
      case 'REOPEN':
        return sampleEvent('REOPEN', base);
      case 'REGRADE':
        return sampleEvent('REGRADE', { ...base, grade: p.regrade });
      case 'ATTACH_EVIDENCE':
        return sampleEvent('ATTACH_EVIDENCE', base);
    }
  })();
  // sampleEvent's defaults carry a reason; an absent reason must really be absent.
  if (p.reason === undefined && 'reason' in event) {
    const { reason: _omitted, ...rest } = event;
    return rest as CapaEvent;
  }
  return event;
}

// ---------------------------------------------------------------------------------------
// Steps and steering
// ---------------------------------------------------------------------------------------

interface Step {
  /** 0-99: below STEER_PERCENT the type is replaced by the next lifecycle step. */
  readonly steer: number;
  /** Picks among the steering choices (and the open action to act on). */
  readonly pick: number;
  /** The unsteered type: any of the 18. */
  readonly type: CapaEventType;
  readonly payload: Payload;
}

const STEER_PERCENT = 70;

const stepArb: fc.Arbitrary<Step> = fc.record({
  steer: fc.nat({ max: 99 }),
  pick: fc.nat({ max: 59 }),
  type: fc.constantFrom(...CAPA_EVENT_TYPES),
  payload: payloadArb,
});

const MAX_EVENTS = 40;
const sequenceArb = fc.array(stepArb, { minLength: 1, maxLength: MAX_EVENTS, size: 'max' });

const isOpen = (status: string) => status === 'planned' || status === 'in-progress';

/** The next lifecycle step from this snapshot, or null when none (a final state). */
function steer(snapshot: CapaSnapshot, step: Step): CapaEvent | null {
  const { pick, payload } = step;
  const context = snapshot.context;
  const one = (...types: CapaEventType[]) => buildEvent(types[pick % types.length] as CapaEventType, payload);
  switch (snapshot.value) {
    case 'draft':
      return one('RAISE');
    case 'reported':
      return one('RECORD_CORRECTION', 'RECORD_CORRECTION', 'RECORD_CORRECTION', 'REGRADE');
    case 'contained':
      return one('RECORD_ROOT_CAUSE');
    case 'investigating': {
      const rootCause = context.rootCause;
      const needsRootCause =
        rootCause === null ||
        context.rootCauseCycle !== currentCycle(context) ||
        rootCause.extentOfCondition === null ||
        SHALLOW_CAUSES.includes(rootCause.statement);
      // Mostly the step that is missing; one time in five the other one, to be refused or to revise.
      const plan = pick % 5 === 0 ? needsRootCause : !needsRootCause;
      return plan ? planWithFreshIds(context, step) : one('RECORD_ROOT_CAUSE');
    }
    case 'planning': {
      const incomplete = currentActions(context).some((a) => a.owner === null || a.dueDate === null || a.measurableOutcome === null);
      return incomplete && pick % 4 !== 0 ? planWithFreshIds(context, step) : one('PLAN_ACTIONS', 'SUBMIT_PLAN', 'SUBMIT_PLAN', 'SUBMIT_PLAN');
    }
    case 'awaitingApproval':
      return one('RETURN_PLAN', 'APPROVE_PLAN', 'APPROVE_PLAN', 'APPROVE_PLAN', 'APPROVE_PLAN');
    case 'implementing': {
      const open = currentActions(context).filter((action) => isOpen(action.status));
      const target = open[pick % Math.max(open.length, 1)];
      if (target === undefined) return one('START_VERIFICATION');
      const types: CapaEventType[] = ['START_ACTION', 'COMPLETE_ACTION', 'COMPLETE_ACTION', 'COMPLETE_ACTION', 'CANCEL_ACTION'];
      return buildEvent(types[pick % types.length] as CapaEventType, payload, target.id);
    }
    case 'verifying':
      return context.reviews.at(-1)?.result === 'effective' ? one('CLOSE', 'CLOSE', 'CLOSE', 'RECORD_REVIEW') : one('RECORD_REVIEW');
    case 'closed':
    case 'rejected':
      return one('REOPEN');
    case 'monitoring':
    case 'logged':
      return one('CLOSE', 'REGRADE');
    default:
      return null;
  }
}

/**
 * PLAN_ACTIONS whose ids avoid those of earlier cycles where the pool allows (two times
 * in three), so that a second cycle can be planned; duplicates within the plan are kept.
 */
function planWithFreshIds(context: CapaContext, step: Step): CapaEvent {
  const event = buildEvent('PLAN_ACTIONS', step.payload);
  if (event.type !== 'PLAN_ACTIONS' || step.pick % 3 === 0) return event;
  const cycle = currentCycle(context);
  const used = new Set(context.actions.filter((a) => a.cycle !== cycle).map((a) => a.id));
  const fresh = ACTION_IDS.filter((id) => !used.has(id));
  const actions = event.actions.map((action, i) => (used.has(action.id) && fresh[i] !== undefined ? { ...action, id: fresh[i] } : action));
  return { ...event, actions };
}

function eventFor(snapshot: CapaSnapshot, step: Step): CapaEvent {
  if (step.steer < STEER_PERCENT) {
    const steered = steer(snapshot, step);
    if (steered !== null) return steered;
  }
  return buildEvent(step.type, step.payload);
}

// ---------------------------------------------------------------------------------------
// Running a sequence
// ---------------------------------------------------------------------------------------

interface Transition {
  readonly index: number;
  readonly step: Step;
  readonly before: CapaSnapshot;
  readonly event: CapaEvent;
  /** The next snapshot, or null when the event was refused. */
  readonly after: CapaSnapshot | null;
}

const initial = () => createActor(capaMachine).getSnapshot();

/**
 * Drives the pure path (`explain` + `advance`) through the steps, calling `onStep`
 * before moving on. Returns every snapshot visited, the initial one first.
 */
function run(steps: readonly Step[], onStep?: (t: Transition) => void): CapaSnapshot[] {
  let snapshot = initial();
  const visited = [snapshot];
  const trace: string[] = [];
  steps.forEach((step, index) => {
    const event = eventFor(snapshot, step);
    const accepted = explain(snapshot, event).length === 0;
    const after = accepted ? advance(snapshot, event) : null;
    trace.push(`${index}: ${String(snapshot.value)} + ${describeEvent(event)} -> ${after === null ? 'refused' : String(after.value)}`);
    try {
      onStep?.({ index, step, before: snapshot, event, after });
    } catch (error) {
      // fast-check prints the (large) generated steps; the trace says what happened.
      throw new Error(`${error instanceof Error ? error.message : String(error)}\nTrace:\n  ${trace.join('\n  ')}\nEvent: ${JSON.stringify(event)}`, {
        cause: error,
      });
    }
    if (after !== null) {
      snapshot = after;
      visited.push(after);
    }
  });
  return visited;
}

/** One line per event for traces: its type and the payload bits that matter. */
function describeEvent(event: CapaEvent): string {
  const bits: string[] = [event.type, `by=${event.by.id}`];
  if (event.reason !== undefined) bits.push(`reason=${JSON.stringify(event.reason)}`);
  switch (event.type) {
    case 'RAISE':
      bits.push(`grade=${event.finding.grade}`);
      break;
    case 'REGRADE':
      bits.push(`grade=${event.grade}`);
      break;
    case 'RECORD_CORRECTION':
      bits.push(event.correction.kind === 'performed' ? `performed@${event.correction.completedAt}` : 'not-applicable');
      break;
    case 'RECORD_ROOT_CAUSE':
      bits.push(
        `${JSON.stringify(event.rootCause.statement)} ${event.rootCause.method}/${event.rootCause.whys.length} extent=${event.rootCause.extentOfCondition !== null}`,
      );
      break;
    case 'PLAN_ACTIONS':
      bits.push(
        `[${event.actions
          .map((a) => `${a.id}${a.owner === null ? ' !owner' : ''}${a.dueDate === null ? ' !due' : ''}${a.measurableOutcome === null ? ' !outcome' : ''}`)
          .join(', ')}]`,
      );
      break;
    case 'START_ACTION':
    case 'CANCEL_ACTION':
      bits.push(event.actionId);
      break;
    case 'COMPLETE_ACTION':
      bits.push(`${event.actionId} evidence=${event.evidence.length}`);
      break;
    case 'RECORD_REVIEW':
      bits.push(event.review.result);
      break;
    case 'CLOSE':
      bits.push(`evidence=${event.evidence.length}`);
      break;
    case 'REJECT':
      bits.push(event.kind, ...(event.duplicateOf === undefined ? [] : [`of=${JSON.stringify(event.duplicateOf)}`]));
      break;
    default:
      break;
  }
  return bits.join(' ');
}

/** Comparable state of a snapshot: what persists. */
const view = (s: CapaSnapshot) => ({ value: s.value, status: s.status, context: s.context });

const jsonClone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const roundTrip = (s: CapaSnapshot) => restoreSnapshot(capaMachine, jsonClone(persistSnapshot(s)));

/** advance(), or the refusal's unmet list. */
function outcome(snapshot: CapaSnapshot, event: CapaEvent) {
  try {
    return { next: view(advance(snapshot, event)) };
  } catch (error) {
    if (error instanceof CapaTransitionError) return { refused: error.unmet };
    throw error;
  }
}

const runs = (n: number) => ({ numRuns: n });

/** A root cause recorded in the current investigation cycle, deep and with extent of condition. */
function expectCurrentRootCause(context: CapaContext) {
  expect(context.rootCause).not.toBeNull();
  expect(context.rootCauseCycle).toBe(currentCycle(context));
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

describe('CAPA machine properties (iso27001)', () => {
  it('generates sequences that reach closed and loop through not-effective reviews', () => {
    const samples = fc.sample(sequenceArb, { numRuns: 500, seed: 20260310 });
    let closedCorrective = 0;
    let verifyingAfterNotEffective = 0;
    let reachedPlanning = 0;
    let refusedShare = 0;
    for (const steps of samples) {
      let refused = 0;
      const visited = run(steps, (t) => {
        if (t.after === null) refused += 1;
      });
      refusedShare += refused / steps.length;
      if (visited.some((s) => s.value === 'planning')) reachedPlanning += 1;
      if (visited.some((s) => s.value === 'closed' && s.context.lifecycle === 'corrective-action')) closedCorrective += 1;
      if (visited.some((s) => s.value === 'verifying' && s.context.reviews.some((r) => r.result === 'not-effective'))) {
        verifyingAfterNotEffective += 1;
      }
    }
    const share = (count: number) => count / samples.length;
    console.info(
      `[properties] of ${samples.length} sequences: ${(100 * share(closedCorrective)).toFixed(1)}% reach closed (corrective action), ` +
        `${(100 * share(verifyingAfterNotEffective)).toFixed(1)}% reach verifying again after a not-effective review, ` +
        `${(100 * share(reachedPlanning)).toFixed(1)}% reach planning; ${(100 * share(refusedShare)).toFixed(1)}% of events are refused`,
    );
    expect(share(closedCorrective)).toBeGreaterThanOrEqual(0.05);
    expect(share(verifyingAfterNotEffective)).toBeGreaterThanOrEqual(0.01);
    expect(share(reachedPlanning)).toBeGreaterThanOrEqual(0.2);
  });

  it('never closes a nonconformity without root cause, finished actions with evidence, an effective review and closure evidence', () => {
    fc.assert(
      fc.property(sequenceArb, (steps) => {
        run(steps, ({ after }) => {
          if (after === null || after.value !== 'closed' || after.context.lifecycle !== 'corrective-action') return;
          const context = after.context;
          expectCurrentRootCause(context);
          const rootCause = context.rootCause as RootCauseAnalysis;
          expect(rootCause.extentOfCondition).not.toBeNull();
          expect(
            judgeRootCause(rootCause.statement, { phrases: DEFAULT_SHALLOW_CAUSE_PHRASES, findingTitle: context.finding?.title ?? '' }).shallow,
          ).toBe(false);
          const actions = currentActions(context);
          expect(actions.filter((a) => isOpen(a.status))).toEqual([]);
          const done = actions.filter((a) => a.status === 'done');
          expect(done.length).toBeGreaterThan(0);
          for (const action of done) expect(action.implementationEvidence.length).toBeGreaterThan(0);
          expect(context.reviews.at(-1)?.result).toBe('effective');
          expect(context.closure?.evidence.length ?? 0).toBeGreaterThan(0);
        });
      }),
      runs(400),
    );
  });

  it('never reaches planning (or anything after it) without a root cause recorded in the current cycle', () => {
    const afterInvestigation = new Set(['planning', 'awaitingApproval', 'implementing', 'verifying']);
    fc.assert(
      fc.property(sequenceArb, (steps) => {
        for (const snapshot of run(steps)) {
          if (afterInvestigation.has(String(snapshot.value))) expectCurrentRootCause(snapshot.context);
        }
      }),
      runs(400),
    );
  });

  it('can(event) is true exactly when explain(snapshot, event) is empty, for every event type at every step', () => {
    fc.assert(
      fc.property(sequenceArb, (steps) => {
        run(steps, ({ before, event, step }) => {
          expect(before.can(event)).toBe(explain(before, event).length === 0);
          for (const type of CAPA_EVENT_TYPES) {
            const other = buildEvent(type, step.payload);
            const unmet = explain(before, other);
            if (before.can(other) !== (unmet.length === 0)) {
              throw new Error(`can/explain disagree in ${String(before.value)} on ${JSON.stringify(other)}: ${JSON.stringify(unmet)}`);
            }
          }
        });
      }),
      runs(300),
    );
  });

  it('refused events change nothing: advance throws CapaTransitionError and an actor keeps its snapshot', () => {
    fc.assert(
      fc.property(sequenceArb, (steps) => {
        const actor = createActor(capaMachine).start();
        run(steps, ({ before, event, after }) => {
          const frozen = jsonClone(view(before));
          if (after === null) {
            let thrown: unknown;
            try {
              advance(before, event);
            } catch (error) {
              thrown = error;
            }
            expect(thrown).toBeInstanceOf(CapaTransitionError);
            expect((thrown as CapaTransitionError).unmet).toEqual(explain(before, event));
            expect((thrown as CapaTransitionError).code).toBe('CAPA_TRANSITION_REFUSED');
          }
          // A done actor (conformity) takes nothing; xstate warns when sent to, so skip it.
          if (actor.getSnapshot().status === 'active') actor.send(event);
          const expected = after === null ? before : after;
          expect(view(actor.getSnapshot())).toEqual(view(expected));
          // Neither advancing nor refusing mutates the snapshot it started from.
          expect(jsonClone(view(before))).toEqual(frozen);
        });
        actor.stop();
      }),
      runs(300),
    );
  });

  it('persisted snapshots restore to the same state and then behave identically', () => {
    fc.assert(
      fc.property(sequenceArb, (steps) => {
        run(steps, ({ before, event }) => {
          const restored = roundTrip(before);
          expect(view(restored)).toEqual(view(before));
          expect(restored.can(event)).toBe(before.can(event));
          expect(explain(restored, event)).toEqual(explain(before, event));
          expect(outcome(restored, event)).toEqual(outcome(before, event));
        });
      }),
      runs(300),
    );
  });

  it('keeps its bookkeeping: recurrences never decrease, closure iff closed, rejection iff rejected', () => {
    fc.assert(
      fc.property(sequenceArb, (steps) => {
        const visited = run(steps);
        visited.forEach((snapshot, i) => {
          const previous = visited[i - 1];
          if (previous !== undefined) expect(snapshot.context.recurrenceCount).toBeGreaterThanOrEqual(previous.context.recurrenceCount);
          expect(snapshot.context.closure !== null).toBe(snapshot.value === 'closed');
          expect(snapshot.context.rejection !== null).toBe(snapshot.value === 'rejected');
          expect(snapshot.context.machineVersion).toBe(MACHINE_VERSION);
        });
      }),
      runs(400),
    );
  });
});

// ---------------------------------------------------------------------------------------
// Regressions: bugs these properties found, kept as examples so they stay fixed.
// ---------------------------------------------------------------------------------------

describe('regressions found by the properties', () => {
  const happyMajor = () => {
    let s = initial();
    for (const type of ['RAISE', 'RECORD_CORRECTION', 'RECORD_ROOT_CAUSE', 'PLAN_ACTIONS', 'SUBMIT_PLAN', 'START_ACTION', 'COMPLETE_ACTION', 'START_VERIFICATION', 'RECORD_REVIEW', 'CLOSE'] as const) {
      s = advance(s, sampleEvent(type));
    }
    return s;
  };

  // Bug 1 (fixed): closure.effectiveReview looked at the last review ever recorded, not at one of
  // the current cycle. After REOPEN (a recurrence: new cycle), the previous cycle's
  // effective review still satisfies CLOSE, so the reopened finding closes without any
  // effectiveness review of its new corrective actions.
  it('a reopened nonconformity cannot close on the previous cycle\'s effective review', () => {
    let s = happyMajor();
    s = advance(s, sampleEvent('REOPEN'));
    s = advance(s, sampleEvent('RECORD_ROOT_CAUSE'));
    s = advance(s, sampleEvent('PLAN_ACTIONS', { actions: [sampleAction({ id: 'ca-2' })] }));
    s = advance(s, sampleEvent('SUBMIT_PLAN'));
    s = advance(s, sampleEvent('COMPLETE_ACTION', { actionId: 'ca-2' }));
    s = advance(s, sampleEvent('START_VERIFICATION'));
    expect(s.value).toBe('verifying');
    expect(s.can(sampleEvent('CLOSE'))).toBe(false);
    expect(explain(s, sampleEvent('CLOSE')).map((u) => u.code)).toContain('closure.effectiveReview');
  });

  it('(property, fixed seed) never closes a nonconformity without an effective review of the current cycle', () => {
    fc.assert(
      fc.property(sequenceArb, (steps) => {
        // How many reviews existed when the current cycle started.
        let reviewsAtCycleStart = 0;
        run(steps, ({ before, after }) => {
          if (after === null) return;
          if (after.context.recurrenceCount !== before.context.recurrenceCount) reviewsAtCycleStart = after.context.reviews.length;
          if (after.value === 'closed' && before.value !== 'closed' && after.context.lifecycle === 'corrective-action') {
            expect(after.context.reviews.slice(reviewsAtCycleStart).at(-1)?.result).toBe('effective');
          }
        });
      }),
      { numRuns: 400, seed: 20260310, endOnFailure: true },
    );
  });

  // Bug 2 (fixed): REOPEN left planSubmittedAt set. A minor finding rejected while
  // awaiting approval and reopened goes back through planning with a stale
  // planSubmittedAt, so regradeFlags() treats the unsubmitted plan as accepted and a
  // regrade to a grade needing approval raises a spurious plan.approvalNowRequired flag.
  it('a regrade while a reopened finding is still planning raises no plan-approval flag', () => {
    let s = initial();
    const send = (event: CapaEvent) => {
      s = advance(s, event);
    };
    send(sampleEvent('RAISE', { finding: sampleFinding({ grade: 'minor' }) }));
    send(sampleEvent('RECORD_CORRECTION'));
    send(sampleEvent('RECORD_ROOT_CAUSE'));
    send(sampleEvent('PLAN_ACTIONS'));
    send(sampleEvent('SUBMIT_PLAN'));
    expect(s.value).toBe('awaitingApproval');
    send(sampleEvent('REGRADE', { grade: 'major' }));
    send(sampleEvent('REJECT'));
    send(sampleEvent('REOPEN'));
    send(sampleEvent('RECORD_CORRECTION'));
    send(sampleEvent('RECORD_ROOT_CAUSE'));
    send(sampleEvent('PLAN_ACTIONS'));
    expect(s.value).toBe('planning');
    expect(s.context.planSubmittedAt).toBeNull();
    send(sampleEvent('REGRADE', { grade: 'minor' }));
    expect(s.context.flags).toEqual([]);
  });
});
