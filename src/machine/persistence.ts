import { CapaError } from '../errors/capa-error.js';
import { CAPA_ERROR_CODES } from '../errors/codes.js';
import type { FindingStatus } from '../schemas/status.js';
import { boundPolicy } from './binding.js';
import type { CapaMachine } from './capa-machine.js';
import type { CapaContext } from './context.js';
import type { CapaSnapshot } from './explain.js';
import { MACHINE_VERSION } from './version.js';

/**
 * A finding's lifecycle as plain JSON: its state, its context (which carries the machine
 * version and the policy id), and xstate's status. Store it anywhere; restore it with
 * {@link restoreSnapshot}.
 *
 * @example
 * ```ts
 * import { capaMachine, restoreSnapshot, type PersistedCapaSnapshot } from 'capa-kit/machine';
 *
 * declare const row: { snapshot: string }; // as the host stored it
 * const persisted: PersistedCapaSnapshot = JSON.parse(row.snapshot);
 * const snapshot = restoreSnapshot(capaMachine, persisted);
 * ```
 */
export interface PersistedCapaSnapshot {
  readonly value: FindingStatus;
  readonly status: 'active' | 'done';
  readonly context: CapaContext;
}

/**
 * The JSON-safe form of a snapshot.
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { capaMachine, persistSnapshot } from 'capa-kit/machine';
 *
 * const json = JSON.stringify(persistSnapshot(createActor(capaMachine).getSnapshot()));
 * ```
 */
export function persistSnapshot(snapshot: CapaSnapshot): PersistedCapaSnapshot {
  return {
    value: snapshot.value as FindingStatus,
    status: snapshot.status === 'done' ? 'done' : 'active',
    context: snapshot.context,
  };
}

/**
 * Restores a persisted snapshot into `machine`. Refuses (code
 * `CAPA_UNSUPPORTED_SNAPSHOT`) a snapshot written by a newer machine version or under
 * another policy id; an older machine version is read as is (version 1 is the first).
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { capaMachine, persistSnapshot, restoreSnapshot } from 'capa-kit/machine';
 *
 * const saved = JSON.parse(JSON.stringify(persistSnapshot(createActor(capaMachine).getSnapshot())));
 * const snapshot = restoreSnapshot(capaMachine, saved);
 * const actor = createActor(capaMachine, { snapshot }).start();
 * ```
 */
export function restoreSnapshot(machine: CapaMachine, persisted: PersistedCapaSnapshot): CapaSnapshot {
  const version = (persisted.context as { machineVersion?: unknown } | undefined)?.machineVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > MACHINE_VERSION) {
    throw new CapaError(
      CAPA_ERROR_CODES.unsupportedSnapshot,
      `The snapshot was written by lifecycle machine version ${String(version)}; this build reads versions 1 to ${MACHINE_VERSION}.`,
    );
  }
  const known = Object.keys(machine.states);
  if (typeof persisted.value !== 'string' || !known.includes(persisted.value)) {
    throw new CapaError(
      CAPA_ERROR_CODES.unsupportedSnapshot,
      `The snapshot's state ${JSON.stringify(persisted.value)} is not one of this machine's states (${known.join(', ')}).`,
    );
  }
  const policy = boundPolicy(machine);
  const policyId = (persisted.context as { policy?: { id?: unknown } }).policy?.id;
  if (typeof policyId !== 'string') {
    throw new CapaError(CAPA_ERROR_CODES.unsupportedSnapshot, 'The snapshot does not name the policy it was made under (context.policy.id).');
  }
  if (policy !== undefined && policyId !== policy.id) {
    throw new CapaError(
      CAPA_ERROR_CODES.unsupportedSnapshot,
      `The snapshot was made under policy "${policyId}"; this machine applies "${policy.id}".`,
    );
  }
  // resolveState rebuilds the snapshot (status included: a final state comes back done)
  // without starting an actor: five times cheaper, and the machine has no children to restore.
  return machine.resolveState({ value: persisted.value, context: persisted.context });
}
