// Issue 11, point 2: references, one design for findings and corrective actions. A finding
// takes its reference when raised and an action when the plan that creates it is recorded,
// each from its own sequence of the store, through a generator per kind; the store refuses
// a second record with a reference another holds, and the register says so plainly; people
// read actions by their reference.
import { describe, expect, it } from 'vitest';
import { CapaTransitionError, CapaValidationError, createReferenceGenerator, DuplicateReferenceError, ForbiddenError, StoreContractError } from 'capa-kit';
import { type CapaStore, createCapaRegister, memoryStore, STORE_CONTRACT_VERSION } from 'capa-kit/register';
import { iso27001 } from 'capa-kit';
import { importLog } from '../../src/log/index.js';
import { exportText } from '../log/fixtures.js';
import { actors, sampleReview } from '../fixtures/events.js';
import { TENANT, driveTo, dumpTenant, expectNothingWritten, instrument, planLine, raiseInput, setup, signer } from './harness.js';

const CA = /^CA-2026-\d{4}$/;

describe('references of corrective actions', () => {
  it('each new action of a plan takes the next number of the action sequence, in plan order; findings count on their own', async () => {
    const h = setup();
    const { finding } = await driveTo(h.register, 'investigating');
    const planned = await h.register.planActions({
      actor: actors.owner,
      findingId: finding.id,
      actions: [planLine(actors.owner, 'First action'), planLine(actors.owner, 'Second action')],
    });
    const actions = await Promise.all(planned.correctiveActionIds.map((id) => h.register.getAction(id)));
    expect(actions.map((action) => [action.description, action.reference])).toEqual([
      ['First action', 'CA-2026-0001'],
      ['Second action', 'CA-2026-0002'],
    ]);
    expect(finding.reference).toBe('NC-2026-0001');
    expect((await h.register.raise(raiseInput())).reference).toBe('NC-2026-0002');
    // The finding's history says which references were planned; the index carries them.
    const plan = (await h.register.history(finding.id)).find((entry) => entry.type === 'PLAN_ACTIONS')!;
    expect((plan.payload as { actions: { reference: string }[] }).actions.map((action) => action.reference)).toEqual(['CA-2026-0001', 'CA-2026-0002']);
    const [record] = await h.store.load(TENANT, [actions[0]!.id]);
    expect(record!.index).toMatchObject({ reference: 'CA-2026-0001' });
    expect(record!.index.text).toContain('ca-2026-0001');
  });

  it('a revised plan keeps the references of the actions it keeps, a shared action keeps its own, and a new one takes the next', async () => {
    const h = setup();
    const a = await driveTo(h.register, 'planning', { finding: { title: 'Leavers kept access' } });
    const x = a.actionIds[0]!;
    const b = await driveTo(h.register, 'investigating', { grade: 'major', finding: { title: 'Movers kept old access' } });
    await h.register.planActions({ actor: actors.owner, findingId: b.finding.id, actions: [{ existingActionId: x }, planLine(actors.owner, "B's own")] });
    const revised = await h.register.planActions({
      actor: actors.owner,
      findingId: a.finding.id,
      actions: [{ id: x, ...planLine(actors.owner, 'Reworded') }, planLine(actors.owner, 'Added later')],
    });
    const references = await Promise.all(revised.correctiveActionIds.map(async (id) => (await h.register.getAction(id)).reference));
    expect(references).toEqual(['CA-2026-0001', 'CA-2026-0003']);
    expect((await h.register.verifyHistory()).ok).toBe(true);
  });

  it('a refused plan uses up no action number', async () => {
    const h = setup();
    const { finding } = await driveTo(h.register, 'contained');
    // Planning before the root cause is refused by the lifecycle.
    const error = await expectNothingWritten(h.store, () => h.register.planActions({ actor: actors.owner, findingId: finding.id, actions: [planLine()] }));
    expect(error).toBeInstanceOf(CapaTransitionError);
    const { actionIds } = await driveTo(h.register, 'planning');
    expect((await h.register.getAction(actionIds[0]!)).reference).toBe('CA-2026-0001');
  });

  it('a generator per kind; a kind left out keeps its default; output that is not a reference is refused, writing nothing', async () => {
    const h = setup({ references: { action: createReferenceGenerator({ prefix: 'CAPA', width: 6 }) } });
    const { finding, actionIds } = await driveTo(h.register, 'planning');
    expect(finding.reference).toBe('NC-2026-0001');
    expect((await h.register.getAction(actionIds[0]!)).reference).toBe('CAPA-2026-000001');

    const broken = setup({ references: { action: () => 'not a reference' } });
    const { finding: open } = await driveTo(broken.register, 'investigating');
    const before = await dumpTenant(broken.store);
    const refused = await broken.register.planActions({ actor: actors.owner, findingId: open.id, actions: [planLine()] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CapaValidationError);
    expect((refused as CapaValidationError).subject).toBe('action reference generator output');
    expect(await dumpTenant(broken.store)).toEqual(before);
    expect(() => setup({ references: defaultGenerator as never })).toThrow(/one reference generator per kind/);
  });

  it('segregation of duties names the action the reviewer owns by its reference', async () => {
    const h = setup();
    const { finding, actionIds } = await driveTo(h.register, 'verifying', { actionOwner: actors.auditor });
    const error = await expectNothingWritten(h.store, () =>
      h.register.reviewEffectiveness({ actor: actors.auditor, findingId: finding.id, review: sampleReview(), signature: signer }),
    );
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as Error).message).toContain('owns corrective action CA-2026-0001 of NC-2026-0001');
    expect((error as Error).message).not.toContain(actionIds[0]!);
  });
});

