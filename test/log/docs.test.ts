// docs/log.md stays in step with the code: every issue code has its row, with its severity.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOG_ISSUE_CODES, type LogIssueCode } from '../../src/log/index.js';

const doc = readFileSync(new URL('../../docs/log.md', import.meta.url), 'utf8');
const rows = new Map(
  doc
    .split('\n')
    .map((line) => /^\| `([a-z0-9-]+)` \| (error|warning) \|/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1]!, match[2]!]),
);

describe('docs/log.md', () => {
  it.each(Object.entries(LOG_ISSUE_CODES))('documents %s with its severity', (code, { severity }) => {
    expect(rows.get(code)).toBe(severity);
  });

  it('documents no code that does not exist', () => {
    for (const code of rows.keys()) expect(Object.hasOwn(LOG_ISSUE_CODES, code as LogIssueCode), code).toBe(true);
  });
});
