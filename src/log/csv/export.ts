import { stringify } from 'csv-stringify/sync';
import * as z from 'zod';
import { atInput } from '../../schemas/input.js';
import { parseRecord } from '../../schemas/parse.js';
import type { CorrectiveAction } from '../../schemas/corrective-action.js';
import type { Finding } from '../../schemas/finding.js';
import type { SeverityPolicy } from '../../schemas/severity-policy.js';
import { TimeZone } from '../../schemas/severity-policy.js';
import { type LogInput, recordLines, type SourceContext } from '../reports/source.js';
import { CSV_COLUMN_IDS, type CsvColumnId, CSV_COLUMNS, rowCells } from './columns.js';
import { neutraliseFormula } from './neutralise.js';

/**
 * How {@link exportCsv} writes the log.
 *
 * @example
 * ```ts
 * import type { CsvExportOptions } from 'capa-kit/log';
 *
 * // For Excel in a locale that separates with semicolons, with a BOM so it reads UTF-8.
 * const excel: CsvExportOptions = { bom: true, delimiter: ';' };
 * ```
 */
export interface CsvExportOptions {
  /** Which columns, in which order. Default: every column of `CSV_COLUMNS`. */
  readonly columns?: readonly CsvColumnId[];
  /** Headers to write instead of the default ones (another language, your template's words). */
  readonly headers?: Partial<Record<CsvColumnId, string>>;
  /** Start with a UTF-8 byte-order mark, so that Excel reads the file as UTF-8. Default: false. */
  readonly bom?: boolean;
  /** The field separator. Default: `,`. */
  readonly delimiter?: ',' | ';' | '\t';
  /** Grade labels come from this policy. Default: the log header's; without either, grade ids. */
  readonly policy?: SeverityPolicy;
  /** The zone dates are written in. Default: the policy's, else UTC. */
  readonly timeZone?: string;
}

const CsvExportOptionsSchema = z.strictObject({
  columns: z
    .array(z.enum(CSV_COLUMN_IDS))
    .min(1)
    .refine((ids) => new Set(ids).size === ids.length, { error: 'Each column is listed once' })
    .optional(),
  headers: z.partialRecord(z.enum(CSV_COLUMN_IDS), z.string().min(1).max(200)).optional(),
  bom: z.boolean().default(false),
  delimiter: z.enum([',', ';', '\t']).default(','),
  policy: z.custom<SeverityPolicy>((value) => typeof value === 'object' && value !== null, { error: 'Must be a severity policy' }).optional(),
  // An option, so trimmed as the register's inputs are.
  timeZone: atInput(TimeZone).optional(),
});

/**
 * Writes the Nonconformity and Corrective Action Log as CSV: one row per finding, with the
 * columns an auditor reads (see `CSV_COLUMNS` and docs/csv.md), as text chunks: the header
 * row first (after the byte-order mark when `bom` is set), then one chunk per finding.
 * Nothing here needs Node: write the chunks to a file, an HTTP response or a `Blob`.
 *
 * RFC 4180 through csv-stringify: CRLF between records, every non-empty field in double
 * quotes, quotes doubled. Formula injection is neutralised first (OWASP; ASVS 5.0
 * V1.2.10) whichever of comma, semicolon or tab the spreadsheet splits rows on: wherever
 * a cell can start (the start of a value, and after each `,`, `;`, tab or line break in
 * it, past blanks and double quotes), a formula trigger gets a `'` in front (see
 * {@link neutraliseFormula}), which the CSV import removes again.
 *
 * Corrective actions are their own log lines, linked from each finding by
 * `correctiveActionIds`, and the log is in record id order, so an action may come before
 * or after its findings. The export keeps every action it reads (actions are few) and:
 * - given a function that opens the source (`() => LogInput`), reads it twice: first the
 *   actions only, then the findings, writing each row as it reads it, in log order. No
 *   finding is held in memory.
 * - given a source, reads it once: a finding whose actions have all been read is written at
 *   once; one whose actions come later waits for them. Rows are in log order except that a
 *   waiting finding is written when its last action arrives. An action id not in the log
 *   is written as `(id: not in the log)` once the log ends.
 *
 * @example
 * ```ts
 * import { createWriteStream } from 'node:fs';
 * import { exportCsv, type LogInput } from 'capa-kit/log';
 *
 * declare const openLog: () => LogInput;
 * const out = createWriteStream('nc-log.csv');
 * for await (const chunk of exportCsv(openLog, { bom: true })) out.write(chunk);
 * out.end();
 * ```
 */
