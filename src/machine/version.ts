/**
 * The version of the lifecycle machine. Persisted snapshots and history entries carry it;
 * bump it whenever a state, event or requirement changes meaning. Version 2 refuses events
 * whose data is missing, unknown or of the wrong type (`event.invalid`).
 *
 * @example
 * ```ts
 * import { MACHINE_VERSION } from 'capa-kit/machine';
 *
 * console.log(`lifecycle v${MACHINE_VERSION}`);
 * ```
 */
export const MACHINE_VERSION = 2 as const;
