// Model-based tests: xstate/graph walks the CAPA lifecycle machine with the sample events
// of test/fixtures, over an abstraction of the context that keeps the graph finite. Every
// state must be reached (and satisfy its invariant on every path), and every transition
// of the machine definition (each state × event × guarded candidate) must be taken by a
// generated path: a transition added without a path that reaches it fails this file.
import { describe, expect, it } from 'vitest';
import {
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type AnyStateNode,
  type AnyTransitionDefinition,
  type EventObject,
  createMachine,
} from 'xstate';
import { type StatePath, createTestModel, getAdjacencyMap, getShortestPaths, getSimplePaths } from 'xstate/graph';
import {
  CAPA_EVENT_TYPES,
  type CapaEvent,
  type CapaEventType,
  type CapaMachine,
  type CapaSnapshot,
  type SeverityPolicy,
  acceptsEvent,
  advance,
  capaMachine,
  createCapaMachine,
  currentActions,
  currentCycle,
  defineSeverityPolicy,
  explain,
  findGrade,
  iso27001,
} from 'capa-kit';
import { actors, sampleAction, sampleEvent, sampleFinding, sampleReview } from '../fixtures/events.js';

// ---------------------------------------------------------------------------------------
// Generic machinery: enumerate a machine's transitions, walk it, record what fired.
// ---------------------------------------------------------------------------------------

type Snapshot = AnyMachineSnapshot;
type EventsFor = (snapshot: Snapshot) => readonly EventObject[];
type Serialize = (snapshot: Snapshot) => string;

const nodePath = (node: AnyStateNode) => (node.path.length === 0 ? '(root)' : node.path.join('.'));

/** A stable name for one candidate transition: source, event, candidate index, targets. */
function describeTransition(t: AnyTransitionDefinition): string {
  const candidates: readonly AnyTransitionDefinition[] =
    t.eventType === '' ? (t.source.always ?? []) : (t.source.transitions.get(t.eventType) ?? []);
  const index = candidates.indexOf(t);
  if (index < 0) throw new Error(`transition ${t.eventType} not found on ${nodePath(t.source)}`);
  const targets = t.target === undefined ? '(stay)' : t.target.map(nodePath).join(',');
  return `${nodePath(t.source)} ${t.eventType === '' ? '(always)' : t.eventType}[${index}] -> ${targets}`;
}

