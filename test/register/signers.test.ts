// Issue 11 point 3 (21 CFR Part 11 §11.50, §11.70): signatures mean what they say.
// - The person a record names for a signed act is the signer: an effectiveness review
//   naming Jonas as its reviewer, submitted and signed by Omar, was accepted. It is now a
//   SignerMismatchError (CAPA_SIGNER_MISMATCH), and the host is not asked to re-authenticate
//   anyone. Fields of unsigned acts may still name someone else.
// - Independence at closure: whoever closes a nonconformity owns none of its corrective
//   actions (an action owner could close), set in the policy and on in the presets.
import { describe, expect, it } from 'vitest';
import {
  type Actor,
  type Correction,
  defineSeverityPolicy,
  ForbiddenError,
  iso27001,
  SeverityPolicy,
  SignatureError,
  SignerMismatchError,
  soc2,
} from 'capa-kit';
import { actors, sampleCorrection, sampleEvidence, sampleReview } from '../fixtures/events.js';
import { validateLog } from 'capa-kit/log';
import { exportText, type Line, mutate, reseal } from '../log/fixtures.js';
import { driveTo, expectNothingWritten, person, raiseInput, setup, signer } from './harness.js';

const jonas: Actor = { id: 'u-jonas', name: 'Jonas Berg', roles: ['auditor'] };
const omar: Actor = { id: 'u-omar', name: 'Omar Haddad', roles: ['auditor'] };

/** A register whose verifySignature hook records whom it was asked about. */
function signing(options: Parameters<typeof setup>[0] = {}) {
  const asked: string[] = [];
  const h = setup({ verifySignature: (actor, credential) => (asked.push(actor.id), credential === 'ok'), ...options });
  return { h, asked };
}

describe('the person a record names for a signed act is the signer', () => {
  it('an effective review naming Jonas, submitted and signed by Omar, is refused (CAPA_SIGNER_MISMATCH); nothing is written and no one is re-authenticated', async () => {
    const { h, asked } = signing();
    const { finding } = await driveTo(h.register, 'verifying');
    asked.length = 0;
    const review = { ...sampleReview('effective'), reviewer: person(jonas) };
    const error = await expectNothingWritten(h.store, () => h.register.reviewEffectiveness({ actor: omar, findingId: finding.id, review, signature: signer }));
    expect(error).toBeInstanceOf(SignerMismatchError);
    expect(error).toBeInstanceOf(SignatureError);
    expect(error).toMatchObject({
      code: 'CAPA_SIGNER_MISMATCH',
      meaning: 'verified effective',
      field: ['review', 'reviewer'],
      named: person(jonas),
      signer: person(omar),
    });
    expect((error as Error).message).toContain('Jonas Berg (u-jonas)');
    expect((error as Error).message).toContain('Omar Haddad (u-omar)');
    expect(asked).toEqual([]);

    // Jonas signs his own review: accepted, and the signature is his.
    const reviewed = await h.register.reviewEffectiveness({ actor: jonas, findingId: finding.id, review, signature: signer });
    expect(reviewed.effectivenessReviews.at(-1)!.reviewer).toEqual(person(jonas));
    const entry = (await h.register.history(finding.id)).at(-1)!;
    expect(entry.signature).toMatchObject({ signerId: jonas.id, printedName: jonas.name, meaning: 'verified effective' });
  });

  it('the same id under another printed name is a mismatch too (a signed record shows the signer\'s name)', async () => {
    const h = setup();
    const { finding } = await driveTo(h.register, 'verifying');
    const review = { ...sampleReview('effective'), reviewer: { id: omar.id, name: 'Jonas Berg' } };
    const error = await expectNothingWritten(h.store, () => h.register.reviewEffectiveness({ actor: omar, findingId: finding.id, review, signature: signer }));
    expect(error).toMatchObject({ code: 'CAPA_SIGNER_MISMATCH', field: ['review', 'reviewer'] });
  });

  it('a missing signature is still a SignatureError first, under a policy that requires one', async () => {
    const h = setup();
    const { finding } = await driveTo(h.register, 'verifying');
    const review = { ...sampleReview('effective'), reviewer: person(jonas) };
    const error = await expectNothingWritten(h.store, () => h.register.reviewEffectiveness({ actor: omar, findingId: finding.id, review }));
    expect(error).toBeInstanceOf(SignatureError);
    expect(error).not.toBeInstanceOf(SignerMismatchError);
  });

  it('unsigned acts may name someone else (recorded on their behalf): a not-effective verdict, or any verdict when signatures are off', async () => {
    const h = setup();
    const { finding } = await driveTo(h.register, 'verifying', { grade: 'major' });
    const review = { ...sampleReview('not-effective'), reviewer: person(jonas) };
    const recorded = await h.register.reviewEffectiveness({ actor: omar, findingId: finding.id, review });
    expect(recorded.effectivenessReviews.at(-1)!.reviewer).toEqual(person(jonas));
    expect((await h.register.history(finding.id)).at(-1)!.signature).toBeNull();

    const unsigned = defineSeverityPolicy({ ...iso27001, id: 'unsigned', signatures: { required: false } });
    const u = setup({ policy: unsigned });
    const d = await driveTo(u.register, 'verifying', { grade: 'major' });
    const effective = await u.register.reviewEffectiveness({ actor: omar, findingId: d.finding.id, review: { ...sampleReview('effective'), reviewer: person(jonas) } });
    expect(effective.effectivenessReviews.at(-1)!.reviewer).toEqual(person(jonas));
    // Offered a signature, it is a signed act again, and Omar cannot sign for Jonas.
    const e = await driveTo(u.register, 'verifying', { grade: 'major' });
    const error = await expectNothingWritten(u.store, () =>
      u.register.reviewEffectiveness({ actor: omar, findingId: e.finding.id, review: { ...sampleReview('effective'), reviewer: person(jonas) }, signature: signer }),
    );
    expect(error).toMatchObject({ code: 'CAPA_SIGNER_MISMATCH' });
  });

  it('approval and closure name the actor (planApproval.approvedBy, closure.closedBy): the signer, always', async () => {
    const h = setup();
    const { finding } = await driveTo(h.register, 'closed');
    expect(finding.planApproval!.approvedBy).toEqual(person(actors.auditor));
    expect(finding.closure!.closedBy).toEqual(person(actors.auditor));
    const signed = (await h.register.history(finding.id)).filter((entry) => entry.signature !== null);
    expect(signed.map((entry) => [entry.type, entry.signature!.signerId, entry.actor.id])).toEqual([
      ['APPROVE_PLAN', actors.auditor.id, actors.auditor.id],
      ['RECORD_REVIEW', actors.auditor.id, actors.auditor.id],
      ['CLOSE', actors.auditor.id, actors.auditor.id],
    ]);
  });
});

