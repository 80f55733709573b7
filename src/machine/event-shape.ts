// The one check of an event's data, by hand (the machine entry has no zod). It covers
// exactly what the guards and actions read, now or later from the context they fill, so a
// guard can evaluate any object without throwing and an action never stores what a later
// guard cannot read. The records' schemas check the rest at the register's input.
import type { UnmetRequirement } from '../errors/transition-error.js';

/**
 * The code {@link explain} and {@link unmetRequirements} use for an event whose data is
 * missing, unknown or of the wrong type. Its `params` name the field (`path`, e.g.
 * `finding.grade` or `actions[0].owner`) and the `rule`: `required` (absent), `unknown`
 * (a key the lifecycle would drop) or `type` (with `expected` and `received`).
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { capaMachine, explain, EVENT_INVALID, type CapaEvent } from 'capa-kit/machine';
 *
 * const dataless = { type: 'RAISE' } as CapaEvent; // what Stately's inspector sends
 * const [first] = explain(createActor(capaMachine).getSnapshot(), dataless);
 * first?.code === EVENT_INVALID; // true
 * first?.params; // { path: 'at', rule: 'required', expected: 'instant' }
 * ```
 */
export const EVENT_INVALID = 'event.invalid';

type Issues = UnmetRequirement[];

/**
 * What a value must be, as data (small: this runs in browsers). A string names a leaf:
 * alternatives joined by `|` (`string`, `instant`, `date`, `object`, `null`, `eventType`, or
 * a literal such as `effective`), `?` at the end when it may be absent; `[shape]` is a list;
 * an object is a record whose fields the lifecycle reads, closed unless it has the key
 * `OPEN`; a function picks the record's shape from its value.
 */
type Shape = string | readonly [Shape] | { readonly [key: string]: Shape } | ((value: Record<string, unknown>) => Shape);

/**
 * The key that opens a record. A closed record is one the lifecycle reads field by field
 * and keeps nothing else of, so another key would be lost silently: it is refused. An open
 * record is stored whole; its other fields are the record schema's business.
 */
const OPEN = '...';

/**
 * A shape compiled: checks `value`, the field `key` of the record or list at `parent`, and
 * adds what is wrong to `out`. The field's path is made only for an issue.
 */
type Check = (value: unknown, parent: string, key: string | number, out: Issues) => void;

const kindOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
const isRecord = (value: unknown): value is Record<string, unknown> => kindOf(value) === 'object';
const dated = (pattern: RegExp) => (value: unknown) =>
  typeof value === 'string' && pattern.test(value) && !Number.isNaN(Date.parse(value));

