import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capaMachine, LIFECYCLE_REQUIREMENTS } from 'capa-kit';

const lifecycle = readFileSync(new URL('../docs/lifecycle.md', import.meta.url), 'utf8');

describe('docs/lifecycle.md stays in step with the machine', () => {
  it.each(LIFECYCLE_REQUIREMENTS.map((r) => r.code))('documents requirement %s', (code) => {
    expect(lifecycle).toContain(`\`${code}\``);
  });

  it.each(Object.entries(capaMachine.states))('lists the events state %s takes', (state, node) => {
    const row = lifecycle.split('\n').find((line) => line.startsWith(`| \`${state}\` |`));
    expect(row, `no row for ${state}`).toBeDefined();
    const documented = [...(row ?? '').matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]);
    expect(documented).toEqual(node.ownEvents);
  });
});
