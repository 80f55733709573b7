import * as z from 'zod';
import { Person } from './actor.js';
import { Instant, NAME_TEXT, SHORT_TEXT, Sha256, schemaVersionField, text } from './primitives.js';

/**
 * The kinds of evidence an auditor accepts.
 *
 * @example
 * ```ts
 * import { EVIDENCE_KINDS } from 'capa-kit';
 *
 * // The options of an evidence form's "kind" select.
 * const options = EVIDENCE_KINDS.map((kind) => ({ value: kind, label: kind.replace('-', ' ') }));
 * ```
 */
export const EVIDENCE_KINDS = ['document', 'record', 'screenshot', 'test-result', 'training-record', 'link', 'other'] as const;

/**
 * Something verifiable: an updated procedure, a training record, a screenshot of a
 * completed review, a re-test result. `location` is a URI or a document id; `sha256`
 * pins the exact bytes when the host has them.
 *
 * @example
 * ```ts
 * import { Evidence } from 'capa-kit';
 *
 * const evidence = Evidence.parse({
 *   schemaVersion: 1,
 *   kind: 'document',
 *   title: 'Leaver procedure v4 with IT confirmation step',
 *   location: 'DOC-ISMS-012 v4',
 *   collectedBy: { id: 'u-17', name: 'Priya Shah' },
 *   collectedAt: '2026-04-02T10:00:00Z',
 * });
 * ```
 */
export const Evidence = z
  .strictObject({
    schemaVersion: schemaVersionField,
    kind: z.enum(EVIDENCE_KINDS),
    title: text(NAME_TEXT),
    location: text(2048),
    sha256: Sha256.optional(),
    description: text(SHORT_TEXT).optional(),
    collectedBy: Person,
    collectedAt: Instant,
  })
  .meta({ id: 'Evidence', description: 'Something verifiable that supports a record: a document, record, screenshot, test result, training record or link.' });
/** Something verifiable that supports a record. */
export type Evidence = z.infer<typeof Evidence>;
