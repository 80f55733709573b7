import { afterAll } from 'vitest';
import { sqliteMigrationSql, sqliteStore, type SqliteDatabase, type SqliteStatement } from '../../../src/adapters/sqlite/index.js';
import type { SqlHarness, TestDatabase } from '../sql/adapter-suite.js';
import { databasePath, type Driver, openDatabase, temporaryDirectories } from './support.js';

/** A database object that records every statement it runs (its SQL, each time it runs). */
function recording(database: SqliteDatabase, statements: string[]): SqliteDatabase {
  const wrapped: SqliteDatabase = {
    prepare(sql) {
      const statement = database.prepare(sql);
      const record: SqliteStatement = {
        all: (...params) => {
          statements.push(sql);
          return statement.all(...params);
        },
        run: (...params) => {
          statements.push(sql);
          return statement.run(...params);
        },
        ...(statement.reader === undefined ? {} : { reader: statement.reader }),
      };
      return record;
    },
    exec(sql) {
      statements.push(sql);
      return database.exec(sql);
    },
    close: () => database.close(),
  };
  // Keep what tells the drivers apart and where the file is.
  const extra: Record<string, unknown> = {};
  for (const key of ['pragma', 'memory', 'name'] as const) if (key in database) extra[key] = database[key];
  if (typeof database.location === 'function') extra.location = () => database.location!();
  return Object.assign(wrapped, extra);
}

/** The shared adapter suites' harness over SQLite files opened with `driver`. */
export function sqliteHarness(driver: Driver): SqlHarness {
  const directories = temporaryDirectories(`sqlite-${driver.replace(':', '-')}`);
  const opened: SqliteDatabase[] = [];
  afterAll(() => {
    for (const database of opened.splice(0)) database.close();
    directories.removeAll();
  });
  return {
    migrationSql: (options) => sqliteMigrationSql(options),
    isControlStatement: (sql) => /^(SELECT|PRAGMA|BEGIN|COMMIT|ROLLBACK)\b/.test(sql),
    async fresh(): Promise<TestDatabase> {
      const path = databasePath(directories);
      const raw = openDatabase(driver, path);
      opened.push(raw);
      const statements: string[] = [];
      return {
        statements,
        open: (options = {}) => sqliteStore(recording(openDatabase(driver, path), statements), { ...options, closeDatabase: true }),
        query: async (sql) => raw.prepare(sql).all() as Record<string, unknown>[],
        exec: async (script) => void raw.exec(script),
        async objects(prefix) {
          const rows = raw.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all() as { type: string; name: string; sql: string }[];
          return rows.filter((row) => row.name.startsWith(prefix)).map((row) => `${row.type} ${row.name}: ${row.sql}`);
        },
        table: (prefix, name) => `"${prefix}${name}"`,
      };
    },
  };
}
