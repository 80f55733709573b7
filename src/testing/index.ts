/**
 * The conformance kit of the storage contract: run it against your `CapaStore` adapter
 * inside your own test runner (vitest, jest) to check that it keeps records and events
 * exactly, commits atomically against expected versions, isolates tenants, answers
 * queries as the contract says, and hands out unique references. Its property tests
 * need `fast-check` (an optional peer dependency, loaded when they run).
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { memoryStore } from 'capa-kit/register';
 * import { runStoreConformance } from 'capa-kit/testing';
 *
 * runStoreConformance({ name: 'memory', describe, it, expect, createStore: async () => memoryStore() });
 * ```
 *
 * @packageDocumentation
 * @module capa-kit/testing
 */
export { runStoreConformance, CONFORMANCE_SUITES } from './run.js';
export type {
  StoreConformanceOptions,
  ConformanceGroup,
  ConformanceDescribe,
  ConformanceIt,
  ConformanceExpect,
  ConformanceMatchers,
} from './options.js';
export { roundTripSuite } from './round-trip.js';
export { concurrencySuite } from './concurrency.js';
export { batchSuite } from './batches.js';
export { atomicitySuite } from './atomicity.js';
export { tenantIsolationSuite } from './tenant-isolation.js';
export { querySuite, FILTER_EXAMPLES, filterExampleRecords } from './queries.js';
export { contentSuite } from './content.js';
export { referenceSuite } from './references.js';
export { idempotencySuite } from './idempotency.js';
export { durabilitySuite } from './durability.js';
export { connectionsSuite } from './connections.js';
export { oracleQuery } from './oracle.js';
