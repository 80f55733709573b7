// The machine is total: whatever an event carries (nothing, as Stately's inspector and
// xstate's createTestModel send it; an unknown key; a wrongly typed field), in whatever
// state, `can()` and `explain()` answer without throwing, a refusal names the field
// (`event.invalid`), and a live actor stays `active` and unchanged. The spec the tests
// are written from (./event-spec.ts) is written from the event types, independently of
// the check in src/machine/event-shape.ts.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { type AnyStateMachine, type EventObject, createActor } from 'xstate';
import { createTestModel, getAdjacencyMap } from 'xstate/graph';
import { describe, expect, it } from 'vitest';
import {
  CAPA_EVENT_TYPES,
  EVENT_INVALID,
  STATE_ACCEPTS,
  acceptsEvent,
  advance,
  capaMachine,
  explain,
  iso27001,
  persistSnapshot,
  unmetRequirements,
  type CapaEvent,
  type CapaEventType,
  type CapaSnapshot,
  type UnmetRequirement,
} from 'capa-kit/machine';
import { sampleEvent } from '../fixtures/events.js';
import {
  CLOSED,
  FIELDS,
  OPEN,
  STATES,
  STATE_NAMES,
  type Kind,
  at,
  clone,
  fieldsOf,
  fits,
  remove,
  set,
  wellFormed,
} from './event-spec.js';

// ---------------------------------------------------------------------------------------
// What must hold for a malformed event, in a state
// ---------------------------------------------------------------------------------------

const view = (snapshot: CapaSnapshot) => JSON.stringify({ ...persistSnapshot(snapshot), status: snapshot.status });
const invalid = (unmet: readonly UnmetRequirement[]) => unmet.filter((u) => u.code === EVENT_INVALID);

/**
 * can() is false, explain() names the field (and reports nothing but state.accepts and
 * event.invalid: the requirements are not read on such an event), advance() refuses, and a
 * live actor in that state stays active and unchanged.
 */
function expectRefused(state: string, event: CapaEvent, path: string, rule: string, { actor = true } = {}) {
  const snapshot = STATES[state] as CapaSnapshot;
  const where = `${state} + ${JSON.stringify(event)}`;
  expect(snapshot.can(event), where).toBe(false);
  const unmet = explain(snapshot, event);
  expect(
    invalid(unmet).some((u) => u.params?.['path'] === path && u.params['rule'] === rule),
    `${where}: expected event.invalid at "${path}" (${rule}), got ${JSON.stringify(unmet)}`,
  ).toBe(true);
  expect(unmet.filter((u) => u.code !== EVENT_INVALID && u.code !== STATE_ACCEPTS), where).toEqual([]);
  expect(unmet.some((u) => u.code === STATE_ACCEPTS), where).toBe(!acceptsEvent(snapshot, event.type));
  expect(unmetRequirements(iso27001, snapshot.context, event), where).toEqual(invalid(unmet));
  expect(() => advance(snapshot, event), where).toThrow(/refused/);
  if (actor) expectActorUnmoved(snapshot, event);
}

function expectActorUnmoved(snapshot: CapaSnapshot, event: CapaEvent) {
  const actor = createActor(capaMachine, { snapshot }).start();
  const errors: unknown[] = [];
  actor.subscribe({ error: (error) => errors.push(error) });
  const before = view(actor.getSnapshot());
  // A done actor (conformity) takes nothing, and xstate warns when sent to: it stays done.
  if (actor.getSnapshot().status === 'active') actor.send(event);
  expect(errors).toEqual([]);
  expect(actor.getSnapshot().status).toBe(snapshot.status);
  expect(view(actor.getSnapshot())).toBe(before);
  actor.stop();
}

// ---------------------------------------------------------------------------------------
// Mutations of a well-formed event
// ---------------------------------------------------------------------------------------

interface Mutation {
  readonly type: CapaEventType;
  readonly path: string;
  readonly rule: 'required' | 'type' | 'unknown';
  readonly kind?: Kind;
}

