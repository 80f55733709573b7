/**
 * The record schemas (zod v4) and the errors they throw, without the machine.
 *
 * @example
 * ```ts
 * import { Finding, parseRecord } from 'capa-kit/schemas';
 * ```
 *
 * @packageDocumentation
 * @module capa-kit/schemas
 */
export * from './index.js';
// The JSON Schema generator stays on this subpath: zod's JSON Schema code is a quarter of
// the core bundle, and most hosts read the shipped capa-kit/schema.json instead.
export { buildJsonSchema, recordSchemas } from './json-schema.js';
export * from '../errors/index.js';
