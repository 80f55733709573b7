// LibreOffice Calc, headless, as a user's spreadsheet: it opens a CSV with the Text Import
// filter and saves it as xlsx or ods, and the test counts the formula cells in what it
// saved (`<f>` elements in the xlsx sheets, `table:formula` attributes in the ods
// content). A formula cell there is a formula LibreOffice would have evaluated on open.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { OutsideTool } from '../../../support/outside-tool.js';
import { unzip } from './zip.js';

const run = promisify(execFile);

/** Where Debian's libreoffice-calc-nogui puts soffice; `SOFFICE_PATH` overrides. */
export const SOFFICE = process.env['SOFFICE_PATH'] ?? '/usr/bin/soffice';
export const sofficeAvailable = (): boolean => existsSync(SOFFICE);
/** LibreOffice as an outside tool: tests that need it skip without it, and fail under CI. */
export const SOFFICE_TOOL: OutsideTool = { name: `LibreOffice (${SOFFICE})`, available: sofficeAvailable(), install: 'Debian: apt-get install -y libreoffice-calc-nogui; or set SOFFICE_PATH' };

/** The separators a spreadsheet may split a row on, with LibreOffice's code for each. */
export const SEPARATORS = [
  { name: 'comma', char: ',', code: 44 },
  { name: 'semicolon', char: ';', code: 59 },
  { name: 'tab', char: '\t', code: 9 },
] as const;

/** How the Text Import dialog is set: the separator, and whether "Trim spaces" is ticked. */
export interface CsvReading {
  readonly separator: (typeof SEPARATORS)[number];
  readonly trimSpaces: boolean;
}

/**
 * The CSV filter options (LibreOffice's "Filter Options for the CSV Filter"), set the way
 * that evaluates the most: 1 the separator, 2 `"` as the string delimiter, 3 UTF-8 (76),
 * 4 from line 1, 5 no column types, 6 English (US), 7 quoted fields NOT forced to text,
 * 8 "Detect special numbers" on, 9-10 export only, 11 "Trim spaces", 12 export only,
 * 13 "Evaluate formulas" on.
 */
export const filterOptions = (reading: CsvReading): string =>
  `CSV:${reading.separator.code},34,76,1,,1033,false,true,false,false,${reading.trimSpaces},-1,true`;

/** A formula cell found in a converted sheet. */
export interface FormulaCell {
  readonly file: string;
  readonly formula: string;
}

/** One LibreOffice profile for a test file (a profile is slow to create and must not be shared by two running instances). */
export function libreOffice() {
  const profile = mkdtempSync(join(tmpdir(), 'capa-kit-soffice-'));
  return {
    /** Opens each CSV as `reading` says and saves it as `format` in `outDir`; returns the paths written, in order. */
    async convert(csvFiles: readonly string[], reading: CsvReading, format: 'xlsx' | 'ods', outDir: string): Promise<string[]> {
      const args = [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--norestore', `--infilter=${filterOptions(reading)}`, '--convert-to', format, '--outdir', outDir, ...csvFiles];
      await run(SOFFICE, args, { timeout: 120_000 });
      const written = csvFiles.map((file) => join(outDir, `${basename(file).replace(/\.csv$/, '')}.${format}`));
      const missing = written.filter((file) => !existsSync(file));
      if (missing.length > 0) throw new Error(`soffice did not write ${missing.join(', ')} (in ${outDir}: ${readdirSync(outDir).join(', ')})`);
      return written;
    },
    close(): void {
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const decodeXml = (text: string) =>
  text.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name]!);

/** Every formula cell of an xlsx (`<f>` in each worksheet) or an ods (`table:formula` in content.xml). */
export function formulaCells(file: string): FormulaCell[] {
  const entries = unzip(readFileSync(file));
  const found: FormulaCell[] = [];
  if (file.endsWith('.xlsx')) {
    for (const [name, data] of entries) {
      if (!/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) continue;
      for (const match of data.toString('utf8').matchAll(/<f(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/f>)/g)) found.push({ file, formula: decodeXml(match[1] ?? '') });
    }
  } else {
    const content = entries.get('content.xml');
    if (content === undefined) throw new Error(`${file}: no content.xml`);
    for (const match of content.toString('utf8').matchAll(/table:formula="([^"]*)"/g)) found.push({ file, formula: decodeXml(match[1]!) });
  }
  return found;
}
