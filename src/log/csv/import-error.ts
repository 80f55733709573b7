import { CapaValidationError } from '../../errors/validation-error.js';
import type { FindingStatus } from '../../schemas/status.js';
import type { CsvImportField } from './import-fields.js';

/**
 * A bad cell, row or column of a spreadsheet import: the spreadsheet row (the header is
 * row 1, as a spreadsheet numbers it), the text line the row starts on (they differ when
 * a cell holds line breaks), the column's header, the field it maps to, the rule that
 * failed and a sentence.
 *
 * @example
 * ```ts
 * import type { CsvImportProblem } from 'capa-kit/log';
 *
 * const where = (p: CsvImportProblem) => `row ${p.row}${p.column === null ? '' : `, column "${p.column}"`}: ${p.message} (${p.code})`;
 * ```
 */
export interface CsvImportProblem {
  readonly row: number;
  readonly line: number | null;
  readonly column: string | null;
  readonly field: CsvImportField | null;
  /** The rule, e.g. `required`, `date.invalid`, `grade.unknown`, `too_big`, `finding.detectedBeforeRaised`. */
  readonly code: string;
  readonly message: string;
  /** The cell's text (first 200 characters), when a cell is at fault. */
  readonly value?: string;
}

/**
 * Something an import did, or could not carry over, that a person should read: the row
 * (1 for the header), the column when one is concerned, a stable code and a sentence.
 *
 * @example
 * ```ts
 * import type { CsvImportWarning } from 'capa-kit/log';
 *
 * const closedInSheet = (warnings: readonly CsvImportWarning[]) => warnings.filter((w) => w.code === 'status.notCarried');
 * ```
 */
export interface CsvImportWarning {
  readonly row: number;
  readonly column: string | null;
  /** e.g. `status.notCarried`, `lifecycle.stopped`, `due.recomputed`, `cell.formulaLike`, `column.unmapped`. */
  readonly code: string;
  readonly message: string;
}

/**
 * One spreadsheet row as imported: the finding it became (its id and register reference;
 * `null` in a check, which writes nothing), the spreadsheet's own reference, where the
 * lifecycle got to, and what could not be carried over.
 *
 * @example
 * ```ts
 * import type { ImportedRow } from 'capa-kit/log';
 *
 * const mapping = (rows: readonly ImportedRow[]) => new Map(rows.map((r) => [r.originalReference ?? `row ${r.row}`, r.reference]));
 * ```
 */
export interface ImportedRow {
  readonly row: number;
  readonly line: number;
  readonly findingId: string | null;
  readonly reference: string | null;
  readonly originalReference: string | null;
  readonly status: FindingStatus;
  readonly notCarriedOver: readonly string[];
}

/**
 * A spreadsheet import was refused (nothing was written: every problem of every row is
 * in `problems`), or was interrupted by the register after some rows were committed
 * (`imported` lists them, `cause` says why; run the same import again to resume, its
 * idempotency keys skip what was done).
 *
 * @example
 * ```ts
 * import { CsvImportError, importCsv } from 'capa-kit/log';
 * import type { CapaRegister } from 'capa-kit/register';
 *
 * declare const register: CapaRegister;
 * declare const csv: string;
 * try {
 *   await importCsv(csv, { register, actor: { id: 'u-lee', name: 'Lee Park', roles: ['isms-manager'] } });
 * } catch (error) {
 *   if (error instanceof CsvImportError) for (const p of error.problems) console.log(p.row, p.column, p.code, p.message);
 * }
 * ```
 */
export class CsvImportError extends CapaValidationError {
  /** Every problem, by row. */
  readonly problems: readonly CsvImportProblem[];
  /** The warnings gathered before the import stopped. */
  readonly warnings: readonly CsvImportWarning[];
  /** Rows committed before an interruption; empty when the import was refused before writing. */
  readonly imported: readonly ImportedRow[];

  constructor(
    problems: readonly CsvImportProblem[],
    options: { warnings?: readonly CsvImportWarning[]; imported?: readonly ImportedRow[]; cause?: unknown } = {},
  ) {
    super(
      'CSV import',
      problems.map((problem) => ({
        path: ['rows', problem.row, ...(problem.column === null ? [] : [problem.column])],
        code: problem.code,
        message: problem.message,
      })),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.problems = problems;
    this.warnings = options.warnings ?? [];
    this.imported = options.imported ?? [];
  }
}
