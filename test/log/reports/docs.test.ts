import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const doc = (name: string) => readFileSync(new URL(`../../../docs/${name}`, import.meta.url), 'utf8');

describe('docs/reports.md and docs/cli.md state the reports\' rules', () => {
  it('states one rule for recurrence, and the order of references', () => {
    const reports = doc('reports.md');
    expect(reports).toContain('## What counts as a recurrence');
    expect(reports).toContain('**neither rejected** (not a nonconformity, or a duplicate of another finding) **nor as a conformity**');
    expect(reports).toContain('by prefix, then year, then number, the number compared as a number');
  });

  it('states the same defaults for the library and capa report', () => {
    const reports = doc('reports.md');
    const cli = doc('cli.md').slice(doc('cli.md').indexOf('## `capa report <file>`'));
    expect(reports).toContain('Default: the end of `to`, or now if `to` has not ended yet');
    expect(reports).toContain('the twelve months up to today');
    expect(cli).toContain('`capa report FILE` alone works. The defaults are the library\'s');
    expect(cli).toContain('| `--as-of` | The end of the period (the last instant of `--to`), or now when the period has not ended');
    expect(cli).toContain('| `--from` | The day after the same date a year before `--to`: with neither, the twelve months up to today. |');
  });
});
