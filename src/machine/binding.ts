import type { SeverityPolicy } from '../schemas/severity-policy.js';

// Which policy each machine was built with: lets explain(snapshot, event) find the
// policy from the snapshot alone, without putting the policy in every snapshot.
const policies = new WeakMap<object, SeverityPolicy>();

/** Records the policy a machine was built with. */
export function bindPolicy(machine: object, policy: SeverityPolicy): void {
  policies.set(machine, policy);
}

/** The policy a machine was built with, or `undefined` for a machine capa-kit did not build. */
export function boundPolicy(machine: object): SeverityPolicy | undefined {
  return policies.get(machine);
}
