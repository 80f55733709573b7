import { parse } from 'csv-parse/sync';
import * as z from 'zod';
import { CapaTransitionError } from '../../errors/transition-error.js';
import { CapaValidationError, type ValidationIssue } from '../../errors/validation-error.js';
import { hashJson } from '../../history/hash.js';
import { type CapaRegister, createCapaRegister } from '../../register/create-register.js';
import type { CommandInput } from '../../register/inputs.js';
import { Actor, type Person } from '../../schemas/actor.js';
import type { Correction } from '../../schemas/correction.js';
import type { Evidence } from '../../schemas/evidence.js';
import type { Finding } from '../../schemas/finding.js';
import { atInput } from '../../schemas/input.js';
import { parseRecord } from '../../schemas/parse.js';
import { LONG_TEXT, NAME_TEXT } from '../../schemas/primitives.js';
import type { RequirementRef } from '../../schemas/requirement-ref.js';
import type { RootCauseAnalysis } from '../../schemas/root-cause.js';
import type { SeverityPolicy } from '../../schemas/severity-policy.js';
import { memoryStore } from '../../stores/memory.js';
import { labelOf, STATUS_LABELS } from '../reports/labels.js';
import { type CsvImportProblem, type CsvImportWarning, CsvImportError, type ImportedRow } from './import-error.js';
import {
  CSV_IMPORT_FIELDS,
  type CsvDateStyle,
  type CsvImportField,
  cellLines,
  DEFAULT_CSV_HEADERS,
  dateHint,
  defaultPerson,
  normalise,
  type ParsedDate,
  parseCauseCategory,
  parseDate,
  parseGrade,
  parseMethod,
  parseRequirement,
  parseSource,
  statusKind,
} from './import-fields.js';
import { restoreNeutralised } from './neutralise.js';

/**
 * The extension namespace an imported finding carries its provenance under:
 * `finding.extensions['capa-kit.import']` (see {@link ImportedFrom}).
 *
 * @example
 * ```ts
 * import { IMPORT_NAMESPACE } from 'capa-kit/log';
 * import type { Finding } from 'capa-kit';
 *
 * const wasImported = (finding: Finding) => IMPORT_NAMESPACE in finding.extensions;
 * ```
 */
export const IMPORT_NAMESPACE = 'capa-kit.import';

/**
 * What an imported finding records about its origin, under
 * `extensions['capa-kit.import']`: which import, which spreadsheet and row, the
 * spreadsheet's own reference, when, and the row's cells as they were. It is part of the
 * finding's RAISE history entry, so it is sealed into the hash chain. A register built with
 * host `extensions` schemas must list this namespace with this schema.
 *
 * @example
 * ```ts
 * import { iso27001 } from 'capa-kit';
 * import { createCapaRegister, memoryStore } from 'capa-kit/register';
 * import { ImportedFrom, IMPORT_NAMESPACE } from 'capa-kit/log';
 * import * as z from 'zod';
 *
 * const register = createCapaRegister({
 *   store: memoryStore(), policy: iso27001, tenant: 'acme',
 *   extensions: { acme: z.strictObject({ riskId: z.string() }), [IMPORT_NAMESPACE]: ImportedFrom },
 * });
 * ```
 */
export const ImportedFrom = z
  .strictObject({
    importId: z.string().min(1).max(100),
    source: z.string().min(1).max(NAME_TEXT),
    row: z.int().min(2),
    line: z.int().min(1),
    reference: z.string().max(NAME_TEXT).nullable(),
    importedAt: z.string(),
    cells: z.record(z.string(), z.string()),
  })
  .meta({ id: 'ImportedFrom', description: 'The spreadsheet row a finding was imported from.' });
/**
 * What an imported finding records about its origin.
 *
 * @example
 * ```ts
 * import { IMPORT_NAMESPACE, type ImportedFrom } from 'capa-kit/log';
 * import type { Finding } from 'capa-kit';
 *
 * const origin = (finding: Finding) => finding.extensions[IMPORT_NAMESPACE] as ImportedFrom | undefined;
 * ```
 */
export type ImportedFrom = z.infer<typeof ImportedFrom>;

/**
 * Which spreadsheet column is which field: a header, several (the first present wins), or
 * `null` to ignore a field a default header would have matched. Fields not named use
 * {@link DEFAULT_CSV_HEADERS}.
 *
 * @example
 * ```ts
 * import type { CsvImportMapping } from 'capa-kit/log';
 *
 * const mapping: CsvImportMapping = { reference: 'NC #', detected: ['Date found', 'Date raised'], raisedBy: null };
 * ```
 */
export type CsvImportMapping = Partial<Record<CsvImportField, string | readonly string[] | null>>;

/**
 * How {@link importCsv} and {@link checkCsvImport} read a spreadsheet log.
 *
 * @example
 * ```ts
 * import type { CsvImportOptions } from 'capa-kit/log';
 * import type { CapaRegister } from 'capa-kit/register';
 *
 * declare const register: CapaRegister;
 * const options: CsvImportOptions = {
 *   register,
 *   actor: { id: 'u-lee', name: 'Lee Park', roles: ['isms-manager'] },
 *   source: 'ISMS NC log 2025.xlsx',
 *   dates: 'day-first',
 *   defaults: { observedEvidence: 'Not recorded in the spreadsheet log' },
 *   grades: { 'Cat 1': 'major', 'Cat 2': 'minor' },
 * };
 * ```
 */