const MUTATIONS: readonly Mutation[] = CAPA_EVENT_TYPES.flatMap((type) => [
  ...Object.entries(fieldsOf(type)).flatMap(([path, kind]): Mutation[] => [
    ...(kind.endsWith('?') ? [] : [{ type, path, rule: 'required' as const }]),
    { type, path, rule: 'type', kind },
  ]),
  // Keys that objects inherit are unknown too: no record of ours has a field `constructor`.
  ...CLOSED(type).flatMap((level) =>
    ['color', 'constructor', '__proto__', 'toString'].map((key): Mutation => ({ type, path: level === '' ? key : `${level}.${key}`, rule: 'unknown' })),
  ),
]);

/** A value of the wrong type for `kind`: anything fast-check makes that does not fit. */
const wrongFor = (kind: Kind) =>
  fc
    .oneof(
      fc.anything({ withNullPrototype: true, withBoxedValues: true }),
      fc.constantFrom<unknown>(null, 42, true, '', 'soon', '2026-03-01', '2026-03-01T09:30:00+01:00', [], {}, ['x'], { id: 1 }),
    )
    .filter((value) => value !== undefined && !fits(kind, value));

const mutationArb = fc.constantFrom(...MUTATIONS).chain((mutation) =>
  fc.record({
    state: fc.constantFrom(...STATE_NAMES),
    mutation: fc.constant(mutation),
    value: mutation.kind === undefined ? fc.anything().filter((v) => v !== undefined) : wrongFor(mutation.kind),
  }),
);

function applyMutation({ type, path, rule }: Mutation, value: unknown): CapaEvent {
  const event = wellFormed(type);
  if (rule === 'required') return remove(event, path);
  return set(event, path, value);
}

// ---------------------------------------------------------------------------------------

describe('the well-formed events these tests break', () => {
  it('are taken in every state that takes their type, but for the few the context refuses', () => {
    const refused: string[] = [];
    for (const [state, snapshot] of Object.entries(STATES)) {
      for (const type of CAPA_EVENT_TYPES) {
        if (!acceptsEvent(snapshot, type)) continue;
        const event = wellFormed(type);
        expect(invalid(explain(snapshot, event))).toEqual([]);
        if (!snapshot.can(event)) refused.push(`${state} ${type}`);
      }
    }
    // Only these two are refused for what the context says (a regrade to the grade it has;
    // verification while an action is open): everywhere else, a broken field is the only
    // reason for a refusal.
    expect(refused).toEqual(['awaitingApproval REGRADE', 'implementing START_VERIFICATION']);
  });

  it('every path of the spec exists in the well-formed event it is written for', () => {
    for (const type of CAPA_EVENT_TYPES) {
      for (const path of Object.keys(fieldsOf(type))) expect(at(wellFormed(type), path), `${type} ${path}`).not.toBeUndefined();
    }
  });
});

