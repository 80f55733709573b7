// Issue 11 point 6: an issue about a corrective action (action-overdue, action-without-owner,
// action-without-due-date) names the findings the action belongs to, by their references,
// whether a finding's line comes before the action's or after it (records are in id order).
import { describe, expect, it } from 'vitest';
import { validateLog } from '../../../src/log/index.js';
import { exportText, lineIndexOf, linesOf, mutate, richHistory } from '../fixtures.js';

const base = (async () => {
  const story = await richHistory();
  const text = await exportText(story.h.store);
  const lines = linesOf(text);
  const references = new Map<string, string>();
  for (const line of lines) if (line.type === 'finding') references.set(line.finding.id, line.finding.reference);
  const actions = lines.filter((line) => line.type === 'action').map((line) => line.action as { id: string; reference: string; findingIds: string[]; status: string });
  return { ...story, text, lines, references, actions };
})();

const named = (references: ReadonlyMap<string, string>, ids: readonly string[]) => {
  const names = ids.map((id) => references.get(id)!);
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
};

describe('action issues name the findings they belong to', () => {
  it('action-overdue names each action\'s findings by reference, before or after the action\'s line', async () => {
    const { text, lines, references, actions } = await base;
    const open = actions.filter((action) => action.status === 'planned' || action.status === 'in-progress');
    // The story has actions whose finding comes before their line and after it: both are tested.
    const position = (action: { id: string; findingIds: string[] }) =>
      action.findingIds.map((id) => (lineIndexOf(lines, id) < lineIndexOf(lines, action.id) ? 'before' : 'after'));
    expect(new Set(open.flatMap(position))).toEqual(new Set(['before', 'after']));

    const report = await validateLog(text, { asOf: '2026-05-02T00:00:00Z' });
    const overdue = report.issues.filter((issue) => issue.code === 'action-overdue');
    expect(overdue.map((issue) => issue.recordId).sort()).toEqual(open.map((action) => action.id).sort());
    for (const action of open) {
      const issue = overdue.find((candidate) => candidate.recordId === action.id)!;
      expect(issue.message).toBe(`Corrective action ${action.reference} of ${named(references, action.findingIds)} was due 2026-05-01 and is still ${action.status}.`);
      expect(issue.line).toBe(lineIndexOf(lines, action.id) + 1);
      expect(issue.path).toEqual(['action', 'dueDate']);
    }
  });

  it('action-without-owner and action-without-due-date name the finding too', async () => {
    const { text, ids, references } = await base;
    const changed = mutate(text, ids.sharedAction, (line) => {
      line.action.owner = null;
      line.action.dueDate = null;
    });
    const report = await validateLog(changed, { asOf: '2026-03-03T00:00:00Z' });
    const finding = references.get(ids.shared)!;
    const action = linesOf(text)[lineIndexOf(linesOf(text), ids.sharedAction)]!.action.reference as string;
    expect(report.issues.find((issue) => issue.code === 'action-without-owner')?.message).toBe(`Corrective action ${action} of ${finding} has no owner.`);
    expect(report.issues.find((issue) => issue.code === 'action-without-due-date')?.message).toBe(`Corrective action ${action} of ${finding} has no due date.`);
  });

  it('a finding that is not in the log is named by its id (and the link is dangling)', async () => {
    const { text, ids } = await base;
    const changed = mutate(text, ids.sharedAction, (line) => {
      line.action.owner = null;
      line.action.findingIds = [...line.action.findingIds, 'f-gone'];
    });
    const report = await validateLog(changed, { asOf: '2026-03-03T00:00:00Z' });
    expect(report.issues.find((issue) => issue.code === 'action-without-owner')?.message).toMatch(/ and f-gone has no owner\.$/);
    expect(report.issues.some((issue) => issue.code === 'dangling-link' && issue.message.includes('f-gone'))).toBe(true);
  });
});
