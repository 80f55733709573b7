// Persisting and restoring lifecycle snapshots: capa-kit's own persistSnapshot /
// restoreSnapshot pair and xstate's getPersistedSnapshot, both through real JSON.
import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import {
  CAPA_ERROR_CODES,
  CapaError,
  MACHINE_VERSION,
  advance,
  capaMachine,
  createCapaMachine,
  explain,
  isCapaError,
  persistSnapshot,
  restoreSnapshot,
  soc2,
  type CapaSnapshot,
  type PersistedCapaSnapshot,
} from 'capa-kit';
import { happyPath, sampleEvent, sampleFinding } from '../fixtures/events.js';

const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const initial = () => createActor(capaMachine).getSnapshot();

/** The snapshot after the first `count` happy-path events. */
function after(count: number): CapaSnapshot {
  let snapshot = initial();
  for (const event of happyPath().slice(0, count)) snapshot = advance(snapshot, event);
  return snapshot;
}

const view = (s: CapaSnapshot) => ({ value: s.value, status: s.status, context: s.context });

/** The error `fn` throws, or a failure when it throws nothing. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function expectUnsupported(fn: () => unknown, message: RegExp) {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(CapaError);
  expect(isCapaError(error, CAPA_ERROR_CODES.unsupportedSnapshot)).toBe(true);
  expect((error as CapaError).code).toBe('CAPA_UNSUPPORTED_SNAPSHOT');
  expect((error as CapaError).message).toMatch(message);
}

describe('persistSnapshot / restoreSnapshot', () => {
  const events = happyPath();

  it.each(events.map((_, i) => i))('round-trips through JSON after %i happy-path events and continues to closed', (count) => {
    const before = after(count);
    const json = JSON.stringify(persistSnapshot(before));
    const restored = restoreSnapshot(capaMachine, JSON.parse(json) as PersistedCapaSnapshot);
    expect(view(restored)).toEqual(view(before));

    const actor = createActor(capaMachine, { snapshot: restored }).start();
    expect(actor.getSnapshot().value).toBe(before.value);
    for (const event of events.slice(count)) {
      expect(explain(actor.getSnapshot(), event)).toEqual([]);
      actor.send(event);
    }
    expect(actor.getSnapshot().value).toBe('closed');
    expect(actor.getSnapshot().context).toEqual(after(events.length).context);
    actor.stop();
  });

  it('persists plain JSON: stringify and parse change nothing, and persisting a restored snapshot is idempotent', () => {
    const persisted = persistSnapshot(after(7));
    expect(viaJson(persisted)).toEqual(persisted);
    expect(Object.keys(persisted).sort()).toEqual(['context', 'status', 'value']);
    const again = persistSnapshot(restoreSnapshot(capaMachine, viaJson(persisted)));
    expect(JSON.stringify(again)).toBe(JSON.stringify(persisted));
  });

  it('carries the machine version and the policy in the persisted context', () => {
    for (const count of [0, 1, events.length]) {
      const persisted = viaJson(persistSnapshot(after(count)));
      expect(persisted.context.machineVersion).toBe(MACHINE_VERSION);
      expect(persisted.context.policy).toEqual({ id: 'iso27001', version: '2022.1' });
    }
  });

  it('restored snapshots work with advance and explain (the policy is found from the machine)', () => {
    const restored = restoreSnapshot(capaMachine, viaJson(persistSnapshot(after(2))));
    expect(restored.value).toBe('contained');
    expect(explain(restored, sampleEvent('CLOSE'))[0]?.code).toBe('state.accepts');
    expect(advance(restored, sampleEvent('RECORD_ROOT_CAUSE')).value).toBe('investigating');
  });

  it(`refuses a snapshot written by a newer machine version (${MACHINE_VERSION + 1})`, () => {
    const persisted = viaJson(persistSnapshot(after(3)));
    const newer: PersistedCapaSnapshot = { ...persisted, context: { ...persisted.context, machineVersion: MACHINE_VERSION + 1 } };
    expectUnsupported(() => restoreSnapshot(capaMachine, newer), new RegExp(`version ${MACHINE_VERSION + 1}`));
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a snapshot with machine version %s', (machineVersion) => {
    const persisted = viaJson(persistSnapshot(after(3)));
    expectUnsupported(
      () => restoreSnapshot(capaMachine, { ...persisted, context: { ...persisted.context, machineVersion } }),
      /machine version/,
    );
  });

  it('refuses a snapshot with no or a non-numeric machine version', () => {
    const persisted = viaJson(persistSnapshot(after(3)));
    const { machineVersion: _dropped, ...withoutVersion } = persisted.context;
    expectUnsupported(
      () => restoreSnapshot(capaMachine, { ...persisted, context: withoutVersion } as unknown as PersistedCapaSnapshot),
      /machine version/,
    );
    expectUnsupported(
      () =>
        restoreSnapshot(capaMachine, {
          ...persisted,
          context: { ...persisted.context, machineVersion: '1' },
        } as unknown as PersistedCapaSnapshot),
      /machine version/,
    );
  });

  it('refuses a snapshot made under another policy (soc2 into the iso27001 machine, and back)', () => {
    const soc2Machine = createCapaMachine(soc2);
    const soc2Snapshot = advance(
      createActor(soc2Machine).getSnapshot(),
      sampleEvent('RAISE', { finding: sampleFinding({ grade: 'critical' }) }),
    );
    expect(soc2Snapshot.value).toBe('reported');
    const persisted = viaJson(persistSnapshot(soc2Snapshot));
    expect(persisted.context.policy.id).toBe('soc2');
    expectUnsupported(() => restoreSnapshot(capaMachine, persisted), /policy "soc2"/);
    // Its own policy's machine takes it.
    expect(view(restoreSnapshot(soc2Machine, persisted))).toEqual(view(soc2Snapshot));
    // And an iso27001 snapshot does not go into the soc2 machine.
    expectUnsupported(() => restoreSnapshot(soc2Machine, viaJson(persistSnapshot(after(1)))), /policy "iso27001"/);
  });

  it('refuses a snapshot whose state this machine does not have, or that names no policy', () => {
    const persisted = viaJson(persistSnapshot(after(1)));
    expectUnsupported(() => restoreSnapshot(capaMachine, { ...persisted, value: 'bogus' as never }), /"bogus" is not one of/);
    const { policy: _dropped, ...withoutPolicy } = persisted.context;
    expectUnsupported(
      () => restoreSnapshot(capaMachine, { ...persisted, context: withoutPolicy as never }),
      /does not name the policy/,
    );
  });

  it('restores a conformity (final) snapshot as done', () => {
    const conformity = advance(initial(), sampleEvent('RAISE', { finding: sampleFinding({ grade: 'conformity' }) }));
    expect(conformity.value).toBe('conformity');
    expect(conformity.status).toBe('done');
    const persisted = viaJson(persistSnapshot(conformity));
    expect(persisted.status).toBe('done');
    const restored = restoreSnapshot(capaMachine, persisted);
    expect(restored.value).toBe('conformity');
    expect(restored.status).toBe('done');
    expect(restored.context).toEqual(conformity.context);
    expect(restored.can(sampleEvent('REOPEN'))).toBe(false);
    expect(explain(restored, sampleEvent('REOPEN'))[0]?.code).toBe('state.accepts');
    const actor = createActor(capaMachine, { snapshot: restored }).start();
    expect(actor.getSnapshot().status).toBe('done');
    expect(actor.getSnapshot().value).toBe('conformity');
    actor.stop();
  });

  it('restores closed and rejected snapshots (not final) as active, and they reopen', () => {
    const closed = restoreSnapshot(capaMachine, viaJson(persistSnapshot(after(events.length))));
    expect(closed.value).toBe('closed');
    expect(closed.status).toBe('active');
    expect(advance(closed, sampleEvent('REOPEN')).value).toBe('investigating');

    const rejected = advance(after(1), sampleEvent('REJECT'));
    const restored = restoreSnapshot(capaMachine, viaJson(persistSnapshot(rejected)));
    expect(view(restored)).toEqual(view(rejected));
    expect(advance(restored, sampleEvent('REOPEN')).value).toBe('reported');
  });
});

describe("xstate's getPersistedSnapshot", () => {
  it('round-trips through JSON with createActor(capaMachine, { snapshot }) and continues to closed', () => {
    const events = happyPath();
    for (let count = 0; count <= events.length; count += 1) {
      const first = createActor(capaMachine).start();
      for (const event of events.slice(0, count)) first.send(event);
      const persisted = viaJson(first.getPersistedSnapshot());
      first.stop();

      const second = createActor(capaMachine, { snapshot: persisted as CapaSnapshot }).start();
      expect(second.getSnapshot().value).toBe(after(count).value);
      expect(second.getSnapshot().context).toEqual(after(count).context);
      for (const event of events.slice(count)) second.send(event);
      expect(second.getSnapshot().value).toBe('closed');
      expect(second.getSnapshot().context).toEqual(after(events.length).context);
      second.stop();
    }
  });

  it('and its persisted form can go through restoreSnapshot too', () => {
    const actor = createActor(capaMachine).start();
    for (const event of happyPath().slice(0, 5)) actor.send(event);
    const persisted = viaJson(actor.getPersistedSnapshot()) as unknown as PersistedCapaSnapshot;
    actor.stop();
    const restored = restoreSnapshot(capaMachine, persisted);
    expect(view(restored)).toEqual(view(after(5)));
  });
});
