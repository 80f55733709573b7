// The spec the totality tests are written from: one snapshot per state, a well-formed event
// of each type, and, from the event types in src/machine/events.ts (independently of the
// check in src/machine/event-shape.ts), each field the guards and actions read and what it
// must be. Plus small helpers to edit an event at a path.
import { createActor } from 'xstate';
import { advance, capaMachine, type CapaEvent, type CapaEventType, type CapaSnapshot } from 'capa-kit/machine';
import { sampleAction, sampleEvent, sampleFinding } from '../fixtures/events.js';

// ---------------------------------------------------------------------------------------
// One snapshot per state, each where the well-formed sample events are taken
// ---------------------------------------------------------------------------------------

const initial = createActor(capaMachine).getSnapshot();

function after(...events: CapaEvent[]): CapaSnapshot {
  return events.reduce((snapshot, event) => advance(snapshot, event), initial);
}

const raise = (grade: string) => sampleEvent('RAISE', { finding: sampleFinding({ grade }) });
const toInvestigating = [raise('major'), sampleEvent('RECORD_CORRECTION'), sampleEvent('RECORD_ROOT_CAUSE')];
const toImplementing = [...toInvestigating, sampleEvent('PLAN_ACTIONS'), sampleEvent('SUBMIT_PLAN')];
const toVerifying = [...toImplementing, sampleEvent('COMPLETE_ACTION'), sampleEvent('START_VERIFICATION'), sampleEvent('RECORD_REVIEW')];

export const STATES: Record<string, CapaSnapshot> = {
  draft: initial,
  reported: after(raise('major')),
  contained: after(raise('major'), sampleEvent('RECORD_CORRECTION')),
  investigating: after(...toInvestigating),
  planning: after(...toInvestigating, sampleEvent('PLAN_ACTIONS')),
  awaitingApproval: after(raise('minor'), ...toInvestigating.slice(1), sampleEvent('PLAN_ACTIONS'), sampleEvent('SUBMIT_PLAN')),
  implementing: after(...toImplementing),
  verifying: after(...toVerifying),
  closed: after(...toVerifying, sampleEvent('CLOSE')),
  monitoring: after(raise('observation')),
  logged: after(raise('ofi')),
  rejected: after(raise('major'), sampleEvent('REJECT')),
  conformity: after(raise('conformity')),
};
export const STATE_NAMES = Object.keys(STATES);

/** A well-formed event of each type, carrying every optional field the lifecycle reads. */
export function wellFormed(type: CapaEventType): CapaEvent {
  switch (type) {
    case 'REJECT':
      return sampleEvent('REJECT', { kind: 'duplicate', duplicateOf: 'f-2', reason: 'Same as f-2' });
    case 'PLAN_ACTIONS':
      return sampleEvent('PLAN_ACTIONS', { actions: [sampleAction({ reference: 'CA-2026-0001' })], reason: 'Because' });
    default:
      return sampleEvent(type, { reason: 'Because' } as never);
  }
}

// ---------------------------------------------------------------------------------------
// What each event carries: the fields the lifecycle reads, and what each must be
// ---------------------------------------------------------------------------------------

/** What a field must be. `?` marks a field that may be absent. */
export type Kind = 'string' | 'string?' | 'string|null' | 'instant' | 'date|null' | 'array' | 'object' | 'object|null' | `oneOf:${string}`;

const COMMON: Record<string, Kind> = {
  at: 'instant',
  by: 'object',
  'by.id': 'string',
  'by.name': 'string',
  'by.roles': 'array',
  'by.roles[0]': 'string',
  reason: 'string?',
};

