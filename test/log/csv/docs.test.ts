import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../../src/log/csv/columns.js';
import { CSV_IMPORT_FIELDS, DEFAULT_CSV_HEADERS } from '../../../src/log/csv/import-fields.js';
import { FORMULA_TRIGGERS } from '../../../src/log/csv/neutralise.js';

const csvDoc = readFileSync(new URL('../../../docs/csv.md', import.meta.url), 'utf8');

describe('docs/csv.md stays in step with the code', () => {
  it.each(CSV_COLUMNS.map((c) => [c.id, c] as const))('documents column %s', (_id, column) => {
    expect(csvDoc).toContain(`| \`${column.id}\` | ${column.header} | ${column.description} |`);
  });

  it.each(CSV_IMPORT_FIELDS)('documents the default headers of field %s', (field) => {
    expect(csvDoc).toContain(`| \`${field}\` | ${DEFAULT_CSV_HEADERS[field].join(', ')} |`);
  });

  it('names every formula trigger', () => {
    expect(FORMULA_TRIGGERS).toHaveLength(11);
    for (const visible of ['`=`', '`+`', '`-`', '`@`', 'tab (U+0009)', 'carriage return (U+000D)', 'NUL (U+0000)', '`＝`', '`＋`', '`－`', '`＠`']) expect(csvDoc).toContain(visible);
  });
});
