import { createActor } from 'xstate';
import { type CapaMachine, type CapaSnapshot, type UnmetRequirement, advance, capaMachine, explain } from 'capa-kit';
import type { Scenario, ScenarioStep } from './step.js';

/** What happened at one step: the step, and either the state reached or the refusal. */
export interface WalkedStep {
  readonly step: ScenarioStep;
  readonly snapshot: CapaSnapshot;
  readonly refusal: readonly UnmetRequirement[] | null;
}

/**
 * Walks a scenario with the pure machine: each step is explained first, then advanced
 * when nothing is unmet. Yields what happened, so a demo can print it and a test can
 * assert it.
 */
export function* walk(scenario: Scenario, machine: CapaMachine = capaMachine): Generator<WalkedStep> {
  let snapshot: CapaSnapshot = createActor(machine).getSnapshot();
  for (const step of scenario.steps) {
    const unmet = explain(snapshot, step.event);
    if (unmet.length > 0) {
      yield { step, snapshot, refusal: unmet };
      continue;
    }
    snapshot = advance(snapshot, step.event);
    yield { step, snapshot, refusal: null };
  }
}
