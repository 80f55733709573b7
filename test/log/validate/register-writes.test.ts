// Records and logs refuse text with white space at either end; the register trims at its
// input. So nothing the register writes is refused later: a history of padded inputs (the
// register's commands, a spreadsheet imported with padded cells) exports to a log that
// validateLog and the JSON Schema (ajv) both accept, its text trimmed.
import { describe, expect, it } from 'vitest';
import { iso27001 } from 'capa-kit';
import { buildLogJsonSchema, importCsv, validateLog } from '../../../src/log/index.js';
import { actors, sampleEvidence } from '../../fixtures/events.js';
import { ajvValidator } from '../../fixtures/outside-validators.js';
import { raiseInput, setup } from '../../register/harness.js';
import { exportText, linesOf } from '../fixtures.js';

const ajv = ajvValidator(buildLogJsonSchema());
const pad = (text: string) => ` \u3000${text}\t\u00a0`;

describe('what the register writes passes the log rules', () => {
  it('padded command inputs are stored trimmed, and the log validates', async () => {
    const h = setup();
    const actor = { id: pad(actors.raiser.id), name: pad(actors.raiser.name), roles: actors.raiser.roles.map(pad) };
    const finding = await h.register.raise({
      ...raiseInput(
        {
          title: pad('Leavers kept active accounts'),
          description: pad('Two leavers kept access.'),
          observedEvidence: pad('Directory export'),
          requirement: { kind: 'standard', framework: pad('ISO/IEC 27001:2022'), reference: pad('A.5.18') },
          affected: { process: pad('Joiner-mover-leaver') },
          source: { kind: 'internal-audit', reference: pad('IA-1') },
          grade: pad('minor'),
          owner: { id: pad(actors.owner.id), name: pad(actors.owner.name) },
        },
        actor,
      ),
      idempotencyKey: pad('raise-1'),
    });
    expect(finding.title).toBe('Leavers kept active accounts');
    expect(finding.owner).toEqual({ id: actors.owner.id, name: actors.owner.name });
    await h.register.comment({ actor: actors.auditor, findingId: pad(finding.id), text: pad('Checked the export') });
    await h.register.attachEvidence({
      actor: actors.owner,
      findingId: finding.id,
      evidence: sampleEvidence({ title: pad('Mover list'), location: pad('DOC-1 v2'), collectedBy: { id: pad(actors.owner.id), name: pad(actors.owner.name) } }),
    });
    const text = await exportText(h.store);
    for (const line of linesOf(text)) expect(ajv(line), JSON.stringify(ajv.errors)).toBe(true);
    expect((await validateLog(text, { asOf: h.now() })).issues).toEqual([]);
    expect(text).not.toMatch(/"[ \u3000\t\u00a0]|[ \u3000\t\u00a0]"/u);
  });

  it('a spreadsheet imported with padded cells: text trimmed, the log valid', async () => {
    const h = setup();
    const csv = [
      'Reference,Title,Description,Evidence observed,Grade,Source,Requirement,Affected process,Owner,Date raised,Root cause,Corrective actions',
      `NC-7,${pad('Badges not returned')},"${pad('Two contractors kept badges.')}",${pad('Badge register')},${pad('Minor')},${pad('Internal audit')},${pad('A.7.2')},${pad('Facilities')},${pad('Sam Okafor')},2026-02-01,${pad('No owner for badge return')},"${pad('Badge return checklist')}"`,
    ].join('\n');
    const result = await importCsv(csv, { register: h.register, actor: { ...actors.auditor, name: pad(actors.auditor.name) }, clock: () => new Date('2026-03-01T09:00:00Z') });
    expect(result.problems).toEqual([]);
    const text = await exportText(h.store);
    const finding = linesOf(text).find((line) => line.type === 'finding')!.finding;
    expect([finding.title, finding.owner.name, finding.affected.process]).toEqual(['Badges not returned', 'Sam Okafor', 'Facilities']);
    for (const line of linesOf(text)) expect(ajv(line), JSON.stringify(ajv.errors)).toBe(true);
    const report = await validateLog(text, { asOf: '2026-03-02T00:00:00Z', policy: iso27001 });
    expect(report.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
  });
});
