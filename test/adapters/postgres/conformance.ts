import type { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import type { CapaStore } from '../../../src/store/contract.js';
import { CONFORMANCE_SUITES, type ConformanceGroup, runStoreConformance } from '../../../src/testing/index.js';
import { pgliteDatabases } from './support.js';

/**
 * Runs some groups of the conformance kit against the PostgreSQL adapter on PGlite: each
 * test gets a clone of a migrated database; `reopen` and `connect` open another store over
 * the same clone (PGlite is one connection, so "another process" shares it). The kit is
 * split over two files so that vitest runs the halves side by side: a clone per test
 * (about half a second) is most of their time.
 */
export function pgliteConformance(groups: readonly ConformanceGroup[]): void {
  const databases = pgliteDatabases({ outbox: true });
  const clones = new WeakMap<CapaStore, PGlite>();
  const open = async (database: PGlite): Promise<CapaStore> => {
    const store = await databases.store(database);
    clones.set(store, database);
    return store;
  };
  const all = Object.keys(CONFORMANCE_SUITES) as ConformanceGroup[];
  runStoreConformance({
    name: `postgres (PGlite): ${groups.join(', ')}`,
    describe,
    it,
    expect,
    createStore: async () => open(await databases.fresh()),
    groups: Object.fromEntries(all.filter((group) => !groups.includes(group)).map((group) => [group, false])),
    capabilities: { durable: true, multiProcess: true },
    reopen: async (closed) => open(clones.get(closed)!),
    connect: async (store) => open(clones.get(store)!),
    timeout: 120_000,
  });
}
