import * as z from 'zod';
import { Actor, Person } from './actor.js';
import { Correction } from './correction.js';
import { ActionDraft, CorrectiveAction } from './corrective-action.js';
import { EffectivenessReview } from './effectiveness-review.js';
import { Evidence } from './evidence.js';
import { Finding, RaisedFinding } from './finding.js';
import { HistoryEntry, Signature } from './history-entry.js';
import { portablePattern } from './portable-pattern.js';
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
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:capa-kit:schema:${SCHEMA_VERSION}`,
    title: `capa-kit records, schema version ${SCHEMA_VERSION}`,
    $defs: jsonSchemaDefs(recordSchemas),
  };
}

/**
 * The `$defs` of a published JSON Schema (draft 2020-12) for `schemas`: one wrapper object,
 * so every schema with a `.meta({ id })` is extracted once into `$defs` and referenced as
 * `#/$defs/<id>`, and the document is self-contained. Every `pattern` is rewritten to read
 * the same in ECMAScript and Python validators (see portable-pattern.ts).
 * @internal
 */
export function jsonSchemaDefs(schemas: Record<string, z.ZodType>): Record<string, unknown> {
  const generated = z.toJSONSchema(z.strictObject(schemas), {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  }) as { $defs?: Record<string, unknown> };
  const defs: Record<string, unknown> = { ...generated.$defs };
  // A string under the key "pattern" is the keyword (a property named "pattern" holds a schema object).
  const stack: unknown[] = [defs];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'pattern' && typeof value === 'string') (node as Record<string, unknown>)[key] = portablePattern(value);
      else stack.push(value);
    }
  }
  return defs;
}