const defaultGenerator = createReferenceGenerator();

describe('a reference the store already holds', () => {
  it('a generator that repeats itself: the second raise is refused, naming both records, and writes nothing', async () => {
    const h = setup({ references: { finding: () => 'NC-2026-0006' } });
    const first = await h.register.raise(raiseInput({ title: 'Leavers kept access' }));
    const before = await dumpTenant(h.store);
    const committed = h.store.calls.committed;
    const error = await h.register.raise(raiseInput({ title: 'Movers kept access' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateReferenceError);
    expect(error).toMatchObject({ code: 'CAPA_DUPLICATE_REFERENCE', duplicates: [{ tenantId: TENANT, kind: 'finding', reference: 'NC-2026-0006' }] });
    const { duplicates, recordId } = error as DuplicateReferenceError;
    expect(duplicates[0]!.recordIds).toEqual([first.id, recordId]);
    expect((error as Error).message).toBe(
      `The finding reference NC-2026-0006 of tenant acme is held by record ${first.id}; record ${recordId} cannot take it too. Nothing was written. ` +
        'A reference generator must make each reference from the sequence number it is given, which the store hands out once.',
    );
    expect(await dumpTenant(h.store)).toEqual(before);
    expect(h.store.calls.committed).toBe(committed);
    // The tenant's history still holds together, without a gap.
    expect(await h.register.verifyHistory()).toMatchObject({ ok: true, records: 1 });
  });

  it('two raises racing for one reference: one is stored, the other refused', async () => {
    const h = setup({ references: { finding: () => 'NC-2026-0006' } });
    const results = await Promise.allSettled([h.register.raise(raiseInput({ title: 'One' })), h.register.raise(raiseInput({ title: 'Two' }))]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateReferenceError);
    expect((await dumpTenant(h.store)).records.map((record) => record.index.reference)).toEqual(['NC-2026-0006']);
  });

  it('two plans racing for one action reference: one is stored, the other refused whole (its finding does not move)', async () => {
    const h = setup({ references: { action: () => 'CA-2026-0001' } });
    const [a, b] = [await driveTo(h.register, 'investigating'), await driveTo(h.register, 'investigating')];
    const results = await Promise.allSettled([a, b].map(({ finding }) => h.register.planActions({ actor: actors.owner, findingId: finding.id, actions: [planLine()] })));
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateReferenceError);
    const statuses = await Promise.all([a, b].map(async ({ finding }) => (await h.register.get(finding.id)).status));
    expect(statuses.sort()).toEqual(['investigating', 'planning']);
    expect((await dumpTenant(h.store)).records.filter((record) => record.kind === 'action')).toHaveLength(1);
  });
});

describe('the storage contract version', () => {
  /** A store as it was written for contract 1: no contractVersion, nextReference(tenantId) alone. */
  const contractOne = (): CapaStore => {
    const { contractVersion: _dropped, ...rest } = memoryStore();
    return rest as unknown as CapaStore;
  };

  it('the register and importLog refuse a store written for contract 1, or for another contract, saying what changed', async () => {
    const error = (() => {
      try {
        createCapaRegister({ store: contractOne(), policy: iso27001, tenant: TENANT });
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(StoreContractError);
    expect(error).toMatchObject({ code: 'CAPA_STORE_CONTRACT', found: undefined, supported: STORE_CONTRACT_VERSION });
    expect((error as Error).message).toMatch(/storage contract 1.*nextReference\(tenantId, kind\)/);
    const text = await exportText(memoryStore());
    await expect(importLog(text, contractOne())).rejects.toBeInstanceOf(StoreContractError);
    expect(() => createCapaRegister({ store: { ...memoryStore(), contractVersion: 3 as never }, policy: iso27001, tenant: TENANT })).toThrow(/contractVersion 3/);
    expect(() => createCapaRegister({ store: instrument(memoryStore()), policy: iso27001, tenant: TENANT })).not.toThrow();
  });
});
