// What the machine definition shows to tools: Stately's inspector serializes
// `machine.config` with functions replaced by `{ type: fn.name }` (@statelyai/inspect 0.7,
// its `safeReplacer`), and `machine.toJSON()` drops functions. A guard composed inline with
// xstate's and() is a function, so it showed as a bare {"type":"and"} in the inspector and
// as no guard at all in toJSON(). Every guard is a named one of the machine's setup.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capaMachine, createCapaMachine, soc2 } from 'capa-kit/machine';

type Guard = unknown;

/** Every `guard` value anywhere in a tree (config, or toJSON output), with where it was. */
function guardsIn(tree: unknown, where = ''): [string, Guard][] {
  if (tree === null || typeof tree !== 'object') return [];
  return Object.entries(tree).flatMap(([key, value]): [string, Guard][] => [
    ...(key === 'guard' ? [[where, value] as [string, Guard]] : []),
    ...(key === 'guard' ? [] : guardsIn(value, `${where}/${key}`)),
  ]);
}

/** The machine config as the inspector sends it. */
const asInspectorSendsIt = (config: unknown) =>
  JSON.stringify(config, (_key, value: unknown) => (typeof value === 'function' ? { type: value.name } : value));

describe.each([
  ['capaMachine', capaMachine],
  ['createCapaMachine(soc2)', createCapaMachine(soc2)],
])('%s definition', (_name, machine) => {
  const named = Object.keys(machine.implementations.guards);
  const transitions = Object.values(machine.states).flatMap((node) => [...node.transitions.values()].flat());

  it('every transition has a guard (so no action runs on an event nobody checked)', () => {
    expect(transitions.length).toBeGreaterThanOrEqual(70);
    expect(transitions.filter((t) => t.guard === undefined).map((t) => `${t.source.key} ${t.eventType}`)).toEqual([]);
  });

  it('every guard in toJSON() and in the config is a named guard of the machine, with its params', () => {
    const json = JSON.parse(JSON.stringify(machine.toJSON())) as unknown;
    const all = [...guardsIn(json), ...guardsIn(JSON.parse(asInspectorSendsIt(machine.config)))];
    expect(all.length).toBeGreaterThanOrEqual(2 * transitions.length);
    for (const [where, guard] of all) {
      const type = typeof guard === 'string' ? guard : (guard as { type?: unknown }).type;
      expect(named, `${where}: ${JSON.stringify(guard)}`).toContain(type);
      if (typeof guard === 'object') expect(Object.keys(guard as object).filter((key) => key !== 'type' && key !== 'params')).toEqual([]);
    }
    // The transitions of toJSON() carry the same guard names.
    const fromJson = (json as { states: Record<string, { transitions: { guard?: unknown }[] }> }).states;
    expect(Object.values(fromJson).flatMap((state) => state.transitions).filter((t) => t.guard === undefined)).toEqual([]);
  });

  it('the inspector sees no bare {"type":"and"}, "or" or "not" (16 transitions showed one)', () => {
    expect(asInspectorSendsIt(machine.config)).not.toMatch(/"type":"(and|or|not|stateIn)"/);
    expect(JSON.stringify(machine.toJSON())).not.toMatch(/"type":"(and|or|not|stateIn)"/);
  });

  it('the routing guards carry their condition as params the inspector shows', () => {
    const routing = guardsIn(JSON.parse(asInspectorSendsIt(machine.config))).filter(([, guard]) => typeof guard === 'object');
    const shown = routing.map(([, guard]) => {
      const { type, params } = guard as { type: string; params: { lifecycle: string } };
      return `${type} ${params.lifecycle}`;
    });
    expect(shown.sort()).toEqual(
      [
        ...Array(3).fill('gradeLeadsTo corrective-action'),
        ...Array(4).fill('gradeLeadsTo log'),
        ...Array(4).fill('gradeLeadsTo monitor'),
        ...Array(2).fill('lifecycleIs log'),
        ...Array(2).fill('lifecycleIs monitor'),
      ].sort(),
    );
  });
});

describe('docs/lifecycle.md', () => {
  const lifecycle = readFileSync(new URL('../../docs/lifecycle.md', import.meta.url), 'utf8');
  const guardsSection = lifecycle.slice(lifecycle.indexOf('## Guards'), lifecycle.indexOf('## Requirements'));

  it('lists exactly the guards of the machine', () => {
    const documented = [...guardsSection.matchAll(/^\| `(\w+)`/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual(Object.keys(capaMachine.implementations.guards).sort());
  });
});

