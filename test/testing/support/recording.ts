import { expect } from 'vitest';
import { type CapaStore, STORE_CONTRACT_VERSION } from '../../../src/store/contract.js';
import { MemoryState } from '../../../src/stores/memory.js';
import type { StoreConformanceOptions } from '../../../src/testing/index.js';

// How the kit's own tests run it: its suites registered with a recording describe/it, the
// tests run one after another and their failures collected, against stores over a
// MemoryState (some broken on purpose).

export type Suite = (options: StoreConformanceOptions) => void;

export interface Recorded {
  readonly name: string;
  readonly run: () => Promise<void>;
}

/** Registers a suite with a recording describe/it and returns its tests, not yet run. */
export function record(suite: Suite, createStore: () => Promise<CapaStore>, extra: Partial<StoreConformanceOptions> = {}): Recorded[] {
  const tests: Recorded[] = [];
  const path: string[] = [];
  suite({
    name: 'probe',
    describe: (name, body) => {
      path.push(name);
      try {
        body();
      } finally {
        path.pop();
      }
    },
    it: (name, body) => {
      tests.push({ name: [...path, name].join(' > '), run: body });
    },
    expect,
    createStore,
    runs: 12,
    seed: 20260302,
    ...extra,
  });
  return tests;
}

/** Runs recorded tests one after another; returns the failures by name, with their errors. */
export async function failures(tests: readonly Recorded[]): Promise<Map<string, unknown>> {
  const failed = new Map<string, unknown>();
  for (const test of tests) {
    try {
      await test.run();
    } catch (error) {
      failed.set(test.name, error);
    }
  }
  return failed;
}

/** Every fragment names at least one failed test. */
export function expectFailing(failed: Map<string, unknown>, fragments: readonly string[]): void {
  const names = [...failed.keys()];
  for (const fragment of fragments) {
    expect(names.filter((name) => name.includes(fragment)), `a failing test about "${fragment}" (failed: ${names.join(' | ') || 'none'})`).not.toEqual([]);
  }
}

export const copy = <T>(value: T): T => structuredClone(value);

/** A store over a `MemoryState`, like `memoryStore()`, with some methods replaced: the base of the broken stores. */
export function storeOver(state: MemoryState, patch: (state: MemoryState) => Partial<CapaStore> = () => ({})): CapaStore {
  const base: CapaStore = {
    contractVersion: STORE_CONTRACT_VERSION,
    capabilities: { multiProcess: false, durable: false },
    load: async (tenantId, ids) => copy(state.load(tenantId, ids)),
    commit: async (batch) => {
      state.check(batch);
      return state.apply(copy(batch));
    },
    readEvents: async (tenantId, recordId, after) => copy(state.readEvents(tenantId, recordId, after)),
    readTenantEvents: async (tenantId, after, limit) => copy(state.readTenantEvents(tenantId, after, limit)),
    query: async (tenantId, request) => copy(state.query(tenantId, request)),
    nextReference: async (tenantId, kind) => state.nextReference(tenantId, kind),
    idempotentResult: async (tenantId, key) => copy(state.idempotentResult(tenantId, key)),
    close: async () => {},
  };
  return { ...base, ...patch(state) };
}

export const factory = (patch?: (state: MemoryState) => Partial<CapaStore>) => async () => storeOver(new MemoryState(), patch);

/** A correct store over a fresh MemoryState. */
export const healthy = factory();
