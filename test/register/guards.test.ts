// Issue points 2, 3 and 5: the host's authorize hook, the policy's segregation of duties,
// and electronic signatures. Every refusal must be the typed error the docs name, and
// write nothing.
import { describe, expect, it } from 'vitest';
import {
  type Actor,
  CapaTransitionError,
  defineSeverityPolicy,
  type Finding,
  ForbiddenError,
  type HistoryEntry,
  iso27001,
  SignatureError,
} from 'capa-kit';
import { type CapaStore, type CommandName, memoryStore, sealEntry, type StoredEvent } from 'capa-kit/register';
import { actors, sampleCorrection, sampleEvidence, sampleReview, sampleRootCause } from '../fixtures/events.js';
import { TENANT, driveTo, dumpTenant, expectNothingWritten, person, planLine, raiseInput, setup, signer } from './harness.js';

// ---------------------------------------------------------------------------------------
// 2. authorize
// ---------------------------------------------------------------------------------------

interface AuthorizeCall {
  readonly actor: string;
  readonly command: CommandName;
  readonly finding: { readonly id: string; readonly status: string } | null;
}

describe('authorize: the host hook is asked before anything else happens', () => {
  it('a refusal at any step is a ForbiddenError (rule "host") that writes nothing; the hook sees the command and the finding as it is', async () => {
    let denied: CommandName | null = null;
    let calls: AuthorizeCall[] = [];
    const h = setup({
      authorize: async (actor, command, finding) => {
        calls.push({ actor: actor.id, command, finding: finding === null ? null : { id: finding.id, status: finding.status } });
        return command !== denied;
      },
    });
    const other = await h.register.raise(raiseInput({ title: 'Other finding' }));
    let finding: Finding | null = null;
    let actionId = '';
    const id = () => finding!.id;

    // Each step: refused once (checked), then allowed. The finding the hook sees is the stored one.
    const steps: [CommandName, Actor, () => Promise<unknown>][] = [
      ['raise', actors.raiser, () => h.register.raise(raiseInput())],
      ['comment', actors.owner, () => h.register.comment({ actor: actors.owner, findingId: id(), text: 'Seen' })],
      ['attachEvidence', actors.owner, () => h.register.attachEvidence({ actor: actors.owner, findingId: id(), evidence: sampleEvidence() })],
      ['linkFindings', actors.owner, () => h.register.linkFindings({ actor: actors.owner, findingId: id(), findingIds: [other.id] })],
      ['regrade', actors.owner, () => h.register.regrade({ actor: actors.owner, findingId: id(), grade: 'major', reason: 'Systemic' })],
      ['regrade', actors.owner, () => h.register.regrade({ actor: actors.owner, findingId: id(), grade: 'minor', reason: 'Isolated after all' })],
      ['recordCorrection', actors.owner, () => h.register.recordCorrection({ actor: actors.owner, findingId: id(), correction: sampleCorrection() })],
      ['recordRootCause', actors.owner, () => h.register.recordRootCause({ actor: actors.owner, findingId: id(), rootCause: sampleRootCause() })],
      ['planActions', actors.owner, () => h.register.planActions({ actor: actors.owner, findingId: id(), actions: [planLine()] })],
      ['submitPlan', actors.owner, () => h.register.submitPlan({ actor: actors.owner, findingId: id() })],
      ['returnPlan', actors.auditor, () => h.register.returnPlan({ actor: actors.auditor, findingId: id(), reason: 'Outcome is vague' })],
      ['submitPlan', actors.owner, () => h.register.submitPlan({ actor: actors.owner, findingId: id() })],
      ['approvePlan', actors.auditor, () => h.register.approvePlan({ actor: actors.auditor, findingId: id(), signature: signer })],
      ['startAction', actors.owner, () => h.register.startAction({ actor: actors.owner, actionId })],
      ['completeAction', actors.owner, () => h.register.completeAction({ actor: actors.owner, actionId, evidence: [sampleEvidence()] })],
      ['startVerification', actors.owner, () => h.register.startVerification({ actor: actors.owner, findingId: id() })],
      ['reviewEffectiveness', actors.auditor, () => h.register.reviewEffectiveness({ actor: actors.auditor, findingId: id(), review: sampleReview(), signature: signer })],
      ['close', actors.auditor, () => h.register.close({ actor: actors.auditor, findingId: id(), evidence: [sampleEvidence()], signature: signer })],
      ['reopen', actors.auditor, () => h.register.reopen({ actor: actors.auditor, findingId: id(), reason: 'It happened again' })],
    ];
    for (const [command, actor, run] of steps) {
      const stored = finding === null ? null : await h.register.get(finding.id);
      denied = command;
      calls = [];
      const error = await expectNothingWritten(h.store, run);
      expect(error, command).toBeInstanceOf(ForbiddenError);
      expect(error).toMatchObject({ code: 'CAPA_FORBIDDEN', rule: 'host', command });
      expect(calls, command).toContainEqual({ actor: actor.id, command, finding: stored === null ? null : { id: stored.id, status: stored.status } });
      denied = null;
      const result = (await run()) as Finding;
      if (command === 'raise') finding = result;
      if (command === 'planActions') actionId = result.correctiveActionIds[0]!;
    }
    expect((await h.register.get(id())).status).toBe('investigating');
  });

  it('reject and cancelAction are asked too; only `true` allows (a truthy "yes" refuses)', async () => {
    let answer: unknown = true;
    const seen: CommandName[] = [];
    const h = setup({ authorize: (_actor, command) => (seen.push(command), answer as boolean) });
    const { finding, actionIds } = await driveTo(h.register, 'implementing', { grade: 'major' });
    answer = 'yes';
    const e1 = await expectNothingWritten(h.store, () => h.register.cancelAction({ actor: actors.owner, actionId: actionIds[0]!, reason: 'Superseded' }));
    expect(e1).toMatchObject({ code: 'CAPA_FORBIDDEN', rule: 'host', command: 'cancelAction' });
    const second = await (answer = true, h.register.raise(raiseInput()));
    answer = 1;
    const e2 = await expectNothingWritten(h.store, () => h.register.reject({ actor: actors.owner, findingId: second.id, kind: 'not-a-nonconformity', reason: 'Out of scope' }));
    expect(e2).toMatchObject({ code: 'CAPA_FORBIDDEN', rule: 'host', command: 'reject' });
    expect(seen).toEqual(expect.arrayContaining(['cancelAction', 'reject']));
    expect((await h.register.get(finding.id)).status).toBe('implementing');
  });

  it('an action command asks the hook once per linked finding, and one refusal refuses them all', async () => {
    const asked: [CommandName, string | undefined][] = [];
    let refuse: string | null = null;
    const h = setup({ authorize: (_actor, command, finding) => (asked.push([command, finding?.id]), finding?.id !== refuse) });
    const a = await driveTo(h.register, 'planning', { grade: 'major' });
    const b = await driveTo(h.register, 'investigating', { grade: 'major' });
    await h.register.planActions({ actor: actors.owner, findingId: b.finding.id, actions: [{ existingActionId: a.actionIds[0]! }] });
    await h.register.submitPlan({ actor: actors.owner, findingId: a.finding.id });
    await h.register.submitPlan({ actor: actors.owner, findingId: b.finding.id });
    asked.length = 0;
    refuse = b.finding.id;
    const error = await expectNothingWritten(h.store, () => h.register.startAction({ actor: actors.owner, actionId: a.actionIds[0]! }));
    expect(error).toMatchObject({ code: 'CAPA_FORBIDDEN', rule: 'host' });
    expect(asked).toEqual([
      ['startAction', a.finding.id],
      ['startAction', b.finding.id],
    ]);
  });

  it('a hook that throws refuses the command and writes nothing', async () => {
    const h = setup({ authorize: () => { throw new Error('directory unavailable'); } });
    const error = await expectNothingWritten(h.store, () => h.register.raise(raiseInput()));
    expect((error as Error).message).toBe('directory unavailable');
  });
});

