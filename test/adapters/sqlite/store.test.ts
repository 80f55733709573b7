import { DatabaseSync } from 'node:sqlite';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteDriverKind } from '../../../src/adapters/sqlite/database.js';
import { sqliteMigrationSql, sqliteStore, type SqliteDatabase } from '../../../src/adapters/sqlite/index.js';
import { CapaValidationError } from '../../../src/errors/validation-error.js';
import { formatCapaError } from '../../../src/errors/format.js';
import { StoreError, StoreMissingError } from '../../../src/errors/store-errors.js';
import { aBatch, aRecord, aWrite } from '../../../src/testing/fixtures.js';
import { databasePath, DRIVERS, openDatabase, temporaryDirectories } from './support.js';

// The SQLite adapter's own behaviour: the connection settings it applies, its options,
// how it tells the drivers apart, what it claims, and how it fails.
const directories = temporaryDirectories('sqlite-store');
afterAll(() => directories.removeAll());

const pragma = (database: SqliteDatabase, name: string) => Object.values((database.prepare(`PRAGMA ${name}`).all() as Record<string, unknown>[])[0]!)[0];

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe.each(DRIVERS)('sqliteStore with %s', (driver) => {
  it('sets WAL, synchronous NORMAL and a 5000 ms busy timeout on the connection it is given', async () => {
    const database = openDatabase(driver, databasePath(directories));
    const store = await sqliteStore(database);
    expect(pragma(database, 'journal_mode')).toBe('wal');
    expect(pragma(database, 'synchronous')).toBe(1);
    expect(pragma(database, 'busy_timeout')).toBe(5000);
    await store.close();
    database.close();
  });

  it('applies synchronous FULL and the busy timeout it is given', async () => {
    const database = openDatabase(driver, databasePath(directories));
    const store = await sqliteStore(database, { synchronous: 'FULL', busyTimeoutMs: 1234 });
    expect(pragma(database, 'synchronous')).toBe(2);
    expect(pragma(database, 'busy_timeout')).toBe(1234);
    await store.close();
    database.close();
  });

  it('claims multiProcess and durable for a database file, neither in memory', async () => {
    const file = await sqliteStore(openDatabase(driver, databasePath(directories)), { closeDatabase: true });
    expect(file.capabilities).toEqual({ multiProcess: true, durable: true });
    await file.close();
    const memory = await sqliteStore(openDatabase(driver, ':memory:'), { closeDatabase: true });
    expect(memory.capabilities).toEqual({ multiProcess: false, durable: false });
    await memory.migrate();
    expect(await memory.commit(aBatch('acme', [aWrite(aRecord('acme', 'f-1'), 0, 1)]))).toEqual({ tenantSequence: 1 });
    await memory.close();
  });

  it('closes the database only with closeDatabase: true', async () => {
    const isOpen = (database: SqliteDatabase) => {
      try {
        database.prepare('SELECT 1').all();
        return true;
      } catch {
        return false;
      }
    };
    const kept = openDatabase(driver, ':memory:');
    await (await sqliteStore(kept)).close();
    expect(isOpen(kept)).toBe(true);
    kept.close();
    const owned = openDatabase(driver, ':memory:');
    await (await sqliteStore(owned, { closeDatabase: true })).close();
    expect(isOpen(owned)).toBe(false);
  });

  it('a closed store refuses every call with a StoreError; closing twice is fine', async () => {
    const store = await sqliteStore(openDatabase(driver, ':memory:'), { closeDatabase: true });
    await store.migrate();
    await store.close();
    await store.close();
    for (const call of [store.load('acme', ['f-1']), store.commit(aBatch('acme', [])), store.migrate(), store.outbox.read()]) {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as Error).message).toMatch(/The SQLite store is closed/);
    }
  });

  it('a database error becomes a StoreError that says what failed and where, with the cause', async () => {
    const path = databasePath(directories);
    const database = openDatabase(driver, path);
    const store = await sqliteStore(database);
    await store.migrate();
    database.exec('DROP TABLE capa_events');
    const error = await rejection(store.readEvents('acme', 'f-1'));
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'CAPA_STORE', where: `${path}, tables capa_*` });
    expect((error as Error).message).toMatch(/^The SQLite store could not read events: .*no such table/);
    expect((error as Error).cause).toBeInstanceOf(Error);
    await store.close();
    database.close();
  });

  it('mustExist: a database without capa-kit tables is refused with a StoreMissingError and left as it was; one with them opens', async () => {
    const path = databasePath(directories);
    const other = openDatabase(driver, path);
    other.exec('CREATE TABLE notes (body TEXT)');
    const error = await rejection(sqliteStore(other, { mustExist: true, closeDatabase: true }));
    expect(error).toBeInstanceOf(StoreMissingError);
    expect(error).toMatchObject({ code: 'CAPA_STORE_MISSING', where: path });
    expect((error as Error).message).toBe(`No capa store at ${path}: the database has no capa-kit tables (no capa_schema_migrations): migrate() creates them.`);
    // Handed over with closeDatabase, so closed; and not switched to WAL: nothing was written.
    expect(() => other.exec('SELECT 1')).toThrow();
    const check = openDatabase(driver, path);
    expect(pragma(check, 'journal_mode')).toBe('delete');
    expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([{ name: 'notes' }]);
    const migrated = await sqliteStore(check);
    await migrated.migrate();
    await migrated.close();
    const opened = await sqliteStore(check, { mustExist: true });
    expect(await opened.readTenantEvents('acme', 0, 10)).toEqual([]);
    await opened.close();
    check.close();
    expect(await rejection(sqliteStore(openDatabase(driver, ':memory:'), { mustExist: true, closeDatabase: true }))).toMatchObject({ code: 'CAPA_STORE_MISSING', where: ':memory:' });
  });

  it('tells its driver apart by shape', () => {
    const database = openDatabase(driver, ':memory:');
    expect(sqliteDriverKind(database)).toBe(driver);
    database.close();
  });
});

