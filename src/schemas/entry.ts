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
export * from '../errors/index.js';
