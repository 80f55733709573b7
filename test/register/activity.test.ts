// Issue 11 point 6: a finding's last activity is the time of its last history entry, for
// every entry type. An open finding in verification was reported stale ("no activity
// since …, 98 days") although its history had a START_VERIFICATION entry since: that
// transition did not move the activity time. Activity is now derived from the history,
// so no transition can forget it.
import { describe, expect, it } from 'vitest';
import { CAPA_EVENT_TYPES } from 'capa-kit';
import type { CapaRegister } from 'capa-kit/register';
import { validateLog } from 'capa-kit/log';
import { actors, sampleCorrection, sampleEvidence, sampleReview, sampleRootCause } from '../fixtures/events.js';
import { exportText } from '../log/fixtures.js';
import { TENANT, type Harness, driveTo, planLine, raiseInput, setup, signer } from './harness.js';

const DAY = 86_400_000;

/** Checks that each finding's activity (record, index) is its last history entry's time, and that time is now. */
async function expectActivityNow(h: Harness, findingIds: readonly string[], type: string): Promise<void> {
  for (const findingId of findingIds) {
    const last = (await h.register.history(findingId)).at(-1)!;
    expect(last.type, `the last entry of ${findingId}`).toBe(type);
    expect(last.at).toBe(h.now());
    const finding = await h.register.get(findingId);
    expect(finding.updatedAt, `${type}: the finding's updatedAt`).toBe(last.at);
    const [record] = await h.store.load(TENANT, [findingId]);
    expect(record!.index.lastActivityAt, `${type}: the index's lastActivityAt`).toBe(last.at);
  }
}

