import { CapaError } from './capa-error.js';
import { CAPA_ERROR_CODES } from './codes.js';

/**
 * A lifecycle requirement that an event did not meet: its stable code and a sentence a
 * person can read. The machine's guards and `explain()` produce these from one list.
 *
 * @example
 * ```ts
 * import type { UnmetRequirement } from 'capa-kit';
 *
 * const unmet: UnmetRequirement = {
 *   code: 'rootCause.recorded',
 *   message: 'A corrective action plan needs a recorded root cause.',
 * };
 * ```
 */
export interface UnmetRequirement {
  /** Stable code, e.g. `closure.evidence`. */
  readonly code: string;
  /** A sentence for people saying what is needed. */
  readonly message: string;
  /**
   * What the sentence is made of, for a host that words it itself: `event.invalid` names
   * the field and the rule, e.g. `{ path: 'finding.grade', rule: 'required', expected: 'string' }`.
   */
  readonly params?: Readonly<Record<string, string>>;
}

/**
 * The lifecycle refused an event. `unmet` carries every requirement the event did not
 * meet, so a caller can show all of them at once; nothing changed.
 *
 * @example
 * ```ts
 * import { CapaTransitionError, advance, capaMachine } from 'capa-kit';
 * import { createActor } from 'xstate';
 *
 * const snapshot = createActor(capaMachine).getSnapshot();
 * try {
 *   advance(snapshot, {
 *     type: 'CLOSE',
 *     at: '2026-01-10T09:00:00Z',
 *     by: { id: 'u1', name: 'Ada', roles: [] },
 *     evidence: [],
 *   });
 * } catch (error) {
 *   if (error instanceof CapaTransitionError) console.log(error.unmet.map((u) => u.code));
 * }
 * ```
 */
export class CapaTransitionError extends CapaError {
  /** The state the finding was in. */
  readonly state: string;
  /** The refused event's type. */
  readonly event: string;
  /** Every unmet requirement, in the order of the requirement list. */
  readonly unmet: readonly UnmetRequirement[];
  /** The finding refused, when a command moved several (a shared corrective action): its reference. */
  readonly finding: string | null;

  constructor(state: string, event: string, unmet: readonly UnmetRequirement[], finding: string | null = null) {
    const where = finding === null ? `in state "${state}"` : `for ${finding} in state "${state}"`;
    super(
      CAPA_ERROR_CODES.transitionRefused,
      [`${event} refused ${where}`, ...unmet.map((u) => `  - ${u.message} [${u.code}]`)].join('\n'),
    );
    this.state = state;
    this.event = event;
    this.unmet = unmet;
    this.finding = finding;
  }
}
