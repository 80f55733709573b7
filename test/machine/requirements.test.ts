// Lifecycle requirements, one at a time: for each requirement of LIFECYCLE_REQUIREMENTS
// and each event it gates, a snapshot in a state that takes the event, and an event or
// context where that requirement alone is unmet. explain, can and advance must agree.
// The table is checked against the list, so a new requirement without a case fails here.
import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import {
  CAPA_ERROR_CODES,
  CAPA_EVENT_TYPES,
  CapaTransitionError,
  LIFECYCLE_REQUIREMENTS,
  STATE_ACCEPTS,
  type CapaEvent,
  type CapaEventType,
  type CapaMachine,
  type CapaSnapshot,
  type Correction,
  acceptsEvent,
  advance,
  capaMachine,
  createCapaMachine,
  currentActions,
  defineSeverityPolicy,
  explain,
  iso27001,
  restoreSnapshot,
  soc2,
} from 'capa-kit';
import {
  actors,
  sampleAction,
  sampleEvent,
  sampleFinding,
  sampleReview,
  sampleRootCause,
} from '../fixtures/events.js';

// ---------------------------------------------------------------------------------------
// Driving a finding to a state.
// ---------------------------------------------------------------------------------------

const initial = (machine: CapaMachine = capaMachine): CapaSnapshot => createActor(machine).getSnapshot();

function drive(events: readonly CapaEvent[], machine: CapaMachine = capaMachine): CapaSnapshot {
  let snapshot = initial(machine);
  for (const event of events) snapshot = advance(snapshot, event);
  return snapshot;
}

const raise = (grade = 'major') => sampleEvent('RAISE', { finding: sampleFinding({ grade }) });
const notEffective = () => sampleEvent('RECORD_REVIEW', { review: sampleReview('not-effective') });

/** The events that bring a finding of `grade` to each corrective-action stage. */
const to = {
  reported: (grade = 'major') => [raise(grade)],
  contained: (grade = 'major') => [...to.reported(grade), sampleEvent('RECORD_CORRECTION')],
  investigating: (grade = 'major') => [...to.contained(grade), sampleEvent('RECORD_ROOT_CAUSE')],
  planning: (grade = 'major') => [...to.investigating(grade), sampleEvent('PLAN_ACTIONS')],
  /** Minor: the plan needs the auditor's approval. */
  awaitingApproval: () => [...to.planning('minor'), sampleEvent('SUBMIT_PLAN')],
  implementing: () => [...to.planning('major'), sampleEvent('SUBMIT_PLAN')],
  verifying: () => [
    ...to.implementing(),
    sampleEvent('START_ACTION'),
    sampleEvent('COMPLETE_ACTION'),
    sampleEvent('START_VERIFICATION'),
  ],
  reviewed: () => [...to.verifying(), sampleEvent('RECORD_REVIEW')],
  closed: () => [...to.reviewed(), sampleEvent('CLOSE')],
  /** A not-effective review: back to investigating, in cycle 2. */
  secondCycle: () => [...to.verifying(), notEffective()],
  rejected: (grade = 'major') => [...to.reported(grade), sampleEvent('REJECT')],
  monitoring: () => [raise('observation')],
  logged: () => [raise('ofi')],
};

const at = (events: readonly CapaEvent[], machine?: CapaMachine) => () => drive(events, machine);

// ---------------------------------------------------------------------------------------
// One requirement unmet alone.
// ---------------------------------------------------------------------------------------

interface Case {
  /** A snapshot in a state that takes the event. */
  readonly state: () => CapaSnapshot;
  /** The event that fails only the requirement under test. */
  readonly refused: CapaEvent;
  /** The control: the requirement satisfied (same state unless `acceptedState`). */
  readonly accepted: CapaEvent;
  readonly acceptedState?: () => CapaSnapshot;
}

const RAISE_MAJOR = raise('major');

/** The sample correction, completed at `completedAt` (the finding was detected 2026-03-01T10:00:00Z). */
const correctionCompletedAt = (completedAt: string): Correction => ({
  schemaVersion: 1,
  kind: 'performed',
  description: 'Disabled the accounts.',
  performedBy: { id: actors.owner.id, name: actors.owner.name },
  completedAt,
});

