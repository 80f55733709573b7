import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkCsvImport, type CsvImportOptions, importCsv } from '../../log/csv/import.js';
import type { CsvImportMapping } from '../../log/csv/import.js';
import { importLog } from '../../log/import/import-log.js';
import { createCapaRegister } from '../../register/create-register.js';
import { memoryStore } from '../../stores/memory.js';
import { inputFile, readAll, withProgress } from '../input.js';
import { CliExit, type CliIo } from '../io.js';
import { EXIT } from '../exit-codes.js';
import { type OpenedStore, openStore } from '../open-store.js';
import { loadPolicy } from '../policy.js';
import { feedback, type FeedbackOptions } from '../progress.js';
import { describeLocation, parseStoreLocation } from '../store-location.js';

/** What `capa import` was given. */
export interface ImportArgs extends FeedbackOptions {
  readonly file: string;
  readonly store: string;
  readonly format: 'json' | 'csv';
  readonly tenant?: string;
  readonly policy?: string;
  readonly migrate: boolean;
  // CSV only
  readonly mapping?: string;
  readonly actorId?: string;
  readonly actorName?: string;
  readonly actorRoles?: string;
  readonly dates?: 'iso' | 'day-first' | 'month-first';
  readonly validRows: boolean;
  readonly dryRun: boolean;
}

function readMapping(io: CliIo, file: string): CsvImportMapping {
  try {
    return JSON.parse(readFileSync(resolve(io.cwd, file), 'utf8')) as CsvImportMapping;
  } catch (error) {
    throw new CliExit(`--mapping ${file}: ${error instanceof SyntaxError ? 'not JSON' : 'cannot be read'}.`, EXIT.unusable);
  }
}

/**
 * `capa import`: a JSON log into an empty tenant of any store (all or nothing), or a
 * spreadsheet log (CSV) through the register. A SQL store must be there unless
 * `--migrate`; a file store is created when missing. A dry run (CSV) checks the rows
 * against the policy only, and does not open the store.
 */
export async function importCommand(io: CliIo, args: ImportArgs): Promise<number> {
  const location = parseStoreLocation(args.store, io.cwd);
  const input = inputFile(io, args.file);
  if (args.format === 'csv') {
    if (args.tenant === undefined) throw new CliExit('--tenant is required for a CSV import.', EXIT.unusable);
    if (args.actorId === undefined || args.actorName === undefined) {
      throw new CliExit('--actor-id and --actor-name are required for a CSV import: every imported entry is recorded as theirs.', EXIT.unusable);
    }
  } else if (args.file === '-') {
    throw new CliExit('A JSON log is read twice (checked whole, then written): pass a file, not standard input.', EXIT.unusable);
  }
  const policy = args.policy === undefined ? undefined : loadPolicy(io, args.policy);
  const mapping = args.mapping === undefined ? undefined : readMapping(io, args.mapping);
  const shows = feedback(io, args);
  // A dry run writes nothing and reads nothing of the store: it checks the rows in memory.
  const opened: OpenedStore =
    args.format === 'csv' && args.dryRun
      ? { store: memoryStore(), description: describeLocation(location) }
      : await openStore(location, { purpose: 'write', migrate: args.migrate });
  try {
    if (args.format === 'json') {
      const result = await importLog(() => withProgress(shows, input, 'importing'), opened.store, {
        ...(args.tenant === undefined ? {} : { tenant: args.tenant }),
        ...(policy === undefined ? {} : { policy }),
      });
      io.stdout.write(
        `Imported ${result.findings} findings, ${result.actions} corrective actions and ${result.entries} history entries into tenant ${result.tenant} of ${opened.description}.\n` +
          `Log head ${result.head.tenantSequence}:${result.head.hash}${result.warnings.length > 0 ? `; ${result.warnings.length} warnings (run capa validate to list them)` : ''}.\n`,
      );
      return EXIT.ok;
    }
    const options: CsvImportOptions = {
      register: createCapaRegister({ store: opened.store, policy: policy ?? (await import('../../policies/presets/iso27001.js')).iso27001, tenant: args.tenant as string }),
      actor: { id: args.actorId as string, name: args.actorName as string, roles: (args.actorRoles ?? '').split(',').map((role) => role.trim()).filter((role) => role !== '') },
      source: input.name,
      clock: io.now,
      mode: args.validRows ? 'valid-rows' : 'all-or-nothing',
      ...(mapping === undefined ? {} : { mapping }),
      ...(args.dates === undefined ? {} : { dates: args.dates }),
    };
    const bytes = await readAll(shows, input);
    const result = await (args.dryRun ? checkCsvImport : importCsv)(bytes, options);
    const verb = args.dryRun ? 'Would import' : 'Imported';
    io.stdout.write(`${verb} ${result.imported.length} of ${result.rows} rows from ${input.name} into tenant ${args.tenant} of ${opened.description}.\n`);
    for (const skipped of result.skipped) io.stdout.write(`  row ${skipped.row} skipped: ${skipped.problems.map((problem) => `${problem.column ?? problem.field ?? 'row'}: ${problem.message}`).join('; ')}\n`);
    for (const warning of result.warnings) io.stdout.write(`  row ${warning.row}${warning.column === null ? '' : ` (${warning.column})`}: ${warning.message} [${warning.code}]\n`);
    return result.skipped.length > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    await opened.store.close();
  }
}
