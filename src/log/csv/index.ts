export { CSV_COLUMN_IDS, CSV_COLUMNS, type CsvColumn, type CsvColumnId } from './columns.js';
export { exportCsv, type CsvExportOptions } from './export.js';
export { FORMULA_TRIGGERS, neutraliseFormula } from './neutralise.js';
export { CSV_IMPORT_FIELDS, DEFAULT_CSV_HEADERS, type CsvDateStyle, type CsvImportField } from './import-fields.js';
export { CsvImportError, type CsvImportProblem, type CsvImportWarning, type ImportedRow } from './import-error.js';
export {
  checkCsvImport,
  importCsv,
  IMPORT_NAMESPACE,
  ImportedFrom,
  type CsvImportMapping,
  type CsvImportOptions,
  type CsvImportResult,
} from './import.js';
