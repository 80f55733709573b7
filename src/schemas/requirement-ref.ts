import * as z from 'zod';
import { NAME_TEXT, text } from './primitives.js';

/**
 * The requirement a finding breaches: a clause or control of a standard
 * (`ISO/IEC 27001:2022` clause `9.2`, control `A.5.18`), or the organisation's own
 * documented procedure, named by document id and version.
 *
 * @example
 * ```ts
 * import { RequirementRef } from 'capa-kit';
 *
 * RequirementRef.parse({ kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: 'A.5.18' });
 * RequirementRef.parse({
 *   kind: 'procedure',
 *   documentId: 'PROC-AC-004',
 *   version: '3.1',
 *   title: 'Access review procedure',
 *   reference: '4.2',
 * });
 * ```
 */
export const RequirementRef = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('standard'),
      /** e.g. `ISO/IEC 27001:2022`, `SOC 2 (2017 TSC)`, `ISO 9001:2015`. */
      framework: text(NAME_TEXT),
      /** Clause or control, e.g. `9.2`, `A.5.18`, `CC6.2`. */
      reference: text(64),
      title: text(NAME_TEXT).optional(),
    }),
    z.strictObject({
      kind: z.literal('procedure'),
      documentId: text(64),
      version: text(32),
      title: text(NAME_TEXT),
      /** Section of the procedure, when one is breached. */
      reference: text(64).optional(),
    }),
  ])
  .meta({
    id: 'RequirementRef',
    description: 'The requirement breached: a clause or control of a standard, or the organisation\'s own procedure with its document id and version.',
  });
/** The requirement a finding breaches. */
export type RequirementRef = z.infer<typeof RequirementRef>;

/**
 * A short, stable key for a requirement (`ISO/IEC 27001:2022 A.5.18`,
 * `PROC-AC-004 v3.1 §4.2`): what reports group recurrences by.
 *
 * @example
 * ```ts
 * import { requirementKey } from 'capa-kit';
 *
 * requirementKey({ kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: '9.2' });
 * // 'ISO/IEC 27001:2022 9.2'
 * ```
 */
export function requirementKey(requirement: RequirementRef): string {
  if (requirement.kind === 'standard') return `${requirement.framework} ${requirement.reference}`;
  const section = requirement.reference === undefined ? '' : ` §${requirement.reference}`;
  return `${requirement.documentId} v${requirement.version}${section}`;
}