/** Every candidate transition of the definition, walking every state node. */
function enumerateTransitions(machine: AnyStateMachine): string[] {
  const all: string[] = [];
  const visit = (node: AnyStateNode) => {
    for (const candidates of node.transitions.values()) for (const t of candidates) all.push(describeTransition(t));
    for (const t of node.always ?? []) all.push(describeTransition(t));
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(machine.root);
  return all;
}

interface Walk {
  /** Shortest path to every abstract state. */
  readonly shortest: readonly StatePath<Snapshot, EventObject>[];
  /** For every edge of the graph: the shortest path to its source, then the edge. */
  readonly edgePaths: readonly StatePath<Snapshot, EventObject>[];
  readonly stateCount: number;
}

function walk(machine: AnyStateMachine, events: EventsFor, serializeState: Serialize): Walk {
  const options = { events, serializeState };
  const adjacency = getAdjacencyMap(machine, options);
  const shortest = getShortestPaths(machine, options);
  const pathTo = new Map(shortest.map((path) => [serializeState(path.state), path]));
  const edgePaths: StatePath<Snapshot, EventObject>[] = [];
  for (const [key, { transitions }] of Object.entries(adjacency)) {
    const head = pathTo.get(key);
    if (head === undefined) throw new Error(`no shortest path to ${key}`);
    for (const { event, state } of Object.values(transitions) as { event: EventObject; state: Snapshot }[]) {
      edgePaths.push({ state, steps: [...head.steps, { event, state }], weight: head.weight + 1 });
    }
  }
  return { shortest, edgePaths, stateCount: Object.keys(adjacency).length };
}

/**
 * Which candidate transitions the paths took: at each step, the transition xstate
 * selects for (previous snapshot, event). Steps after the first carry the event that led
 * to their state (getShortestPaths puts `xstate.init` on the initial step).
 */
function coveredBy(machine: AnyStateMachine, paths: readonly StatePath<Snapshot, EventObject>[], serializeState: Serialize) {
  const covered = new Set<string>();
  const memo = new Map<string, readonly string[]>();
  const keys = new WeakMap<object, string>();
  const keyOf = (value: object, serialize: (value: never) => string) => {
    let key = keys.get(value);
    if (key === undefined) keys.set(value, (key = serialize(value as never)));
    return key;
  };
  for (const path of paths) {
    for (let i = 1; i < path.steps.length; i++) {
      const prev = path.steps[i - 1]!.state;
      const { event } = path.steps[i]!;
      const key = `${keyOf(prev, serializeState)}|${keyOf(event, JSON.stringify)}`;
      let fired = memo.get(key);
      if (fired === undefined) {
        fired = machine.getTransitionData(prev, event).map(describeTransition);
        memo.set(key, fired);
      }
      for (const name of fired) covered.add(name);
    }
  }
  return covered;
}

function uncoveredTransitions(machine: AnyStateMachine, covered: ReadonlySet<string>): string[] {
  return enumerateTransitions(machine).filter((name) => !covered.has(name));
}

// ---------------------------------------------------------------------------------------
// The CAPA model: sample events (with the data variants routing depends on) and the
// abstraction of the context that the graph distinguishes.
// ---------------------------------------------------------------------------------------

const ISO_GRADES = ['major', 'minor', 'observation', 'ofi', 'conformity'] as const;
const ACTION_IDS = ['ca-1', 'ca-2'] as const;

function sampleEvents(grades: readonly string[]): Record<CapaEventType, readonly CapaEvent[]> {
  return {
    RAISE: grades.map((grade) => sampleEvent('RAISE', { finding: sampleFinding({ grade }) })),
    RECORD_CORRECTION: [sampleEvent('RECORD_CORRECTION')],
    RECORD_ROOT_CAUSE: [sampleEvent('RECORD_ROOT_CAUSE')],
    LINK_FINDINGS: [sampleEvent('LINK_FINDINGS')],
    // A second id, so a new cycle (where ca-1 is taken) can plan again.
    PLAN_ACTIONS: ACTION_IDS.map((id) => sampleEvent('PLAN_ACTIONS', { actions: [sampleAction({ id })] })),
    SUBMIT_PLAN: [sampleEvent('SUBMIT_PLAN')],
    APPROVE_PLAN: [sampleEvent('APPROVE_PLAN', { by: actors.auditor })],
    RETURN_PLAN: [sampleEvent('RETURN_PLAN')],
    START_ACTION: ACTION_IDS.map((actionId) => sampleEvent('START_ACTION', { actionId })),
    COMPLETE_ACTION: ACTION_IDS.map((actionId) => sampleEvent('COMPLETE_ACTION', { actionId })),
    CANCEL_ACTION: ACTION_IDS.map((actionId) => sampleEvent('CANCEL_ACTION', { actionId })),
    START_VERIFICATION: [sampleEvent('START_VERIFICATION')],
    RECORD_REVIEW: [
      sampleEvent('RECORD_REVIEW', { review: sampleReview('effective') }),
      sampleEvent('RECORD_REVIEW', { review: sampleReview('not-effective') }),
    ],
    CLOSE: [sampleEvent('CLOSE', { reason: 'Verified: next 10 departures handled within 24 h' })],
    REJECT: [
      sampleEvent('REJECT', { kind: 'not-a-nonconformity' }),
      sampleEvent('REJECT', { kind: 'duplicate', duplicateOf: 'f-0', reason: 'Same as NC-2026-0000' }),
    ],
    REOPEN: [sampleEvent('REOPEN')],
    REGRADE: grades.map((grade) => sampleEvent('REGRADE', { grade })),
    ATTACH_EVIDENCE: [sampleEvent('ATTACH_EVIDENCE')],
  };
}

const eventsFor =
  (byType: Record<CapaEventType, readonly CapaEvent[]>): EventsFor =>
  (snapshot) =>
    CAPA_EVENT_TYPES.filter((type) => acceptsEvent(snapshot as CapaSnapshot, type)).flatMap((type) => byType[type]);

/**
 * What matters for routing and for the invariants, and nothing that grows without bound
 * (linked ids, evidence, history): recurrences are capped at 2, flags are a set of codes.
 * Every context field a guard reads is represented, so states with one key behave alike.
 */
function abstractKey(snapshot: Snapshot): string {
  const s = snapshot as CapaSnapshot;
  const c = s.context;
  const cycle = currentCycle(c);
  return JSON.stringify({
    value: s.value,
    status: s.status,
    grade: c.grade,
    lifecycle: c.lifecycle,
    correction: c.correction !== null,
    rootCause: c.rootCause === null ? 'none' : c.rootCauseCycle === cycle ? 'this-cycle' : 'earlier-cycle',
    actions: currentActions(c).map((a) => `${a.id}:${a.status}`),
    earlierActionIds: [...new Set(c.actions.filter((a) => a.cycle !== cycle).map((a) => a.id))].sort(),
    submitted: c.planSubmittedAt !== null,
    approved: c.approval !== null,
    lastReview: c.reviews.length === 0 ? null : `${c.reviews.at(-1)?.result}@${c.reviewCycle === cycle ? 'this' : 'earlier'}-cycle`,
    recurrences: Math.min(c.recurrenceCount, 2),
    closed: c.closure !== null,
    rejected: c.rejection?.kind ?? null,
    flags: [...new Set(c.flags.map((f) => f.code))].sort(),
  });
}

/** iso27001 plus a second monitor grade and a second log grade: the sideways regrades. */
const extendedPolicy: SeverityPolicy = defineSeverityPolicy({
  ...iso27001,
  id: 'iso27001-extended',
  grades: [
    ...iso27001.grades,
    { id: 'watch', label: 'Watch item', lifecycle: 'monitor', deadline: null, approval: null },
    { id: 'idea', label: 'Improvement idea', lifecycle: 'log', deadline: null, approval: null },
  ],
});
const extendedMachine: CapaMachine = createCapaMachine(extendedPolicy);

const isoEvents = eventsFor(sampleEvents(ISO_GRADES));
const extendedEvents = eventsFor(sampleEvents([...ISO_GRADES, 'watch', 'idea']));

const isoWalk = walk(capaMachine, isoEvents, abstractKey);
const extendedWalk = walk(extendedMachine, extendedEvents, abstractKey);

const STATE_KEYS = Object.keys(capaMachine.root.states);

// ---------------------------------------------------------------------------------------
// Per-state invariants, checked on every step of every generated path.
// ---------------------------------------------------------------------------------------

interface Trail {
  /** The snapshot before this step. */
  prev: CapaSnapshot;
  /** The event of this step. */
  event: CapaEvent | undefined;
  /** The states this path went through before this step. */
  visited: Set<string>;
}

const needsApproval = (s: CapaSnapshot) => findGrade(iso27001, s.context.grade ?? '')?.approval != null;
const entered = (s: CapaSnapshot, trail: Trail) => trail.prev.value !== s.value;

const stateChecks: Record<string, (s: CapaSnapshot, trail: Trail) => void> = {
  draft: (s) => {
    expect(s.context.finding).toBeNull();
    expect(s.context.grade).toBeNull();
  },
  reported: (s, trail) => {
    expect(s.context.lifecycle).toBe('corrective-action');
    expect(s.context.finding).not.toBeNull();
    expect(s.context.closure).toBeNull();
    expect(s.context.rejection).toBeNull();
    // Not contained yet, unless the finding comes back (reopened after a rejection, or
    // an observation/OFI escalated after the fact), which keeps what was recorded.
    const cameBack = ['rejected', 'monitoring', 'logged'].some((state) => trail.visited.has(state));
    if (!cameBack) expect(s.context.correction).toBeNull();
  },
  contained: (s) => {
    expect(s.context.lifecycle).toBe('corrective-action');
    expect(s.context.correction).not.toBeNull();
  },
  investigating: (s, trail) => {
    const c = s.context;
    expect(c.lifecycle).toBe('corrective-action');
    expect(c.correction).not.toBeNull();
    expect(c.rootCause).not.toBeNull();
    expect(c.approval).toBeNull();
    expect(c.closure).toBeNull();
    // Either the root cause is this cycle's, or a recurrence started a new cycle.
    if (c.rootCauseCycle !== currentCycle(c)) expect(c.recurrenceCount).toBeGreaterThan(0);
    if (entered(s, trail) && trail.prev.value === 'verifying') {
      expect(c.reviews.at(-1)?.result).toBe('not-effective');
      expect(currentActions(c)).toEqual([]);
    }
    if (entered(s, trail) && trail.prev.value === 'closed') expect(currentActions(c)).toEqual([]);
    if (!trail.visited.has('rejected')) expect(currentActions(c)).toEqual([]);
  },
  planning: (s) => {
    const c = s.context;
    expect(c.lifecycle).toBe('corrective-action');
    expect(currentActions(c).length).toBeGreaterThan(0);
    expect(c.rootCause).not.toBeNull();
    expect(c.rootCauseCycle).toBe(currentCycle(c));
    expect(c.approval).toBeNull();
  },
  awaitingApproval: (s, trail) => {
    const c = s.context;
    expect(c.planSubmittedAt).not.toBeNull();
    expect(c.approval).toBeNull();
    expect(currentActions(c).length).toBeGreaterThan(0);
    for (const action of currentActions(c)) {
      expect(action.owner).not.toBeNull();
      expect(action.dueDate).not.toBeNull();
      expect(action.measurableOutcome).not.toBeNull();
    }
    if (entered(s, trail)) expect(needsApproval(s)).toBe(true);
  },
  implementing: (s, trail) => {
    const c = s.context;
    expect(c.lifecycle).toBe('corrective-action');
    expect(currentActions(c).length).toBeGreaterThan(0);
    expect(c.planSubmittedAt).not.toBeNull();
    if (entered(s, trail) && trail.prev.value === 'awaitingApproval') {
      expect(c.approval?.approvedBy.id).toBe(trail.event?.by.id);
      expect(trail.event?.by.roles).toContain(c.approval?.role);
    }
    if (entered(s, trail) && trail.prev.value === 'planning') {
      expect(needsApproval(s)).toBe(false);
      expect(c.approval).toBeNull();
    }
  },
  verifying: (s) => {
    const actions = currentActions(s.context);
    expect(actions.every((a) => a.status === 'done' || a.status === 'cancelled')).toBe(true);
    expect(actions.some((a) => a.status === 'done')).toBe(true);
    for (const a of actions) if (a.status === 'done') expect(a.implementationEvidence.length).toBeGreaterThan(0);
  },
  closed: (s) => {
    const c = s.context;
    expect(c.closure).not.toBeNull();
    expect(c.rejection).toBeNull();
    if (c.lifecycle === 'corrective-action') {
      expect(c.reviews.at(-1)?.result).toBe('effective');
      expect(c.reviewCycle).toBe(currentCycle(c));
      expect(c.closure?.evidence.length).toBeGreaterThan(0);
    } else {
      expect(c.closure?.note?.trim()).toBeTruthy();
    }
  },
  rejected: (s) => {
    const r = s.context.rejection;
    expect(r).not.toBeNull();
    expect(r?.reason.trim()).toBeTruthy();
    if (r?.kind === 'duplicate') expect(r.duplicateOf).toBeTruthy();
    expect(s.context.closure).toBeNull();
  },
  monitoring: (s) => {
    expect(s.context.lifecycle).toBe('monitor');
    expect(s.context.closure).toBeNull();
    expect(s.context.rejection).toBeNull();
    expect(s.context.dueDate).toBeNull();
  },
  logged: (s) => {
    expect(s.context.lifecycle).toBe('log');
    expect(s.context.closure).toBeNull();
    expect(s.context.rejection).toBeNull();
    expect(s.context.dueDate).toBeNull();
  },
  conformity: (s) => {
    expect(s.context.lifecycle).toBe('none');
    expect(s.context.grade).toBe('conformity');
    expect(s.status).toBe('done');
  },
};

// ---------------------------------------------------------------------------------------

describe('capaMachine graph (xstate/graph)', () => {
  it('every event type has sample events, and the walk stays small', () => {
    const byType = sampleEvents(ISO_GRADES);
    for (const type of CAPA_EVENT_TYPES) expect(byType[type].length, type).toBeGreaterThan(0);
    expect(isoWalk.stateCount).toBeGreaterThan(100);
    expect(isoWalk.stateCount).toBeLessThan(5000);
  });

  it('reaches every state of the machine, all 13 including draft and the final conformity', () => {
    expect(STATE_KEYS).toHaveLength(13);
    const reached = new Set(isoWalk.shortest.map((path) => String(path.state.value)));
    expect([...reached].sort()).toEqual([...STATE_KEYS].sort());
    // The invariant table covers exactly the machine's states.
    expect(Object.keys(stateChecks).sort()).toEqual([...STATE_KEYS].sort());
  });

  it('every state satisfies its invariant on every step of every shortest path (createTestModel)', async () => {
    const model = createTestModel(capaMachine, {
      events: (snapshot) => isoEvents(snapshot) as CapaEvent[],
      serializeState: (snapshot) => abstractKey(snapshot),
    });
    const paths = model.getShortestPaths();
    expect(paths.length).toBeGreaterThan(50);
    const checked = new Set<string>();
    const initial = capaMachine.getInitialSnapshot(undefined as never);
    for (const path of paths) {
      const trail: Trail = { prev: initial, event: undefined, visited: new Set() };
      const onEvent = (step: { event: EventObject }) => {
        trail.event = step.event.type === 'xstate.init' ? undefined : (step.event as CapaEvent);
      };
      await path.test({
        events: Object.fromEntries(CAPA_EVENT_TYPES.map((type) => [type, onEvent])),
        states: Object.fromEntries(
          STATE_KEYS.map((key) => [
            key,
            (snapshot: CapaSnapshot) => {
              stateChecks[key]!(snapshot, trail);
              checked.add(key);
              trail.visited.add(key);
              trail.prev = snapshot;
            },
          ]),
        ),
      });
    }
    expect([...checked].sort()).toEqual([...STATE_KEYS].sort());
  });

  it('data-less events ({ type } only, as createTestModel fills them in) add no state and no move anywhere in the walk', () => {
    // createTestModel sends { type } for every event type its `events` leave out; here each
    // state gets both: the samples, and every type it takes without its data.
    const dataless = (snapshot: Snapshot) =>
      CAPA_EVENT_TYPES.filter((type) => acceptsEvent(snapshot as CapaSnapshot, type)).map((type) => ({ type }) as CapaEvent);
    const model = createTestModel(capaMachine, {
      events: (snapshot) => [...(isoEvents(snapshot) as CapaEvent[]), ...dataless(snapshot)],
      serializeState: (snapshot) => abstractKey(snapshot),
    });
    const adjacency = model.getAdjacencyMap();
    expect(Object.keys(adjacency)).toHaveLength(isoWalk.stateCount);
    let refused = 0;
    for (const [key, { transitions }] of Object.entries(adjacency)) {
      for (const { event, state } of Object.values(transitions) as { event: EventObject; state: Snapshot }[]) {
        if (Object.keys(event).length > 1) continue;
        refused++;
        expect(abstractKey(state), `${key} + ${event.type}`).toBe(key);
        expect(state.status).not.toBe('error');
      }
    }
    expect(refused).toBeGreaterThan(isoWalk.stateCount);
  });

  it('replaying every edge agrees with advance/explain/can, and the abstraction is exact', () => {
    let accepted = 0;
    let refused = 0;
    for (const path of isoWalk.edgePaths) {
      const from = path.steps.at(-2)!.state as CapaSnapshot;
      const event = path.steps.at(-1)!.event as CapaEvent;
      const fired = capaMachine.getTransitionData(from, event);
      const unmet = explain(from, event);
      expect(from.can(event)).toBe(unmet.length === 0);
      if (fired.length === 0) {
        refused++;
        expect(unmet.length).toBeGreaterThan(0);
        expect(() => advance(from, event)).toThrow();
      } else {
        accepted++;
        expect(unmet).toEqual([]);
        const next = advance(from, event);
        expect(abstractKey(next)).toBe(abstractKey(path.state));
      }
    }
    expect(accepted).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(0);
  });

  it('covers every transition of the definition (each state × event × guarded candidate)', () => {
    const covered = new Set([
      ...coveredBy(capaMachine, isoWalk.edgePaths, abstractKey),
      ...coveredBy(extendedMachine, extendedWalk.edgePaths, abstractKey),
    ]);
    const all = enumerateTransitions(capaMachine);
    // Both machines share one definition; only the policy behind the guards differs.
    expect(enumerateTransitions(extendedMachine)).toEqual(all);
    expect(all.length).toBeGreaterThanOrEqual(70);
    expect(uncoveredTransitions(capaMachine, covered)).toEqual([]);
  });

  it('under iso27001 alone, only the sideways regrades of an observation or an OFI stay unreached', () => {
    // iso27001 has one monitor grade and one log grade, and a monitor ↔ log regrade is
    // refused, so "REGRADE and stay" from monitoring or logged needs a policy with two of
    // a kind: that is why the coverage above also walks the extended policy.
    const covered = coveredBy(capaMachine, isoWalk.edgePaths, abstractKey);
    expect(uncoveredTransitions(capaMachine, covered)).toEqual(['monitoring REGRADE[1] -> (stay)', 'logged REGRADE[1] -> (stay)']);
  });

  it('fails for a mutant of capaMachine with a transition no path takes', () => {
    // The real definition plus two transitions: an event type no sample provides, and a
    // guarded candidate whose guard never holds for its event. The checker must name both.
    const config = capaMachine.config as unknown as { states: Record<string, { on?: Record<string, unknown> }> };
    const { closed, monitoring } = config.states;
    const mutant = createMachine(
      {
        ...(config as object),
        states: {
          ...config.states,
          closed: { ...closed, on: { ...closed?.on, ARCHIVE: { target: 'rejected' } } },
          monitoring: {
            ...monitoring,
            on: { ...monitoring?.on, CLOSE: [{ guard: 'reviewEffective', target: 'verifying' }, monitoring?.on?.['CLOSE']] },
          },
        },
      } as never,
      capaMachine.implementations as never,
    ) as unknown as AnyStateMachine;
    const mutantWalk = walk(mutant, isoEvents, abstractKey);
    expect(uncoveredTransitions(mutant, coveredBy(mutant, mutantWalk.edgePaths, abstractKey))).toEqual([
      'closed ARCHIVE[0] -> rejected',
      'monitoring CLOSE[0] -> verifying',
      'monitoring REGRADE[1] -> (stay)',
      'logged REGRADE[1] -> (stay)',
    ]);
  });

  it('every simple path to closed of a major nonconformity goes through an effective review', () => {
    // The corrective-action loop only (no regrade, rejection, linking or evidence), so
    // the simple paths stay few.
    const loop = new Set<CapaEventType>([
      'RAISE',
      'RECORD_CORRECTION',
      'RECORD_ROOT_CAUSE',
      'PLAN_ACTIONS',
      'SUBMIT_PLAN',
      'START_ACTION',
      'COMPLETE_ACTION',
      'CANCEL_ACTION',
      'START_VERIFICATION',
      'RECORD_REVIEW',
      'CLOSE',
    ]);
    const byType = sampleEvents(['major']);
    const events: EventsFor = (snapshot) =>
      CAPA_EVENT_TYPES.filter((type) => loop.has(type) && acceptsEvent(snapshot as CapaSnapshot, type)).flatMap(
        (type) => byType[type],
      );
    const paths = getSimplePaths(capaMachine, {
      events: (snapshot) => events(snapshot) as CapaEvent[],
      serializeState: (snapshot) => abstractKey(snapshot),
      toState: (snapshot) => snapshot.value === 'closed',
    });
    expect(paths.length).toBeGreaterThan(1);
    for (const path of paths) {
      const values = path.steps.map((step) => String(step.state.value));
      expect(values).toContain('verifying');
      const lastReview = path.steps
        .map((step) => step.event)
        .filter((event): event is Extract<CapaEvent, { type: 'RECORD_REVIEW' }> => event.type === 'RECORD_REVIEW')
        .at(-1);
      expect(lastReview?.review.result).toBe('effective');
      expect(path.state.context.closure?.evidence.length).toBeGreaterThan(0);
    }
  });
});

describe('transition coverage checker (self-test on a toy machine)', () => {
  const toy = createMachine({
    id: 'toy',
    initial: 'a',
    states: {
      a: {
        on: {
          GO: 'b',
          // The first candidate can never fire: its guard is always false.
          JUMP: [{ guard: () => false, target: 'c' }, { target: 'b' }],
        },
      },
      b: { on: { BACK: 'a' } },
      c: { on: { BACK: 'a' } },
    },
  });
  const serialize: Serialize = (snapshot) => JSON.stringify(snapshot.value);
  const all: readonly EventObject[] = [{ type: 'GO' }, { type: 'JUMP' }, { type: 'BACK' }];

  it('enumerates each candidate', () => {
    expect(enumerateTransitions(toy)).toEqual([
      'a GO[0] -> b',
      'a JUMP[0] -> c',
      'a JUMP[1] -> b',
      'b BACK[0] -> a',
      'c BACK[0] -> a',
    ]);
  });

  it('reports the unreachable transitions', () => {
    const toyWalk = walk(toy, () => all, serialize);
    const covered = coveredBy(toy, toyWalk.edgePaths, serialize);
    expect(uncoveredTransitions(toy, covered)).toEqual(['a JUMP[0] -> c', 'c BACK[0] -> a']);
  });

  it('reports transitions whose event no sample provides', () => {
    const toyWalk = walk(toy, () => all.filter((e) => e.type !== 'BACK'), serialize);
    const covered = coveredBy(toy, toyWalk.edgePaths, serialize);
    expect(uncoveredTransitions(toy, covered)).toEqual(['a JUMP[0] -> c', 'b BACK[0] -> a', 'c BACK[0] -> a']);
  });

  it('reports nothing once every transition is reachable', () => {
    const fixed = createMachine({
      id: 'toy',
      initial: 'a',
      states: {
        a: { on: { GO: 'b', JUMP: [{ guard: ({ event }) => 'far' in event, target: 'c' }, { target: 'b' }] } },
        b: { on: { BACK: 'a' } },
        c: { on: { BACK: 'a' } },
      },
    });
    const events = [...all, { type: 'JUMP', far: true }];
    const toyWalk = walk(fixed, () => events, serialize);
    expect(uncoveredTransitions(fixed, coveredBy(fixed, toyWalk.edgePaths, serialize))).toEqual([]);
  });
});