export interface CsvImportOptions {
  /** The register findings are raised in (its policy grades them). */
  readonly register: CapaRegister;
  /** Who imports: every history entry of the import is theirs. */
  readonly actor: Actor;
  /** The spreadsheet's name, recorded with each finding. Default: `spreadsheet`. */
  readonly source?: string;
  /** Which column is which field. Default: {@link DEFAULT_CSV_HEADERS}. */
  readonly mapping?: CsvImportMapping;
  /** A value for a field whose cell is empty or whose column is missing. */
  readonly defaults?: Partial<Record<CsvImportField, string>>;
  /** Spreadsheet grade → policy grade id, for words the policy's labels do not match. */
  readonly grades?: Readonly<Record<string, string>>;
  /** How dates are written besides ISO 8601. Default: `iso`. */
  readonly dates?: CsvDateStyle;
  /** The framework of a bare clause or control (`A.5.18`). Default: `ISO/IEC 27001:2022`. */
  readonly framework?: string;
  /** Turns a name into a person (your directory); `null` refuses the name. Default: an id from the name. */
  readonly people?: (name: string) => Person | null | undefined;
  /** The field separator. Default: detected from the header row (`,`, `;` or tab). */
  readonly delimiter?: ',' | ';' | '\t';
  /** `all-or-nothing` (default) refuses the whole import on any problem; `valid-rows` skips bad rows. */
  readonly mode?: 'all-or-nothing' | 'valid-rows';
  /** Names this import in idempotency keys and provenance. Default: a hash of the source name and the file. */
  readonly importId?: string;
  /** The host's extension schemas of the register, so the check validates as it does. */
  readonly extensions?: Record<string, z.ZodType<Record<string, unknown>>>;
  /** The check's clock and the time written into imported records. Default: the system clock. */
  readonly clock?: () => Date;
}

/**
 * What an import did (or, from {@link checkCsvImport}, would do): one entry per row
 * imported, the rows skipped with their problems (`valid-rows` mode), every problem, and
 * the warnings.
 *
 * @example
 * ```ts
 * import type { CsvImportResult } from 'capa-kit/log';
 *
 * const summary = (r: CsvImportResult) => `${r.imported.length} of ${r.rows} rows imported, ${r.warnings.length} warnings`;
 * ```
 */
export interface CsvImportResult {
  readonly importId: string;
  readonly source: string;
  /** True for a check: nothing was written and `findingId`/`reference` are `null`. */
  readonly dryRun: boolean;
  /** Data rows read (the header and blank rows not counted). */
  readonly rows: number;
  readonly imported: readonly ImportedRow[];
  /** Rows not imported because of their problems (`valid-rows` mode, or a check). */
  readonly skipped: readonly { readonly row: number; readonly problems: readonly CsvImportProblem[] }[];
  readonly problems: readonly CsvImportProblem[];
  readonly warnings: readonly CsvImportWarning[];
}

// The data options, checked by zod. The register, the functions and the host's schemas are
// objects zod should not walk; they are checked by hand in parseOptions.
const OptionsSchema = z.strictObject({
  // Input, as the register's: trimmed (an actor as a record refuses white space around its text).
  actor: atInput(Actor),
  source: z.string().trim().min(1).max(NAME_TEXT).default('spreadsheet'),
  mapping: z.partialRecord(z.enum(CSV_IMPORT_FIELDS), z.union([z.string().min(1), z.array(z.string().min(1)).min(1), z.null()])).optional(),
  defaults: z.partialRecord(z.enum(CSV_IMPORT_FIELDS), z.string().trim().min(1)).optional(),
  grades: z.record(z.string(), z.string()).optional(),
  dates: z.enum(['iso', 'day-first', 'month-first']).default('iso'),
  framework: z.string().trim().min(1).max(NAME_TEXT).default('ISO/IEC 27001:2022'),
  delimiter: z.enum([',', ';', '\t']).optional(),
  mode: z.enum(['all-or-nothing', 'valid-rows']).default('all-or-nothing'),
  importId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'Letters, digits, ".", "_" and "-", at most 64' }).optional(),
});
type Parsed = z.output<typeof OptionsSchema> & Pick<CsvImportOptions, 'register' | 'people' | 'clock' | 'extensions'>;

function parseOptions(options: CsvImportOptions): Parsed {
  const { register, people, clock, extensions, ...data } = options;
  const issues: ValidationIssue[] = [];
  if (typeof register !== 'object' || register === null || typeof register.raise !== 'function' || typeof register.policy !== 'object') {
    issues.push({ path: ['register'], code: 'invalid_type', message: 'Must be a CAPA register (createCapaRegister)' });
  }
  if (people !== undefined && typeof people !== 'function') issues.push({ path: ['people'], code: 'invalid_type', message: 'Must be a function from a name to a person' });
  if (clock !== undefined && typeof clock !== 'function') issues.push({ path: ['clock'], code: 'invalid_type', message: 'Must be a function returning a Date' });
  if (extensions !== undefined && (typeof extensions !== 'object' || extensions === null)) issues.push({ path: ['extensions'], code: 'invalid_type', message: 'Must map namespaces to zod schemas' });
  if (issues.length > 0) throw new CapaValidationError('CSV import options', issues);
  return { ...parseRecord(OptionsSchema, data, 'CSV import options'), register, people, clock, extensions };
}

