import * as z from 'zod';
import { Actor } from './actor.js';
import { Id, Instant, LONG_TEXT, NAME_TEXT, Sha256, schemaVersionField, text } from './primitives.js';

/**
 * The versions an event was made under, so that a reader years later knows which rules
 * applied.
 *
 * @example
 * ```ts
 * import { MadeUnder } from 'capa-kit';
 *
 * MadeUnder.parse({ schema: 1, machine: 1, policy: { id: 'iso27001', version: '2022.1' } });
 * ```
 */
export const MadeUnder = z
  .strictObject({
    schema: z.int().min(1),
    machine: z.int().min(1),
    policy: z.strictObject({ id: Id, version: text(32) }),
  })
  .meta({ id: 'MadeUnder', description: 'The schema, machine and policy versions an event was made under.' });
/** The versions an event was made under. */
export type MadeUnder = z.infer<typeof MadeUnder>;

/**
 * What a signature means (21 CFR Part 11 §11.50: the meaning is part of the signature):
 * plan approval, the effectiveness verdict, and closure.
 *
 * @example
 * ```ts
 * import { SIGNATURE_MEANINGS } from 'capa-kit';
 *
 * SIGNATURE_MEANINGS.includes('closed'); // true
 * ```
 */
export const SIGNATURE_MEANINGS = ['approved', 'verified effective', 'closed'] as const;

/**
 * An electronic signature: who signed (id and printed name), when, what it means, and
 * what it is bound to: the record, its version and the hash of its history at signing.
 * Moved to another record, or to another place in this record's history, it no longer
 * matches (§11.70 in spirit).
 *
 * @example
 * ```ts
 * import { Signature } from 'capa-kit';
 *
 * Signature.parse({
 *   signerId: 'u-jonas',
 *   printedName: 'Jonas Berg',
 *   meaning: 'approved',
 *   signedAt: '2026-03-10T09:00:00Z',
 *   boundTo: { recordId: 'f-1', version: 9, hash: 'a'.repeat(64) },
 * });
 * ```
 */
export const Signature = z
  .strictObject({
    signerId: Id,
    printedName: text(NAME_TEXT),
    meaning: z.enum(SIGNATURE_MEANINGS),
    signedAt: Instant,
    boundTo: z.strictObject({ recordId: Id, version: z.int().min(0), hash: Sha256.nullable() }),
  })
  .meta({ id: 'Signature', description: 'An electronic signature with its meaning, bound to the record and its history hash at signing.' });
/** An electronic signature, bound to a record at signing. */
export type Signature = z.infer<typeof Signature>;

/**
 * One entry of a record's history: who did what, when and why, with the event's payload,
 * the versions it was made under, and any signature. The history is append-only;
 * `sequence` counts from 1 per record, and each entry is chained to the previous one by
 * its hash (see `verifyHistory`).
 *
 * @example
 * ```ts
 * import { HistoryEntry } from 'capa-kit';
 *
 * HistoryEntry.parse({
 *   schemaVersion: 1,
 *   tenantId: 'acme',
 *   recordKind: 'finding',
 *   recordId: 'f-1',
 *   sequence: 1,
 *   type: 'RAISE',
 *   actor: { id: 'u-3', name: 'Ines Audit', roles: ['internal-auditor'] },
 *   at: '2026-03-01T15:00:00Z',
 *   reason: null,
 *   payload: { grade: 'minor' },
 *   madeUnder: { schema: 1, machine: 1, policy: { id: 'iso27001', version: '2022.1' } },
 *   signature: null,
 *   prevHash: null,
 *   hash: 'b'.repeat(64),
 * });
 * ```
 */
export const HistoryEntry = z
  .strictObject({
    schemaVersion: schemaVersionField,
    tenantId: Id,
    recordKind: z.enum(['finding', 'action']),
    recordId: Id,
    sequence: z.int().min(1),
    /** The event type, e.g. `RECORD_ROOT_CAUSE`. */
    type: text(64),
    actor: Actor,
    at: Instant,
    reason: text(LONG_TEXT).nullable(),
    payload: z.json(),
    madeUnder: MadeUnder,
    signature: Signature.nullable(),
    /** The hash of the record's previous entry; `null` for the first. */
    prevHash: Sha256.nullable(),
    /** SHA-256 of this entry's RFC 8785 canonical JSON without `hash`. */
    hash: Sha256,
  })
  .meta({ id: 'HistoryEntry', description: 'Who did what, when and why, with the payload and the versions it was made under.' });
/** One entry of a record's history. */
export type HistoryEntry = z.infer<typeof HistoryEntry>;
