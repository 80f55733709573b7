import { describe, expect, it } from 'vitest';
import { iso27001 } from 'capa-kit';
import { createCapaRegister, memoryStore } from 'capa-kit/register';
import { actors } from '../fixtures/events.js';

// Every command must hand its key to the store, or a retry after a crash runs twice.
describe('idempotency keys reach the store', () => {
  it('a raise and a comment retried with their keys write once and return the first result', async () => {
    const store = memoryStore();
    let t = Date.parse('2026-03-02T09:00:00Z');
    const register = createCapaRegister({ store, policy: iso27001, tenant: 'acme', clock: () => new Date((t += 60_000)) });
    const raise = {
      actor: actors.raiser,
      idempotencyKey: 'raise-1',
      finding: {
        title: 'Leavers kept active accounts',
        description: 'Two leavers kept active accounts.',
        requirement: { kind: 'standard' as const, framework: 'ISO/IEC 27001:2022', reference: 'A.5.18' },
        observedEvidence: 'Export',
        affected: { process: 'JML' },
        source: { kind: 'internal-audit' as const },
        grade: 'major',
        owner: { id: actors.owner.id, name: actors.owner.name },
        detectedAt: '2026-03-01T10:00:00Z',
      },
    };
    const first = await register.raise(raise);
    expect(await store.idempotentResult('acme', 'raise-1')).toEqual(first);
    expect(await register.raise(raise)).toEqual(first);
    const comment = { actor: actors.owner, findingId: first.id, text: 'Seen', idempotencyKey: 'comment-1' };
    await register.comment(comment);
    await register.comment(comment);
    expect((await register.history(first.id)).map((entry) => entry.type)).toEqual(['RAISE', 'COMMENT']);
    expect((await store.readTenantEvents('acme', 0, 100)).length).toBe(2);
  });
});
