/**
 * Severity policies: presets, validation and due dates, without the machine.
 *
 * @example
 * ```ts
 * import { defineSeverityPolicy, iso27001 } from 'capa-kit/policies';
 * ```
 *
 * @packageDocumentation
 * @module capa-kit/policies
 */
export * from './index.js';
