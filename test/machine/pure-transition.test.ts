import { createActor, transition } from 'xstate';
import { describe, expect, it } from 'vitest';
import { CAPA_EVENT_TYPES, type CapaEvent, capaMachine, createCapaMachine, persistSnapshot, soc2 } from 'capa-kit';
import { pureTransition } from '../../src/machine/pure-transition.js';
import { happyPath, sampleEvent } from '../fixtures/events.js';

// The register and advance() take transitions through one reused inert scope instead of
// xstate's transition(), which builds an actor per call. They must agree on every step:
// taken, refused by a guard, or not accepted by the state at all.
const same = (machine: typeof capaMachine, events: readonly CapaEvent[]) => {
  let ours = createActor(machine).getSnapshot();
  let theirs = ours;
  for (const event of events) {
    for (const type of CAPA_EVENT_TYPES) {
      const probe = sampleEvent(type);
      expect(persistSnapshot(pureTransition(ours, probe))).toEqual(persistSnapshot(transition(machine, theirs, probe)[0]));
    }
    ours = pureTransition(ours, event);
    [theirs] = transition(machine, theirs, event);
    expect(persistSnapshot(ours)).toEqual(persistSnapshot(theirs));
    expect(ours.status).toBe(theirs.status);
  }
  return ours;
};

describe('pureTransition', () => {
  it("gives xstate transition()'s snapshot for every event at every step of the happy path", () => {
    expect(same(capaMachine, happyPath()).value).toBe('closed');
  });

  it('keeps one scope per machine: two policies never share one', () => {
    const other = createCapaMachine(soc2);
    const raise = sampleEvent('RAISE');
    const soc2Raise = { ...raise, finding: { ...raise.finding, grade: 'high' } };
    const raised = same(other, [soc2Raise]);
    expect(raised.value).toBe('reported');
    expect(raised.machine).toBe(other);
    // The iso27001 machine knows no grade "high": it refuses the same raise.
    expect(same(capaMachine, [soc2Raise]).value).toBe('draft');
  });
});
