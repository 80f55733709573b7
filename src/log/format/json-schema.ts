import { jsonSchemaDefs } from '../../schemas/json-schema.js';
import { LOG_FORMAT, LogHeader, LoggedAction, LoggedEntry, LoggedFinding, LogLine, LogTrailer } from './lines.js';

/**
 * The JSON Schema (draft 2020-12) of one line of a capa-kit log, generated from the zod
 * schemas with `z.toJSONSchema()`: the document validates a line (`$ref` to `LogLine`),
 * and `$defs` holds each line type (`LogHeader`, `LoggedFinding`, `LoggedAction`,
 * `LogTrailer`) and every record schema they use, so tools outside TypeScript can check a
 * log line by line. The package ships it as `capa-kit/log.schema.json`.
 *
 * The schema checks each line on its own; what spans lines (order, hash chains, the log
 * head, lifecycle replay) is what `validateLog` adds.
 *
 * @example
 * ```ts
 * import { buildLogJsonSchema } from 'capa-kit/log';
 *
 * const schema = buildLogJsonSchema();
 * Object.keys(schema.$defs); // LogLine, LogHeader, LoggedFinding, LoggedAction, LogTrailer, Finding, ...
 * ```
 */
export function buildLogJsonSchema(): { $schema: string; $id: string; title: string; description: string; $ref: string; $defs: Record<string, unknown> } {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `urn:capa-kit:log:${LOG_FORMAT}`,
    title: `capa-kit Nonconformity and Corrective Action Log, format ${LOG_FORMAT} (one line)`,
    description:
      'A capa-kit log is JSON Lines: line 1 is a LogHeader, then one LoggedFinding or LoggedAction per record in ascending id order, then a LogTrailer. This schema validates one line.',
    $ref: '#/$defs/LogLine',
    $defs: jsonSchemaDefs({ LogLine, LogHeader, LoggedFinding, LoggedAction, LoggedEntry, LogTrailer }),
  };
}