// ---------------------------------------------------------------------------------------
// 3. Segregation of duties
// ---------------------------------------------------------------------------------------

const secondAuditor: Actor = { id: 'u-auditor-2', name: 'Second Auditor', roles: ['auditor'] };

const lax = defineSeverityPolicy({
  ...iso27001,
  id: 'lax',
  segregationOfDuties: { reviewerNotActionOwner: false, rejecterNotRaiser: false },
});

describe('segregation of duties (iso27001: on)', () => {
  it('the effectiveness reviewer cannot own one of the current corrective actions', async () => {
    const h = setup();
    // The auditor owns the action, then tries to review its effectiveness.
    const { finding } = await driveTo(h.register, 'verifying', { actionOwner: actors.auditor });
    const error = await expectNothingWritten(h.store, () =>
      h.register.reviewEffectiveness({ actor: actors.auditor, findingId: finding.id, review: sampleReview(), signature: signer }),
    );
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toMatchObject({ code: 'CAPA_FORBIDDEN', rule: 'sod.reviewerNotActionOwner', command: 'reviewEffectiveness' });
    // A not-effective verdict is no loophole.
    const notEffective = await expectNothingWritten(h.store, () =>
      h.register.reviewEffectiveness({ actor: actors.auditor, findingId: finding.id, review: sampleReview('not-effective') }),
    );
    expect(notEffective).toMatchObject({ rule: 'sod.reviewerNotActionOwner' });
    // Another auditor may.
    const reviewed = await h.register.reviewEffectiveness({
      actor: secondAuditor,
      findingId: finding.id,
      review: { ...sampleReview(), reviewer: person(secondAuditor) },
      signature: signer,
    });
    expect(reviewed.effectivenessReviews).toHaveLength(1);
  });

  it('only the current cycle\'s actions count: after a not-effective review, the old owner may review the new plan', async () => {
    const h = setup();
    const { finding } = await driveTo(h.register, 'verifying', { grade: 'major', actionOwner: actors.auditor });
    const findingId = finding.id;
    const again = await h.register.reviewEffectiveness({
      actor: secondAuditor,
      findingId,
      review: { ...sampleReview('not-effective'), reviewer: person(secondAuditor) },
    });
    expect(again.status).toBe('investigating');
    await h.register.recordRootCause({ actor: actors.owner, findingId, rootCause: sampleRootCause({ statement: 'No one owns the IT confirmation step.' }) });
    const replanned = await h.register.planActions({ actor: actors.owner, findingId, actions: [planLine(actors.owner, 'Name an owner for the step')] });
    await h.register.submitPlan({ actor: actors.owner, findingId });
    const newAction = replanned.correctiveActionIds.at(-1)!;
    await h.register.startAction({ actor: actors.owner, actionId: newAction });
    await h.register.completeAction({ actor: actors.owner, actionId: newAction, evidence: [sampleEvidence()] });
    await h.register.startVerification({ actor: actors.owner, findingId });
    const reviewed = await h.register.reviewEffectiveness({ actor: actors.auditor, findingId, review: sampleReview(), signature: signer });
    expect(reviewed.effectivenessReviews.map((r) => r.result)).toEqual(['not-effective', 'effective']);
    // ...but the owner of the new plan's action may not.
    const h2 = setup();
    const d2 = await driveTo(h2.register, 'verifying', { grade: 'major' });
    const error = await expectNothingWritten(h2.store, () =>
      h2.register.reviewEffectiveness({ actor: { ...actors.owner, roles: ['auditor'] }, findingId: d2.finding.id, review: sampleReview(), signature: signer }),
    );
    expect(error).toMatchObject({ rule: 'sod.reviewerNotActionOwner' });
  });

  it('plan approval needs the role the policy names: a CapaTransitionError with approval.role', async () => {
    const h = setup();
    const { finding } = await driveTo(h.register, 'awaitingApproval');
    for (const actor of [actors.owner, actors.raiser, actors.officer, actors.nobody]) {
      const error = await expectNothingWritten(h.store, () => h.register.approvePlan({ actor, findingId: finding.id, signature: signer }));
      expect(error).toBeInstanceOf(CapaTransitionError);
      expect((error as CapaTransitionError).unmet.map((u) => u.code)).toEqual(['approval.role']);
      expect((error as CapaTransitionError).unmet[0]!.message).toContain('"auditor"');
    }
    const approved = await h.register.approvePlan({ actor: actors.auditor, findingId: finding.id, signature: signer });
    expect(approved.planApproval).toMatchObject({ approvedBy: person(actors.auditor), role: 'auditor' });
  });

  it('whoever raised a finding cannot reject it', async () => {
    const h = setup();
    const raised = await h.register.raise(raiseInput());
    const error = await expectNothingWritten(h.store, () =>
      h.register.reject({ actor: actors.raiser, findingId: raised.id, kind: 'not-a-nonconformity', reason: 'I was wrong' }),
    );
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).toMatchObject({ code: 'CAPA_FORBIDDEN', rule: 'sod.rejecterNotRaiser', command: 'reject' });
    // Someone else may.
    const rejected = await h.register.reject({ actor: actors.auditor, findingId: raised.id, kind: 'not-a-nonconformity', reason: 'Out of scope' });
    expect(rejected.status).toBe('rejected');
  });

  it('with a policy that turns them off, the action owner may review and the raiser may reject; the approval role still holds', async () => {
    const h = setup({ policy: lax });
    const { finding } = await driveTo(h.register, 'verifying', { actionOwner: actors.auditor });
    const reviewed = await h.register.reviewEffectiveness({ actor: actors.auditor, findingId: finding.id, review: sampleReview(), signature: signer });
    expect(reviewed.effectivenessReviews).toHaveLength(1);

    const raised = await h.register.raise(raiseInput());
    const rejected = await h.register.reject({ actor: actors.raiser, findingId: raised.id, kind: 'not-a-nonconformity', reason: 'I was wrong' });
    expect(rejected.status).toBe('rejected');

    const waiting = await driveTo(h.register, 'awaitingApproval');
    const error = await expectNothingWritten(h.store, () => h.register.approvePlan({ actor: actors.owner, findingId: waiting.finding.id, signature: signer }));
    expect((error as CapaTransitionError).unmet.map((u) => u.code)).toEqual(['approval.role']);
  });

  // Regression, fixed (src/register/guards.ts checkSegregation): sod.reviewerNotActionOwner compares only
  // the *actor* with the action owners. The effectiveness review record carries its own
  // `review.reviewer`, and the register stores whatever person it names: an auditor can
  // submit a review whose recorded reviewer is the owner of the finding's only corrective
  // action. The log then shows the action owner verifying their own work, which is what
  // the rule exists to prevent. Expected: ForbiddenError (sod.reviewerNotActionOwner), or a
  // validation error requiring review.reviewer to be the actor. Before the fix: accepted.
  it('the recorded reviewer (review.reviewer) cannot be an owner of the actions either', async () => {
    const h = setup();
    const { finding } = await driveTo(h.register, 'verifying');
    const review = { ...sampleReview(), reviewer: person(actors.owner) };
    const error = await expectNothingWritten(h.store, () =>
      h.register.reviewEffectiveness({ actor: actors.auditor, findingId: finding.id, review, signature: signer }),
    );
    expect(error).toBeInstanceOf(ForbiddenError);
  });
});

