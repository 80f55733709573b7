import { postgresMigrationSql } from '../../adapters/postgres/index.js';
import { sqliteMigrationSql } from '../../adapters/sqlite/index.js';
import type { SqlStore } from '../../adapters/sql/store.js';
import { EXIT } from '../exit-codes.js';
import { CliExit, type CliIo } from '../io.js';
import { openStore } from '../open-store.js';
import { parseStoreLocation } from '../store-location.js';

/** What `capa migrate` was given. */
export interface MigrateArgs {
  readonly store?: string;
  readonly print?: 'sqlite' | 'postgres';
}

/**
 * `capa migrate`: applies the SQL store's migrations (`--store`), or prints their SQL for
 * teams that run migrations themselves (`--print sqlite|postgres`). A file store is
 * refused before anything is opened; a new SQLite file is created only in a directory
 * that exists.
 */
export async function migrateCommand(io: CliIo, args: MigrateArgs): Promise<number> {
  if ((args.store === undefined) === (args.print === undefined)) {
    throw new CliExit('Give either --store (apply the migrations) or --print sqlite|postgres (print their SQL).', EXIT.unusable);
  }
  if (args.print !== undefined) {
    io.stdout.write(args.print === 'sqlite' ? sqliteMigrationSql() : postgresMigrationSql());
    return EXIT.ok;
  }
  const opened = await openStore(parseStoreLocation(args.store as string, io.cwd), { purpose: 'migrate' });
  try {
    const { from, to } = await (opened.store as SqlStore).migrate();
    io.stdout.write(from === to ? `${opened.description} is at schema version ${to}: nothing to do.\n` : `${opened.description}: schema version ${from} -> ${to}.\n`);
    return EXIT.ok;
  } finally {
    await opened.store.close();
  }
}
