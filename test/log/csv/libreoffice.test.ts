// The CSV export opened as a user opens it: LibreOffice Calc (headless) reads each file
// with each separator a locale may use (comma, semicolon, tab), with "Trim spaces" off and
// on, "Detect special numbers" and "Evaluate formulas" on and quoted fields not forced to
// text, and saves xlsx and ods. Not one formula cell may come out of the neutralised
// files; the control files (the same cells written without neutralisation) must show
// formulas under every reading, or the test could not fail.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { iso27001 } from '../../../src/index.js';
import { CSV_COLUMN_IDS, rowCells } from '../../../src/log/csv/columns.js';
import { csvRecord, exportCsv } from '../../../src/log/csv/export.js';
import type { LoggedAction, LoggedFinding } from '../../../src/log/format/lines.js';
import { describeWithTool } from '../../support/outside-tool.js';
import { buildDataset, logLines } from '../reports/support/dataset.js';
import { type CsvReading, formulaCells, libreOffice, SEPARATORS, SOFFICE_TOOL } from './support/libreoffice.js';
import { PAYLOADS, payloadLines } from './support/payloads.js';

const READINGS: readonly CsvReading[] = SEPARATORS.flatMap((separator) => [false, true].map((trimSpaces) => ({ separator, trimSpaces })));

describeWithTool(
  SOFFICE_TOOL,
  `the CSV export of ${PAYLOADS.length} OWASP payloads opened in LibreOffice Calc`,
  () => {
    let dir: string;
    let office: ReturnType<typeof libreOffice>;
    const files: { path: string; control: boolean }[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'capa-kit-csv-lo-'));
      office = libreOffice();
      const { store, ids } = await buildDataset();
      const lines = payloadLines(await logLines(store), ids.get('F2')!);
      const actions = new Map(lines.filter((l): l is LoggedAction => l.type === 'action').map((l) => [l.action.id, l.action]));
      for (const separator of SEPARATORS) {
        let csv = '';
        for await (const chunk of exportCsv(lines, { delimiter: separator.char })) csv += chunk;
        const path = join(dir, `export-${separator.name}.csv`);
        writeFileSync(path, csv);
        files.push({ path, control: false });
        // The control: the same cells, written by the same writer, without neutralisation.
        const control = lines
          .filter((l): l is LoggedFinding => l.type === 'finding')
          .map((l) => rowCells({ finding: l.finding, actions: l.finding.correctiveActionIds.map((id) => actions.get(id)!), policy: iso27001, timeZone: 'UTC' }, CSV_COLUMN_IDS))
          .map((cells) => csvRecord(cells, separator.char, (cell) => cell))
          .join('');
        const controlPath = join(dir, `control-${separator.name}.csv`);
        writeFileSync(controlPath, control);
        files.push({ path: controlPath, control: true });
      }
    }, 60_000);

    afterAll(() => {
      office?.close();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    });

    it.each(READINGS.map((reading) => [`${reading.separator.name}${reading.trimSpaces ? ', Trim spaces' : ''}`, reading] as const))(
      'read splitting on %s: no formula cell in xlsx or ods; the controls show formulas',
      async (name, reading) => {
        for (const format of ['xlsx', 'ods'] as const) {
          const out = join(dir, `${name.replace(/\W+/g, '-')}-${format}`);
          const converted = await office.convert(
            files.map((f) => f.path),
            reading,
            format,
            out,
          );
          converted.forEach((file, index) => {
            const formulas = formulaCells(file);
            if (files[index]!.control) expect(formulas.length, `${file}: the control shows formulas`).toBeGreaterThan(0);
            else expect(formulas, file).toEqual([]);
          });
        }
      },
      180_000,
    );
  },
);
