import { afterAll, describe, expect, it } from 'vitest';
import { sqliteStore } from '../../../src/adapters/sqlite/index.js';
import type { CapaStore } from '../../../src/store/contract.js';
import { runStoreConformance } from '../../../src/testing/index.js';
import { databasePath, DRIVERS, openDatabase, temporaryDirectories } from './support.js';

// The SQLite adapter against the storage contract's conformance kit, with each driver:
// every test gets a new database file, migrated; `reopen` opens the file again (a restart)
// and `connect` opens a second connection to it (another process, as far as SQLite knows).
const directories = temporaryDirectories('sqlite-conformance');
afterAll(() => directories.removeAll());

for (const driver of DRIVERS) {
  const paths = new WeakMap<CapaStore, string>();
  const open = async (path: string): Promise<CapaStore> => {
    const store = await sqliteStore(openDatabase(driver, path), { closeDatabase: true, outbox: true });
    paths.set(store, path);
    return store;
  };

  runStoreConformance({
    name: `sqlite (${driver})`,
    describe,
    it,
    expect,
    createStore: async () => {
      const store = await open(databasePath(directories));
      await (store as Awaited<ReturnType<typeof sqliteStore>>).migrate();
      return store;
    },
    capabilities: { durable: true, multiProcess: true },
    reopen: async (closed) => open(paths.get(closed)!),
    connect: async (store) => open(paths.get(store)!),
  });
}