describe('independence at closure (sod.closerNotActionOwner)', () => {
  it('an owner of the corrective actions cannot close the nonconformity; someone independent may', async () => {
    const h = setup();
    const { finding, actionIds } = await driveTo(h.register, 'reviewed', { actionOwner: actors.owner });
    const ownerWithRoles: Actor = { ...actors.owner, roles: ['auditor'] };
    const error = await expectNothingWritten(h.store, () =>
      h.register.close({ actor: ownerWithRoles, findingId: finding.id, evidence: [sampleEvidence()], signature: signer }),
    );
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toMatchObject({ code: 'CAPA_FORBIDDEN', rule: 'sod.closerNotActionOwner', command: 'close' });
    // The message names the action the closer owns, and the finding.
    const action = await h.register.getAction(actionIds[0]!);
    expect(action.reference).toMatch(/^CA-2026-\d{4}$/);
    expect((error as Error).message).toContain(`corrective action ${action.reference} of ${finding.reference}`);
    const closed = await h.register.close({ actor: actors.auditor, findingId: finding.id, evidence: [sampleEvidence()], signature: signer });
    expect(closed.status).toBe('closed');
  });

  it('an observation (no actions) is closed by anyone; a policy may turn the rule off', async () => {
    const h = setup();
    const observation = await h.register.raise(raiseInput({ grade: 'observation' }));
    const closed = await h.register.close({ actor: actors.owner, findingId: observation.id, evidence: [], note: 'Monitored for a quarter: no recurrence', signature: signer });
    expect(closed.status).toBe('closed');

    const off = defineSeverityPolicy({
      ...iso27001,
      id: 'owners-close',
      segregationOfDuties: { ...iso27001.segregationOfDuties, closerNotActionOwner: false },
    });
    const o = setup({ policy: off });
    const { finding } = await driveTo(o.register, 'reviewed');
    const byOwner = await o.register.close({ actor: actors.owner, findingId: finding.id, evidence: [sampleEvidence()], signature: signer });
    expect(byOwner.closure!.closedBy).toEqual(person(actors.owner));
  });

  it('is on in the shipped presets, and on by default; a policy written before the field parses', () => {
    for (const preset of [iso27001, soc2]) {
      expect(preset.segregationOfDuties.closerNotActionOwner).toBe(true);
      expect(preset.clockSkewMinutes).toBe(5);
      expect(SeverityPolicy.parse(preset)).toEqual(preset);
    }
    // A header of an older log: the policy as it was written then, without the new fields.
    const { clockSkewMinutes: _skew, ...older } = structuredClone(iso27001) as Record<string, unknown> & typeof iso27001;
    (older.segregationOfDuties as Record<string, unknown>) = { reviewerNotActionOwner: true, rejecterNotRaiser: true };
    const parsed = defineSeverityPolicy(older);
    expect(parsed.segregationOfDuties).toEqual({ reviewerNotActionOwner: true, rejecterNotRaiser: true, closerNotActionOwner: true });
    expect(parsed.clockSkewMinutes).toBe(5);
    const { segregationOfDuties: _sod, ...none } = older;
    expect(defineSeverityPolicy(none).segregationOfDuties.closerNotActionOwner).toBe(true);
    expect(() => defineSeverityPolicy({ ...iso27001, clockSkewMinutes: -1 })).toThrow(/clockSkewMinutes/);
  });
});