export function exportCsv(source: LogInput | (() => LogInput), options: CsvExportOptions = {}): AsyncGenerator<string, void, undefined> {
  const parsed = parseRecord(CsvExportOptionsSchema, options, 'CSV export options');
  const columns: readonly CsvColumnId[] = parsed.columns ?? CSV_COLUMN_IDS;
  const headerCells = columns.map((id) => parsed.headers?.[id] ?? CSV_COLUMNS.find((column) => column.id === id)!.header);
  const write = (cells: readonly string[]) => csvRecord(cells, parsed.delimiter);
  return generate(source, parsed, columns, headerCells, write);
}

/**
 * One CSV record as the export writes it: each cell neutralised (`neutralise`, by default
 * {@link neutraliseFormula}), then RFC 4180 through csv-stringify: every non-empty field
 * in double quotes, quotes doubled, CRLF at the end.
 */
export function csvRecord(cells: readonly string[], delimiter: ',' | ';' | '\t', neutralise: (cell: string) => string = neutraliseFormula): string {
  return stringify([cells.map(neutralise)], { delimiter, record_delimiter: 'windows', quoted: true, eof: true });
}

async function* generate(
  source: LogInput | (() => LogInput),
  parsed: z.output<typeof CsvExportOptionsSchema>,
  columns: readonly CsvColumnId[],
  headerCells: readonly string[],
  write: (cells: readonly string[]) => string,
): AsyncGenerator<string, void, undefined> {
  yield `${parsed.bom ? '\uFEFF' : ''}${write(headerCells)}`;
  const context: SourceContext = { header: null };
  const actions = new Map<string, CorrectiveAction>();
  const policyOf = () => parsed.policy ?? context.header?.policy ?? null;
  const zoneOf = () => parsed.timeZone ?? policyOf()?.timeZone ?? 'UTC';
  const row = (finding: Finding) =>
    write(
      rowCells(
        { finding, actions: finding.correctiveActionIds.map((id) => actions.get(id) ?? id), policy: policyOf(), timeZone: zoneOf() },
        columns,
      ),
    );

  if (typeof source === 'function') {
    for await (const line of recordLines(source(), context)) if (line.type === 'action') actions.set(line.action.id, line.action);
    for await (const line of recordLines(source(), context)) if (line.type === 'finding') yield row(line.finding);
    return;
  }

  // One pass: findings wait for actions not read yet.
  const waiting = new Map<string, { finding: Finding; missing: Set<string> }>();
  const waitingFor = new Map<string, Set<string>>();
  for await (const line of recordLines(source, context)) {
    if (line.type === 'action') {
      actions.set(line.action.id, line.action);
      const findingIds = waitingFor.get(line.action.id);
      if (findingIds === undefined) continue;
      waitingFor.delete(line.action.id);
      for (const findingId of findingIds) {
        const entry = waiting.get(findingId)!;
        entry.missing.delete(line.action.id);
        if (entry.missing.size === 0) {
          waiting.delete(findingId);
          yield row(entry.finding);
        }
      }
      continue;
    }
    const missing = new Set(line.finding.correctiveActionIds.filter((id) => !actions.has(id)));
    if (missing.size === 0) {
      yield row(line.finding);
      continue;
    }
    waiting.set(line.finding.id, { finding: line.finding, missing });
    for (const id of missing) {
      const set = waitingFor.get(id) ?? new Set<string>();
      set.add(line.finding.id);
      waitingFor.set(id, set);
    }
  }
  for (const { finding } of waiting.values()) yield row(finding);
}
