// Issue 11, point 2, in the log: two findings with one reference (NC-2026-0006 twice), in a
// log whose hashes, chains and head all hold, passed validateLog and were imported. Now the
// validator reports duplicate-reference naming both records, for actions as for findings,
// and importLog refuses the log and writes nothing. Messages, exports and CSV rows name an
// action by its reference.
import { describe, expect, it } from 'vitest';
import { memoryStore } from 'capa-kit/register';
import { exportCsv, importLog, LogImportError, validateLog } from '../../src/log/index.js';
import { actors } from '../fixtures/events.js';
import { driveTo, dumpTenant, instrument, planLine, setup } from '../register/harness.js';
import { duplicateReferenceLog, exportText, linesOf, mutate, TENANT } from './fixtures.js';

/** Just after the fixtures' commands: nothing is stale or overdue yet. */
const AS_OF = '2026-03-03T00:00:00Z';

describe('duplicate references in a log', () => {
  it('validateLog reports each second holder, naming both records, for findings and for actions', async () => {
    const { text, findings, actions } = await duplicateReferenceLog();
    const report = await validateLog(text, { asOf: AS_OF });
    expect(report.ok).toBe(false);
    const duplicates = report.issues.filter((issue) => issue.code === 'duplicate-reference');
    expect(duplicates.map(({ recordId, reference, path }) => ({ recordId, reference, path }))).toEqual([
      { recordId: actions[1], reference: 'CA-2026-0001', path: ['action', 'reference'] },
      { recordId: findings[1], reference: 'NC-2026-0006', path: ['finding', 'reference'] },
    ].sort((a, b) => (a.recordId < b.recordId ? -1 : 1)));
    const about = duplicates.find((issue) => issue.recordId === findings[1])!;
    expect(about.message).toMatch(new RegExp(`^Record ${findings[1]} \\(line \\d+\\) has the finding reference NC-2026-0006 of record ${findings[0]} \\(line \\d+\\): a reference is unique per tenant and kind\\.$`));
    // Nothing else is wrong with the log: the duplicates are the only errors.
    expect(report.issues.filter((issue) => issue.severity === 'error').map((issue) => issue.code)).toEqual(['duplicate-reference', 'duplicate-reference']);
  });

  it('importLog refuses the log and writes nothing, not even a reference number', async () => {
    const { text, findings } = await duplicateReferenceLog();
    const store = instrument(memoryStore());
    const error = await importLog(text, store).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LogImportError);
    const refused = error as LogImportError;
    expect(refused.committed).toBe(0);
    expect(refused.issues.filter((issue) => issue.code === 'duplicate-reference').map((issue) => issue.path)).toContainEqual(['NC-2026-0006', 'finding', 'reference']);
    expect(refused.issues.find((issue) => issue.path[0] === 'NC-2026-0006')!.message).toContain(findings[0]);
    expect(store.calls.commit).toBe(0);
    expect(store.calls.nextReference).toBe(0);
    expect(await dumpTenant(store)).toEqual({ records: [], events: [] });
  });

  it('the same reference on a finding and on an action, or in two kinds, is no duplicate', async () => {
    const h = setup({ references: { finding: () => 'X-2026-0001', action: () => 'X-2026-0001' } });
    await driveTo(h.register, 'planning');
    const report = await validateLog(await exportText(h.store), { asOf: AS_OF });
    expect(report.issues).toEqual([]);
  });
});

describe('actions named by their reference', () => {
  it('the export carries each action with its reference, the validator names it, and the CSV has a column of them', async () => {
    const h = setup();
    const { finding } = await driveTo(h.register, 'investigating');
    await h.register.planActions({ actor: actors.owner, findingId: finding.id, actions: [planLine(), { description: 'Draft: find an owner' }] });
    const text = await exportText(h.store);
    const actionLines = linesOf(text).filter((line) => line.type === 'action');
    expect(actionLines.map((line) => line.action.reference)).toEqual(['CA-2026-0001', 'CA-2026-0002']);
    const draft = actionLines.find((line) => line.action.owner === null)!.action;

    const report = await validateLog(text, { asOf: AS_OF });
    const owner = report.issues.find((issue) => issue.code === 'action-without-owner')!;
    expect(owner).toMatchObject({ recordId: draft.id, reference: 'CA-2026-0002', message: expect.stringMatching(/^Corrective action CA-2026-0002 of NC-2026-\d{4} has no owner\.$/) as unknown });
    // A broken action's structural issues name it by reference too.
    const edited = await validateLog(mutate(text, draft.id, (line) => void (line.action.description = 'Edited')), { asOf: AS_OF });
    const mismatch = edited.issues.find((issue) => issue.code === 'record-mismatch')!;
    expect(mismatch.message).toMatch(/^Action CA-2026-0002 differs from what its history makes of it at description/);
    expect(mismatch.message).not.toContain(draft.id);

    let csv = '';
    for await (const chunk of exportCsv(text)) csv += chunk;
    const [header, row] = csv.split('\r\n');
    expect(header).toContain('"Action references","Corrective actions"');
    expect(row).toContain('"CA-2026-0001\nCA-2026-0002","Add an IT confirmation step\nDraft: find an owner"');
    expect(csv).not.toContain(draft.id);
  });

  it('verifyHistory names a record by its reference', async () => {
    const h = setup();
    const { actionIds } = await driveTo(h.register, 'planning');
    const [action] = await h.store.load(TENANT, [actionIds[0]!]);
    // The action's head moved without its history: the record no longer matches it.
    await h.store.inner.commit({ tenantId: TENANT, writes: [{ record: { ...action!, head: 'f'.repeat(64) }, expectedVersion: action!.version, events: [] }] });
    const { problems } = await h.register.verifyHistory();
    expect(problems).toEqual([expect.objectContaining({ code: 'record-head', recordId: actionIds[0], message: expect.stringMatching(/^Record CA-2026-0001 \(version 1\)/) })]);
  });
});
