import type { CapaEvent, FindingStatus } from 'capa-kit';

/**
 * One step of a worked scenario: what a person tries, and what the lifecycle does with it.
 * A refused step names the requirement codes the lifecycle reports.
 */
export type ScenarioStep =
  | { readonly say: string; readonly event: CapaEvent; readonly then: FindingStatus }
  | { readonly say: string; readonly event: CapaEvent; readonly refused: readonly string[] };

/** A worked scenario from DOMAIN.md, walked one finding at a time. */
export interface Scenario {
  readonly name: string;
  readonly summary: string;
  readonly steps: readonly ScenarioStep[];
}
