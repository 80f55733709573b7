import type { Actor, Evidence } from 'capa-kit';

/** The people of the DOMAIN.md scenarios. Roles are the host's; `auditor` approves minor plans. */
export const cast = {
  ines: { id: 'u-ines', name: 'Ines Moreau', roles: ['internal-auditor'] },
  sam: { id: 'u-sam', name: 'Sam Okafor', roles: ['it-operations'] },
  lee: { id: 'u-lee', name: 'Lee Park', roles: ['isms-manager'] },
  priya: { id: 'u-priya', name: 'Priya Shah', roles: ['procurement'] },
  jonas: { id: 'u-jonas', name: 'Jonas Berg', roles: ['auditor'] },
} satisfies Record<string, Actor>;

/** A piece of evidence collected by `by` at `at`. */
export function evidence(by: Actor, at: string, kind: Evidence['kind'], title: string, location: string): Evidence {
  return { schemaVersion: 1, kind, title, location, collectedBy: { id: by.id, name: by.name }, collectedAt: at };
}
