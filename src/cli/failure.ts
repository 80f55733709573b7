import { CommanderError } from 'commander';
import { isCapaError } from '../errors/capa-error.js';
import { CAPA_ERROR_CODES } from '../errors/codes.js';
import { formatCapaError } from '../errors/format.js';
import { CsvImportError } from '../log/csv/import-error.js';
import { LogImportError } from '../log/import/import-log.js';
import { EXIT } from './exit-codes.js';
import { CliExit } from './io.js';

// Every way a command can stop early, turned into the exit-code table's verdict and the
// text a person reads on stderr: in one place, so no command decides on its own.

/**
 * 1 when the input itself was judged and failed (a log refused for its errors, a
 * spreadsheet refused for bad rows); 2 for everything that kept the command from running:
 * usage, a store or tenant that is not right, a bad policy, a missing package, a store
 * that failed, a bug.
 */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CliExit) return error.exitCode;
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.unusable;
  if (error instanceof CsvImportError) return EXIT.failed;
  // A log refused for what it holds failed; one refused only for where it was to go (a
  // tenant that is not empty or not the log's, a source that changed) could not be imported.
  if (error instanceof LogImportError) return error.report.issues.some((issue) => !issue.code.startsWith('import-')) ? EXIT.failed : EXIT.unusable;
  return EXIT.unusable;
}

/** What stderr says about a failure (nothing for commander's own, which it printed): one line (a capa-kit error may list its issues below it); the stack only with `--debug`. */
export function describeFailure(error: unknown, debug: boolean): string {
  // Commander has said it already (the usage error and the help hint), or printed the help.
  if (error instanceof CommanderError) return '';
  const stack = debug && error instanceof Error && error.stack !== undefined ? `\n${error.stack}` : '';
  if (error instanceof CliExit) return `capa: ${error.message}${stack}\n`;
  if (isCapaError(error)) {
    // The adapter says "call migrate()"; from the shell that is a command.
    const hint = error.code === CAPA_ERROR_CODES.storeSchema ? '\n(From the command line: capa migrate --store …, or capa import --migrate.)' : '';
    return `capa: ${formatCapaError(error)}${hint}${stack}\n`;
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}`.split('\n')[0] : String(error);
  return `capa: internal failure: ${message}${debug ? stack : ' (run again with --debug for the stack)'}\n`;
}
