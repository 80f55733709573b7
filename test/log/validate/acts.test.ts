// Issue 11 point 3: validateLog checks what the register enforces, for logs it did not
// write: segregation of duties under the header's policy (or the one given), the signer of
// each signed act, and instants in the future. The logs here come from a register whose
// policy allowed what the checked policy forbids, or are edited and resealed, so that only
// the rule under test is broken.
import { describe, expect, it } from 'vitest';
import { defineSeverityPolicy, iso27001, type SeverityPolicy } from 'capa-kit';
import type { CapaStore } from 'capa-kit/register';
import { exportLog, validateLog } from '../../../src/log/index.js';
import { actors, sampleEvidence, sampleReview } from '../../fixtures/events.js';
import { driveTo, person, raiseInput, setup, signer } from '../../register/harness.js';
import { type Line, mutate, reseal, TENANT } from '../fixtures.js';

const permissive = defineSeverityPolicy({
  ...iso27001,
  id: 'permissive',
  segregationOfDuties: { reviewerNotActionOwner: false, rejecterNotRaiser: false, closerNotActionOwner: false },
});

async function exported(store: CapaStore, policy: SeverityPolicy): Promise<string> {
  let text = '';
  for await (const line of exportLog(store, { tenant: TENANT, organisation: 'Acme Ltd', policy, generatedAt: '2026-03-03T09:00:00.000Z' })) text += line;
  return text;
}

/** A log in which the action owner reviewed and closed their own work, and the raiser rejected a finding (allowed by its policy). */
async function permissiveLog() {
  const h = setup({ policy: permissive });
  const ownerAuditor = { ...actors.owner, roles: ['auditor'] };
  const { finding } = await driveTo(h.register, 'verifying', { grade: 'major' });
  await h.register.reviewEffectiveness({ actor: ownerAuditor, findingId: finding.id, review: { ...sampleReview(), reviewer: person(ownerAuditor) }, signature: signer });
  await h.register.close({ actor: ownerAuditor, findingId: finding.id, evidence: [sampleEvidence()], signature: signer });
  const raised = await h.register.raise((await import('../../register/harness.js')).raiseInput());
  await h.register.reject({ actor: actors.raiser, findingId: raised.id, kind: 'not-a-nonconformity', reason: 'I was wrong' });
  return { h, closed: finding, rejected: raised, text: await exported(h.store, permissive) };
}

describe('validateLog checks what the register enforces', () => {
  it('segregation of duties under the header\'s policy: none under a policy that allows it, each rule under one that does not', async () => {
    const { h, text, closed, rejected } = await permissiveLog();
    const own = await validateLog(text, { asOf: '2026-03-03T00:00:00Z' });
    expect(own.issues).toEqual([]);

    const strict = await validateLog(text, { asOf: '2026-03-03T00:00:00Z', policy: iso27001 });
    const sod = strict.issues.filter((issue) => issue.code === 'segregation-of-duties');
    expect(sod.map((issue) => [issue.reference, issue.message.match(/\[(sod\.\w+)\]$/)?.[1], issue.path.slice(2)])).toEqual([
      [closed.reference, 'sod.reviewerNotActionOwner', ['entry', 'actor']],
      [closed.reference, 'sod.closerNotActionOwner', ['entry', 'actor']],
      [rejected.reference, 'sod.rejecterNotRaiser', ['entry', 'actor']],
    ]);
    const action = await h.register.getAction(closed.correctiveActionIds[0]!);
    expect(sod[1]!.message).toContain(`owns corrective action ${action.reference} of ${closed.reference} and cannot close it`);
    expect(strict.ok).toBe(false);
  });

  it('the signer of each signed act: the one who acts, and the person the record names', async () => {
    const h = setup();
    const { finding } = await driveTo(h.register, 'closed');
    const text = await exported(h.store, iso27001);
    expect((await validateLog(text, { asOf: h.now() })).issues).toEqual([]);

    const signedBy = (type: string, change: (entry: Line) => void) =>
      mutate(text, finding.id, (line) => {
        const index = line.history.findIndex((item: Line) => item.entry.type === type);
        change(line.history[index].entry);
        reseal(line.history, index);
      });
    // Closed by the auditor, signed by someone else.
    const other = signedBy('CLOSE', (entry) => {
      entry.signature.signerId = 'u-other';
      entry.signature.printedName = 'Someone Else';
    });
    // (The trailer's head, over the edited entry, no longer matches: that is the edit showing.)
    const report = await validateLog(other, { asOf: h.now() });
    const issues = report.issues.filter((issue) => issue.code !== 'head-mismatch');
    expect(issues.map((issue) => [issue.code, issue.path.slice(2)])).toEqual([['signer-mismatch', ['entry', 'signature', 'signerId']]]);
    expect(issues[0]!.message).toContain('recorded by Aud Itor (u-auditor) but signed by Someone Else (u-other)');

    // A signature on a comment, which signs nothing.
    const commented = await h.register.comment({ actor: actors.auditor, findingId: finding.id, text: 'Checked the sample' });
    void commented;
    const withComment = await exported(h.store, iso27001);
    const signedComment = mutate(withComment, finding.id, (line) => {
      const index = line.history.length - 1;
      const close = line.history.find((item: Line) => item.entry.type === 'CLOSE').entry;
      line.history[index].entry.signature = { ...close.signature, signedAt: line.history[index].entry.at };
      reseal(line.history, index);
    });
    const meaning = await validateLog(signedComment, { asOf: h.now() });
    expect(meaning.issues.map((issue) => issue.code).filter((code) => code !== 'head-mismatch')).toEqual(['signature-meaning']);
  });
});
