import { StoreMissingError } from '../../errors/store-errors.js';
import { type ErrorContext, translateError } from './errors.js';
import type { SqlTables } from './identifiers.js';
import { schemaVersionProgram } from './migrations.js';
import type { SqlRunner } from './program.js';

// `mustExist`, shared by both SQL adapters: a database without capa-kit tables is not a
// capa store, and opening one must not make it look like an empty store. Checked when the
// store is opened, before anything is written (SQLite's journal mode included).

/**
 * Refuses a database that holds no capa-kit tables with a `StoreMissingError` naming
 * `place`. Tables at another schema version are a store all the same: their
 * `StoreSchemaError` comes with the first call, as without `mustExist`.
 */
export async function requireExistingStore(context: ErrorContext, runner: SqlRunner, tables: SqlTables, place: string): Promise<void> {
  let version: number | null;
  try {
    version = await runner.run(schemaVersionProgram(context.dialect, tables), 'autocommit');
  } catch (error) {
    throw translateError(context, 'read its schema version', error);
  }
  if (version === null) {
    throw new StoreMissingError(place, `the database has no capa-kit tables (no ${tables.unquoted('schema_migrations')})`, { hint: 'migrate() creates them' });
  }
}
