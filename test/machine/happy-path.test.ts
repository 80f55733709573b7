import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { advance, capaMachine } from 'capa-kit';
import { happyPath } from '../fixtures/events.js';

describe('happy path fixture', () => {
  it('walks a major nonconformity from draft to closed', () => {
    let snapshot = createActor(capaMachine).getSnapshot();
    for (const event of happyPath()) snapshot = advance(snapshot, event);
    expect(snapshot.value).toBe('closed');
    expect(snapshot.context.dueDate).toBe('2026-06-01');
  });
});
