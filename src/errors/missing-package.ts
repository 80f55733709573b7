import { CapaError } from './capa-error.js';
import { CAPA_ERROR_CODES } from './codes.js';

/**
 * An optional package that capa-kit loads only when a feature needs it (`pg` for a
 * PostgreSQL connection string, `better-sqlite3` for the CLI's SQLite stores, `fast-check`
 * for the conformance kit's property tests) is not installed. `install` is the command
 * that fixes it.
 *
 * @example
 * ```ts
 * import { isCapaError, MissingPackageError } from 'capa-kit';
 *
 * const error = new MissingPackageError('pg', 'postgresStore(connectionString)');
 * error.message; // 'postgresStore(connectionString) needs the package "pg", which is not installed: npm install pg'
 * isCapaError(error, 'CAPA_MISSING_PACKAGE'); // true
 * ```
 */
export class MissingPackageError extends CapaError {
  /** The package's name on npm. */
  readonly packageName: string;
  /** The command that installs it, e.g. `npm install pg` or `npm install --save-dev fast-check`. */
  readonly install: string;

  constructor(packageName: string, feature: string, options: { dev?: boolean; alternative?: string; cause?: unknown } = {}) {
    const install = `npm install ${options.dev === true ? '--save-dev ' : ''}${packageName}`;
    super(
      CAPA_ERROR_CODES.missingPackage,
      `${feature} needs the package "${packageName}", which is not installed: ${install}${options.alternative === undefined ? '' : ` (${options.alternative})`}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.packageName = packageName;
    this.install = install;
  }
}

/**
 * True when `error` is the module loader saying that `specifier` itself cannot be found
 * (not installed), as ES modules (`ERR_MODULE_NOT_FOUND`), `require` (`MODULE_NOT_FOUND`)
 * and a built-in this Node does not have (`ERR_UNKNOWN_BUILTIN_MODULE`) say it. A package
 * that is installed but fails to load (a broken native binding, a missing dependency of
 * its own) is not "not installed", and is left to surface as it is.
 */
export function isModuleNotFound(error: unknown, specifier: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND' && code !== 'ERR_UNKNOWN_BUILTIN_MODULE') return false;
  if (typeof message !== 'string') return false;
  // "Cannot find package 'pg' imported from …", "Cannot find module 'pg'", "No such built-in module: node:sqlite".
  return message.includes(`'${specifier}'`) || message.includes(`"${specifier}"`) || message.endsWith(` ${specifier}`);
}
