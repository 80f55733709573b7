import * as z from 'zod';
import { Id, NAME_TEXT, text } from './primitives.js';

/**
 * A person named in a record (owner, reviewer, collector): a stable id and the name
 * printed in reports.
 *
 * @example
 * ```ts
 * import { Person } from 'capa-kit';
 *
 * const owner = Person.parse({ id: 'u-17', name: 'Priya Shah' });
 * ```
 */
export const Person = z
  .strictObject({ id: Id, name: text(NAME_TEXT) })
  .meta({ id: 'Person', description: 'A person named in a record: a stable id and a display name.' });
/** A person named in a record. */
export type Person = z.infer<typeof Person>;

/**
 * Whoever sends an event: a person with the roles the host grants them. Roles are
 * host-defined strings; policies name the roles they require (e.g. `auditor`).
 *
 * @example
 * ```ts
 * import { Actor } from 'capa-kit';
 *
 * const auditor = Actor.parse({ id: 'u-2', name: 'Jonas Berg', roles: ['auditor'] });
 * ```
 */
export const Actor = z
  .strictObject({
    id: Id,
    name: text(NAME_TEXT),
    roles: z.array(text(64)).max(32),
  })
  .meta({ id: 'Actor', description: 'Whoever acts: a person with the roles the host grants them.' });
/** Whoever sends an event. */
export type Actor = z.infer<typeof Actor>;
