import { describe, expect, it } from 'vitest';
import { postgresStore } from '../../../src/adapters/postgres/index.js';
import type { CapaStore } from '../../../src/store/contract.js';
import { runStoreConformance } from '../../../src/testing/index.js';
import { PG_URL, serverDescribe, serverSchema } from './server.js';

// The PostgreSQL adapter against the whole conformance kit on a real server (CAPA_PG_URL):
// every store is a pg pool of its own made from the URL, in this file's schema; `reopen`
// and `connect` open another pool on the same schema (another process, as far as the server
// knows). The kit's tests use fresh random tenants, so they share the schema safely.
serverDescribe('postgres server: conformance', () => {
  const schema = serverSchema();
  const open = async (): Promise<CapaStore> => {
    const store = await postgresStore(PG_URL!, { schema: schema.name, outbox: true });
    await store.migrate();
    return store;
  };
  runStoreConformance({
    name: 'postgres (server)',
    describe,
    it,
    expect,
    createStore: open,
    capabilities: { durable: true, multiProcess: true },
    reopen: open,
    connect: open,
    timeout: 60_000,
  });
});
