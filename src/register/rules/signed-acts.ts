// The signed acts, and the person each names (21 CFR Part 11 §11.50: a signed record shows
// who signed it and what the signature means). The person a record names for a signed act
// is the signer: an effectiveness review that names Jonas as its reviewer is signed by Jonas,
// not by Omar who typed it in. One table, read by the register (which refuses a mismatch
// before asking the host to re-authenticate anyone) and by the log validator.
import type { CapaEvent } from '../../machine/events.js';
import type { Person } from '../../schemas/actor.js';
import type { Signature } from '../../schemas/history-entry.js';

/** A signed act: what its signature means, the person the record names for it, and where. */
export interface SignedAct {
  readonly meaning: Signature['meaning'];
  /** The person the record names for the act; `null` when the event names nobody readable (a damaged log). */
  readonly names: Person | null;
  /** Where the event names them: `by` (the actor, recorded as `planApproval.approvedBy` or `closure.closedBy`), or `review.reviewer`. */
  readonly field: readonly string[];
}

const personAt = (value: unknown): Person | null => {
  if (typeof value !== 'object' || value === null) return null;
  const { id, name } = value as { id?: unknown; name?: unknown };
  return typeof id === 'string' && typeof name === 'string' ? { id, name } : null;
};

/**
 * The act an event signs, or `null` for an event that signs nothing:
 *
 * | Event | Meaning | The person it names |
 * | --- | --- | --- |
 * | `APPROVE_PLAN` | `approved` | the actor (`planApproval.approvedBy`) |
 * | `RECORD_REVIEW`, result `effective` | `verified effective` | `review.reviewer` |
 * | `CLOSE` | `closed` | the actor (`closure.closedBy`) |
 *
 * A `not-effective` review signs nothing, so it may name another reviewer than the actor
 * (recorded on their behalf); so may every other unsigned field.
 */
export function signedActOf(event: CapaEvent): SignedAct | null {
  switch (event.type) {
    case 'APPROVE_PLAN':
      return { meaning: 'approved', names: personAt(event.by), field: ['by'] };
    case 'RECORD_REVIEW': {
      const review = event.review as { result?: unknown; reviewer?: unknown } | undefined;
      if (review?.result !== 'effective') return null;
      return { meaning: 'verified effective', names: personAt(review.reviewer), field: ['review', 'reviewer'] };
    }
    case 'CLOSE':
      return { meaning: 'closed', names: personAt(event.by), field: ['by'] };
    default:
      return null;
  }
}

/**
 * Why `signer` may not sign `act`: the record names someone else for it (another id, or
 * the same id under another printed name); `null` when the signer is the person named.
 */
export function signerMismatch(act: SignedAct, signer: Person): string | null {
  const named = act.names;
  const as = act.field.length === 1 && act.field[0] === 'by' ? 'as the one who acts' : `at ${act.field.join('.')}`;
  if (named === null) return `The record names no one ${as} for the "${act.meaning}" act.`;
  if (named.id === signer.id && named.name === signer.name) return null;
  return `The record names ${named.name} (${named.id}) ${as} for the "${act.meaning}" act, but ${signer.name} (${signer.id}) signs it: the person a record names for a signed act is the signer.`;
}
