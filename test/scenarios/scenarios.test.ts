import { describe, expect, it } from 'vitest';
import { accessReviews, leavers, suppliers, walk } from '../../examples/scenarios/index.js';

describe.each([leavers, suppliers, accessReviews])('DOMAIN.md scenario: $name', (scenario) => {
  const walked = [...walk(scenario)];

  it.each(walked.map((w, index) => [index + 1, w.step.say, w] as const))('step %i: %s', (_index, _say, w) => {
    if ('refused' in w.step) {
      expect(w.refusal?.map((u) => u.code)).toEqual(w.step.refused);
      for (const unmet of w.refusal ?? []) expect(unmet.message.length).toBeGreaterThan(10);
    } else {
      expect(w.refusal).toBeNull();
      expect(w.snapshot.value).toBe(w.step.then);
    }
  });

  it('ends closed, with a root cause, finished actions, an effective review and closure evidence', () => {
    const last = walked.at(-1)!.snapshot;
    expect(last.value).toBe('closed');
    const { context } = last;
    expect(context.rootCause).not.toBeNull();
    expect(context.reviews.at(-1)?.result).toBe('effective');
    expect(context.closure?.evidence.length).toBeGreaterThan(0);
    expect(context.actions.filter((a) => a.cycle === context.recurrenceCount + 1).every((a) => a.status === 'done' || a.status === 'cancelled')).toBe(true);
  });
});

describe('scenario specifics', () => {
  it('leavers: a minor is due 12 months after detection and its plan was approved by the auditor', () => {
    const last = [...walk(leavers)].at(-1)!.snapshot.context;
    expect(last.dueDate).toBe('2027-03-02');
    expect(last.approval).toMatchObject({ role: 'auditor', approvedBy: { id: 'u-jonas' } });
  });

  it('suppliers: the not-effective review counted one recurrence and kept the first cycle\'s action', () => {
    const last = [...walk(suppliers)].at(-1)!.snapshot.context;
    expect(last.recurrenceCount).toBe(1);
    expect(last.reviews.map((r) => r.result)).toEqual(['not-effective', 'effective']);
    expect(last.actions.map((a) => [a.id, a.cycle, a.status])).toEqual([
      ['ca-suppliers-1', 1, 'done'],
      ['ca-suppliers-2', 2, 'done'],
    ]);
    expect(last.dueDate).toBe('2026-07-14');
  });

  it('access reviews: escalated from observation to minor, with the due date recomputed from detection', () => {
    const walked = [...walk(accessReviews)];
    expect(walked[0]!.snapshot.context.dueDate).toBeNull();
    const last = walked.at(-1)!.snapshot.context;
    expect(last.grade).toBe('minor');
    expect(last.dueDate).toBe('2027-02-12');
    expect(last.actions.find((a) => a.id === 'ca-ar-3')?.cancellation?.reason).toMatch(/proportion/);
  });
});