describe('verifyHistory checks the acts too, on a history another writer made', () => {
  it('reports a closure by an action owner that a laxer policy let through, under the register\'s own policy', async () => {
    const lax = defineSeverityPolicy({
      ...iso27001,
      segregationOfDuties: { ...iso27001.segregationOfDuties, closerNotActionOwner: false },
    });
    const writer = setup({ policy: lax });
    const { finding } = await driveTo(writer.register, 'reviewed', { actionOwner: actors.owner });
    await writer.register.close({ actor: { ...actors.owner, roles: ['auditor'] }, findingId: finding.id, evidence: [sampleEvidence()], signature: signer });
    expect((await writer.register.verifyHistory()).ok).toBe(true);

    const auditor = setup({ store: writer.store });
    const report = await auditor.register.verifyHistory();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({ code: 'segregation-of-duties', recordId: finding.id, sequence: expect.any(Number) as number }),
    ]);
    expect(report.problems[0]!.message).toContain('sod.closerNotActionOwner');
  });

  it('reports a reported instant later than its entry by more than the policy\'s skew', async () => {
    const generous = defineSeverityPolicy({ ...iso27001, clockSkewMinutes: 24 * 60 });
    const writer = setup({ policy: generous });
    const { finding } = await driveTo(writer.register, 'reported');
    const completedAt = new Date(Date.parse(writer.now()) + 60 * 60_000).toISOString();
    await writer.register.recordCorrection({
      actor: actors.owner,
      findingId: finding.id,
      correction: { ...(sampleCorrection() as Extract<Correction, { kind: 'performed' }>), completedAt },
    });
    const report = await setup({ store: writer.store }).register.verifyHistory();
    expect(report.problems.map((problem) => [problem.code, problem.recordId])).toEqual([['future-instant', finding.id]]);
  });
});

describe('a signature is made at its act\'s time', () => {
  it('a signedAt other than the entry\'s time breaks the binding, in validateLog and in verifyHistory', async () => {
    const h = setup();
    const { finding } = await driveTo(h.register, 'closed');
    const signedIndex = (line: Line) => line.history.findIndex((item: Line) => item.entry.signature !== null);
    const changed = mutate(await exportText(h.store), finding.id, (line) => {
      const index = signedIndex(line);
      line.history[index].entry.signature.signedAt = '2026-01-01T00:00:00.000Z';
      reseal(line.history, index, { rebind: false });
    });
    const report = await validateLog(changed, { asOf: h.now() });
    const issue = report.issues.find((item) => item.code === 'signature-binding');
    expect(issue?.path?.slice(-2)).toEqual(['signature', 'signedAt']);
    expect(issue?.message).toContain("not at the entry's time");
  });
});
