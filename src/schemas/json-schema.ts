import * as z from 'zod';
import { Actor, Person } from './actor.js';
import { Correction } from './correction.js';
import { ActionDraft, CorrectiveAction } from './corrective-action.js';
import { EffectivenessReview } from './effectiveness-review.js';
import { Evidence } from './evidence.js';
import { Finding, RaisedFinding } from './finding.js';
import { HistoryEntry, Signature } from './history-entry.js';
import { SCHEMA_VERSION } from './primitives.js';
import { RootCauseAnalysis } from './root-cause.js';
import { SeverityPolicy } from './severity-policy.js';

/**
 * The record schemas, by name: what the shipped JSON Schema describes.
 *
 * @example
 * ```ts
 * import { recordSchemas } from 'capa-kit/schemas';
 *
 * Object.keys(recordSchemas); // ['Finding', 'RaisedFinding', 'Correction', ...]
 * ```
 */
export const recordSchemas = {
  Finding,
  RaisedFinding,
  Correction,
  RootCauseAnalysis,
  ActionDraft,
  CorrectiveAction,
  EffectivenessReview,
  Evidence,
  Person,
  Actor,
  HistoryEntry,
  Signature,
  SeverityPolicy,
} as const;

/**
 * The JSON Schema (draft 2020-12) of every capa-kit record, generated from the zod
 * schemas with `z.toJSONSchema()`, so that tools outside TypeScript can validate records
 * and logs. The package ships it as `capa-kit/schema.json`.
 *
 * @example
 * ```ts
 * import { buildJsonSchema } from 'capa-kit/schemas';
 *
 * const schema = buildJsonSchema();
 * Object.keys(schema.$defs); // Finding, Correction, ...
 * ```
 */
export function buildJsonSchema(): { $schema: string; $id: string; title: string; $defs: Record<string, unknown> } {
  // One wrapper object: every schema with a `.meta({ id })` is extracted once into
  // `$defs` and referenced as `#/$defs/<id>`, so the document is self-contained.
  const generated = z.toJSONSchema(z.strictObject(recordSchemas), {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  }) as { $defs?: Record<string, unknown> };
  const defs: Record<string, unknown> = { ...generated.$defs };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:capa-kit:schema:${SCHEMA_VERSION}`,
    title: `capa-kit records, schema version ${SCHEMA_VERSION}`,
    $defs: defs,
  };
}