/** The plan of one row: the commands it becomes, and what the spreadsheet said besides. */
interface RowPlan {
  readonly row: number;
  readonly line: number;
  readonly originalReference: string | null;
  readonly columns: Partial<Record<CsvImportField, string>>;
  readonly raise: CommandInput<'raise'>['finding'];
  readonly correction: Correction | null;
  readonly rootCause: RootCauseAnalysis | null;
  readonly actions: { description: string; owner: Person | null; dueDate: string | null; measurableOutcome: string | null }[] | null;
  readonly closureEvidence: Evidence | null;
  readonly said: {
    readonly status: string | null;
    readonly statusKind: 'open' | 'closed' | 'rejected';
    readonly due: ParsedDate | null;
    readonly closed: ParsedDate | null;
    readonly effectiveness: string | null;
    readonly raisedBy: string | null;
    readonly correctionWithoutDate: boolean;
  };
}

interface Prepared {
  readonly importId: string;
  readonly rows: number;
  readonly plans: readonly RowPlan[];
  readonly problems: CsvImportProblem[];
  readonly warnings: CsvImportWarning[];
  readonly now: string;
}

const FORMULA_LIKE = /^[=+@\uFF1D\uFF0B\uFF20]/;
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const breaks = (text: string) => (text.match(/\r\n|\r|\n/g) ?? []).length;

/** The text lines a record spans: csv-parse's raw text ends with its line break, except the last record's. */
const linesOf = (raw: string) => breaks(/[\r\n]$/.test(raw) ? raw : `${raw}\n`);

/** The separator of the header row: the most frequent of `,`, `;` and tab outside quotes. */
function detectDelimiter(text: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char in counts) counts[char as keyof typeof counts] += 1;
  }
  return (Object.entries(counts) as [',' | ';' | '\t', number][]).reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
}

