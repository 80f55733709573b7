import type { SqlDialect } from '../sql/dialect.js';
import { escapeText, unescapeText } from './text-escape.js';

// PostgreSQL: text columns compare byte by byte (`COLLATE "C"`: code point order, the
// contract's), documents are `json` (jsonb refuses U+0000 and reorders keys), the search
// text is bytea (see text-escape.ts), and integers are 64-bit.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** PostgreSQL's SQLSTATE of an error (pg and PGlite both put it in `code`). */
const sqlState = (error: unknown): string | null => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
};

const UNIQUE_VIOLATION = '23505';
/** lock_not_available (lock_timeout), deadlock_detected, serialization_failure: another transaction was in the way. */
const BUSY = new Set(['55P03', '40P01', '40001']);

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  types: {
    text: 'TEXT COLLATE "C"',
    integer: 'BIGINT',
    boolean: 'BOOLEAN',
    searchText: 'BYTEA',
    document: 'JSON',
    serialKey: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
    createdAt: 'TIMESTAMPTZ NOT NULL DEFAULT now()',
  },
  placeholder: (n) => `$${n}`,
  text: escapeText,
  readText: (value) => unescapeText(String(value)),
  searchText: (value) => encoder.encode(value),
  readSearchText: (value) => decoder.decode(value as Uint8Array),
  bool: (value) => value,
  readBool: (value) => value === true,
  boolLiteral: (value) => (value ? 'TRUE' : 'FALSE'),
  contains: (haystack, needle) => `position(${needle} in ${haystack}) > 0`,
  jsonText: (column) => `${column}::text`,
  jsonString: (column, path) => {
    const parent = [column, ...path.slice(0, -1).map((key) => `'${key}'`)].join(' -> ');
    const key = `'${path.at(-1)}'`;
    return `CASE WHEN json_typeof(${parent} -> ${key}) = 'string' THEN ${parent} ->> ${key} END`;
  },
  tableExistsSql: 'SELECT to_regclass($1) IS NOT NULL AS present',
  schemaExistsSql: 'SELECT to_regnamespace($1) IS NOT NULL AS present',
  isUniqueViolation: (error) => sqlState(error) === UNIQUE_VIOLATION,
  isBusy: (error) => BUSY.has(sqlState(error) ?? ''),
};
