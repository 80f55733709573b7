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
    const named: Record<string, string> = { '\t': 'tab (U+0009)', '\r': 'carriage return (U+000D)', '\0': 'NUL (U+0000)' };
    const section = csvDoc.slice(csvDoc.indexOf('### Formula injection'), csvDoc.indexOf('**Where a cell can start.**'));
    expect(FORMULA_TRIGGERS.length).toBeGreaterThan(11);
    for (const trigger of FORMULA_TRIGGERS) expect(section).toContain(named[trigger] ?? `\`${trigger}\``);
  });

  it('states where the export neutralises and how the import undoes it', () => {
    for (const rule of ['right after every `,`, `;`, tab, carriage return and line feed', 'double quotes `"` are skipped', 'one `\'` is inserted there', 'one `\'` is removed where one or more `\'` and then a trigger follow']) {
      expect(csvDoc).toContain(rule);
    }
  });
});
