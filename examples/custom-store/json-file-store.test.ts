// `npx vitest run examples/custom-store`: the storage contract's conformance kit against
// the JSON-file store, as an adapter author runs it. Each test gets a fresh file; the
// store claims `durable`, so the kit also closes it and opens the file again (`reopen`)
// and checks that everything survived.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CapaStore } from 'capa-kit/register';
import { runStoreConformance } from 'capa-kit/testing';
import { jsonFileStore } from './json-file-store.js';

const dir = mkdtempSync(join(tmpdir(), 'capa-json-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const paths = new WeakMap<CapaStore, string>();
let opened = 0;
async function open(path: string): Promise<CapaStore> {
  const store = await jsonFileStore(path);
  paths.set(store, path);
  return store;
}

runStoreConformance({
  name: 'JSON file',
  describe,
  it,
  expect,
  createStore: () => open(join(dir, `store-${(opened += 1)}.json`)),
  capabilities: { durable: true },
  reopen: (closed) => open(paths.get(closed)!),
});
