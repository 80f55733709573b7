import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { LIFECYCLE_DOC, lifecycleDiagram, withDiagram } from '../../docs/generate/lifecycle-diagram.js';

describe('the lifecycle diagram in docs/lifecycle.md', () => {
  it('is what capaMachine generates today (run `npm run docs:diagram` after changing the machine)', () => {
    const markdown = readFileSync(LIFECYCLE_DOC, 'utf8');
    expect(markdown).toBe(withDiagram(markdown, lifecycleDiagram()));
  });

  it('draws every state, and only state changes, from the machine it is given', () => {
    const machine = createMachine({
      initial: 'a',
      states: { a: { on: { GO: 'b', STAY: 'a', NOTE: {} } }, b: { on: { BACK: 'a', GO: 'c' } }, c: { type: 'final' } },
    });
    expect(lifecycleDiagram(machine)).toBe(
      ['stateDiagram-v2', '  [*] --> a', '  a --> b: GO', '  b --> a: BACK', '  b --> c: GO', '  c --> [*]'].join('\n'),
    );
  });

  it('refuses docs without the markers, rather than writing the diagram somewhere else', () => {
    expect(() => withDiagram('# No markers', 'stateDiagram-v2')).toThrow(/markers/);
  });
});