describe('events without their data, as the inspector and createTestModel send them', () => {
  it.each(STATE_NAMES)('in %s, every event type with no data is refused, names its fields and leaves an actor as it was', (state) => {
    for (const type of CAPA_EVENT_TYPES) {
      const event = { type } as CapaEvent;
      const required = Object.entries(fieldsOf(type))
        .filter(([path, kind]) => !kind.endsWith('?') && !/[.[]/.test(path))
        .map(([path]) => path);
      for (const path of required) expectRefused(state, event, path, 'required');
      expect(invalid(explain(STATES[state] as CapaSnapshot, event)).map((u) => u.params?.['path'])).toEqual(required);
    }
  });

  it('a live actor sent { type: "RAISE" } or { type: "LINK_FINDINGS" } stays active (it went to status "error")', () => {
    const actor = createActor(capaMachine).start();
    actor.send({ type: 'RAISE' } as CapaEvent);
    expect(actor.getSnapshot().status).toBe('active');
    actor.send(sampleEvent('RAISE'));
    actor.send({ type: 'LINK_FINDINGS' } as CapaEvent);
    expect(actor.getSnapshot().status).toBe('active');
    expect(actor.getSnapshot().value).toBe('reported');
    expect(actor.getSnapshot().context.relatedFindingIds).toEqual([]);
  });

  it('createTestModel with its own data-less events walks the machine without throwing and finds no move', async () => {
    for (const [state, snapshot] of Object.entries(STATES)) {
      const model = createTestModel(capaMachine as AnyStateMachine);
      const paths = model.getShortestPaths({ fromState: snapshot });
      expect(paths.map((path) => String(path.state.value)), state).toEqual([state]);
      expect(model.getSimplePaths({ fromState: snapshot })).toHaveLength(1);
      // Every event the state takes, sent data-less (the graph's default) to a live actor, keeps it where it was.
      const [start] = Object.values(getAdjacencyMap(capaMachine as AnyStateMachine, { fromState: snapshot }));
      const adjacency = Object.values(start?.transitions ?? {}) as { event: EventObject; state: unknown }[];
      const sent = adjacency.map(({ event }) => event.type);
      expect(sent.sort(), state).toEqual([...(snapshot.machine.states[state]?.ownEvents ?? [])].sort());
      for (const { event, state: next } of adjacency) {
        expect(view(next as CapaSnapshot)).toBe(view(snapshot));
        expectActorUnmoved(snapshot, event as CapaEvent);
      }
      await paths[0]?.test({ states: { [state]: (reached: CapaSnapshot) => expect(reached.value).toBe(state) } });
    }
  });
});

describe('malformed payloads (property: every state × event type × broken field)', () => {
  it('a missing, wrongly typed or unknown field is refused by name and moves nothing', () => {
    fc.assert(
      fc.property(mutationArb, ({ state, mutation, value }) => {
        expectRefused(state, applyMutation(mutation, value), mutation.path, mutation.rule);
      }),
      { numRuns: 500 },
    );
  }, 60_000);

  // Exhaustive over the spec; the live actor is left to the property above and to the data-less test.
  it('every (event type, field, rule) of the spec is refused in every state (one wrong value of each kind)', { timeout: 60_000 }, () => {
    for (const mutation of MUTATIONS) {
      const [value] = fc.sample(mutation.kind === undefined ? fc.constant('x') : wrongFor(mutation.kind), { numRuns: 1, seed: 11 });
      for (const state of STATE_NAMES) expectRefused(state, applyMutation(mutation, value), mutation.path, mutation.rule, { actor: false });
    }
  });

  it('a field of a record stored whole is not the machine\'s business: extra keys there are kept, and the event stays well-formed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.entries(OPEN) as [CapaEventType, string[]][]).flatMap(([type, levels]) => levels.map((level) => ({ type, level })))),
        fc.constantFrom(...STATE_NAMES),
        fc.string({ minLength: 1 }).filter((key) => key !== '__proto__'),
        fc.jsonValue(),
        ({ type, level }, state, key, value) => {
          const base = wellFormed(type);
          const event = clone(base);
          const container = at(event, level) as Record<string, unknown>;
          fc.pre(!(key in container));
          container[key] = value;
          const snapshot = STATES[state] as CapaSnapshot;
          expect(invalid(explain(snapshot, event))).toEqual([]);
          expect(snapshot.can(event)).toBe(snapshot.can(base));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('optional fields may be absent or undefined, nullable ones null', () => {
    const variants: CapaEvent[] = [
      remove(wellFormed('REOPEN'), 'reason'),
      set(wellFormed('REOPEN'), 'reason', undefined),
      remove(wellFormed('REJECT'), 'duplicateOf'),
      set(wellFormed('PLAN_ACTIONS'), 'actions[0]', { id: 'ca-1', description: 'Draft', owner: null, dueDate: null, measurableOutcome: null }),
      set(wellFormed('RECORD_ROOT_CAUSE'), 'rootCause.extentOfCondition', null),
      sampleEvent('RECORD_CORRECTION', { correction: { schemaVersion: 1, kind: 'not-applicable', justification: 'Nothing to contain.' } }),
      sampleEvent('CLOSE', { evidence: [] }),
      sampleEvent('LINK_FINDINGS', { findingIds: [] }),
    ];
    for (const event of variants) {
      for (const snapshot of Object.values(STATES)) expect(invalid(explain(snapshot, event)), JSON.stringify(event)).toEqual([]);
    }
  });
});

describe('event.invalid', () => {
  it('carries the field and the rule as params, and a message made from them', () => {
    const draft = STATES['draft'] as CapaSnapshot;
    const messages = (event: unknown) => explain(draft, event as CapaEvent).map((u) => [u.message, u.params]);
    expect(messages({ type: 'RAISE', at: 'yesterday', by: { id: 'u-1', name: 'Ada', roles: [], email: 'ada@example.com' } })).toMatchInlineSnapshot(`
      [
        [
          "at: expected instant, received string.",
          {
            "expected": "instant",
            "path": "at",
            "received": "string",
            "rule": "type",
          },
        ],
        [
          "by.email is not a field the lifecycle reads: it would be lost.",
          {
            "path": "by.email",
            "rule": "unknown",
          },
        ],
        [
          "finding is missing: expected object.",
          {
            "expected": "object",
            "path": "finding",
            "rule": "required",
          },
        ],
      ]
    `);
    expect(messages(set(wellFormed('PLAN_ACTIONS'), 'actions[0].dueDate', 20260501)).slice(1)).toMatchInlineSnapshot(`
      [
        [
          "actions[0].dueDate: expected date|null, received number.",
          {
            "expected": "date|null",
            "path": "actions[0].dueDate",
            "received": "number",
            "rule": "type",
          },
        ],
      ]
    `);
    expect(messages(set(wellFormed('RECORD_REVIEW'), 'review.result', 'partly')).slice(1)).toMatchInlineSnapshot(`
      [
        [
          "review.result: expected effective|not-effective, received string.",
          {
            "expected": "effective|not-effective",
            "path": "review.result",
            "received": "string",
            "rule": "type",
          },
        ],
      ]
    `);
  });

  it('an unknown event type, or no event object at all, is answered too', () => {
    const reported = STATES['reported'] as CapaSnapshot;
    const codes = (event: unknown) => explain(reported, event as CapaEvent).map((u) => `${u.code} ${u.params?.['path'] ?? ''}`.trim());
    expect(codes({ type: 'ARCHIVE', at: '2026-03-10T09:00:00Z', by: { id: 'u-1', name: 'Ada', roles: [] } })).toEqual([
      'state.accepts',
      'event.invalid type',
    ]);
    expect(codes(null)).toEqual(['state.accepts', 'event.invalid']);
    expect(codes('RAISE')).toEqual(['state.accepts', 'event.invalid']);
    expect(unmetRequirements(iso27001, reported.context, 42 as never).map((u) => u.params)).toEqual([
      { path: '', rule: 'type', expected: 'object', received: 'number' },
    ]);
    expectActorUnmoved(reported, { type: 'ARCHIVE' } as never);
  });
});

describe('docs/lifecycle.md, "What an event carries"', () => {
  const lifecycle = readFileSync(new URL('../../docs/lifecycle.md', import.meta.url), 'utf8');
  const section = lifecycle.slice(lifecycle.indexOf('## What an event carries'), lifecycle.indexOf('## Guards'));

  it.each(CAPA_EVENT_TYPES)('names every field of %s the machine reads', (type) => {
    const row = section.split('\n').find((line) => line.startsWith('| ') && line.split('|')[1]?.includes(`\`${type}\``));
    expect(row, `no row for ${type}`).toBeDefined();
    const fields = new Set(Object.keys(FIELDS[type]).map((path) => path.replace(/\[\d+\]/g, '').split('.').at(-1)));
    for (const field of fields) expect(row, `${type} ${field}`).toContain(`\`${field}\``);
  });
});

