// The store's logic never talks to a database: it is written as programs, generators that
// yield the statements they need and receive the rows back. A runner drives a program
// against a database: synchronously for SQLite, so that a transaction never yields to the
// event loop halfway (another connection in the same thread would then wait on a lock
// that cannot be released), and asynchronously for PostgreSQL.

/** One row, column name to value, as the driver returns it. */
export type SqlRow = Readonly<Record<string, unknown>>;

/** One statement and its parameters. */
export interface SqlStatement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/**
 * The store's logic for one operation: yields statements, receives their rows, returns
 * the result. A driver error is thrown into the program at the `yield` that caused it, so
 * the program can translate it (a duplicate key into a `ConcurrencyError`).
 */
export type SqlProgram<T> = Generator<SqlStatement, T, readonly SqlRow[]>;

/** Whether a program runs in one write transaction, or each statement on its own. */
export type RunMode = 'autocommit' | 'transaction';

/** Runs programs against one database. */
export interface SqlRunner {
  run<T>(program: SqlProgram<T>, mode: RunMode): Promise<T>;
  close(): Promise<void>;
}

/** Drives a program with a synchronous executor, to the end, without yielding to the event loop. */
export function driveSync<T>(program: SqlProgram<T>, execute: (statement: SqlStatement) => readonly SqlRow[]): T {
  let step = program.next();
  while (step.done !== true) {
    let rows: readonly SqlRow[];
    try {
      rows = execute(step.value);
    } catch (error) {
      step = program.throw(error);
      continue;
    }
    step = program.next(rows);
  }
  return step.value;
}

/** Drives a program with an asynchronous executor. */
export async function driveAsync<T>(program: SqlProgram<T>, execute: (statement: SqlStatement) => Promise<readonly SqlRow[]>): Promise<T> {
  let step = program.next();
  while (step.done !== true) {
    let rows: readonly SqlRow[];
    try {
      rows = await execute(step.value);
    } catch (error) {
      step = program.throw(error);
      continue;
    }
    step = program.next(rows);
  }
  return step.value;
}