describe('activity comes from the history', () => {
  it('after every entry type, a finding is active as of that entry (record, index, and the log validator agree)', async () => {
    const h = setup();
    const r: CapaRegister = h.register;
    const covered = new Set<string>();
    // Each step runs 40 days after the one before, so a transition that forgot to move the
    // activity would leave it 40 days behind.
    const step = async (type: string, run: () => Promise<unknown>, findingIds: () => readonly string[]) => {
      h.advance(40 * DAY);
      await run();
      await expectActivityNow(h, findingIds(), type);
      covered.add(type);
    };

    let f = '';
    let a1 = '';
    let a2 = '';
    const other = await r.raise(raiseInput({ title: 'Movers kept old access' }));
    await step('RAISE', async () => (f = (await r.raise(raiseInput({ grade: 'major' }))).id), () => [f]);
    await step('COMMENT', () => r.comment({ actor: actors.owner, findingId: f, text: 'Seen' }), () => [f]);
    await step('ATTACH_EVIDENCE', () => r.attachEvidence({ actor: actors.owner, findingId: f, evidence: sampleEvidence() }), () => [f]);
    await step('LINK_FINDINGS', () => r.linkFindings({ actor: actors.owner, findingId: f, findingIds: [other.id] }), () => [f]);
    await step('REGRADE', () => r.regrade({ actor: actors.owner, findingId: f, grade: 'minor', reason: 'Isolated after all' }), () => [f]);
    await step('RECORD_CORRECTION', () => r.recordCorrection({ actor: actors.owner, findingId: f, correction: sampleCorrection() }), () => [f]);
    await step('RECORD_ROOT_CAUSE', () => r.recordRootCause({ actor: actors.owner, findingId: f, rootCause: sampleRootCause() }), () => [f]);
    await step(
      'PLAN_ACTIONS',
      async () => {
        const planned = await r.planActions({ actor: actors.owner, findingId: f, actions: [planLine(), planLine(actors.owner, 'Monthly leaver report')] });
        [a1, a2] = planned.correctiveActionIds as [string, string];
      },
      () => [f],
    );
    await step('SUBMIT_PLAN', () => r.submitPlan({ actor: actors.owner, findingId: f }), () => [f]);
    await step('RETURN_PLAN', () => r.returnPlan({ actor: actors.auditor, findingId: f, reason: 'Say who runs it' }), () => [f]);
    await r.submitPlan({ actor: actors.owner, findingId: f });
    await step('APPROVE_PLAN', () => r.approvePlan({ actor: actors.auditor, findingId: f, signature: signer }), () => [f]);
    await step('START_ACTION', () => r.startAction({ actor: actors.owner, actionId: a1 }), () => [f]);
    await step('COMPLETE_ACTION', () => r.completeAction({ actor: actors.owner, actionId: a1, evidence: [sampleEvidence()] }), () => [f]);
    await step('CANCEL_ACTION', () => r.cancelAction({ actor: actors.owner, actionId: a2, reason: 'Covered by the first' }), () => [f]);
    await step('START_VERIFICATION', () => r.startVerification({ actor: actors.owner, findingId: f }), () => [f]);
    await step('RECORD_REVIEW', () => r.reviewEffectiveness({ actor: actors.auditor, findingId: f, review: sampleReview(), signature: signer }), () => [f]);
    await step('CLOSE', () => r.close({ actor: actors.auditor, findingId: f, evidence: [sampleEvidence()], signature: signer }), () => [f]);
    await step('REOPEN', () => r.reopen({ actor: actors.auditor, findingId: f, reason: 'It happened again' }), () => [f]);
    await step('REJECT', () => r.reject({ actor: actors.auditor, findingId: f, kind: 'duplicate', duplicateOf: other.id, reason: 'Same as the movers finding' }), () => [f]);

    expect([...covered].sort()).toEqual([...CAPA_EVENT_TYPES, 'COMMENT'].sort());
    // The validator replays each history and compares the record: it finds the same activity.
    const report = await validateLog(await exportText(h.store), { asOf: h.now() });
    expect(report.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
  });

  it('an action shared by two findings moves the activity of both (start, complete, cancel)', async () => {
    const h = setup();
    const r = h.register;
    const a = await driveTo(r, 'planning', { grade: 'major', finding: { title: 'Leavers kept access' } });
    const b = await driveTo(r, 'investigating', { grade: 'major', finding: { title: 'Movers kept old access' } });
    const [x] = a.actionIds as [string];
    await r.planActions({ actor: actors.owner, findingId: b.finding.id, actions: [{ existingActionId: x }, planLine(actors.owner, 'Mover checklist')] });
    const y = (await r.get(b.finding.id)).correctiveActionIds.find((id) => id !== x)!;
    await r.planActions({ actor: actors.owner, findingId: a.finding.id, actions: [{ existingActionId: x }, { existingActionId: y }] });
    await r.submitPlan({ actor: actors.owner, findingId: a.finding.id });
    await r.submitPlan({ actor: actors.owner, findingId: b.finding.id });
    const both = [a.finding.id, b.finding.id];
    h.advance(40 * DAY);
    await r.startAction({ actor: actors.owner, actionId: x });
    await expectActivityNow(h, both, 'START_ACTION');
    h.advance(40 * DAY);
    await r.completeAction({ actor: actors.owner, actionId: x, evidence: [sampleEvidence()] });
    await expectActivityNow(h, both, 'COMPLETE_ACTION');
    h.advance(40 * DAY);
    await r.cancelAction({ actor: actors.owner, actionId: y, reason: 'Covered by the first' });
    await expectActivityNow(h, both, 'CANCEL_ACTION');
  });

  it('a finding that entered verification 2 days ago is not stale, although the entry before was 98 days earlier', async () => {
    const h = setup();
    const { finding } = await driveTo(h.register, 'actionsDone', { grade: 'major' });
    h.advance(98 * DAY);
    await h.register.startVerification({ actor: actors.owner, findingId: finding.id });
    h.advance(2 * DAY);
    const asOf = h.now();

    const stale = await h.register.query({ staleAsOf: asOf });
    expect(stale.findings.map((f) => f.id)).not.toContain(finding.id);
    const report = await validateLog(await exportText(h.store), { asOf });
    expect(report.issues.filter((issue) => issue.code === 'stale')).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
