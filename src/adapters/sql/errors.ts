import { isCapaError } from '../../errors/capa-error.js';
import { StoreBusyError, StoreError } from '../../errors/store-errors.js';
import type { SqlDialect } from './dialect.js';

// Whatever a driver throws leaves the store as a capa-kit error: the contract's refusals
// and RangeErrors as they are, a lock held too long as a StoreBusyError, anything else as
// a StoreError that keeps the driver's error as its cause.

/** How a store names itself and its database in its errors. */
export interface ErrorContext {
  readonly dialect: SqlDialect;
  /** `SQLite` or `PostgreSQL`. */
  readonly database: string;
  /** Where the data is: a file, or the schema and prefix. */
  readonly where: string;
  /** What a busy error says: how long the store waited, and what to change. */
  readonly busyMessage: string;
}

export function translateError(context: ErrorContext, operation: string, error: unknown): unknown {
  if (isCapaError(error) || error instanceof RangeError) return error;
  if (context.dialect.isBusy(error)) return new StoreBusyError(context.busyMessage, context.where, { cause: error });
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreError(`The ${context.database} store could not ${operation}: ${reason}`, context.where, { cause: error });
}