export const FIELDS: Record<CapaEventType, Record<string, Kind>> = {
  RAISE: {
    finding: 'object',
    'finding.id': 'string',
    'finding.title': 'string',
    'finding.grade': 'string',
    'finding.detectedAt': 'instant',
    'finding.raisedAt': 'instant',
  },
  RECORD_CORRECTION: { correction: 'object', 'correction.kind': 'oneOf:performed|not-applicable', 'correction.completedAt': 'instant' },
  RECORD_ROOT_CAUSE: {
    rootCause: 'object',
    'rootCause.method': 'string',
    'rootCause.whys': 'array',
    'rootCause.whys[1]': 'string',
    'rootCause.statement': 'string',
    'rootCause.extentOfCondition': 'object|null',
  },
  LINK_FINDINGS: { findingIds: 'array', 'findingIds[0]': 'string' },
  PLAN_ACTIONS: {
    actions: 'array',
    'actions[0]': 'object',
    'actions[0].id': 'string',
    'actions[0].reference': 'string?',
    'actions[0].description': 'string',
    'actions[0].owner': 'object|null',
    'actions[0].dueDate': 'date|null',
    'actions[0].measurableOutcome': 'string|null',
  },
  SUBMIT_PLAN: {},
  APPROVE_PLAN: {},
  RETURN_PLAN: {},
  START_ACTION: { actionId: 'string' },
  COMPLETE_ACTION: { actionId: 'string', evidence: 'array', 'evidence[0]': 'object' },
  CANCEL_ACTION: { actionId: 'string' },
  START_VERIFICATION: {},
  RECORD_REVIEW: { review: 'object', 'review.result': 'oneOf:effective|not-effective' },
  CLOSE: { evidence: 'array', 'evidence[0]': 'object' },
  REJECT: { kind: 'oneOf:not-a-nonconformity|duplicate', duplicateOf: 'string?' },
  REOPEN: {},
  REGRADE: { grade: 'string' },
  ATTACH_EVIDENCE: { evidence: 'object' },
};

/** The records the lifecycle reads field by field: any other key would be lost, so it is refused. */
export const CLOSED = (type: CapaEventType) => ['', 'by', ...(type === 'PLAN_ACTIONS' ? ['actions[0]'] : [])];
/** The records the lifecycle stores whole: other keys are their schema's business, not the machine's. */
export const OPEN: Partial<Record<CapaEventType, string[]>> = {
  RAISE: ['finding'],
  RECORD_CORRECTION: ['correction'],
  RECORD_ROOT_CAUSE: ['rootCause', 'rootCause.extentOfCondition'],
  PLAN_ACTIONS: ['actions[0].owner'],
  COMPLETE_ACTION: ['evidence[0]'],
  RECORD_REVIEW: ['review'],
  CLOSE: ['evidence[0]'],
  ATTACH_EVIDENCE: ['evidence'],
};

export const fieldsOf = (type: CapaEventType) => ({ ...COMMON, ...FIELDS[type] });

const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const isPlainObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** True when `value` is what `kind` asks (absent aside). */
export function fits(kind: Kind, value: unknown): boolean {
  if (kind.startsWith('oneOf:')) return kind.slice(6).split('|').includes(value as string);
  const [base, nullable] = kind.replace('?', '').split('|');
  if (nullable === 'null' && value === null) return true;
  switch (base) {
    case 'string':
      return typeof value === 'string';
    case 'instant':
      return typeof value === 'string' && INSTANT.test(value) && !Number.isNaN(Date.parse(value));
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d\d-\d\d$/.test(value) && !Number.isNaN(Date.parse(value));
    case 'array':
      return Array.isArray(value);
    default:
      return isPlainObject(value);
  }
}

// ---------------------------------------------------------------------------------------
// Editing an event at a path
// ---------------------------------------------------------------------------------------

type Json = Record<string, unknown> | unknown[];
export const clone = <T>(value: T): T => structuredClone(value);

/** `a.b[0].c` as keys: ['a', 'b', 0, 'c']; '' is the event itself. */
const keysOf = (path: string): (string | number)[] =>
  path === '' ? [] : path.split(/\.|(?=\[)/).map((part) => (part.startsWith('[') ? Number(part.slice(1, -1)) : part));

function edit(event: CapaEvent, path: string, change: (parent: Json, key: string | number) => void): CapaEvent {
  const copy = clone(event) as unknown as Json;
  const keys = keysOf(path);
  const last = keys.pop() as string | number;
  let parent: Json = copy;
  for (const key of keys) parent = (parent as Record<string | number, Json>)[key] as Json;
  change(parent, last);
  return copy as unknown as CapaEvent;
}
// defineProperty, so that a key such as `__proto__` becomes an own key, as JSON.parse makes it.
export const set = (event: CapaEvent, path: string, value: unknown) =>
  edit(event, path, (parent, key) => {
    Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
  });
export const remove = (event: CapaEvent, path: string) =>
  edit(event, path, (parent, key) => {
    if (Array.isArray(parent)) parent[key as number] = undefined;
    else delete parent[key as string];
  });
export const at = (event: CapaEvent, path: string): unknown =>
  keysOf(path).reduce<unknown>((value, key) => (value as Record<string | number, unknown>)[key], event);

