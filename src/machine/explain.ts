import type { SnapshotFrom } from 'xstate';
import { CapaTransitionError, type UnmetRequirement } from '../errors/transition-error.js';
import { boundPolicy } from './binding.js';
import { pureTransition } from './pure-transition.js';
import type { CapaMachine } from './capa-machine.js';
import { eventIssues } from './event-shape.js';
import type { CapaEvent } from './events.js';
import { unmetRequirements } from './requirements.js';

/**
 * A snapshot of the CAPA lifecycle machine: its state (a {@link FindingStatus}) and its {@link CapaContext}.
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { capaMachine, type CapaSnapshot } from 'capa-kit/machine';
 *
 * const snapshot: CapaSnapshot = createActor(capaMachine).getSnapshot();
 * snapshot.value; // 'draft'
 * ```
 */
export type CapaSnapshot = SnapshotFrom<CapaMachine>;

/**
 * The code {@link explain} uses when the current state does not take the event at all.
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { capaMachine, explain, STATE_ACCEPTS } from 'capa-kit/machine';
 *
 * const draft = createActor(capaMachine).getSnapshot();
 * const [first] = explain(draft, { type: 'SUBMIT_PLAN', at: '2026-03-06T10:00:00Z', by: { id: 'u-9', name: 'Sam IT', roles: [] } });
 * first?.code === STATE_ACCEPTS; // true: a draft takes no SUBMIT_PLAN
 * ```
 */
export const STATE_ACCEPTS = 'state.accepts';

function policyOf(snapshot: CapaSnapshot) {
  const policy = boundPolicy(snapshot.machine);
  if (policy === undefined) throw new TypeError('explain() needs a snapshot of a machine built by createCapaMachine()');
  return policy;
}

/**
 * True when the snapshot's current state has a transition for this event type, whatever
 * its guards say.
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { acceptsEvent, capaMachine } from 'capa-kit/machine';
 *
 * acceptsEvent(createActor(capaMachine).getSnapshot(), 'RAISE'); // true
 * ```
 */
export function acceptsEvent(snapshot: CapaSnapshot, type: CapaEvent['type']): boolean {
  if (snapshot.status !== 'active') return false;
  return acceptedEvents(snapshot.machine).get(String(snapshot.value))?.has(type) ?? false;
}

// xstate rebuilds a state node's event list on each read; a machine's states never change.
const acceptedByMachine = new WeakMap<object, Map<string, ReadonlySet<string>>>();

function acceptedEvents(machine: CapaSnapshot['machine']): Map<string, ReadonlySet<string>> {
  let table = acceptedByMachine.get(machine);
  if (table === undefined) {
    table = new Map(Object.entries(machine.states).map(([state, node]) => [state, new Set<string>(node.ownEvents)]));
    acceptedByMachine.set(machine, table);
  }
  return table;
}

/** The event's type as text, whatever was passed (explain answers for any value). */
const typeOf = (event: unknown) => String((event as { type?: unknown } | null)?.type);

/**
 * Why an event would be refused: every unmet requirement, in the order of
 * {@link LIFECYCLE_REQUIREMENTS}, or `[]` when the event would be taken. When the current
 * state does not take the event at all, the first entry says so (code `state.accepts`).
 * An event whose data is missing, unknown or of the wrong type gets an `event.invalid`
 * entry per field ({@link EVENT_INVALID}) instead of the requirements, which cannot be
 * read on it. `snapshot.can(event)` is true exactly when this returns `[]`: both are built
 * from the same checks. A UI uses it to say why a button is disabled.
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { capaMachine, explain } from 'capa-kit/machine';
 *
 * const snapshot = createActor(capaMachine).getSnapshot();
 * explain(snapshot, {
 *   type: 'CLOSE',
 *   at: '2026-07-02T09:00:00Z',
 *   by: { id: 'u-2', name: 'Jonas Berg', roles: ['auditor'] },
 *   evidence: [],
 * });
 * // [{ code: 'state.accepts', message: 'A finding in state "draft" does not take CLOSE.' }]
 * ```
 */
export function explain(snapshot: CapaSnapshot, event: CapaEvent): UnmetRequirement[] {
  const policy = policyOf(snapshot);
  const type = typeOf(event);
  if (!acceptsEvent(snapshot, type as CapaEvent['type'])) {
    return [
      { code: STATE_ACCEPTS, message: `A finding in state "${String(snapshot.value)}" does not take ${type}.` },
      ...eventIssues(event),
    ];
  }
  return unmetRequirements(policy, snapshot.context, event);
}

/**
 * Applies an event purely: returns the next snapshot, or throws a
 * {@link CapaTransitionError} carrying every unmet requirement (and changes nothing).
 * This is how a store-backed service moves a finding: load, advance, persist.
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { advance, capaMachine, CapaTransitionError } from 'capa-kit/machine';
 *
 * const draft = createActor(capaMachine).getSnapshot();
 * try {
 *   advance(draft, {
 *     type: 'REOPEN',
 *     at: '2026-07-02T09:00:00Z',
 *     by: { id: 'u-2', name: 'Jonas Berg', roles: [] },
 *   });
 * } catch (error) {
 *   if (error instanceof CapaTransitionError) console.log(error.unmet[0]?.code); // 'state.accepts'
 * }
 * ```
 */
export function advance(snapshot: CapaSnapshot, event: CapaEvent): CapaSnapshot {
  const unmet = explain(snapshot, event);
  if (unmet.length > 0) throw new CapaTransitionError(String(snapshot.value), typeOf(event), unmet);
  return pureTransition(snapshot, event);
}
