/**
 * The Nonconformity and Corrective Action Log as JSON Lines: export a tenant's findings and
 * corrective actions with their whole history as a stream, validate a log (schema, hash
 * chains, signatures, the log head, lifecycle replay, and what auditors look for), and
 * import one into any store. docs/log.md describes the format line by line.
 *
 * @example
 * ```ts
 * import { iso27001 } from 'capa-kit';
 * import { memoryStore } from 'capa-kit/register';
 * import { exportLog, validateLog } from 'capa-kit/log';
 *
 * const store = memoryStore();
 * let text = '';
 * for await (const line of exportLog(store, { tenant: 'acme', policy: iso27001 })) text += line;
 * const report = await validateLog(text, { asOf: new Date() });
 * ```
 *
 * @packageDocumentation
 * @module capa-kit/log
 */
export {
  LOG_FORMAT,
  LogHeader,
  LoggedEntry,
  LoggedFinding,
  LoggedAction,
  LogTrailer,
  LogLine,
} from './format/lines.js';
export { buildLogJsonSchema } from './format/json-schema.js';
export { LOG_ISSUE_CODES, type LogIssue, type LogIssueCode, type LogIssueSeverity } from './format/issues.js';
export { exportLog, type ExportLogOptions } from './export/export-log.js';
export { type LogSource, MAX_LINE_LENGTH } from './read/source.js';
export { validateLog, type ValidateLogOptions } from './validate/validate-log.js';
export type { LogValidationReport, LogValidationSummary } from './validate/checker.js';
export { importLog, LogImportError, type ImportLogOptions, type ImportLogResult, type RereadableLogSource } from './import/import-log.js';
export type { LogHead } from '../register/verify.js';

// ---------------------------------------------------------------------------------------
// CSV export and import, and the management-review and risk-feedback reports
// (src/log/csv, src/log/reports: docs/csv.md, docs/reports.md). Keep this block at the end.
export {
  CSV_COLUMN_IDS,
  CSV_COLUMNS,
  CSV_IMPORT_FIELDS,
  CsvImportError,
  checkCsvImport,
  DEFAULT_CSV_HEADERS,
  exportCsv,
  FORMULA_TRIGGERS,
  IMPORT_NAMESPACE,
  ImportedFrom,
  importCsv,
  neutraliseFormula,
  type CsvColumn,
  type CsvColumnId,
  type CsvDateStyle,
  type CsvExportOptions,
  type CsvImportField,
  type CsvImportMapping,
  type CsvImportOptions,
  type CsvImportProblem,
  type CsvImportResult,
  type CsvImportWarning,
  type ImportedRow,
} from './csv/index.js';
export {
  managementReview,
  renderReportHtml,
  renderReportMarkdown,
  riskFeedback,
  type CountBy,
  type DurationStats,
  type LogInput,
  type LogInputItem,
  type LogReport,
  type ManagementReview,
  type ManagementReviewOptions,
  type MonthTrend,
  type RecurrenceGroup,
  type RecurringGroup,
  type RenderHtmlOptions,
  type ReportBreakdown,
  type ReportCount,
  type ReportFinding,
  type RiskFeedback,
  type RiskFeedbackOptions,
} from './reports/index.js';
// ------------------------------------------------------------------ end of CSV and reports
