import { resolve } from 'node:path';
import type { CapaStore } from '../store/contract.js';
import { CliExit, type CliIo, EXIT } from './io.js';

/** A store named on the command line, opened, with what to do once the command is done. */
export interface OpenedStore {
  readonly store: CapaStore;
  readonly description: string;
}

/** Store URLs the CLI knows, for `--help` and messages. */
export const STORE_FORMS = 'a directory (file store), sqlite:PATH, or postgres://USER:PASSWORD@HOST/DATABASE';

const missing = (module: string, form: string) =>
  new CliExit(`--store ${form} needs the optional package "${module}": npm install ${module}`, EXIT.unusable);

/**
 * Opens `--store`: `postgres://` or `postgresql://` URLs with the PostgreSQL adapter
 * (`pg`), `sqlite:PATH` with the SQLite adapter (better-sqlite3 when installed, else
 * Node's built-in `node:sqlite`), anything else as the directory of a file store. With
 * `migrate`, the SQL stores' migrations are applied first.
 */
export async function openStore(io: CliIo, spec: string, migrate: boolean): Promise<OpenedStore> {
  if (/^postgres(ql)?:\/\//.test(spec)) {
    const { postgresStore } = await import('../adapters/postgres/index.js');
    const store = await postgresStore(spec).catch((error: unknown) => {
      if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') throw missing('pg', 'postgres://…');
      throw error;
    });
    if (migrate) await store.migrate();
    return { store, description: `PostgreSQL ${new URL(spec).host}${new URL(spec).pathname}` };
  }
  if (spec.startsWith('sqlite:')) {
    const path = resolve(io.cwd, spec.slice('sqlite:'.length));
    const { sqliteStore } = await import('../adapters/sqlite/index.js');
    const store = await sqliteStore(await openSqlite(path), { closeDatabase: true });
    if (migrate) await store.migrate();
    return { store, description: `SQLite ${path}` };
  }
  const directory = resolve(io.cwd, spec);
  const { fileStore } = await import('../stores/file/index.js');
  return { store: await fileStore(directory), description: `file store ${directory}` };
}

async function openSqlite(path: string): Promise<import('../adapters/sqlite/index.js').SqliteDatabase> {
  try {
    const { default: Database } = (await import('better-sqlite3')) as { default: new (file: string) => import('../adapters/sqlite/index.js').SqliteDatabase };
    return new Database(path);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
  }
  try {
    const { DatabaseSync } = await import('node:sqlite');
    return new DatabaseSync(path) as unknown as import('../adapters/sqlite/index.js').SqliteDatabase;
  } catch {
    throw missing('better-sqlite3', 'sqlite:PATH (this Node has no node:sqlite either)');
  }
}
