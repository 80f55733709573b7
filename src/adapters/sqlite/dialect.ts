import type { SqlDialect } from '../sql/dialect.js';

// SQLite keeps strings as UTF-8 (any character, U+0000 included, when bound as a
// parameter) and compares them byte by byte (the BINARY collation): code point order.

/** SQLite's extended result code of an error: better-sqlite3 names it (`code`), node:sqlite numbers it (`errcode`). */
function resultCode(error: unknown): { name: string; number: number | null } {
  const { code, errcode } = (error ?? {}) as { code?: unknown; errcode?: unknown };
  return { name: typeof code === 'string' ? code : '', number: typeof errcode === 'number' ? errcode : null };
}

const SQLITE_BUSY = 5;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
const SQLITE_CONSTRAINT_UNIQUE = 2067;

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  types: {
    text: 'TEXT',
    integer: 'INTEGER',
    boolean: 'INTEGER',
    searchText: 'TEXT',
    document: 'TEXT',
    serialKey: 'INTEGER PRIMARY KEY AUTOINCREMENT',
    createdAt: "TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
  },
  placeholder: () => '?',
  text: (value) => value,
  readText: (value) => String(value),
  searchText: (value) => value,
  readSearchText: (value) => String(value),
  bool: (value) => (value ? 1 : 0),
  readBool: (value) => Number(value) !== 0,
  boolLiteral: (value) => (value ? '1' : '0'),
  contains: (haystack, needle) => `instr(${haystack}, ${needle}) > 0`,
  jsonText: (column) => column,
  jsonString: (column, path) => {
    const at = `'$.${path.join('.')}'`;
    return `CASE WHEN json_type(${column}, ${at}) = 'text' THEN json_extract(${column}, ${at}) END`;
  },
  tableExistsSql: "SELECT count(*) AS present FROM sqlite_master WHERE type = 'table' AND name = ?",
  schemaExistsSql: null,
  isUniqueViolation(error) {
    const { name, number } = resultCode(error);
    return (
      name === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
      name === 'SQLITE_CONSTRAINT_UNIQUE' ||
      number === SQLITE_CONSTRAINT_PRIMARYKEY ||
      number === SQLITE_CONSTRAINT_UNIQUE
    );
  },
  isBusy(error) {
    const { name, number } = resultCode(error);
    // The primary code is the low byte: SQLITE_BUSY_SNAPSHOT, SQLITE_BUSY_TIMEOUT… are busy too.
    return name.startsWith('SQLITE_BUSY') || (number !== null && (number & 0xff) === SQLITE_BUSY);
  },
};
