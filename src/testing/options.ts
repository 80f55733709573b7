import type { CapaStore, StoreCapabilities } from '../store/contract.js';

/**
 * The test runner's `describe`, typed as little as the kit needs so that vitest's, jest's
 * and mocha's all fit.
 *
 * @example
 * ```ts
 * import { describe } from 'vitest';
 * import type { ConformanceDescribe } from 'capa-kit/testing';
 *
 * const group: ConformanceDescribe = describe;
 * ```
 */
export type ConformanceDescribe = (name: string, body: () => void) => unknown;

/**
 * The test runner's `it` (or `test`): a name, an async body, and a timeout in milliseconds.
 * vitest's and jest's both fit.
 *
 * @example
 * ```ts
 * import { it } from 'vitest';
 * import type { ConformanceIt } from 'capa-kit/testing';
 *
 * const test: ConformanceIt = it;
 * ```
 */
export type ConformanceIt = (name: string, body: () => Promise<void>, timeout?: number) => unknown;

/**
 * The two matchers the kit uses. Both throw on a mismatch, with the runner's own diff.
 *
 * @example
 * ```ts
 * import type { ConformanceMatchers } from 'capa-kit/testing';
 *
 * const matchers: ConformanceMatchers = {
 *   toBe(expected) { if (!Object.is(expected, 1)) throw new Error('not 1'); },
 *   toEqual(expected) { if (JSON.stringify(expected) !== '1') throw new Error('not 1'); },
 * };
 * ```
 */
export interface ConformanceMatchers {
  /** Same value (`Object.is`). */
  toBe(expected: unknown): void;
  /** Deep equality. */
  toEqual(expected: unknown): void;
}

/**
 * The test runner's `expect`, called with one argument only (jest refuses a second), so
 * that vitest's and jest's both fit. The kit adds what it was checking to the message of
 * a failure, and keeps the runner's diff.
 *
 * @example
 * ```ts
 * import { expect } from 'vitest';
 * import type { ConformanceExpect } from 'capa-kit/testing';
 *
 * const assert: ConformanceExpect = expect;
 * ```
 */
export type ConformanceExpect = (actual: unknown) => ConformanceMatchers;

/**
 * The groups of the conformance kit, one file and one suite function each. The contract
 * groups run by default; `durability` and `connections` run their tests for the
 * capabilities the store is said to have, and otherwise one test each that the store does
 * not have them either (see {@link StoreConformanceOptions.capabilities}).
 *
 * @example
 * ```ts
 * import type { ConformanceGroup } from 'capa-kit/testing';
 *
 * const slow: ConformanceGroup[] = ['content', 'queries'];
 * ```
 */
export type ConformanceGroup =
  | 'roundTrip'
  | 'concurrency'
  | 'batches'
  | 'atomicity'
  | 'tenantIsolation'
  | 'queries'
  | 'content'
  | 'references'
  | 'idempotency'
  | 'durability'
  | 'connections';

/**
 * How to run the conformance kit against a store: the runner's functions, a factory of
 * fresh stores, and what to switch on or off.
 *
 * Every test gets its own store from `createStore` and closes it when it ends (passed or
 * failed). Tests also use fresh, random tenant ids, so a factory that hands out stores
 * over one shared database still gives independent tests.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { memoryStore } from 'capa-kit/register';
 * import { runStoreConformance, type StoreConformanceOptions } from 'capa-kit/testing';
 *
 * const options: StoreConformanceOptions = {
 *   name: 'memory',
 *   describe,
 *   it,
 *   expect,
 *   createStore: async () => memoryStore(),
 *   groups: { content: false },
 *   runs: 50,
 * };
 * runStoreConformance(options);
 * ```
 */
export interface StoreConformanceOptions {
  /** The store's name, shown in the outer `describe`. */
  readonly name: string;
  /** The runner's `describe`. */
  readonly describe: ConformanceDescribe;
  /** The runner's `it` or `test`. */
  readonly it: ConformanceIt;
  /** The runner's `expect`. */
  readonly expect: ConformanceExpect;
  /** A fresh store for one test. The kit calls `close()` on it when the test ends. */
  readonly createStore: () => Promise<CapaStore>;
  /** Groups to switch off: `{ content: false }`. Every contract group runs by default. */
  readonly groups?: Partial<Record<ConformanceGroup, boolean>>;
  /**
   * What the kit may assume beyond the contract; omitted flags are `false`. `durable: true`
   * runs the `durability` group and needs `reopen`; `multiProcess: true` runs the
   * `connections` group and needs `connect`. The claim must match `store.capabilities`,
   * and the kit checks that it does, both ways: a flag left out while the store declares
   * it (or claimed while the store does not) fails the group's test instead of skipping
   * it, and a store that claims no durability must keep nothing once closed.
   */
  readonly capabilities?: Partial<StoreCapabilities>;
  /**
   * Opens again the data of a store the kit has just closed, as a restarted process
   * would (the `durability` group).
   */
  readonly reopen?: (closed: CapaStore) => Promise<CapaStore>;
  /**
   * Opens a second, independent connection to the same data as `store`, as another
   * process would (the `connections` group).
   */
  readonly connect?: (store: CapaStore) => Promise<CapaStore>;
  /** Runs per property test (random data sets and filters). Default 30. */
  readonly runs?: number;
  /** The fast-check seed, to replay a failure it reported. */
  readonly seed?: number;
  /** Each test's timeout in milliseconds, passed to `it`. Default 30 000. */
  readonly timeout?: number;
}

/** The options with every default filled in: what the suites read. */
export interface ResolvedOptions {
  readonly name: string;
  readonly describe: ConformanceDescribe;
  readonly it: ConformanceIt;
  readonly expect: ConformanceExpect;
  readonly createStore: () => Promise<CapaStore>;
  readonly groups: Partial<Record<ConformanceGroup, boolean>>;
  readonly capabilities: StoreCapabilities;
  readonly reopen: ((closed: CapaStore) => Promise<CapaStore>) | undefined;
  readonly connect: ((store: CapaStore) => Promise<CapaStore>) | undefined;
  readonly runs: number;
  readonly seed: number | undefined;
  readonly timeout: number;
}

const PREFIX = 'capa-kit/testing';

/** Fills in the defaults and refuses options that cannot work, before any test is registered. */
export function resolveOptions(options: StoreConformanceOptions): ResolvedOptions {
  const capabilities: StoreCapabilities = {
    multiProcess: options.capabilities?.multiProcess ?? false,
    durable: options.capabilities?.durable ?? false,
  };
  if (capabilities.durable && options.reopen === undefined) {
    throw new TypeError(`${PREFIX}: capabilities.durable needs a reopen(store) option to test it.`);
  }
  if (capabilities.multiProcess && options.connect === undefined) {
    throw new TypeError(`${PREFIX}: capabilities.multiProcess needs a connect(store) option to test it.`);
  }
  const runs = options.runs ?? 30;
  if (!Number.isInteger(runs) || runs < 1) throw new TypeError(`${PREFIX}: runs must be a positive integer, not ${runs}.`);
  return {
    name: options.name,
    describe: options.describe,
    it: options.it,
    expect: options.expect,
    createStore: options.createStore,
    groups: options.groups ?? {},
    capabilities,
    reopen: options.reopen,
    connect: options.connect,
    runs,
    seed: options.seed,
    timeout: options.timeout ?? 30_000,
  };
}