/** Reads, maps and checks every row's cells; builds each good row's plan. Writes nothing. */
function prepare(csv: string | Uint8Array, options: Parsed, policy: SeverityPolicy): Prepared {
  const problems: CsvImportProblem[] = [];
  const warnings: CsvImportWarning[] = [];
  const now = (options.clock ?? (() => new Date()))().toISOString();
  let text: string;
  try {
    text = typeof csv === 'string' ? csv : new TextDecoder('utf-8', { fatal: true }).decode(csv);
  } catch (error) {
    throw new CsvImportError(
      [{ row: 1, line: null, column: null, field: null, code: 'encoding.notUtf8', message: 'The file is not UTF-8 text: save the spreadsheet as "CSV UTF-8".' }],
      { cause: error },
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const importId = options.importId ?? hashJson({ source: options.source, text }).slice(0, 16);
  let records: { record: string[]; raw: string }[];
  try {
    records = parse(text, { relax_column_count: true, raw: true, delimiter: options.delimiter ?? detectDelimiter(text) }) as unknown as { record: string[]; raw: string }[];
  } catch (error) {
    const lines = (error as { lines?: number }).lines;
    throw new CsvImportError(
      [{ row: 1, line: typeof lines === 'number' ? lines : null, column: null, field: null, code: 'csv.malformed', message: `The file is not valid CSV: ${(error as Error).message}` }],
      { cause: error },
    );
  }
  const [head, ...body] = records;
  if (head === undefined) {
    throw new CsvImportError([{ row: 1, line: 1, column: null, field: null, code: 'csv.empty', message: 'The file is empty: expected a header row and data rows.' }]);
  }
  const headers = head.record.map((cell) => restoreNeutralised(cell.trim()));

  // Columns: the mapping first, then the default headers; a header serves one field.
  const claimed = new Map<number, CsvImportField>();
  const columnOf = new Map<CsvImportField, number>();
  const byName = (name: string) => headers.findIndex((header, index) => normalise(header) === normalise(name) && !claimed.has(index));
  const seen = new Map<string, number>();
  headers.forEach((header, index) => {
    const key = normalise(header);
    if (key === '') return;
    if (seen.has(key)) {
      problems.push({ row: 1, line: 1, column: header, field: null, code: 'column.duplicate', message: `The header "${header}" appears twice (columns ${seen.get(key)! + 1} and ${index + 1}).` });
    }
    seen.set(key, index);
  });
  for (const field of CSV_IMPORT_FIELDS) {
    const named = options.mapping?.[field];
    if (named === undefined || named === null) continue;
    const names = typeof named === 'string' ? [named] : named;
    const index = names.map(byName).find((i) => i !== -1);
    if (index === undefined) {
      problems.push({ row: 1, line: 1, column: null, field, code: 'column.notFound', message: `The mapping names ${names.map((n) => `"${n}"`).join(' or ')} for ${field}, and the header row has no such column.` });
      continue;
    }
    claimed.set(index, field);
    columnOf.set(field, index);
  }
  for (const field of CSV_IMPORT_FIELDS) {
    if (columnOf.has(field) || options.mapping?.[field] !== undefined) continue;
    const index = DEFAULT_CSV_HEADERS[field].map(byName).find((i) => i !== -1);
    if (index === undefined) continue;
    claimed.set(index, field);
    columnOf.set(field, index);
  }
  const has = (field: CsvImportField) => columnOf.has(field) || options.defaults?.[field] !== undefined;
  const missing = (field: CsvImportField, why: string) =>
    problems.push({ row: 1, line: 1, column: null, field, code: 'column.missing', message: `No column for ${field} (${why}): map one with mapping.${field}, or give defaults.${field}.` });
  if (!has('title') && !has('description')) missing('title', 'a title or a description is needed');
  if (!has('grade')) missing('grade', 'the grade decides the lifecycle and the deadline');
  if (!has('requirement')) missing('requirement', 'the requirement breached');
  if (!has('detected')) missing('detected', 'when it was detected: deadlines count from it');
  if (!has('owner')) missing('owner', 'the person accountable');
  if (!has('observedEvidence')) missing('observedEvidence', 'what the auditor saw');
  if (!has('source')) missing('source', 'where the finding came from');
  if (!has('process') && !has('asset')) missing('process', 'the affected process or asset');
  const unmapped = headers.filter((header, index) => header !== '' && !claimed.has(index));
  if (unmapped.length > 0) {
    warnings.push({ row: 1, column: null, code: 'column.unmapped', message: `Not mapped to a field (kept in each finding's import record): ${unmapped.map((h) => `"${h}"`).join(', ')}.` });
  }

  const plans: RowPlan[] = [];
  const references = new Map<string, number>();
  let line = 1 + linesOf(head.raw);
  let rows = 0;
  body.forEach(({ record, raw }, index) => {
    const row = index + 2;
    const rowLine = line;
    line += linesOf(raw);
    if (record.every((cell) => cell.trim() === '')) return;
    rows += 1;
    const rowProblems: CsvImportProblem[] = [];
    if (record.length > headers.length && record.slice(headers.length).some((cell) => cell.trim() !== '')) {
      rowProblems.push({ row, line: rowLine, column: null, field: null, code: 'row.tooManyCells', message: `The row has ${record.length} cells and the header ${headers.length}: a separator or quote is probably missing.` });
    }
    const cells: Record<string, string> = {};
    headers.forEach((header, i) => {
      const value = record[i] ?? '';
      if (header !== '' && value.trim() !== '') cells[header] = value;
      if (FORMULA_LIKE.test(value.trim())) {
        warnings.push({ row, column: header, code: 'cell.formulaLike', message: `The cell starts like a spreadsheet formula; it is kept as text (the CSV export neutralises it again).` });
      }
    });
    const column = (field: CsvImportField) => {
      const i = columnOf.get(field);
      return i === undefined ? null : headers[i]!;
    };
    const cell = (field: CsvImportField): string | null => {
      const i = columnOf.get(field);
      const value = i === undefined ? '' : restoreNeutralised((record[i] ?? '').trim()).trim();
      return value !== '' ? value : (options.defaults?.[field] ?? null);
    };
    const problem = (field: CsvImportField | null, code: string, message: string, value?: string | null) =>
      rowProblems.push({ row, line: rowLine, column: field === null ? null : column(field), field, code, message, ...(value == null ? {} : { value: clip(value, 200) }) });
    // A missing column is reported once, on the header row; an empty cell, on its row.
    const required = (field: CsvImportField, what: string) => {
      const value = cell(field);
      if (value === null && has(field)) problem(field, 'required', `${what} is empty.`);
      return value;
    };
    const date = (field: CsvImportField, value: string | null): ParsedDate | null => {
      if (value === null) return null;
      const parsed = parseDate(value, options.dates, policy.timeZone);
      if (parsed === null) problem(field, 'date.invalid', `"${clip(value, 40)}" is not ${dateHint(options.dates)}.`, value);
      return parsed;
    };
    const person = (field: CsvImportField, name: string | null): Person | null => {
      if (name === null) return null;
      const resolved = options.people === undefined ? defaultPerson(name) : options.people(name);
      if (resolved == null) problem(field, 'person.unknown', `"${clip(name, 60)}" is not a person the import knows (the people option refused the name).`, name);
      return resolved ?? null;
    };

    const originalReference = cell('reference');
    if (originalReference !== null) {
      const first = references.get(originalReference);
      if (first !== undefined) problem('reference', 'reference.duplicate', `The reference "${clip(originalReference, 60)}" is also on row ${first}.`, originalReference);
      else references.set(originalReference, row);
    }
    let title = cell('title');
    let description = cell('description');
    if (title === null && description === null && (has('title') || has('description'))) {
      problem(has('title') ? 'title' : 'description', 'required', 'The row has neither a title nor a description.');
    }
    title ??= description === null ? null : clip(cellLines(description)[0] ?? description, NAME_TEXT);
    description ??= title;
    const observedEvidence = required('observedEvidence', 'The evidence observed');
    const gradeCell = required('grade', 'The grade');
    const grade = gradeCell === null ? null : parseGrade(gradeCell, policy, options.grades);
    if (gradeCell !== null && grade === null) {
      problem('grade', 'grade.unknown', `"${clip(gradeCell, 60)}" is not a grade of policy ${policy.id} (${policy.grades.map((g) => `${g.id}: ${g.label}`).join('; ')}); map it with the grades option.`, gradeCell);
    }
    const requirementCell = required('requirement', 'The requirement');
    const requirementTitle = cell('requirementTitle') ?? undefined;
    let requirement: RequirementRef | null = null;
    if (requirementCell !== null) {
      requirement = parseRequirement(requirementCell, options.framework, requirementTitle);
      if (requirement === null) {
        problem('requirement', 'requirement.unreadable', `"${clip(requirementCell, 60)}" is not a requirement the import can read: write "ISO/IEC 27001:2022 A.5.18", "A.5.18", "Clause 9.2" or a procedure "DOC-ISMS-012 v3 §4.2".`, requirementCell);
      }
    }
    const process = cell('process');
    const asset = cell('asset');
    if (process === null && asset === null && (has('process') || has('asset'))) {
      problem(has('process') ? 'process' : 'asset', 'required', 'Name the affected process or the affected asset.');
    }
    const sourceCell = required('source', 'The source');
    let sourceKind = sourceCell === null ? null : parseSource(sourceCell);
    let sourceReference = cell('sourceReference');
    if (sourceCell !== null && sourceKind === null) {
      sourceKind = 'other';
      sourceReference ??= clip(sourceCell, NAME_TEXT);
      warnings.push({ row, column: column('source'), code: 'source.other', message: `The source "${clip(sourceCell, 60)}" is not one capa-kit knows; recorded as "other" with the text as its reference.` });
    }
    const owner = person('owner', required('owner', 'The owner'));
    const detected = date('detected', required('detected', 'The detection date'));
    const due = date('due', cell('due'));
    const closed = date('closed', cell('closed'));
    const correctionText = cell('correction');
    const correctionDate = date('correctionDate', cell('correctionDate'));
    const rootCauseText = cell('rootCause');
    const categoryCell = cell('causeCategory');
    const methodCell = cell('rcaMethod');
    const actionLines = cellLines(cell('actions') ?? '');
    const aligned = (field: CsvImportField): (string | null)[] => {
      const values = cellLines(cell(field) ?? '');
      if (values.length === 0) return actionLines.map(() => null);
      if (values.length === 1) return actionLines.map(() => values[0]!);
      if (values.length !== actionLines.length) {
        problem(field, 'actions.misaligned', `${values.length} lines for ${actionLines.length} corrective actions: give one line per action, or one for all.`, cell(field));
        return actionLines.map(() => null);
      }
      return values;
    };
    const actionOwners = aligned('actionOwners').map((name) => person('actionOwners', name));
    const actionDue = aligned('actionDueDates').map((value) => date('actionDueDates', value));
    const actionOutcomes = aligned('actionOutcomes');

    if (rowProblems.length > 0 || title === null || description === null || grade === null || requirement === null || owner === null || detected === null || sourceKind === null || observedEvidence === null || (process === null && asset === null)) {
      problems.push(...rowProblems);
      return;
    }
    const statusCell = cell('status');
    const extentScope = cell('extentScope') ?? cell('extentResult');
    const extentResult = cell('extentResult') ?? extentScope;
    const category = categoryCell === null ? null : parseCauseCategory(categoryCell);
    if (categoryCell !== null && category === null) {
      warnings.push({ row, column: column('causeCategory'), code: 'causeCategory.other', message: `The cause category "${clip(categoryCell, 60)}" is not one capa-kit knows; recorded as "other".` });
    }
    const method = methodCell === null ? null : parseMethod(methodCell);
    const imported: ImportedFrom = {
      importId,
      source: options.source,
      row,
      line: rowLine,
      reference: originalReference === null ? null : clip(originalReference, NAME_TEXT),
      importedAt: now,
      cells,
    };
    plans.push({
      row,
      line: rowLine,
      originalReference,
      columns: Object.fromEntries([...columnOf.entries()].map(([field, i]) => [field, headers[i]!])),
      raise: {
        title,
        description,
        requirement,
        observedEvidence,
        affected: { ...(process === null ? {} : { process }), ...(asset === null ? {} : { asset }) },
        source: { kind: sourceKind, ...(sourceReference === null ? {} : { reference: sourceReference }) },
        grade,
        owner,
        detectedAt: detected.instant,
        extensions: { [IMPORT_NAMESPACE]: imported },
      },
      correction:
        correctionText === null
          ? null
          : /^(n\/?a|not applicable|none)\b[\s:.-]*/i.test(correctionText)
            ? { schemaVersion: 1, kind: 'not-applicable', justification: correctionText }
            : correctionDate === null
              ? null
              : { schemaVersion: 1, kind: 'performed', description: correctionText, performedBy: owner, completedAt: correctionDate.instant },
      rootCause:
        rootCauseText === null
          ? null
          : {
              schemaVersion: 1,
              method: method ?? 'other',
              ...(method === null ? { methodDetail: clip(methodCell ?? 'Recorded in the spreadsheet log before import', 500) } : {}),
              whys: [],
              statement: rootCauseText,
              category: category ?? 'other',
              extentOfCondition: extentScope === null || extentResult === null ? null : { scope: extentScope, result: extentResult, linkedFindingIds: [] },
              analysedBy: owner,
              analysedAt: now,
            },
      actions:
        actionLines.length === 0
          ? null
          : actionLines.map((description, i) => ({
              description,
              owner: actionOwners[i] ?? null,
              dueDate: actionDue[i]?.date ?? null,
              measurableOutcome: actionOutcomes[i] ?? null,
            })),
      closureEvidence:
        cell('closureEvidence') === null
          ? null
          : {
              schemaVersion: 1,
              kind: 'other',
              title: 'Closure evidence named in the spreadsheet log',
              location: clip(cell('closureEvidence')!, 2048),
              description: `Named in ${clip(options.source, 200)}, row ${row}; not verified at import.`,
              collectedBy: { id: options.actor.id, name: options.actor.name },
              collectedAt: now,
            },
      said: {
        status: statusCell,
        statusKind: statusCell === null ? (closed === null ? 'open' : 'closed') : statusKind(statusCell),
        due,
        closed,
        effectiveness: cell('effectiveness'),
        raisedBy: cell('raisedBy'),
        correctionWithoutDate: correctionText !== null && correctionDate === null && !/^(n\/?a|not applicable|none)\b/i.test(correctionText),
      },
    });
  });
  return { importId, rows, plans, problems, warnings, now };
}

type Step = 'raise' | 'recordCorrection' | 'recordRootCause' | 'planActions' | 'attachEvidence' | 'comment';

/** The field an issue of a step's input is about. */
function fieldOf(step: Step, path: readonly (string | number)[]): CsvImportField | null {
  const [first, second, third] = path.map(String);
  if (step === 'raise' && first === 'finding') {
    switch (second) {
      case 'title':
      case 'description':
      case 'observedEvidence':
      case 'grade':
      case 'owner':
        return second;
      case 'requirement':
        return third === 'title' ? 'requirementTitle' : 'requirement';
      case 'affected':
        return third === 'asset' ? 'asset' : 'process';
      case 'source':
        return third === 'reference' ? 'sourceReference' : 'source';
      case 'detectedAt':
        return 'detected';
      default:
        return null;
    }
  }
  if (step === 'recordCorrection') return second === 'completedAt' ? 'correctionDate' : second === 'performedBy' ? 'owner' : 'correction';
  if (step === 'recordRootCause') {
    if (second === 'category') return 'causeCategory';
    if (second === 'method' || second === 'methodDetail') return 'rcaMethod';
    if (second === 'extentOfCondition') return path[2] === 'result' ? 'extentResult' : 'extentScope';
    if (second === 'analysedBy') return 'owner';
    return 'rootCause';
  }
  if (step === 'planActions') {
    const field = String(path[2] ?? '');
    return field === 'owner' ? 'actionOwners' : field === 'dueDate' ? 'actionDueDates' : field === 'measurableOutcome' ? 'actionOutcomes' : 'actions';
  }
  if (step === 'attachEvidence') return 'closureEvidence';
  return null;
}

/** Lifecycle refusals that are a bad cell, not a limit of what an import may do. */
const CELL_RULES: Readonly<Record<string, CsvImportField>> = {
  'finding.detectedBeforeRaised': 'detected',
  'grade.known': 'grade',
  'correction.afterDetection': 'correctionDate',
};

const STEP_WORDS: Readonly<Record<Step, string>> = {
  raise: 'the finding',
  recordCorrection: 'the correction',
  recordRootCause: 'the root cause',
  planActions: 'the corrective actions',
  attachEvidence: 'the closure evidence',
  comment: 'the import note',
};

interface RowOutcome {
  readonly imported: ImportedRow | null;
  readonly problems: CsvImportProblem[];
  readonly warnings: CsvImportWarning[];
}

/** Runs one row's commands on a register, as far as the lifecycle allows. */
async function applyRow(register: CapaRegister, plan: RowPlan, actor: Actor, prepared: Prepared, source: string, dryRun: boolean): Promise<RowOutcome> {
  const problems: CsvImportProblem[] = [];
  const warnings: CsvImportWarning[] = [];
  const notCarried: string[] = [];
  const column = (field: CsvImportField | null) => (field === null ? null : (plan.columns[field] ?? null));
  const key = (step: Step) => (dryRun ? undefined : `${IMPORT_NAMESPACE}:${prepared.importId}:${plan.row}:${step}`);
  const badInput = (step: Step, issues: readonly ValidationIssue[]) => {
    for (const issue of issues) {
      const field = fieldOf(step, issue.path);
      problems.push({ row: plan.row, line: plan.line, column: column(field), field, code: issue.code, message: `In ${STEP_WORDS[step]}: ${issue.message}` });
    }
  };
  /** Runs a step; `'refused'` with the unmet codes when the lifecycle refuses, `null` on bad input. */
  const run = async <T>(step: Step, command: () => Promise<T>): Promise<T | { refused: readonly { code: string; message: string }[] } | null> => {
    try {
      return await command();
    } catch (error) {
      if (error instanceof CapaValidationError) {
        badInput(step, error.issues);
        return null;
      }
      if (error instanceof CapaTransitionError) {
        const cells = error.unmet.filter((unmet) => Object.hasOwn(CELL_RULES, unmet.code));
        if (cells.length > 0 || step === 'raise') {
          for (const unmet of error.unmet) {
            const field = CELL_RULES[unmet.code] ?? null;
            problems.push({ row: plan.row, line: plan.line, column: column(field), field, code: unmet.code, message: `In ${STEP_WORDS[step]}: ${unmet.message}` });
          }
          return null;
        }
        return { refused: error.unmet };
      }
      throw error;
    }
  };
  const refused = (value: unknown): value is { refused: readonly { code: string; message: string }[] } => typeof value === 'object' && value !== null && 'refused' in value;

  const raised = await run('raise', () => register.raise({ actor, finding: plan.raise, ...(dryRun ? {} : { idempotencyKey: key('raise') }) }));
  if (raised === null || refused(raised)) return { imported: null, problems, warnings };
  let finding: Finding = raised;
  const findingId = finding.id;
  let stopped: string | null = null;
  const steps: { step: Step; present: boolean; what: string; command: () => Promise<Finding> }[] = [
    { step: 'recordCorrection', present: plan.correction !== null, what: 'the correction', command: () => register.recordCorrection({ actor, findingId, correction: plan.correction!, ...(dryRun ? {} : { idempotencyKey: key('recordCorrection') }) }) },
    { step: 'recordRootCause', present: plan.rootCause !== null, what: 'the root cause', command: () => register.recordRootCause({ actor, findingId, rootCause: plan.rootCause!, ...(dryRun ? {} : { idempotencyKey: key('recordRootCause') }) }) },
    { step: 'planActions', present: plan.actions !== null, what: 'the corrective actions', command: () => register.planActions({ actor, findingId, actions: plan.actions!, ...(dryRun ? {} : { idempotencyKey: key('planActions') }) }) },
  ];
  for (const { step, present, what, command } of steps) {
    if (!present) continue;
    if (stopped !== null) {
      notCarried.push(`${what} (not recorded: the lifecycle stopped before it)`);
      continue;
    }
    const result = await run(step, command);
    if (result === null) return { imported: null, problems, warnings };
    if (refused(result)) {
      const codes = result.refused.map((unmet) => unmet.code).join(', ');
      stopped = `${what} not recorded: the lifecycle refused it (${codes}): ${result.refused.map((unmet) => unmet.message).join(' ')}`;
      notCarried.push(stopped);
      warnings.push({ row: plan.row, column: column(step === 'planActions' ? 'actions' : step === 'recordRootCause' ? 'rootCause' : 'correction'), code: 'lifecycle.stopped', message: `${stopped} Complete it in capa-kit.` });
      continue;
    }
    finding = result;
  }
  if (plan.said.correctionWithoutDate) {
    const message = 'the correction (the spreadsheet gives no completion date; a correction is recorded with the date it was completed)';
    notCarried.push(message);
    warnings.push({ row: plan.row, column: column('correction'), code: 'correction.noDate', message: `Not carried over: ${message}.` });
  }
  if (plan.closureEvidence !== null) {
    const result = await run('attachEvidence', () => register.attachEvidence({ actor, findingId, evidence: plan.closureEvidence!, ...(dryRun ? {} : { idempotencyKey: key('attachEvidence') }) }));
    if (result === null) return { imported: null, problems, warnings };
    if (refused(result)) notCarried.push(`the closure evidence (a ${finding.status} finding takes no evidence)`);
    else finding = result;
  }
  if (plan.said.statusKind !== 'open') {
    const when = plan.said.closed === null ? '' : ` on ${plan.said.closed.date}`;
    const what =
      plan.said.statusKind === 'closed'
        ? `the closure ("${clip(plan.said.status ?? 'Closed', 60)}"${when}): closing needs the corrective actions done with evidence, an effectiveness review that found them effective, closure evidence and a signed closure, and an import cannot vouch for them`
        : `the status "${clip(plan.said.status ?? '', 60)}": rejecting needs a reason and someone other than the raiser`;
    notCarried.push(what);
    warnings.push({ row: plan.row, column: column('status'), code: 'status.notCarried', message: `Not carried over: ${what}. Imported as ${labelOf(STATUS_LABELS, finding.status)}; review it in capa-kit.` });
  }
  if (plan.said.effectiveness !== null) {
    const what = `the effectiveness result "${clip(plan.said.effectiveness, 60)}" (an effectiveness review is recorded, and signed, once the corrective actions are done)`;
    notCarried.push(what);
    warnings.push({ row: plan.row, column: column('effectiveness'), code: 'effectiveness.notCarried', message: `Not carried over: ${what}.` });
  }
  if (plan.said.due !== null && plan.said.due.date !== finding.dueDate) {
    const what = `the due date ${plan.said.due.date} (the policy's deadline for ${finding.grade} gives ${finding.dueDate ?? 'none'})`;
    notCarried.push(what);
    warnings.push({ row: plan.row, column: column('due'), code: 'due.recomputed', message: `Not carried over: ${what}.` });
  }

  const said = [
    plan.said.status === null ? null : `status "${plan.said.status}"`,
    plan.said.closed === null ? null : `closed ${plan.said.closed.date}`,
    plan.said.due === null ? null : `due ${plan.said.due.date}`,
    plan.said.raisedBy === null ? null : `raised by ${plan.said.raisedBy}`,
  ].filter((part): part is string => part !== null);
  const note = [
    `Imported from the spreadsheet log "${source}", row ${plan.row}${plan.originalReference === null ? '' : ` (${plan.originalReference})`}, import ${prepared.importId}.`,
    said.length === 0 ? '' : `The spreadsheet said: ${said.join(', ')}.`,
    notCarried.length === 0 ? 'Everything in the row was carried over.' : `Not carried over: ${notCarried.join('; ')}.`,
  ]
    .filter((part) => part !== '')
    .join(' ');
  const commented = await run('comment', () => register.comment({ actor, findingId, text: clip(note, LONG_TEXT), ...(dryRun ? {} : { idempotencyKey: key('comment') }) }));
  if (commented === null) return { imported: null, problems, warnings };
  if (!refused(commented)) finding = commented;
  return {
    imported: {
      row: plan.row,
      line: plan.line,
      findingId: dryRun ? null : finding.id,
      reference: dryRun ? null : finding.reference,
      originalReference: plan.originalReference,
      status: finding.status,
      notCarriedOver: notCarried,
    },
    problems,
    warnings,
  };
}

async function check(csv: string | Uint8Array, options: CsvImportOptions): Promise<{ parsed: Parsed; prepared: Prepared; result: CsvImportResult }> {
  const parsed = parseOptions(options);
  const policy = parsed.register.policy;
  const prepared = prepare(csv, parsed, policy);
  // The check runs every row through a throwaway register with the same policy: the same
  // validation and lifecycle rules as the real one, so a bad cell is found before anything
  // is written.
  const scratch = createCapaRegister({
    store: memoryStore(),
    policy,
    tenant: 'import-check',
    ...(parsed.clock === undefined ? {} : { clock: parsed.clock }),
    ...(parsed.extensions === undefined ? {} : { extensions: parsed.extensions }),
  });
  const imported: ImportedRow[] = [];
  const problems = [...prepared.problems];
  const warnings = [...prepared.warnings];
  for (const plan of prepared.plans) {
    const outcome = await applyRow(scratch, plan, parsed.actor, prepared, parsed.source, true);
    problems.push(...outcome.problems);
    warnings.push(...outcome.warnings);
    if (outcome.imported !== null) imported.push(outcome.imported);
  }
  problems.sort((a, b) => a.row - b.row);
  warnings.sort((a, b) => a.row - b.row);
  const skippedRows = [...new Set(problems.filter((p) => p.row > 1).map((p) => p.row))];
  return {
    parsed,
    prepared,
    result: {
      importId: prepared.importId,
      source: parsed.source,
      dryRun: true,
      rows: prepared.rows,
      imported,
      skipped: skippedRows.map((row) => ({ row, problems: problems.filter((p) => p.row === row) })),
      problems,
      warnings,
    },
  };
}

/**
 * Checks a spreadsheet import without writing anything: reads every row, maps and checks
 * every cell, then runs each row's commands through a throwaway in-memory register with
 * the same policy (so the register's own validation and lifecycle rules judge it). Returns
 * every problem and warning, and what each row would become. {@link importCsv} runs this
 * first.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { checkCsvImport } from 'capa-kit/log';
 * import type { CapaRegister } from 'capa-kit/register';
 *
 * declare const register: CapaRegister;
 * const check = await checkCsvImport(await readFile('nc-log.csv'), { register, actor: { id: 'u-lee', name: 'Lee Park', roles: [] } });
 * for (const p of check.problems) console.log(`row ${p.row}, ${p.column ?? '-'}: ${p.message}`);
 * ```
 */
export async function checkCsvImport(csv: string | Uint8Array, options: CsvImportOptions): Promise<CsvImportResult> {
  return (await check(csv, options)).result;
}

/**
 * Imports a spreadsheet Nonconformity and Corrective Action Log into a register, for
 * teams moving from a spreadsheet. Each row becomes a finding raised through the register
 * by `actor`, with its history starting at the import, and is carried through the
 * lifecycle as far as its cells and the lifecycle's rules allow: the correction (with its
 * completion date), the root cause (with the extent of condition, when a column gives it)
 * and the corrective actions as a plan. Nothing is approved, completed, verified or
 * closed by an import: a row the spreadsheet calls closed is imported open, with a
 * warning naming what the lifecycle still needs.
 *
 * Each finding carries its provenance in `extensions['capa-kit.import']` (the spreadsheet,
 * the row, its reference and its cells: see {@link ImportedFrom}), sealed into its RAISE
 * history entry, and a comment in its history saying what was not carried over.
 *
 * All or nothing by default: {@link checkCsvImport} runs first, and any problem in any row
 * throws a {@link CsvImportError} listing every problem with its row and column, before
 * anything is written. With `mode: 'valid-rows'` bad rows are skipped and reported. Every
 * command has an idempotency key made from the import id, the row and the step, so an
 * interrupted import run again resumes where it stopped, and the same file imported twice
 * writes nothing new.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { iso27001 } from 'capa-kit';
 * import { createCapaRegister, memoryStore } from 'capa-kit/register';
 * import { importCsv } from 'capa-kit/log';
 *
 * const register = createCapaRegister({ store: memoryStore(), policy: iso27001, tenant: 'acme' });
 * const result = await importCsv(await readFile('nc-log-2025.csv'), {
 *   register,
 *   actor: { id: 'u-lee', name: 'Lee Park', roles: ['isms-manager'] },
 *   source: 'nc-log-2025.csv',
 *   dates: 'day-first',
 * });
 * for (const row of result.imported) console.log(row.originalReference, '→', row.reference, row.status);
 * ```
 */
export async function importCsv(csv: string | Uint8Array, options: CsvImportOptions): Promise<CsvImportResult> {
  const { parsed, prepared, result } = await check(csv, options);
  const blocking = parsed.mode === 'all-or-nothing' ? result.problems : result.problems.filter((p) => p.row === 1);
  if (blocking.length > 0) throw new CsvImportError(result.problems, { warnings: result.warnings });
  const bad = new Set(result.skipped.map((s) => s.row));
  const imported: ImportedRow[] = [];
  const warnings: CsvImportWarning[] = prepared.warnings.slice();
  for (const plan of prepared.plans) {
    if (bad.has(plan.row)) continue;
    let outcome: RowOutcome;
    try {
      outcome = await applyRow(parsed.register, plan, parsed.actor, prepared, parsed.source, false);
    } catch (error) {
      throw new CsvImportError(
        [{ row: plan.row, line: plan.line, column: null, field: null, code: 'import.interrupted', message: `The register refused row ${plan.row} after ${imported.length} row(s) were imported: ${(error as Error).message}. Run the same import again to resume.` }],
        { warnings, imported, cause: error },
      );
    }
    if (outcome.imported === null) {
      throw new CsvImportError(
        outcome.problems.length > 0
          ? outcome.problems.map((p) => ({ ...p, message: `${p.message} (refused by the register after ${imported.length} row(s) were imported; run the same import again to resume)` }))
          : [{ row: plan.row, line: plan.line, column: null, field: null, code: 'import.interrupted', message: 'The register refused the row.' }],
        { warnings, imported },
      );
    }
    imported.push(outcome.imported);
    warnings.push(...outcome.warnings);
  }
  warnings.sort((a, b) => a.row - b.row);
  return { ...result, dryRun: false, imported, warnings };
}
