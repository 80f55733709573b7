import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SqliteDatabase } from '../adapters/sqlite/index.js';
import { isModuleNotFound, MissingPackageError } from '../errors/missing-package.js';
import { StoreError, StoreMissingError } from '../errors/store-errors.js';
import type { CapaStore } from '../store/contract.js';
import { EXIT } from './exit-codes.js';
import { CliExit } from './io.js';
import { describeLocation, type StoreLocation } from './store-location.js';

/** A store named on the command line, opened, and how messages name it. */
export interface OpenedStore {
  readonly store: CapaStore;
  readonly description: string;
}

/**
 * How a command opens its store:
 * - `read`: the store must be there, and nothing is created (every store is opened with
 *   `mustExist`): the path of every command that reads a store;
 * - `write`: `capa import`. A file store is created when missing; a SQL store must be there
 *   unless `migrate`, which creates the SQLite file (in a directory that exists) and the
 *   tables, then applies the migrations;
 * - `migrate`: `capa migrate`. SQL stores only; a SQLite file is created (in a directory that exists).
 */
export type OpenMode = { readonly purpose: 'read' } | { readonly purpose: 'write'; readonly migrate: boolean } | { readonly purpose: 'migrate' };

/** Opens a parsed `--store` location as `mode` says; a store that is not there is a `StoreMissingError`. */
export async function openStore(location: StoreLocation, mode: OpenMode): Promise<OpenedStore> {
  const description = describeLocation(location);
  const mustExist = mode.purpose === 'read' || (mode.purpose === 'write' && !mode.migrate);
  if (location.kind === 'file') {
    if (mode.purpose === 'migrate') throw new CliExit(`${description} has no migrations: only the SQL stores (sqlite:, postgres://) do.`, EXIT.unusable);
    const { fileStore } = await import('../stores/file/index.js');
    return { store: await fileStore(location.directory, { mustExist }), description };
  }
  if (location.kind === 'sqlite') {
    const { sqliteStore } = await import('../adapters/sqlite/index.js');
    const database = await openSqlite(location.path, mustExist);
    const store = await sqliteStore(database, { closeDatabase: true, mustExist }).catch(withCliHint);
    return { store: await migrated(store, mode), description };
  }
  const { postgresStore } = await import('../adapters/postgres/index.js');
  const store = await postgresStore(location.url, { mustExist }).catch((error: unknown) => {
    // The adapter names its own function and "pass a pool"; from the shell it is --store.
    if (error instanceof MissingPackageError) throw new MissingPackageError(error.packageName, '--store postgres://…', { cause: error });
    return withCliHint(error);
  });
  return { store: await migrated(store, mode), description };
}

/** The adapters say `migrate()` creates the tables; from the shell that is a command. */
function withCliHint(error: unknown): never {
  if (error instanceof StoreMissingError) {
    throw new StoreMissingError(error.where, error.reason, { hint: 'capa migrate --store … (or capa import --migrate) creates them', cause: error });
  }
  throw error;
}

/**
 * The one way a command that reads a store opens it: nothing is created, and the tenant
 * must hold records, unless `allowEmpty` (a misspelled tenant is otherwise an empty log
 * that passes).
 */
export async function openStoreForReading(location: StoreLocation, tenant: string, allowEmpty: boolean): Promise<OpenedStore> {
  const opened = await openStore(location, { purpose: 'read' });
  if (!allowEmpty) {
    try {
      if ((await opened.store.readTenantEvents(tenant, 0, 1)).length === 0) {
        throw new CliExit(`Tenant ${JSON.stringify(tenant)} has no records in ${opened.description}: check --tenant (or pass --allow-empty for an empty log).`, EXIT.unusable);
      }
    } catch (error) {
      await opened.store.close();
      throw error;
    }
  }
  return opened;
}

/** With `--migrate` (import) or for `capa migrate`, the SQL store's migrations are applied first. */
async function migrated<T extends CapaStore & { migrate(): Promise<unknown> }>(store: T, mode: OpenMode): Promise<T> {
  if (mode.purpose === 'write' && mode.migrate) {
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

/** What a path is, without following a missing one. */
function kindOf(path: string): 'file' | 'directory' | 'other' | null {
  try {
    const stat = statSync(path);
    return stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other';
  } catch {
    return null;
  }
}

/**
 * Opens a SQLite file with better-sqlite3 when it is installed, else Node's built-in
 * `node:sqlite`. Said before a driver is involved: a directory that does not exist, and
 * (with `mustExist`) a file that does not, so neither driver creates one.
 */
async function openSqlite(path: string, mustExist: boolean): Promise<SqliteDatabase> {
  const directory = dirname(path);
  if (kindOf(directory) !== 'directory') throw new StoreMissingError(path, `the directory ${directory} does not exist`);
  const file = kindOf(path);
  if (file === 'directory') throw new StoreMissingError(path, 'it is a directory, not a SQLite database file');
  if (file === null && mustExist) throw new StoreMissingError(path, 'the file does not exist', { hint: 'capa migrate --store sqlite:PATH (or capa import --migrate) creates one' });
  const open = await sqliteDriver();
  try {
    return open(path, mustExist);
  } catch (error) {
    throw new StoreError(`Cannot open the SQLite database: ${(error as Error).message}`, path, { cause: error });
  }
}

type OpenDatabase = (path: string, mustExist: boolean) => SqliteDatabase;

/** better-sqlite3 when it is installed, else `node:sqlite`; neither is a `MissingPackageError`. */
async function sqliteDriver(): Promise<OpenDatabase> {
  try {
    const { default: Database } = (await import('better-sqlite3')) as { default: new (file: string, options?: { fileMustExist?: boolean }) => SqliteDatabase };
    return (path, mustExist) => new Database(path, { fileMustExist: mustExist });
  } catch (error) {
    if (!isModuleNotFound(error, 'better-sqlite3')) throw error;
  }
  try {
    const { DatabaseSync } = (await import('node:sqlite')) as unknown as { DatabaseSync: new (file: string) => SqliteDatabase };
    return (path) => new DatabaseSync(path);
  } catch (error) {
    if (!isModuleNotFound(error, 'node:sqlite')) throw error;
    throw new MissingPackageError('better-sqlite3', '--store sqlite:PATH', {
      alternative: 'or run capa on Node.js 22.13 or newer, which has node:sqlite built in',
      cause: error,
    });
  }
}
