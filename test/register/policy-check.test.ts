// A register works under its policy, and writes it into every entry (madeUnder) and the
// export's header: a policy the log validator would refuse is refused when the register is
// created (it was used as given, and its entries failed validation later).
import { describe, expect, it } from 'vitest';
import { CapaValidationError, defineSeverityPolicy, iso27001, type SeverityPolicy, soc2 } from 'capa-kit';
import { createCapaRegister, memoryStore } from 'capa-kit/register';

const create = (policy: SeverityPolicy) => createCapaRegister({ store: memoryStore(), policy, tenant: 'acme' });

describe('the register checks its policy', () => {
  it('refuses a policy the log would refuse, with CAPA_INVALID_POLICY naming the field and the rule', () => {
    const padded = { ...iso27001, version: ' 2022.1' } as SeverityPolicy;
    let error: unknown;
    try {
      create(padded);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CapaValidationError);
    expect(error).toMatchObject({ code: 'CAPA_INVALID_POLICY', issues: [expect.objectContaining({ path: ['version'] })] });
    expect(() => create({ ...iso27001, grades: [] } as SeverityPolicy)).toThrow(CapaValidationError);
    expect(() => create(undefined as unknown as SeverityPolicy)).toThrow(/needs a severity policy/);
  });

  it('keeps a complete policy as given (the presets, defineSeverityPolicy results)', () => {
    expect(create(iso27001).policy).toBe(iso27001);
    expect(create(soc2).policy).toBe(soc2);
    const acme = defineSeverityPolicy({ ...iso27001, id: 'acme', version: ' 1.0 ' });
    expect(create(acme).policy).toBe(acme);
    expect(acme.version).toBe('1.0');
  });

  it('fills in the defaults of fields a policy written before them lacks', () => {
    const { clockSkewMinutes: _skew, ...older } = iso27001;
    const register = create(older as SeverityPolicy);
    expect(register.policy.clockSkewMinutes).toBe(5);
    expect(register.policy).toEqual(iso27001);
  });
});
