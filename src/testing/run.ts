import { atomicitySuite } from './atomicity.js';
import { batchSuite } from './batches.js';
import { concurrencySuite } from './concurrency.js';
import { connectionsSuite } from './connections.js';
import { contentSuite } from './content.js';
import { durabilitySuite } from './durability.js';
import { idempotencySuite } from './idempotency.js';
import { type ConformanceGroup, resolveOptions, type StoreConformanceOptions } from './options.js';
import { querySuite } from './queries.js';
import { referenceSuite } from './references.js';
import { roundTripSuite } from './round-trip.js';
import { tenantIsolationSuite } from './tenant-isolation.js';

/**
 * Every group of the kit and the suite that registers it, in the order they run.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { memoryStore } from 'capa-kit/register';
 * import { CONFORMANCE_SUITES } from 'capa-kit/testing';
 *
 * // Only the groups about writing:
 * for (const group of ['batches', 'atomicity'] as const) {
 *   CONFORMANCE_SUITES[group]({ name: 'memory', describe, it, expect, createStore: async () => memoryStore() });
 * }
 * ```
 */
export const CONFORMANCE_SUITES: Readonly<Record<ConformanceGroup, (options: StoreConformanceOptions) => void>> = {
  roundTrip: roundTripSuite,
  concurrency: concurrencySuite,
  batches: batchSuite,
  atomicity: atomicitySuite,
  tenantIsolation: tenantIsolationSuite,
  queries: querySuite,
  content: contentSuite,
  references: referenceSuite,
  idempotency: idempotencySuite,
  durability: durabilitySuite,
  connections: connectionsSuite,
};

/**
 * Runs the whole storage-contract conformance kit against a store, inside the test
 * runner's own `describe`/`it`/`expect`: every contract group, plus `durability` and
 * `connections` for the capabilities claimed in `options.capabilities` (a claim that
 * disagrees with `store.capabilities`, either way, fails). Switch a group off with
 * `groups: { name: false }`. Each test gets a fresh store from `createStore` and closes
 * it; tests share nothing and can run in any order.
 *
 * Needs `fast-check` (an optional peer dependency of capa-kit) for its property tests. It
 * is loaded when the first one runs: without it, those tests fail with a
 * `MissingPackageError` giving the install command, and the others run.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { memoryStore } from 'capa-kit/register';
 * import { runStoreConformance } from 'capa-kit/testing';
 *
 * runStoreConformance({ name: 'memory', describe, it, expect, createStore: async () => memoryStore() });
 * ```
 */
export function runStoreConformance(options: StoreConformanceOptions): void {
  const resolved = resolveOptions(options);
  resolved.describe(`capa-kit store conformance: ${resolved.name}`, () => {
    for (const [group, suite] of Object.entries(CONFORMANCE_SUITES) as [ConformanceGroup, (options: StoreConformanceOptions) => void][]) {
      if (resolved.groups[group] === false) continue;
      suite(options);
    }
  });
}
