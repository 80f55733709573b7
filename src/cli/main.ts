import { Command, Option } from 'commander';
import { GENERATOR } from '../log/format/generator.js';
import { exportCommand } from './commands/export.js';
import { importCommand } from './commands/import.js';
import { migrateCommand } from './commands/migrate.js';
import { reportCommand } from './commands/report.js';
import { schemaCommand } from './commands/schema.js';
import { validateCommand } from './commands/validate.js';
import { EXIT, exitCodesHelp } from './exit-codes.js';
import { describeFailure, exitCodeOf } from './failure.js';
import type { CliIo } from './io.js';
import { STORE_FORMS } from './store-location.js';

/** `--quiet` and `--no-progress`, on every command that shows progress. */
function withFeedbackOptions(command: Command): Command {
  return command.option('--no-progress', 'do not show progress, even on a terminal').option('-q, --quiet', 'no progress and no notes on stderr (errors still show)', false);
}

/**
 * Runs the `capa` command line with these arguments (without `node` and the script) and
 * returns the exit code (the table in exit-codes.ts, printed by `--help`). Every failure
 * is a message on stderr and a code, never a stack trace unless `--debug`: typed
 * capa-kit errors are formatted, usage errors print the command's help hint.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('capa')
    .description('The Nonconformity and Corrective Action Log (ISO/IEC 27001:2022 Clause 10.2): validate, export, import and report.')
    .version(GENERATOR.version, '-V, --version')
    .option('--debug', 'on an internal failure, print the stack too', false)
    .exitOverride()
    .configureOutput({ writeOut: (text) => void io.stdout.write(text), writeErr: (text) => void io.stderr.write(text) })
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('afterAll', `\n${exitCodesHelp()}\n`);
  const store = () => new Option('--store <store>', `where the log lives: ${STORE_FORMS}`).makeOptionMandatory();

  withFeedbackOptions(program.command('validate'))
    .description('Check a JSON log: schema, hash chains, log head, signatures, lifecycle replay and the auditor rules. The exit code is the verdict (below).')
    .argument('<file>', 'the log (JSON Lines), or - for standard input')
    .option('--as-of <date>', 'judge overdue and stale findings as of this date or instant (default: now)')
    .option('--policy <policy>', 'iso27001, soc2 or a policy JSON file (default: the policy in the log)')
    .option('--trusted-head <head>', 'a log head saved earlier, SEQUENCE:HASH (or a bare HASH: the log head at its end)')
    .addOption(new Option('--format <format>', 'text for people, json for scripts').choices(['text', 'json']).default('text'))
    .option('--strict', 'fail on warnings too', false)
    .action(async (file: string, options) => {
      code = await validateCommand(io, { file, ...options });
    });

  program
    .command('schema')
    .description('Print the JSON Schema of a log line (JSON Lines: header, findings, corrective actions, trailer).')
    .option('--records', 'print the schema of every record instead', false)
    .action(async (options) => {
      code = await schemaCommand(io, options);
    });

  withFeedbackOptions(program.command('export'))
    .description("Export a tenant's log from a store: the JSON log (streamed) or CSV for spreadsheets.")
    .addOption(store())
    .requiredOption('--tenant <tenant>', 'the tenant (organisation) to export')
    .option('--policy <policy>', "the register's policy: iso27001, soc2 or a policy JSON file", 'iso27001')
    .option('--organisation <name>', "the organisation's name, for the log header")
    .addOption(new Option('--format <format>', 'json (the log) or csv').choices(['json', 'csv']).default('json'))
    .option('--bom', 'start the CSV with a UTF-8 byte-order mark (for spreadsheet apps)', false)
    .option('--out <file>', 'write here instead of standard output')
    .option('--allow-empty', 'export a tenant that has no records (without it: exit 2, as for a misspelled tenant)', false)
    .action(async (options) => {
      code = await exportCommand(io, options);
    });

  withFeedbackOptions(program.command('import'))
    .description('Import a JSON log into an empty tenant of a store (all or nothing), or a spreadsheet log (CSV) through the register.')
    .argument('<file>', 'the log or spreadsheet (CSV may be - for standard input)')
    .addOption(store())
    .addOption(new Option('--format <format>', 'json (a capa log) or csv (a spreadsheet log)').choices(['json', 'csv']).default('json'))
    .option('--tenant <tenant>', "the tenant (JSON: default the log's own; CSV: required)")
    .option('--policy <policy>', 'iso27001, soc2 or a policy JSON file (JSON: default the log\'s; CSV: default iso27001)')
    .option('--migrate', 'SQL stores: create the tables (and a new SQLite file) or apply their migrations first', false)
    .option('--mapping <file>', 'CSV: a JSON file mapping fields to column headers')
    .option('--actor-id <id>', 'CSV: who imports (recorded on every entry)')
    .option('--actor-name <name>', "CSV: the importer's name")
    .option('--actor-roles <roles>', "CSV: the importer's roles, comma-separated")
    .addOption(new Option('--dates <style>', 'CSV: how non-ISO dates are written').choices(['iso', 'day-first', 'month-first']))
    .option('--valid-rows', 'CSV: import the valid rows and list the others (default: all or nothing)', false)
    .option('--dry-run', 'CSV: check every row and write nothing', false)
    .action(async (file: string, options) => {
      code = await importCommand(io, { file, ...options });
    });

  program
    .command('migrate')
    .description("Apply a SQL store's migrations, or print their SQL for teams that run migrations themselves.")
    .option('--store <store>', 'the SQL store to migrate: sqlite:PATH or postgres://…')
    .addOption(new Option('--print <dialect>', 'print the migration SQL instead').choices(['sqlite', 'postgres']))
    .action(async (options) => {
      code = await migrateCommand(io, options);
    });

  withFeedbackOptions(program.command('report'))
    .description('Reports from a JSON log: the management-review input (Clause 9.3) and the risk feedback (Clause 6).')
    .argument('<file>', 'the log (JSON Lines), or - for standard input')
    .addOption(new Option('--kind <kind>', 'which report').choices(['management-review', 'risk-feedback', 'both']).default('both'))
    .option('--from <date>', 'management review: first day of the period, YYYY-MM-DD (default: twelve months before --to)')
    .option('--to <date>', 'management review: last day of the period, YYYY-MM-DD (default: today)')
    .option('--as-of <date>', 'the instant both reports are measured at (default: the end of the period, or now if it has not ended)')
    .option('--within-days <days>', 'risk feedback: the window', '365')
    .option('--more-than <count>', 'risk feedback: recurring means more than this many findings', '2')
    .option('--policy <policy>', 'iso27001, soc2 or a policy JSON file (default: the policy in the log)')
    .addOption(new Option('--format <format>', 'json, markdown or a self-contained html page').choices(['json', 'markdown', 'html']).default('markdown'))
    .option('--out <file>', 'write here instead of standard output')
    .action(async (file: string, options) => {
      code = await reportCommand(io, { file, ...options });
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    io.stderr.write(describeFailure(error, program.opts<{ debug?: boolean }>().debug === true || argv.includes('--debug')));
    return exitCodeOf(error);
  }
}
