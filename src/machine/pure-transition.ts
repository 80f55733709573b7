import { type AnyActorScope, createActor } from 'xstate';
import type { CapaMachine } from './capa-machine.js';
import type { CapaEvent } from './events.js';
import type { CapaSnapshot } from './explain.js';

// xstate's pure `transition()` builds a throwaway actor (and its system) on every call,
// which costs more than the transition itself. The lifecycle machine has no children, no
// timers and only `assign` actions, so nothing ever reaches the scope's effects: one inert
// scope per machine serves every call, and the result is the same snapshot.
const scopes = new WeakMap<CapaMachine, AnyActorScope>();

function inertScope(machine: CapaMachine): AnyActorScope {
  let scope = scopes.get(machine);
  if (scope === undefined) {
    const self = createActor(machine);
    const ignore = () => {};
    scope = { self, id: '', sessionId: '', system: self.system, logger: ignore, defer: ignore, emit: ignore, stopChild: ignore, actionExecutor: ignore };
    scopes.set(machine, scope);
  }
  return scope;
}

/** The next snapshot for an event, without side effects: xstate's `transition()`, minus the throwaway actor. */
export function pureTransition(snapshot: CapaSnapshot, event: CapaEvent): CapaSnapshot {
  const machine = snapshot.machine as CapaMachine;
  return machine.transition(snapshot, event, inertScope(machine));
}
