import { driveSync, type RunMode, type SqlProgram, type SqlRow, type SqlRunner, type SqlStatement } from '../sql/program.js';
import type { SqliteDatabase, SqliteStatement } from './database.js';

// Both SQLite drivers are synchronous, and so is this runner: a program runs from BEGIN to
// COMMIT without giving the event loop a turn, so no other call in this process can slip
// into its transaction or wait on its lock. Other processes wait on the write lock through
// the busy timeout.

/** Prepared statements kept per SQL text; the oldest are dropped past this many. */
const STATEMENT_CACHE_SIZE = 200;

export interface SqliteRunnerOptions {
  /** Close the database when the runner closes. */
  readonly closeDatabase: boolean;
}

export function sqliteRunner(database: SqliteDatabase, options: SqliteRunnerOptions): SqlRunner {
  const statements = new Map<string, SqliteStatement>();

  function prepared(sql: string): SqliteStatement {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = database.prepare(sql);
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      statements.set(sql, statement);
    }
    return statement;
  }

  function execute({ sql, params }: SqlStatement): readonly SqlRow[] {
    const statement = prepared(sql);
    // better-sqlite3's all() refuses statements that return no rows; node:sqlite's returns [].
    if (statement.reader === false) {
      statement.run(...params);
      return [];
    }
    return statement.all(...params) as SqlRow[];
  }

  function inTransaction<T>(program: SqlProgram<T>): T {
    // IMMEDIATE takes the write lock now, waiting up to the busy timeout: no deadlock
    // later between two readers that both want to write.
    database.exec('BEGIN IMMEDIATE');
    let result: T;
    try {
      result = driveSync(program, execute);
      database.exec('COMMIT');
    } catch (error) {
      try {
        database.exec('ROLLBACK');
      } catch {
        // no transaction left to roll back (a failed COMMIT may have ended it)
      }
      throw error;
    }
    return result;
  }

  return {
    async run<T>(program: SqlProgram<T>, mode: RunMode): Promise<T> {
      return mode === 'transaction' ? inTransaction(program) : driveSync(program, execute);
    },
    async close() {
      statements.clear();
      if (options.closeDatabase) database.close();
    },
  };
}
