import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CapaStore } from '../../src/store/contract.js';
import { fileStore } from '../../src/stores/file/index.js';
import { MemoryState, memoryStore } from '../../src/stores/memory.js';
import { connectionsSuite, durabilitySuite, runStoreConformance, type StoreConformanceOptions } from '../../src/testing/index.js';
import { failures, healthy, record, storeOver, type Suite } from './support/recording.js';

// The capability groups: they run for what a store is claimed to have, and a claim that
// disagrees with the store, either way, fails instead of skipping tests in silence.
describe('capabilities: the durability and connections groups', () => {
  it('refuses a claimed capability without the hook to test it', () => {
    expect(() => record(runStoreConformance, healthy, { capabilities: { durable: true } })).toThrow(/reopen/);
    expect(() => record(runStoreConformance, healthy, { capabilities: { multiProcess: true } })).toThrow(/connect/);
  });

  it('a claim that disagrees with the store fails, both ways, saying what to change', async () => {
    const declaring = (capabilities: { durable: boolean; multiProcess: boolean }) => async () => ({ ...(await healthy()), capabilities });
    const message = async (suite: Suite, createStore: () => Promise<CapaStore>, extra: Partial<StoreConformanceOptions> = {}) => {
      const failed = await failures(record(suite, createStore, extra));
      expect(failed.size).toBe(1);
      return String([...failed.values()][0]);
    };
    // Less than it has: the durability and connections tests would be skipped.
    expect(await message(durabilitySuite, declaring({ durable: true, multiProcess: false }))).toMatch(
      /store\.capabilities\.durable is true, but the run does not claim it, so the durability tests would be skipped: pass capabilities: \{ durable: true \} and a reopen\(store\)/,
    );
    expect(await message(connectionsSuite, declaring({ durable: false, multiProcess: true }))).toMatch(/store\.capabilities\.multiProcess is true, but the run does not claim it/);
    // More than it has.
    const claimBoth = { capabilities: { durable: true, multiProcess: true }, reopen: async (closed: CapaStore) => ({ ...closed }), connect: async (store: CapaStore) => ({ ...store }) };
    expect(await message(durabilitySuite, declaring({ durable: false, multiProcess: false }), claimBoth)).toMatch(/the run claims capabilities\.durable: true, but store\.capabilities\.durable is false/);
    expect(await message(connectionsSuite, declaring({ durable: false, multiProcess: false }), claimBoth)).toMatch(/the run claims capabilities\.multiProcess: true, but store\.capabilities\.multiProcess is false/);
  });

  it('a store that declares no durability but keeps its data once closed fails, found through createStore or reopen', async () => {
    const shared = new MemoryState();
    const keeps = async () => storeOver(shared);
    for (const extra of [{}, { reopen: keeps }]) {
      const failed = await failures(record(durabilitySuite, keeps, extra));
      expect(String([...failed.values()][0])).toMatch(/came back through (a store from createStore\(\)|reopen\(store\)): the store keeps its data, so it is durable/);
    }
    expect((await failures(record(durabilitySuite, healthy, { reopen: healthy }))).size).toBe(0);
  });

  it('the file store (durable) run without the claim fails instead of skipping its durability tests', async () => {
    const root = mkdtempSync(join(tmpdir(), 'capa-kit-claims-'));
    try {
      const failed = await failures(record(durabilitySuite, async () => fileStore(mkdtempSync(join(root, 'store-')))));
      expect(String([...failed.values()][0])).toMatch(/store\.capabilities\.durable is true, but the run does not claim it/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('the durability group passes a store that keeps its data and fails one that forgets it', async () => {
    const durable = async () => {
      const store = memoryStore();
      return { ...store, capabilities: { multiProcess: false, durable: true } };
    };
    const options = { capabilities: { durable: true }, reopen: async (closed: CapaStore) => ({ ...closed }) };
    expect([...(await failures(record(durabilitySuite, durable, options))).keys()]).toEqual([]);
    const forgetful = { ...options, reopen: async () => durable() };
    expect((await failures(record(durabilitySuite, durable, forgetful))).size).toBe(1);
  });

  it('the connections group passes connections over shared data and fails separate ones', async () => {
    const shared = async () => {
      const store = memoryStore();
      return { ...store, capabilities: { multiProcess: true, durable: false } };
    };
    const options = { capabilities: { multiProcess: true }, connect: async (store: CapaStore) => ({ ...store }) };
    expect([...(await failures(record(connectionsSuite, shared, options))).keys()]).toEqual([]);
    const separate = { ...options, connect: async () => shared() };
    expect((await failures(record(connectionsSuite, shared, separate))).size).toBe(5);
  });
});