describe('sqliteStore options', () => {
  it('refuses every bad option at once, naming each', async () => {
    const database = new DatabaseSync(':memory:');
    const options = { tablePrefix: 'Capa', synchronous: 'OFF', busyTimeoutMs: -1, outbox: 'yes', closeDatabase: 1 } as never;
    const error = await rejection(sqliteStore(database, options));
    expect(error).toBeInstanceOf(CapaValidationError);
    expect(formatCapaError(error)).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid sqliteStore options
        - tablePrefix: tablePrefix must be a lowercase SQL identifier (^[a-z_][a-z0-9_]*$), not "Capa" [invalid_identifier]
        - synchronous: synchronous must be 'NORMAL' or 'FULL', not OFF [invalid_value]
        - busyTimeoutMs: busyTimeoutMs must be a whole number of milliseconds from 0 to 2147483647, not -1 [invalid_value]
        - outbox: outbox must be true or false, not yes [invalid_type]
        - closeDatabase: closeDatabase must be true or false, not 1 [invalid_type]"
    `);
    database.close();
  });

  it('refuses what is not a SQLite database', async () => {
    for (const database of [null, {}, 'capa.db', { prepare() {}, exec() {} }]) {
      const error = await rejection(sqliteStore(database as never));
      expect(error).toBeInstanceOf(CapaValidationError);
      expect((error as CapaValidationError).issues.map((issue) => issue.path)).toEqual([['database']]);
    }
  });

  it('the printed SQL uses the prefix, and refuses a bad one naming the option', () => {
    expect(sqliteMigrationSql({ tablePrefix: 'audit_' })).toContain('CREATE TABLE "audit_records" (');
    expect(() => sqliteMigrationSql({ tablePrefix: 'audit-' })).toThrow(/tablePrefix must be a lowercase SQL identifier/);
    expect(() => sqliteMigrationSql({ fromVersion: -1 })).toThrow(/fromVersion must be a whole number from 0 to 3/);
  });

  it('the printed SQL (file snapshot: review changes to it like a migration)', async () => {
    await expect(sqliteMigrationSql()).toMatchFileSnapshot('./__snapshots__/migration.sqlite.sql');
  });
});

describe('types', () => {
  it('both drivers fit SqliteDatabase without a cast', () => {
    const fits: SqliteDatabase[] = [new Database(':memory:'), new DatabaseSync(':memory:')];
    for (const database of fits) database.close();
  });
});
