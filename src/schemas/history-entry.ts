import * as z from 'zod';
import { Actor } from './actor.js';
import { Id, Instant, LONG_TEXT, schemaVersionField, text } from './primitives.js';

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
 * One entry of a record's history: who did what, when and why, with the event's payload
 * and the versions it was made under. The history is append-only; `sequence` counts from 1
 * per record.
 *
 * @example
 * ```ts
 * import { HistoryEntry } from 'capa-kit';
 *
 * HistoryEntry.parse({
 *   schemaVersion: 1,
 *   recordId: 'f-1',
 *   sequence: 1,
 *   type: 'RAISE',
 *   actor: { id: 'u-3', name: 'Ines Audit', roles: ['internal-auditor'] },
 *   at: '2026-03-01T15:00:00Z',
 *   reason: null,
 *   payload: { grade: 'minor' },
 *   madeUnder: { schema: 1, machine: 1, policy: { id: 'iso27001', version: '2022.1' } },
 * });
 * ```
 */
export const HistoryEntry = z
  .strictObject({
    schemaVersion: schemaVersionField,
    recordId: Id,
    sequence: z.int().min(1),
    /** The event type, e.g. `RECORD_ROOT_CAUSE`. */
    type: text(64),
    actor: Actor,
    at: Instant,
    reason: text(LONG_TEXT).nullable(),
    payload: z.json(),
    madeUnder: MadeUnder,
  })
  .meta({ id: 'HistoryEntry', description: 'Who did what, when and why, with the payload and the versions it was made under.' });
/** One entry of a record's history. */
export type HistoryEntry = z.infer<typeof HistoryEntry>;
