import { afterAll, describe, expect, it } from 'vitest';
import { sqliteStore } from '../../../src/adapters/sqlite/index.js';
import { StoreBusyError } from '../../../src/errors/store-errors.js';
import { aBatch, aRecord, aWrite } from '../../../src/testing/fixtures.js';
import { databasePath, DRIVERS, openDatabase, temporaryDirectories } from './support.js';

// When another connection holds the write lock longer than the busy timeout, writes fail
// with a StoreBusyError and write nothing; reads go on (WAL).
const directories = temporaryDirectories('sqlite-busy');
afterAll(() => directories.removeAll());

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe.each(DRIVERS)('a write lock held by another connection (%s)', (driver) => {
  it('makes writes fail with StoreBusyError after the busy timeout; reads go on; nothing is written', async () => {
    const path = databasePath(directories);
    const store = await sqliteStore(openDatabase(driver, path), { busyTimeoutMs: 50, closeDatabase: true });
    await store.migrate();
    await store.commit(aBatch('acme', [aWrite(aRecord('acme', 'f-1'), 0, 1)]));
    const holder = openDatabase(driver, path);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const started = performance.now();
      const error = await rejection(store.commit(aBatch('acme', [aWrite(aRecord('acme', 'f-2'), 0, 1)], { key: 'k', result: 1 })));
      expect(performance.now() - started).toBeGreaterThanOrEqual(40);
      expect(error).toBeInstanceOf(StoreBusyError);
      expect(error).toMatchObject({ code: 'CAPA_STORE_BUSY', where: `${path}, tables capa_*` });
      expect((error as Error).message).toMatch(/locked by another writer for 50 ms \(busyTimeoutMs\); nothing was written/);
      expect((error as Error).cause).toBeInstanceOf(Error);
      for (const write of [store.nextReference('acme', 'finding'), store.outbox.acknowledge([1]), store.migrate()]) {
        expect(await rejection(write)).toBeInstanceOf(StoreBusyError);
      }
      expect((await store.load('acme', ['f-1'])).map((record) => record.version)).toEqual([1]);
      expect((await store.query('acme', { filter: { kind: 'finding' }, limit: 10 })).records.map((record) => record.id)).toEqual(['f-1']);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(await store.idempotentResult('acme', 'k')).toBeUndefined();
    expect(await store.commit(aBatch('acme', [aWrite(aRecord('acme', 'f-2'), 0, 1)], { key: 'k', result: 1 }))).toEqual({ tenantSequence: 2 });
    expect(await store.nextReference('acme', 'finding')).toBe(1);
    await store.close();
  });
});
