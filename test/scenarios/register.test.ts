import { describe, expect, it } from 'vitest';
import { iso27001 } from 'capa-kit';
import { createCapaRegister, memoryStore } from 'capa-kit/register';
import { accessReviews, leavers, runThroughRegister, suppliers } from '../../examples/scenarios/index.js';

describe('the DOMAIN.md scenarios through the register', () => {
  it('every step does what the scenario says, and every finding ends closed with a verifiable history', async () => {
    const store = memoryStore();
    const seen: string[] = [];
    for await (const { scenario, step, finding, error } of runThroughRegister(store, [leavers, suppliers, accessReviews])) {
      const label = `${scenario.name}: ${step.say}`;
      seen.push(label);
      if ('refused' in step) {
        expect(error, label).not.toBeNull();
        // The machine's reason is kept where the register asks the machine; a command whose
        // input schema already demands the field refuses it at validation.
        expect(['CAPA_TRANSITION_REFUSED', 'CAPA_VALIDATION'], label).toContain(error!.code);
      } else {
        expect(error, `${label}: ${error?.message}`).toBeNull();
        expect(finding?.status, label).toBe(step.then);
      }
    }
    expect(seen.length).toBe(leavers.steps.length + suppliers.steps.length + accessReviews.steps.length);
    const auditor = createCapaRegister({ store, policy: iso27001, tenant: 'acme' });
    const closed = await auditor.query({ status: ['closed'] });
    // In raising order: access reviews (February), leavers (March), suppliers (April).
    expect(closed.findings.map((f) => f.reference)).toEqual(['NC-2026-0003', 'NC-2026-0001', 'NC-2026-0002']);
    // The escalated observation is logged with its current grade, and indexed by it.
    expect(closed.findings.find((f) => f.reference === 'NC-2026-0003')?.grade).toBe('minor');
    expect((await auditor.query({ grade: ['observation'] })).findings).toEqual([]);
    const report = await auditor.verifyHistory();
    expect(report.problems).toEqual([]);
    // Three findings and six corrective actions, each with its own chained history.
    expect(report.records).toBe(9);
  });
});
