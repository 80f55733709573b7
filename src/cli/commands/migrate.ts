import { postgresMigrationSql } from '../../adapters/postgres/index.js';
import { sqliteMigrationSql } from '../../adapters/sqlite/index.js';
import { CliExit, type CliIo, EXIT } from '../io.js';
import { openStore } from '../open-store.js';

/** What `capa migrate` was given. */
export interface MigrateArgs {
  readonly store?: string;
  readonly print?: 'sqlite' | 'postgres';
}

/**
 * `capa migrate`: applies the SQL store's migrations (`--store`), or prints their SQL for
 * teams that run migrations themselves (`--print sqlite|postgres`).
 */
export async function migrateCommand(io: CliIo, args: MigrateArgs): Promise<number> {
  if ((args.store === undefined) === (args.print === undefined)) {
    throw new CliExit('Give either --store (apply the migrations) or --print sqlite|postgres (print their SQL).', EXIT.unusable);
  }
  if (args.print !== undefined) {
    io.stdout.write(args.print === 'sqlite' ? sqliteMigrationSql() : postgresMigrationSql());
    return EXIT.ok;
  }
  const opened = await openStore(io, args.store as string, false);
  try {
    const migrate = (opened.store as { migrate?: () => Promise<{ from: number; to: number }> }).migrate;
    if (migrate === undefined) throw new CliExit(`${opened.description} has no migrations: only the SQL stores do.`, EXIT.unusable);
    const { from, to } = await migrate.call(opened.store);
    io.stdout.write(from === to ? `${opened.description} is at schema version ${to}: nothing to do.\n` : `${opened.description}: schema version ${from} -> ${to}.\n`);
    return EXIT.ok;
  } finally {
    await opened.store.close();
  }
}