/** The named alternatives of a leaf; any other alternative is a literal value. */
const LEAVES: Readonly<Record<string, (value: unknown) => boolean>> = {
  string: (value) => typeof value === 'string',
  object: isRecord,
  null: (value) => value === null,
  instant: dated(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
  date: dated(/^\d{4}-\d\d-\d\d$/),
  eventType: (value) => typeof value === 'string' && Object.hasOwn(EVENT_FIELDS, value),
};

/** The sentence of an `event.invalid` entry, made from its params alone. */
function message({ path, rule, expected, received }: Readonly<Record<string, string>>): string {
  const field = path === '' ? 'The event' : path;
  if (rule === 'unknown') return `${field} is not a field the lifecycle reads: it would be lost.`;
  return rule === 'required' ? `${field} is missing: expected ${expected}.` : `${field}: expected ${expected}, received ${received}.`;
}

function issue(out: Issues, path: string, rule: string, expected?: string, value?: unknown): void {
  const params: Record<string, string> = { path, rule };
  if (expected !== undefined) params['expected'] = expected;
  if (value !== undefined) params['received'] = kindOf(value);
  out.push({ code: EVENT_INVALID, message: message(params), params });
}

const pathOf = (parent: string, key: string | number) =>
  typeof key === 'number' ? `${parent}[${key}]` : parent === '' ? key : `${parent}.${key}`;

// Compiled once per shape: a guard runs the check on every event.
const compiled = new Map<Shape, Check>();

// A key whose value is undefined counts as absent: JSON drops it, and so does the lifecycle.
function compile(shape: Shape): Check {
  let check = compiled.get(shape);
  if (check !== undefined) return check;
  if (typeof shape === 'function') {
    // A value that is no record is checked against `object` (the same shape each time, so compiled once).
    check = (value, parent, key, out) => compile(isRecord(value) ? shape(value) : 'object')(value, parent, key, out);
  } else if (typeof shape === 'string') {
    const optional = shape.endsWith('?');
    const expected = optional ? shape.slice(0, -1) : shape;
    const tests = expected.split('|').map((alternative) => (Object.hasOwn(LEAVES, alternative) ? LEAVES[alternative] : (value: unknown) => value === alternative) as (value: unknown) => boolean);
    check = (value, parent, key, out) => {
      if (value === undefined) {
        if (!optional) issue(out, pathOf(parent, key), 'required', expected);
        return;
      }
      for (const test of tests) if (test(value)) return;
      issue(out, pathOf(parent, key), 'type', expected, value);
    };
  } else if (Array.isArray(shape)) {
    const item = compile((shape as readonly [Shape])[0]);
    check = (value, parent, key, out) => {
      const path = pathOf(parent, key);
      if (value === undefined) issue(out, path, 'required', 'array');
      else if (!Array.isArray(value)) issue(out, path, 'type', 'array', value);
      // Indices, not forEach: a hole in a sparse array is a missing item, not no item.
      else for (let index = 0; index < value.length; index++) item(value[index], path, index, out);
    };
  } else {
    const fields = shape as Readonly<Record<string, Shape>>;
    const checks = Object.keys(fields).filter((key) => key !== OPEN).map((key) => [key, compile(fields[key] as Shape)] as const);
    const open = Object.hasOwn(fields, OPEN);
    check = (value, parent, at, out) => {
      const path = pathOf(parent, at);
      if (value === undefined) return issue(out, path, 'required', 'object');
      if (!isRecord(value)) return issue(out, path, 'type', 'object', value);
      for (const [key, field] of checks) field(value[key], path, key, out);
      // Own keys only: `constructor` or `toString` is a field no record of ours has.
      if (!open) for (const key of Object.keys(value)) if (!Object.hasOwn(fields, key) && value[key] !== undefined) issue(out, pathOf(path, key), 'unknown');
    };
  }
  compiled.set(shape, check);
  return check;
}

const PERFORMED = { [OPEN]: '', kind: 'performed|not-applicable', completedAt: 'instant' };
const NOT_APPLICABLE = { [OPEN]: '', kind: 'performed|not-applicable' };

/** What each event carries besides `type`, `at`, `by` and `reason`: the fields its guards and actions read. */
const EVENT_FIELDS: Readonly<Record<string, Readonly<Record<string, Shape>>>> = {
  RAISE: { finding: { [OPEN]: '', id: 'string', title: 'string', grade: 'string', detectedAt: 'instant', raisedAt: 'instant' } },
  RECORD_CORRECTION: { correction: (value) => (value['kind'] === 'performed' ? PERFORMED : NOT_APPLICABLE) },
  RECORD_ROOT_CAUSE: {
    rootCause: { [OPEN]: '', method: 'string', whys: ['string'], statement: 'string', extentOfCondition: 'object|null' },
  },
  LINK_FINDINGS: { findingIds: ['string'] },
  PLAN_ACTIONS: {
    actions: [{ id: 'string', reference: 'string?', description: 'string', owner: 'object|null', dueDate: 'date|null', measurableOutcome: 'string|null' }],
  },
  SUBMIT_PLAN: {},
  APPROVE_PLAN: {},
  RETURN_PLAN: {},
  START_ACTION: { actionId: 'string' },
  COMPLETE_ACTION: { actionId: 'string', evidence: ['object'] },
  CANCEL_ACTION: { actionId: 'string' },
  START_VERIFICATION: {},
  RECORD_REVIEW: { review: { [OPEN]: '', result: 'effective|not-effective' } },
  CLOSE: { evidence: ['object'] },
  REJECT: { kind: 'not-a-nonconformity|duplicate', duplicateOf: 'string?' },
  REOPEN: {},
  REGRADE: { grade: 'string' },
  ATTACH_EVIDENCE: { evidence: 'object' },
};

const COMMON: Readonly<Record<string, Shape>> = { type: 'eventType', at: 'instant', by: { id: 'string', name: 'string', roles: ['string'] }, reason: 'string?' };
const EVENTS = new Map(Object.entries(EVENT_FIELDS).map(([type, fields]) => [type, { ...COMMON, ...fields }]));

/**
 * Every field of `event` that is missing, unknown or of the wrong type, as `event.invalid`
 * entries in field order; `[]` when the event is well-formed. Total: any value may be passed.
 */
export function eventIssues(event: unknown): UnmetRequirement[] {
  const out: Issues = [];
  const type = isRecord(event) ? event['type'] : undefined;
  compile((typeof type === 'string' && EVENTS.get(type)) || COMMON)(event, '', '', out);
  return out;
}