const cases: Record<string, Partial<Record<CapaEventType, Case>>> = {
  'grade.known': {
    RAISE: { state: initial, refused: raise('critical'), accepted: RAISE_MAJOR },
    REGRADE: {
      state: at(to.reported()),
      refused: sampleEvent('REGRADE', { grade: 'critical' }),
      accepted: sampleEvent('REGRADE', { grade: 'minor' }),
    },
  },
  'finding.detectedBeforeRaised': {
    RAISE: {
      state: initial,
      refused: sampleEvent('RAISE', { finding: sampleFinding({ detectedAt: '2026-03-01T12:00:01Z', raisedAt: '2026-03-01T12:00:00Z' }) }),
      // Detected and raised in the same instant is fine.
      accepted: sampleEvent('RAISE', { finding: sampleFinding({ detectedAt: '2026-03-01T12:00:00Z', raisedAt: '2026-03-01T12:00:00Z' }) }),
    },
  },
  'reason.given': {
    REJECT: {
      state: at(to.reported()),
      refused: sampleEvent('REJECT', { reason: '   ' }),
      accepted: sampleEvent('REJECT'),
    },
    REOPEN: {
      state: at(to.rejected()),
      refused: sampleEvent('REOPEN', { reason: undefined }),
      accepted: sampleEvent('REOPEN'),
    },
    REGRADE: {
      state: at(to.reported()),
      refused: sampleEvent('REGRADE', { grade: 'minor', reason: '' }),
      accepted: sampleEvent('REGRADE', { grade: 'minor' }),
    },
    RETURN_PLAN: {
      state: at(to.awaitingApproval()),
      refused: sampleEvent('RETURN_PLAN', { reason: ' \n\t' }),
      accepted: sampleEvent('RETURN_PLAN'),
    },
    CANCEL_ACTION: {
      state: at(to.implementing()),
      refused: sampleEvent('CANCEL_ACTION', { reason: undefined }),
      accepted: sampleEvent('CANCEL_ACTION'),
    },
  },
  'closure.note': {
    // Only observations and OFIs need a note; see the lifecycle test below.
    CLOSE: {
      state: at(to.monitoring()),
      refused: sampleEvent('CLOSE', { evidence: [], reason: undefined }),
      accepted: sampleEvent('CLOSE', { evidence: [], reason: 'Not seen again in two quarters' }),
    },
  },
  'correction.afterDetection': {
    RECORD_CORRECTION: {
      state: at(to.reported()),
      refused: sampleEvent('RECORD_CORRECTION', {
        correction: correctionCompletedAt('2026-03-01T09:59:59Z'),
      }),
      accepted: sampleEvent('RECORD_CORRECTION', {
        correction: correctionCompletedAt('2026-03-01T10:00:00Z'),
      }),
    },
  },
  'rootCause.whyChain': {
    RECORD_ROOT_CAUSE: {
      state: at(to.contained()),
      refused: sampleEvent('RECORD_ROOT_CAUSE', { rootCause: sampleRootCause({ whys: ['No step asks IT to confirm'] }) }),
      accepted: sampleEvent('RECORD_ROOT_CAUSE'),
    },
  },
  'rootCause.recorded': {
    PLAN_ACTIONS: {
      // Cycle 2: the root cause is cycle 1's. A new id, so plan.uniqueActionIds holds.
      state: at(to.secondCycle()),
      refused: sampleEvent('PLAN_ACTIONS', { actions: [sampleAction({ id: 'ca-2' })] }),
      accepted: sampleEvent('PLAN_ACTIONS', { actions: [sampleAction({ id: 'ca-2' })] }),
      acceptedState: at([...to.secondCycle(), sampleEvent('RECORD_ROOT_CAUSE')]),
    },
  },
  'rootCause.notShallow': {
    PLAN_ACTIONS: {
      state: at([
        ...to.contained(),
        sampleEvent('RECORD_ROOT_CAUSE', { rootCause: sampleRootCause({ statement: 'Human error.' }) }),
      ]),
      refused: sampleEvent('PLAN_ACTIONS'),
      accepted: sampleEvent('PLAN_ACTIONS'),
      acceptedState: at(to.investigating()),
    },
  },
  'rootCause.extentOfCondition': {
    PLAN_ACTIONS: {
      state: at([
        ...to.contained(),
        sampleEvent('RECORD_ROOT_CAUSE', { rootCause: sampleRootCause({ extentOfCondition: null }) }),
      ]),
      refused: sampleEvent('PLAN_ACTIONS'),
      accepted: sampleEvent('PLAN_ACTIONS'),
      acceptedState: at(to.investigating()),
    },
  },
  'plan.notEmpty': {
    PLAN_ACTIONS: {
      state: at(to.investigating()),
      refused: sampleEvent('PLAN_ACTIONS', { actions: [] }),
      accepted: sampleEvent('PLAN_ACTIONS'),
    },
    SUBMIT_PLAN: {
      // No event empties a plan; a stored snapshot can hold one.
      state: () => {
        const planning = drive(to.planning());
        return restoreSnapshot(capaMachine, {
          value: 'planning',
          status: 'active',
          context: { ...planning.context, actions: [] },
        });
      },
      refused: sampleEvent('SUBMIT_PLAN'),
      accepted: sampleEvent('SUBMIT_PLAN'),
      acceptedState: at(to.planning()),
    },
  },
  'plan.uniqueActionIds': {
    PLAN_ACTIONS: {
      state: at(to.investigating()),
      refused: sampleEvent('PLAN_ACTIONS', { actions: [sampleAction(), sampleAction({ description: 'Another' })] }),
      accepted: sampleEvent('PLAN_ACTIONS', { actions: [sampleAction(), sampleAction({ id: 'ca-2' })] }),
    },
  },
  'plan.actionOwner': {
    SUBMIT_PLAN: {
      state: at([...to.investigating(), sampleEvent('PLAN_ACTIONS', { actions: [sampleAction({ owner: null })] })]),
      refused: sampleEvent('SUBMIT_PLAN'),
      accepted: sampleEvent('SUBMIT_PLAN'),
      acceptedState: at(to.planning()),
    },
  },
  'plan.actionDueDate': {
    SUBMIT_PLAN: {
      state: at([...to.investigating(), sampleEvent('PLAN_ACTIONS', { actions: [sampleAction({ dueDate: null })] })]),
      refused: sampleEvent('SUBMIT_PLAN'),
      accepted: sampleEvent('SUBMIT_PLAN'),
      acceptedState: at(to.planning()),
    },
  },
  'plan.actionOutcome': {
    SUBMIT_PLAN: {
      state: at([
        ...to.investigating(),
        sampleEvent('PLAN_ACTIONS', { actions: [sampleAction({ measurableOutcome: null })] }),
      ]),
      refused: sampleEvent('SUBMIT_PLAN'),
      accepted: sampleEvent('SUBMIT_PLAN'),
      acceptedState: at(to.planning()),
    },
  },
  'approval.role': {
    APPROVE_PLAN: {
      state: at(to.awaitingApproval()),
      refused: sampleEvent('APPROVE_PLAN', { by: actors.owner }),
      accepted: sampleEvent('APPROVE_PLAN', { by: actors.auditor }),
    },
  },
  'action.known': {
    START_ACTION: {
      state: at(to.implementing()),
      refused: sampleEvent('START_ACTION', { actionId: 'ca-9' }),
      accepted: sampleEvent('START_ACTION'),
    },
    COMPLETE_ACTION: {
      state: at(to.implementing()),
      refused: sampleEvent('COMPLETE_ACTION', { actionId: 'ca-9' }),
      accepted: sampleEvent('COMPLETE_ACTION'),
    },
    CANCEL_ACTION: {
      state: at(to.implementing()),
      refused: sampleEvent('CANCEL_ACTION', { actionId: 'ca-9' }),
      accepted: sampleEvent('CANCEL_ACTION'),
    },
  },
  'action.planned': {
    START_ACTION: {
      state: at([...to.implementing(), sampleEvent('START_ACTION')]),
      refused: sampleEvent('START_ACTION'),
      accepted: sampleEvent('START_ACTION'),
      acceptedState: at(to.implementing()),
    },
  },
  'action.open': {
    COMPLETE_ACTION: {
      state: at([...to.implementing(), sampleEvent('COMPLETE_ACTION')]),
      refused: sampleEvent('COMPLETE_ACTION'),
      accepted: sampleEvent('COMPLETE_ACTION'),
      acceptedState: at([...to.implementing(), sampleEvent('START_ACTION')]),
    },
    CANCEL_ACTION: {
      state: at([...to.implementing(), sampleEvent('CANCEL_ACTION')]),
      refused: sampleEvent('CANCEL_ACTION'),
      accepted: sampleEvent('CANCEL_ACTION'),
      acceptedState: at([...to.implementing(), sampleEvent('START_ACTION')]),
    },
  },
  'action.evidence': {
    COMPLETE_ACTION: {
      state: at(to.implementing()),
      refused: sampleEvent('COMPLETE_ACTION', { evidence: [] }),
      accepted: sampleEvent('COMPLETE_ACTION'),
    },
  },
  'actions.finished': {
    START_VERIFICATION: {
      state: at([
        ...to.investigating(),
        sampleEvent('PLAN_ACTIONS', { actions: [sampleAction(), sampleAction({ id: 'ca-2' })] }),
        sampleEvent('SUBMIT_PLAN'),
        sampleEvent('COMPLETE_ACTION'),
      ]),
      refused: sampleEvent('START_VERIFICATION'),
      accepted: sampleEvent('START_VERIFICATION'),
      acceptedState: at([
        ...to.investigating(),
        sampleEvent('PLAN_ACTIONS', { actions: [sampleAction(), sampleAction({ id: 'ca-2' })] }),
        sampleEvent('SUBMIT_PLAN'),
        sampleEvent('COMPLETE_ACTION'),
        sampleEvent('CANCEL_ACTION', { actionId: 'ca-2' }),
      ]),
    },
  },
  'actions.doneWithEvidence': {
    START_VERIFICATION: {
      // Every action finished, but none done: all cancelled.
      state: at([...to.implementing(), sampleEvent('CANCEL_ACTION')]),
      refused: sampleEvent('START_VERIFICATION'),
      accepted: sampleEvent('START_VERIFICATION'),
      acceptedState: at([...to.implementing(), sampleEvent('COMPLETE_ACTION')]),
    },
  },
  'closure.effectiveReview': {
    CLOSE: {
      state: at(to.verifying()),
      refused: sampleEvent('CLOSE'),
      accepted: sampleEvent('CLOSE'),
      acceptedState: at(to.reviewed()),
    },
  },
  'closure.evidence': {
    CLOSE: {
      state: at(to.reviewed()),
      refused: sampleEvent('CLOSE', { evidence: [] }),
      accepted: sampleEvent('CLOSE'),
    },
  },
  'rejection.duplicateOf': {
    REJECT: {
      state: at(to.reported()),
      refused: sampleEvent('REJECT', { kind: 'duplicate' }),
      accepted: sampleEvent('REJECT', { kind: 'duplicate', duplicateOf: 'f-0' }),
    },
  },
  'grade.changed': {
    REGRADE: {
      state: at(to.reported()),
      refused: sampleEvent('REGRADE', { grade: 'major' }),
      accepted: sampleEvent('REGRADE', { grade: 'minor' }),
    },
  },
  'grade.lifecycleAllowed': {
    REGRADE: {
      state: at(to.reported()),
      refused: sampleEvent('REGRADE', { grade: 'conformity' }),
      accepted: sampleEvent('REGRADE', { grade: 'observation' }),
    },
  },
};

