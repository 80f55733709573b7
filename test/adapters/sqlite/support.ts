import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import Database from 'better-sqlite3';
import type { SqliteDatabase } from '../../../src/adapters/sqlite/index.js';

// Opening SQLite databases with either driver in throwaway directories, for the tests.

export type Driver = 'better-sqlite3' | 'node:sqlite';

export const DRIVERS: readonly Driver[] = ['better-sqlite3', 'node:sqlite'];

/** Opens (creating) the database file at `path` with a driver. */
export function openDatabase(driver: Driver, path: string): SqliteDatabase {
  return driver === 'better-sqlite3' ? new Database(path) : new DatabaseSync(path);
}

/** A fresh directory per call, all removed by `removeAll` (call it in afterAll). */
export function temporaryDirectories(label: string): { make(): string; removeAll(): void } {
  const made: string[] = [];
  return {
    make() {
      const directory = mkdtempSync(join(tmpdir(), `capa-${label}-`));
      made.push(directory);
      return directory;
    },
    removeAll() {
      for (const directory of made.splice(0)) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A path for a new database file in a fresh directory. */
export const databasePath = (directories: { make(): string }): string => join(directories.make(), 'capa.db');
