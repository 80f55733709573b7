// `__proto__`, `constructor` and `prototype` are `forbidden-key` wherever a log line has them:
// in the header (anywhere in it, the policy included), in the trailer and in lines of no
// known type, as in a record's payloads and extensions, and where a record's strict
// objects have no such field (JSON.parse keeps each as an own key, so a reader that merges
// the line into an object reaches a prototype).
import { describe, expect, it } from 'vitest';
import { validateLog } from '../../../src/log/index.js';
import { exportText, lineIndexOf, linesOf, richHistory } from '../fixtures.js';

const base = (async () => {
  const story = await richHistory();
  const text = await exportText(story.h.store);
  return { ...story, text, lines: text.trimEnd().split('\n'), now: story.h.now() };
})();

/** The log with line `index` (0-based) edited as text, and its issues as [code, line, path]. */
async function issuesWith(index: number, edit: (line: string) => string) {
  const { lines, now } = await base;
  const edited = edit(lines[index]!);
  expect(edited).not.toBe(lines[index]);
  const report = await validateLog(`${lines.map((line, i) => (i === index ? edited : line)).join('\n')}\n`, { asOf: now });
  return report.issues.map((issue) => [issue.code, issue.line, issue.path] as const);
}

describe('forbidden keys', () => {
  it.each([
    ['__proto__ at the top', (line: string) => line.replace('{', '{"__proto__":{"polluted":true},'), ['__proto__']],
    ['constructor in the policy', (line: string) => line.replace('"policy":{', '"policy":{"constructor":{"prototype":{"polluted":true}},'), ['policy', 'constructor']],
    ['prototype in a grade', (line: string) => line.replace('"grades":[{', '"grades":[{"prototype":1,'), ['policy', 'grades', 0, 'prototype']],
    ['__proto__ under a key the header does not have', (line: string) => line.replace('{', '{"x-extra":{"__proto__":1},'), ['x-extra', '__proto__']],
  ] as const)('in the header: %s is forbidden-key, and the header is not read', async (_name, edit, path) => {
    const issues = await issuesWith(0, edit);
    expect(issues.slice(0, 2)).toEqual([
      ['forbidden-key', 1, path],
      ['header-missing', 1, []],
    ]);
  });

  it('in the trailer, and in a line of no known type', async () => {
    const { lines } = await base;
    expect((await issuesWith(lines.length - 1, (line) => line.replace('"head":{', '"head":{"__proto__":{},')))[0]).toEqual(['forbidden-key', lines.length, ['head', '__proto__']]);
    expect((await issuesWith(1, () => '{"type":"other","constructor":1}'))).toContainEqual(['forbidden-key', 2, ['constructor']]);
  });

  it("in a record where its schema has no such field: forbidden-key, beside the line's other unknown keys", async () => {
    const { text, ids } = await base;
    const index = lineIndexOf(linesOf(text), ids.closed);
    const issues = await issuesWith(index, (line) => line.replace('"finding":{', '"finding":{"note":1,"__proto__":{"polluted":true},'));
    expect(issues).toContainEqual(['forbidden-key', index + 1, ['finding', '__proto__']]);
    expect(issues).toContainEqual(['schema', index + 1, ['finding']]);
    const top = await issuesWith(index, (line) => line.replace('{', '{"constructor":1,'));
    expect(top).toContainEqual(['forbidden-key', index + 1, ['constructor']]);
    expect(top.filter(([code]) => code === 'schema')).toEqual([]);
  });
});