function expectRefused(snapshot: CapaSnapshot, event: CapaEvent, codes: readonly string[]) {
  const unmet = explain(snapshot, event);
  expect(unmet.map((u) => u.code)).toEqual(codes);
  for (const u of unmet) expect(u.message.trim().length).toBeGreaterThan(0);
  expect(snapshot.can(event)).toBe(false);
  let thrown: unknown;
  try {
    advance(snapshot, event);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(CapaTransitionError);
  const error = thrown as CapaTransitionError;
  expect(error.code).toBe('CAPA_TRANSITION_REFUSED');
  expect(error.code).toBe(CAPA_ERROR_CODES.transitionRefused);
  expect(error.unmet.map((u) => u.code)).toEqual(codes);
  expect(error.state).toBe(String(snapshot.value));
  expect(error.event).toBe(event.type);
}

function expectAccepted(snapshot: CapaSnapshot, event: CapaEvent): CapaSnapshot {
  expect(explain(snapshot, event)).toEqual([]);
  expect(snapshot.can(event)).toBe(true);
  return advance(snapshot, event);
}

const pairs = LIFECYCLE_REQUIREMENTS.flatMap((requirement) =>
  requirement.events.map((type) => ({ code: requirement.code, type })),
);

describe('each lifecycle requirement, unmet alone', () => {
  it('the case table covers exactly LIFECYCLE_REQUIREMENTS × their events', () => {
    const missing = pairs.filter(({ code, type }) => cases[code]?.[type] === undefined).map(({ code, type }) => `${code} × ${type}`);
    expect(missing).toEqual([]);
    const known = new Set(pairs.map(({ code, type }) => `${code} × ${type}`));
    const extra = Object.entries(cases)
      .flatMap(([code, byType]) => Object.keys(byType).map((type) => `${code} × ${type}`))
      .filter((name) => !known.has(name));
    expect(extra).toEqual([]);
    expect(pairs.length).toBeGreaterThanOrEqual(34);
  });

  it.each(pairs)('$code gates $type', ({ code, type }) => {
    const c = cases[code]?.[type];
    if (c === undefined) throw new Error(`No case for requirement ${code} on ${type}: add one to the table.`);
    expect(c.refused.type).toBe(type);
    expect(c.accepted.type).toBe(type);
    const snapshot = c.state();
    expect(acceptsEvent(snapshot, type)).toBe(true);
    expectRefused(snapshot, c.refused, [code]);
    expectAccepted(c.acceptedState?.() ?? snapshot, c.accepted);
  });
});

describe('requirements that depend on the lifecycle', () => {
  it('closure.note applies to observations and OFIs, not to a nonconformity', () => {
    const noNote = sampleEvent('CLOSE', { reason: undefined });
    expectRefused(drive(to.logged()), { ...noNote, evidence: [] }, ['closure.note']);
    expectRefused(drive(to.monitoring()), noNote, ['closure.note']);
    const closed = expectAccepted(drive(to.reviewed()), noNote);
    expect(closed.value).toBe('closed');
    expect(closed.context.closure?.note).toBeUndefined();
  });

  it('closure.effectiveReview and closure.evidence do not apply to observations and OFIs', () => {
    const bare = sampleEvent('CLOSE', { evidence: [], reason: 'Folded into the improvement backlog' });
    for (const events of [to.monitoring(), to.logged()]) {
      const closed = expectAccepted(drive(events), bare);
      expect(closed.value).toBe('closed');
      expect(closed.context.closure?.note).toBe('Folded into the improvement backlog');
    }
  });

  it('a duplicate may not name itself', () => {
    expectRefused(drive(to.reported()), sampleEvent('REJECT', { kind: 'duplicate', duplicateOf: 'f-1' }), [
      'rejection.duplicateOf',
    ]);
  });

  it('several unmet requirements are all reported, in list order', () => {
    expectRefused(drive(to.reviewed()), sampleEvent('CLOSE', { evidence: [] }), ['closure.evidence']);
    expectRefused(drive(to.verifying()), sampleEvent('CLOSE', { evidence: [] }), [
      'closure.effectiveReview',
      'closure.evidence',
    ]);
    expectRefused(drive(to.reported()), sampleEvent('REGRADE', { grade: 'major', reason: undefined }), [
      'reason.given',
      'grade.changed',
    ]);
  });
});

// ---------------------------------------------------------------------------------------
// Relaxed requirements.
// ---------------------------------------------------------------------------------------

describe('requirements a policy relaxes', () => {
  const relaxing = (code: 'rootCause.notShallow' | 'rootCause.extentOfCondition' | 'rootCause.whyChain') =>
    createCapaMachine(defineSeverityPolicy({ ...iso27001, id: 'relaxed', relaxes: [code] }));

  it('rootCause.notShallow relaxed: a shallow cause is accepted for PLAN_ACTIONS', () => {
    const shallow = sampleEvent('RECORD_ROOT_CAUSE', { rootCause: sampleRootCause({ statement: 'Human error.' }) });
    const machine = relaxing('rootCause.notShallow');
    const snapshot = drive([...to.contained(), shallow], machine);
    expect(expectAccepted(snapshot, sampleEvent('PLAN_ACTIONS')).value).toBe('planning');
    // Only that one: a missing extent of condition is still refused.
    const noExtent = sampleEvent('RECORD_ROOT_CAUSE', {
      rootCause: sampleRootCause({ statement: 'Human error.', extentOfCondition: null }),
    });
    expectRefused(drive([...to.contained(), noExtent], machine), sampleEvent('PLAN_ACTIONS'), [
      'rootCause.extentOfCondition',
    ]);
  });

  it('rootCause.extentOfCondition relaxed: no extent of condition is accepted for PLAN_ACTIONS', () => {
    const noExtent = sampleEvent('RECORD_ROOT_CAUSE', { rootCause: sampleRootCause({ extentOfCondition: null }) });
    const machine = relaxing('rootCause.extentOfCondition');
    expect(expectAccepted(drive([...to.contained(), noExtent], machine), sampleEvent('PLAN_ACTIONS')).value).toBe(
      'planning',
    );
    const shallow = sampleEvent('RECORD_ROOT_CAUSE', { rootCause: sampleRootCause({ statement: 'Human error.' }) });
    expectRefused(drive([...to.contained(), shallow], machine), sampleEvent('PLAN_ACTIONS'), ['rootCause.notShallow']);
  });

  it('rootCause.whyChain relaxed: a single why is accepted for RECORD_ROOT_CAUSE', () => {
    const oneWhy = sampleEvent('RECORD_ROOT_CAUSE', { rootCause: sampleRootCause({ whys: ['No step asks IT'] }) });
    const machine = relaxing('rootCause.whyChain');
    const investigating = expectAccepted(drive(to.contained(), machine), oneWhy);
    expect(investigating.value).toBe('investigating');
    expect(expectAccepted(investigating, sampleEvent('PLAN_ACTIONS')).value).toBe('planning');
  });

  it('a policy cannot relax a requirement outside the relaxable list', () => {
    expect(() => defineSeverityPolicy({ ...iso27001, id: 'lax', relaxes: ['closure.evidence'] })).toThrow();
  });
});

// ---------------------------------------------------------------------------------------
// state.accepts
// ---------------------------------------------------------------------------------------

/** The event types each state takes: the specification. */
const ACCEPTS: Record<string, readonly CapaEventType[]> = {
  draft: ['RAISE'],
  reported: ['RECORD_CORRECTION', 'REGRADE', 'REJECT', 'LINK_FINDINGS', 'ATTACH_EVIDENCE'],
  contained: ['RECORD_CORRECTION', 'RECORD_ROOT_CAUSE', 'REGRADE', 'REJECT', 'LINK_FINDINGS', 'ATTACH_EVIDENCE'],
  investigating: ['RECORD_ROOT_CAUSE', 'PLAN_ACTIONS', 'REGRADE', 'REJECT', 'LINK_FINDINGS', 'ATTACH_EVIDENCE'],
  planning: ['PLAN_ACTIONS', 'SUBMIT_PLAN', 'REGRADE', 'REJECT', 'LINK_FINDINGS', 'ATTACH_EVIDENCE'],
  awaitingApproval: ['APPROVE_PLAN', 'RETURN_PLAN', 'REGRADE', 'REJECT', 'LINK_FINDINGS', 'ATTACH_EVIDENCE'],
  implementing: [
    'START_ACTION',
    'COMPLETE_ACTION',
    'CANCEL_ACTION',
    'START_VERIFICATION',
    'REGRADE',
    'LINK_FINDINGS',
    'ATTACH_EVIDENCE',
  ],
  verifying: ['RECORD_REVIEW', 'CLOSE', 'LINK_FINDINGS', 'ATTACH_EVIDENCE'],
  closed: ['REOPEN'],
  monitoring: ['CLOSE', 'REGRADE', 'REJECT', 'LINK_FINDINGS', 'ATTACH_EVIDENCE'],
  logged: ['CLOSE', 'REGRADE', 'REJECT', 'LINK_FINDINGS', 'ATTACH_EVIDENCE'],
  rejected: ['REOPEN'],
  conformity: [],
};

const SNAPSHOTS: Record<string, () => CapaSnapshot> = {
  draft: initial,
  reported: at(to.reported()),
  contained: at(to.contained()),
  investigating: at(to.investigating()),
  planning: at(to.planning()),
  awaitingApproval: at(to.awaitingApproval()),
  implementing: at(to.implementing()),
  verifying: at(to.verifying()),
  closed: at(to.closed()),
  monitoring: at(to.monitoring()),
  logged: at(to.logged()),
  rejected: at(to.rejected()),
  conformity: at([raise('conformity')]),
};

describe('state.accepts', () => {
  it('the specification names every state of the machine', () => {
    const states = Object.keys(capaMachine.root.states).sort();
    expect(Object.keys(ACCEPTS).sort()).toEqual(states);
    expect(Object.keys(SNAPSHOTS).sort()).toEqual(states);
  });

  it.each(Object.keys(ACCEPTS))('%s refuses exactly the events it does not take', (state) => {
    const snapshot = SNAPSHOTS[state]!();
    expect(snapshot.value).toBe(state);
    const takes = ACCEPTS[state]!;
    for (const type of CAPA_EVENT_TYPES) {
      const event = sampleEvent(type);
      expect(acceptsEvent(snapshot, type), `${state} × ${type}`).toBe(takes.includes(type));
      if (takes.includes(type)) {
        expect(explain(snapshot, event).map((u) => u.code)).not.toContain(STATE_ACCEPTS);
        continue;
      }
      const unmet = explain(snapshot, event);
      expect(unmet, `${state} × ${type}`).toHaveLength(1);
      expect(unmet[0]?.code).toBe('state.accepts');
      expect(unmet[0]?.message).toContain(type);
      expectRefused(snapshot, event, ['state.accepts']);
    }
  });

  it('the final conformity state accepts nothing', () => {
    const snapshot = SNAPSHOTS['conformity']!();
    expect(snapshot.status).toBe('done');
    for (const type of CAPA_EVENT_TYPES) {
      expect(acceptsEvent(snapshot, type)).toBe(false);
      expectRefused(snapshot, sampleEvent(type), ['state.accepts']);
    }
  });
});

// ---------------------------------------------------------------------------------------
// Scenarios.
// ---------------------------------------------------------------------------------------

describe('a not-effective review', () => {
  it('goes back to investigating, counts a recurrence, keeps the old actions and asks for a new root cause', () => {
    const verifying = drive(to.verifying());
    const back = expectAccepted(verifying, notEffective());
    expect(back.value).toBe('investigating');
    expect(back.context.recurrenceCount).toBe(1);
    expect(back.context.actions).toEqual(verifying.context.actions);
    expect(back.context.actions.map((a) => [a.id, a.cycle, a.status])).toEqual([['ca-1', 1, 'done']]);
    expect(currentActions(back.context)).toEqual([]);
    expect(back.context.planSubmittedAt).toBeNull();
    expect(back.context.reviews.map((r) => r.result)).toEqual(['not-effective']);

    const newPlan = sampleEvent('PLAN_ACTIONS', { actions: [sampleAction({ id: 'ca-2' })] });
    expectRefused(back, newPlan, ['rootCause.recorded']);

    const reinvestigated = expectAccepted(back, sampleEvent('RECORD_ROOT_CAUSE'));
    expect(reinvestigated.context.rootCauseCycle).toBe(2);
    // ca-1 belongs to cycle 1: reusing its id is refused.
    expectRefused(reinvestigated, sampleEvent('PLAN_ACTIONS'), ['plan.uniqueActionIds']);
    const planning = expectAccepted(reinvestigated, newPlan);
    expect(planning.value).toBe('planning');
    expect(planning.context.actions.map((a) => [a.id, a.cycle, a.status])).toEqual([
      ['ca-1', 1, 'done'],
      ['ca-2', 2, 'planned'],
    ]);
    // The old, done ca-1 is not part of this plan.
    expectRefused(expectAccepted(planning, sampleEvent('SUBMIT_PLAN')), sampleEvent('START_ACTION'), ['action.known']);
  });
});

describe('regrading', () => {
  it('major → minor in investigating recomputes the due date', () => {
    const investigating = drive(to.investigating('major'));
    expect(investigating.context.dueDate).toBe('2026-06-01');
    const minor = expectAccepted(investigating, sampleEvent('REGRADE', { grade: 'minor' }));
    expect(minor.value).toBe('investigating');
    expect(minor.context.grade).toBe('minor');
    expect(minor.context.dueDate).toBe('2027-03-01');
    expect(minor.context.flags).toEqual([]);
  });

  it('during implementing, after an approved plan, flags an action due after the new date and leaves it', () => {
    const implementing = drive([
      ...to.investigating('minor'),
      sampleEvent('PLAN_ACTIONS', { actions: [sampleAction({ dueDate: '2026-12-01' })] }),
      sampleEvent('SUBMIT_PLAN'),
      sampleEvent('APPROVE_PLAN', { by: actors.auditor }),
    ]);
    expect(implementing.value).toBe('implementing');
    expect(implementing.context.dueDate).toBe('2027-03-01');
    const major = expectAccepted(implementing, sampleEvent('REGRADE', { grade: 'major' }));
    expect(major.value).toBe('implementing');
    expect(major.context.dueDate).toBe('2026-06-01');
    expect(major.context.flags).toHaveLength(1);
    expect(major.context.flags[0]).toMatchObject({ code: 'action.dueAfterFinding', actionId: 'ca-1' });
    expect(major.context.actions[0]?.dueDate).toBe('2026-12-01');
    expect(major.context.approval).toEqual(implementing.context.approval);
  });

  it('an observation (monitoring) regraded to major goes to reported', () => {
    const monitoring = drive(to.monitoring());
    expect(monitoring.value).toBe('monitoring');
    expect(monitoring.context.dueDate).toBeNull();
    const major = expectAccepted(monitoring, sampleEvent('REGRADE', { grade: 'major' }));
    expect(major.value).toBe('reported');
    expect(major.context.lifecycle).toBe('corrective-action');
    expect(major.context.dueDate).toBe('2026-06-01');
  });

  it('a reported finding regraded to observation goes to monitoring', () => {
    const observation = expectAccepted(drive(to.reported()), sampleEvent('REGRADE', { grade: 'observation' }));
    expect(observation.value).toBe('monitoring');
    expect(observation.context.lifecycle).toBe('monitor');
    expect(observation.context.dueDate).toBeNull();
  });

  it('to conformity is refused (grade.lifecycleAllowed), an unknown grade too (grade.known)', () => {
    for (const events of [to.reported(), to.monitoring(), to.logged(), to.investigating()]) {
      expectRefused(drive(events), sampleEvent('REGRADE', { grade: 'conformity' }), ['grade.lifecycleAllowed']);
      expectRefused(drive(events), sampleEvent('REGRADE', { grade: 'severe' }), ['grade.known']);
    }
  });

  it('once the plan exists it stays a nonconformity; an observation does not move sideways to an OFI', () => {
    expectRefused(drive(to.planning()), sampleEvent('REGRADE', { grade: 'observation' }), ['grade.lifecycleAllowed']);
    expectRefused(drive(to.monitoring()), sampleEvent('REGRADE', { grade: 'ofi' }), ['grade.lifecycleAllowed']);
    expectRefused(drive(to.logged()), sampleEvent('REGRADE', { grade: 'observation' }), ['grade.lifecycleAllowed']);
  });
});

describe('reopening', () => {
  it('a closed nonconformity goes back to investigating with one more recurrence', () => {
    const closed = drive(to.closed());
    expect(closed.context.recurrenceCount).toBe(0);
    const reopened = expectAccepted(closed, sampleEvent('REOPEN'));
    expect(reopened.value).toBe('investigating');
    expect(reopened.context.recurrenceCount).toBe(1);
    expect(reopened.context.closure).toBeNull();
    expect(reopened.context.approval).toBeNull();
    expect(reopened.context.planSubmittedAt).toBeNull();
    expectRefused(reopened, sampleEvent('PLAN_ACTIONS', { actions: [sampleAction({ id: 'ca-2' })] }), [
      'rootCause.recorded',
    ]);
  });

  it('a rejected nonconformity goes back to reported, a rejected observation to monitoring, an OFI to logged', () => {
    const major = expectAccepted(drive(to.rejected('major')), sampleEvent('REOPEN'));
    expect(major.value).toBe('reported');
    expect(major.context.rejection).toBeNull();
    expect(major.context.recurrenceCount).toBe(0);

    const observation = expectAccepted(drive([...to.monitoring(), sampleEvent('REJECT')]), sampleEvent('REOPEN'));
    expect(observation.value).toBe('monitoring');
    expect(observation.context.rejection).toBeNull();

    const ofi = expectAccepted(drive([...to.logged(), sampleEvent('REJECT')]), sampleEvent('REOPEN'));
    expect(ofi.value).toBe('logged');
  });

  it('after REJECT from awaitingApproval and REOPEN, the old submission no longer stands (no spurious flag on regrade)', () => {
    const reopened = drive([...to.awaitingApproval(), sampleEvent('REJECT'), sampleEvent('REOPEN')]);
    expect(reopened.value).toBe('reported');
    expect(reopened.context.planSubmittedAt).toBeNull();
    expect(reopened.context.approval).toBeNull();
    const toMajor = expectAccepted(reopened, sampleEvent('REGRADE', { grade: 'major' }));
    const backToMinor = expectAccepted(toMajor, sampleEvent('REGRADE', { grade: 'minor' }));
    expect(backToMinor.context.flags).toEqual([]);
  });

  it('a reopened nonconformity cannot close on the effective review of the cycle before', () => {
    const verifyingAgain = drive([
      ...to.closed(),
      sampleEvent('REOPEN'),
      sampleEvent('RECORD_ROOT_CAUSE'),
      sampleEvent('PLAN_ACTIONS', { actions: [sampleAction({ id: 'ca-2' })] }),
      sampleEvent('SUBMIT_PLAN'),
      sampleEvent('COMPLETE_ACTION', { actionId: 'ca-2' }),
      sampleEvent('START_VERIFICATION'),
    ]);
    expect(verifyingAgain.value).toBe('verifying');
    expect(verifyingAgain.context.reviews.at(-1)?.result).toBe('effective');
    expectRefused(verifyingAgain, sampleEvent('CLOSE'), ['closure.effectiveReview']);
    const reviewed = expectAccepted(verifyingAgain, sampleEvent('RECORD_REVIEW'));
    expect(expectAccepted(reviewed, sampleEvent('CLOSE')).value).toBe('closed');
  });

  it('a closed observation reopens to monitoring without a new cycle', () => {
    const closed = drive([...to.monitoring(), sampleEvent('CLOSE')]);
    const reopened = expectAccepted(closed, sampleEvent('REOPEN'));
    expect(reopened.value).toBe('monitoring');
    expect(reopened.context.recurrenceCount).toBe(0);
    expect(reopened.context.closure).toBeNull();
  });
});

describe('the SOC 2 preset', () => {
  const machine = createCapaMachine(soc2);
  const toPlanning = (grade: string) => [
    raise(grade),
    sampleEvent('RECORD_CORRECTION'),
    // soc2 relaxes the extent of condition.
    sampleEvent('RECORD_ROOT_CAUSE', { rootCause: sampleRootCause({ extentOfCondition: null }) }),
    sampleEvent('PLAN_ACTIONS'),
  ];

  it('a critical exception needs approval by the security-officer role', () => {
    const awaiting = expectAccepted(drive(toPlanning('critical'), machine), sampleEvent('SUBMIT_PLAN'));
    expect(awaiting.value).toBe('awaitingApproval');
    expectRefused(awaiting, sampleEvent('APPROVE_PLAN', { by: actors.auditor }), ['approval.role']);
    const approved = expectAccepted(awaiting, sampleEvent('APPROVE_PLAN', { by: actors.officer }));
    expect(approved.value).toBe('implementing');
    expect(approved.context.approval).toMatchObject({ role: 'security-officer', approvedBy: { id: actors.officer.id } });
  });

  it('a high exception skips approval, straight to implementing', () => {
    const implementing = expectAccepted(drive(toPlanning('high'), machine), sampleEvent('SUBMIT_PLAN'));
    expect(implementing.value).toBe('implementing');
    expect(implementing.context.approval).toBeNull();
  });

  it('iso27001 grades are unknown to it', () => {
    expectRefused(initial(machine), raise('major'), ['grade.known']);
  });
});

// ---------------------------------------------------------------------------------------
// Regressions: issues these tests found, kept so they stay fixed.
// ---------------------------------------------------------------------------------------

describe('regrading a plan that awaits approval', () => {
  it('sends it back to planning under the new grade, with no flag (minor → major → resubmit)', () => {
    const awaiting = drive(to.awaitingApproval());
    const major = advance(awaiting, sampleEvent('REGRADE', { grade: 'major' }));
    expect(major.value).toBe('planning');
    expect(major.context.planSubmittedAt).toBeNull();
    expect(major.context.flags).toEqual([]);
    // Resubmitted under major (no approval step), it goes straight to implementing.
    expect(advance(major, sampleEvent('SUBMIT_PLAN')).value).toBe('implementing');
  });

  it('never leaves a plan awaiting approval that anyone could approve', () => {
    const major = advance(drive(to.awaitingApproval()), sampleEvent('REGRADE', { grade: 'major' }));
    expect(explain(major, sampleEvent('APPROVE_PLAN', { by: actors.nobody })).map((u) => u.code)).toEqual(['state.accepts']);
  });
});

describe('a nonconformity whose corrective action was not effective', () => {
  it('cannot be regraded to an observation and closed with a note (grade.lifecycleAllowed)', () => {
    const back = drive(to.secondCycle());
    expect(back.context.actions).toHaveLength(1);
    const regrade = sampleEvent('REGRADE', { grade: 'observation' });
    expect(explain(back, regrade).map((u) => u.code)).toEqual(['grade.lifecycleAllowed']);
    expect(back.can(regrade)).toBe(false);
  });
});
