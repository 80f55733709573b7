import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CapaStore } from '../../src/store/contract.js';
import { fileStore } from '../../src/stores/file/index.js';
import { runStoreConformance } from '../../src/testing/index.js';

// The file store against the storage contract's conformance kit, durability included: each
// test gets a store in a fresh directory, and `reopen` opens that directory again.
const directories = new WeakMap<CapaStore, string>();
const created: string[] = [];

afterAll(() => {
  for (const directory of created) rmSync(directory, { recursive: true, force: true });
});

async function open(directory: string): Promise<CapaStore> {
  const store = await fileStore(directory);
  directories.set(store, directory);
  return store;
}

runStoreConformance({
  name: 'file',
  describe,
  it,
  expect,
  createStore: async () => {
    const directory = mkdtempSync(join(tmpdir(), 'capa-file-conformance-'));
    created.push(directory);
    return open(directory);
  },
  capabilities: { durable: true },
  reopen: async (closed) => open(directories.get(closed)!),
});
