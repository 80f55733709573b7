import { type CapaError, type Finding, iso27001, isCapaError } from 'capa-kit';
import { type CapaStore, createCapaRegister } from 'capa-kit/register';
import { DEMO_CREDENTIAL, sendToRegister } from './commands.js';
import type { Scenario, ScenarioStep } from './step.js';

/** What happened at one step when a scenario went through the register. */
export interface RegisterStep {
  readonly step: ScenarioStep;
  /** The finding after the step (also after a refusal: unchanged). */
  readonly finding: Finding | null;
  readonly error: CapaError | null;
}

/**
 * Runs scenarios through one register on `store` (tenant `acme`, iso27001), each command
 * at its scenario time. Yields each step with the finding after it, or the typed error
 * that refused it.
 */
export async function* runThroughRegister(store: CapaStore, scenarios: readonly Scenario[]): AsyncGenerator<RegisterStep & { scenario: Scenario }> {
  let now = new Date(0);
  const register = createCapaRegister({
    store,
    policy: iso27001,
    tenant: 'acme',
    clock: () => now,
    verifySignature: (_actor, credential) => credential === DEMO_CREDENTIAL,
  });
  for (const scenario of scenarios) {
    let findingId: string | undefined;
    for (const step of scenario.steps) {
      now = new Date(step.event.at);
      try {
        const result = await sendToRegister(register, step.event, findingId);
        if (step.event.type === 'RAISE') findingId = result.id;
        yield { scenario, step, finding: findingId === undefined ? null : await register.get(findingId), error: null };
      } catch (error) {
        if (!isCapaError(error)) throw error;
        yield { scenario, step, finding: findingId === undefined ? null : await register.get(findingId), error };
      }
    }
  }
}