// ---------------------------------------------------------------------------------------
// 5. Signatures
// ---------------------------------------------------------------------------------------

type Signing = 'approvePlan' | 'reviewEffectiveness' | 'close';
const MEANING: Record<Signing, string> = { approvePlan: 'approved', reviewEffectiveness: 'verified effective', close: 'closed' };

/** A finding at the point where `command` is the next step, and the command's input minus the signature. */
async function atSigningStep(register: ReturnType<typeof setup>['register'], command: Signing) {
  const stage = command === 'approvePlan' ? 'awaitingApproval' : command === 'reviewEffectiveness' ? 'verifying' : 'reviewed';
  const { finding } = await driveTo(register, stage);
  const findingId = finding.id;
  const input =
    command === 'approvePlan'
      ? { actor: actors.auditor, findingId }
      : command === 'reviewEffectiveness'
        ? { actor: actors.auditor, findingId, review: sampleReview('effective') }
        : { actor: actors.auditor, findingId, evidence: [sampleEvidence()] };
  return { findingId, input };
}

function run(register: ReturnType<typeof setup>['register'], command: Signing, input: object) {
  return (register[command] as (input: object) => Promise<Finding>)(input);
}

describe('electronic signatures', () => {
  describe.each(['approvePlan', 'reviewEffectiveness', 'close'] as const)('%s', (command) => {
    const meaning = MEANING[command];

    it('without a signature: SignatureError, nothing written', async () => {
      const h = setup();
      const { input } = await atSigningStep(h.register, command);
      const error = await expectNothingWritten(h.store, () => run(h.register, command, input));
      expect(error).toBeInstanceOf(SignatureError);
      expect(error).toMatchObject({ code: 'CAPA_SIGNATURE', meaning });
    });

    it('without a verifySignature hook: SignatureError, nothing written', async () => {
      const h = setup({ verifySignature: undefined });
      const { input } = await atSigningStep(
        // Get there with a hook, then sign without one, on the same store.
        setup({ store: h.store }).register,
        command,
      );
      const error = await expectNothingWritten(h.store, () => run(h.register, command, { ...input, signature: signer }));
      expect(error).toMatchObject({ code: 'CAPA_SIGNATURE', meaning });
      expect((error as Error).message).toContain('no verifySignature hook');
    });

    it('a hook that says false, says "yes", or throws: SignatureError, nothing written', async () => {
      for (const hook of [() => false, () => 'yes' as unknown as boolean, async () => { throw new Error('IdP down'); }]) {
        const h = setup();
        const { input } = await atSigningStep(h.register, command);
        const refusing = setup({ store: h.store, verifySignature: hook });
        const error = await expectNothingWritten(h.store, () => run(refusing.register, command, { ...input, signature: signer }));
        expect(error).toBeInstanceOf(SignatureError);
        expect(error).toMatchObject({ code: 'CAPA_SIGNATURE', meaning });
      }
    });

    it('the hook gets (actor, credential, meaning); the signature is recorded, bound to the record before the entry', async () => {
      const seen: [Actor, unknown, string][] = [];
      const h = setup({ verifySignature: (actor, credential, m) => (seen.push([actor, credential, m]), credential === 'ok') });
      const { findingId, input } = await atSigningStep(h.register, command);
      const before = (await h.store.load(TENANT, [findingId]))[0]!;
      seen.length = 0;
      await run(h.register, command, { ...input, signature: { credential: 'ok' } });
      expect(seen).toEqual([[actors.auditor, 'ok', meaning]]);
      const entry = (await h.register.history(findingId)).at(-1)!;
      expect(entry.signature).toEqual({
        signerId: actors.auditor.id,
        printedName: actors.auditor.name,
        meaning,
        signedAt: entry.at,
        boundTo: { recordId: findingId, version: before.version, hash: before.head },
      });
      expect(entry.at).toBe(h.now());
      expect(entry.signature!.boundTo).toEqual({ recordId: findingId, version: entry.sequence - 1, hash: entry.prevHash });
      expect((await h.register.verifyHistory()).ok).toBe(true);
    });
  });

  it('the three meanings, in lifecycle order; a not-effective verdict needs none and records none', async () => {
    const meanings: string[] = [];
    const h = setup({ verifySignature: (_a, _c, meaning) => (meanings.push(meaning), true) });
    await driveTo(h.register, 'closed');
    expect(meanings).toEqual(['approved', 'verified effective', 'closed']);

    meanings.length = 0;
    const { finding } = await driveTo(h.register, 'verifying', { grade: 'major' });
    const notEffective = await h.register.reviewEffectiveness({ actor: actors.auditor, findingId: finding.id, review: sampleReview('not-effective') });
    expect(notEffective.status).toBe('investigating');
    expect((await h.register.history(finding.id)).at(-1)!.signature).toBeNull();
    expect(meanings).toEqual([]);
  });

  it('with signatures not required and no credential, the commands run and no signature is recorded', async () => {
    const unsigned = defineSeverityPolicy({ ...iso27001, id: 'unsigned', signatures: { required: false } });
    const h = setup({ policy: unsigned, verifySignature: undefined });
    const { finding } = await driveTo(h.register, 'awaitingApproval');
    const findingId = finding.id;
    await h.register.approvePlan({ actor: actors.auditor, findingId });
    const actionId = finding.correctiveActionIds[0]!;
    await h.register.startAction({ actor: actors.owner, actionId });
    await h.register.completeAction({ actor: actors.owner, actionId, evidence: [sampleEvidence()] });
    await h.register.startVerification({ actor: actors.owner, findingId });
    await h.register.reviewEffectiveness({ actor: actors.auditor, findingId, review: sampleReview() });
    const closed = await h.register.close({ actor: actors.auditor, findingId, evidence: [sampleEvidence()] });
    expect(closed.status).toBe('closed');
    const history = await h.register.history(findingId);
    expect(history.every((entry) => entry.signature === null)).toBe(true);
    expect((await h.register.verifyHistory()).ok).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------
// Forged signature bindings
// ---------------------------------------------------------------------------------------

/**
 * Copies a tenant into a fresh memory store, letting `edit` rewrite one record's entries;
 * the chain from the first changed entry on is re-sealed and the record's head follows,
 * so that only the signature binding is wrong, not the hashes.
 */
async function forgedCopy(source: CapaStore, recordId: string, edit: (entries: HistoryEntry[]) => HistoryEntry[]): Promise<CapaStore> {
  const { records, events } = await dumpTenant(source);
  const copy = memoryStore();
  const byRecord = new Map<string, StoredEvent[]>();
  for (const event of events) byRecord.set(event.recordId, [...(byRecord.get(event.recordId) ?? []), event]);
  const writes = records.map((record) => {
    const own = byRecord.get(record.id) ?? [];
    let entries = own.map((event) => event.entry as unknown as HistoryEntry);
    let head = record.head;
    if (record.id === recordId) {
      entries = edit(entries.map((entry) => structuredClone(entry)));
      let prev: string | null = null;
      entries = entries.map((entry) => {
        const { hash: _old, ...rest } = entry;
        const sealed = sealEntry({ ...rest, prevHash: prev });
        prev = sealed.hash;
        return sealed;
      });
      head = prev;
    }
    return {
      record: { ...record, head },
      expectedVersion: 0,
      events: entries.map((entry, index) => ({ tenantId: TENANT, recordId: record.id, sequence: index + 1, entry: entry as never })),
    };
  });
  await copy.commit({ tenantId: TENANT, writes });
  return copy;
}

describe('verifyHistory catches a signature moved to another record or another point of the history', () => {
  async function closedFinding() {
    const h = setup();
    const a = await driveTo(h.register, 'closed');
    const b = await driveTo(h.register, 'reviewed');
    return { h, a: a.finding, b: b.finding };
  }

  it('the untouched copy verifies (the forging harness itself breaks nothing)', async () => {
    const { h, a } = await closedFinding();
    const copy = await forgedCopy(h.store, a.id, (entries) => entries);
    const report = await setup({ store: copy }).register.verifyHistory();
    expect(report.problems).toEqual([]);
  });

  it.each([
    ['bound to another record', (s: NonNullable<HistoryEntry['signature']>, other: string) => ({ ...s, boundTo: { ...s.boundTo, recordId: other } })],
    ['bound to another version', (s: NonNullable<HistoryEntry['signature']>) => ({ ...s, boundTo: { ...s.boundTo, version: s.boundTo.version - 1 } })],
    ['bound to another head', (s: NonNullable<HistoryEntry['signature']>) => ({ ...s, boundTo: { ...s.boundTo, hash: 'f'.repeat(64) } })],
  ])('a signature %s is flagged as signature-binding', async (_name, alter) => {
    const { h, a, b } = await closedFinding();
    const copy = await forgedCopy(h.store, a.id, (entries) => {
      const last = entries.at(-1)!;
      return [...entries.slice(0, -1), { ...last, signature: alter(last.signature!, b.id) }];
    });
    const report = await setup({ store: copy }).register.verifyHistory();
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ code: 'signature-binding', recordId: a.id, sequence: (await h.register.history(a.id)).length });
  });

  it('finding A\'s closing signature pasted onto finding B\'s entry is flagged', async () => {
    const { h, a, b } = await closedFinding();
    const signature = (await h.register.history(a.id)).at(-1)!.signature!;
    expect(signature.meaning).toBe('closed');
    // B is verifying with an effective review: give its last entry A's closing signature.
    const copy = await forgedCopy(h.store, b.id, (entries) => [...entries.slice(0, -1), { ...entries.at(-1)!, signature }]);
    const report = await setup({ store: copy }).register.verifyHistory();
    expect(report.firstBroken).toMatchObject({ code: 'signature-binding', recordId: b.id });
  });

  it('a signature moved to an earlier entry of the same record is flagged', async () => {
    const { h, a } = await closedFinding();
    const copy = await forgedCopy(h.store, a.id, (entries) => {
      const signature = entries.at(-1)!.signature;
      return entries.map((entry, index) => (index === 2 ? { ...entry, signature } : entry));
    });
    const report = await setup({ store: copy }).register.verifyHistory();
    expect(report.firstBroken).toMatchObject({ code: 'signature-binding', recordId: a.id, sequence: 3 });
  });
});
