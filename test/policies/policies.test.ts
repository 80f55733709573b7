// Severity policies: the presets, validation of policies written in code or loaded from
// JSON, and grade look-up.
import { describe, expect, it } from 'vitest';
import {
  CapaValidationError,
  DEFAULT_SHALLOW_CAUSE_PHRASES,
  defineSeverityPolicy,
  findGrade,
  formatCapaError,
  GRADE_LIFECYCLES,
  isCapaError,
  iso27001,
  RELAXABLE_REQUIREMENTS,
  soc2,
  type GradePolicy,
  type SeverityPolicy,
} from 'capa-kit';

/** Defines `policy`, expecting a refusal; returns the CapaValidationError thrown. */
function refusal(policy: unknown): CapaValidationError {
  let thrown: unknown;
  try {
    defineSeverityPolicy(policy);
  } catch (error) {
    thrown = error;
  }
  if (!(thrown instanceof CapaValidationError)) throw new Error(`expected a CapaValidationError, got ${String(thrown)}`);
  expect(thrown.code).toBe('CAPA_INVALID_POLICY');
  expect(thrown.subject).toBe('SeverityPolicy');
  expect(isCapaError(thrown, 'CAPA_INVALID_POLICY')).toBe(true);
  return thrown;
}

const refused = (policy: unknown): string => formatCapaError(refusal(policy));

/** iso27001 with one grade changed. */
function withGrade(id: string, change: Partial<GradePolicy>): SeverityPolicy {
  return { ...iso27001, grades: iso27001.grades.map((grade) => (grade.id === id ? { ...grade, ...change } : grade)) };
}

const grade = (policy: SeverityPolicy, id: string): GradePolicy => {
  const found = findGrade(policy, id);
  if (!found) throw new Error(`${policy.id} has no grade ${id}`);
  return found;
};

describe('defineSeverityPolicy accepts', () => {
  it.each([
    ['iso27001', iso27001],
    ['soc2', soc2],
  ] as const)('the %s preset, unchanged', (_name, preset) => {
    expect(defineSeverityPolicy(preset)).toEqual(preset);
  });

  it.each([
    ['iso27001', iso27001],
    ['soc2', soc2],
  ] as const)('the %s preset after a JSON round trip', (_name, preset) => {
    const loaded: unknown = JSON.parse(JSON.stringify(preset));
    expect(defineSeverityPolicy(loaded)).toEqual(preset);
  });

  it('a customised policy, trimmed', () => {
    const acme = defineSeverityPolicy({
      ...iso27001,
      id: 'acme',
      version: ' 1.0.0 ',
      name: '  Acme ISMS grading  ',
      timeZone: 'Europe/London',
      grades: iso27001.grades.map((g) =>
        g.id === 'major' ? { ...g, deadline: { amount: 60, unit: 'days', from: 'detectedAt' } } : g,
      ),
      relaxes: ['rootCause.whyChain'],
    });
    expect(acme.version).toBe('1.0.0');
    expect(acme.name).toBe('Acme ISMS grading');
    expect(grade(acme, 'major').deadline).toEqual({ amount: 60, unit: 'days', from: 'detectedAt' });
  });

  it('every relaxable requirement; deadlines at their bounds', () => {
    expect(defineSeverityPolicy({ ...soc2, relaxes: [...RELAXABLE_REQUIREMENTS] }).relaxes).toEqual([...RELAXABLE_REQUIREMENTS]);
    expect(() => defineSeverityPolicy(withGrade('major', { deadline: { amount: 1, unit: 'days', from: 'raisedAt' } }))).not.toThrow();
    expect(() => defineSeverityPolicy(withGrade('major', { deadline: { amount: 3650, unit: 'days', from: 'raisedAt' } }))).not.toThrow();
  });
});

describe('defineSeverityPolicy refuses', () => {
  it('duplicate grade ids', () => {
    const major = grade(iso27001, 'major');
    expect(refused({ ...iso27001, grades: [...iso27001.grades, { ...major, label: 'Major again' }] })).toMatchInlineSnapshot(`
      "CAPA_INVALID_POLICY: invalid SeverityPolicy
        - grades[5].id: Grade id "major" is defined twice [custom]"
    `);
  });

  it('a time zone that does not exist', () => {
    expect(refused({ ...iso27001, timeZone: 'Mars/Olympus' })).toMatchInlineSnapshot(`
      "CAPA_INVALID_POLICY: invalid SeverityPolicy
        - timeZone: Must be an IANA time zone such as Europe/London, or UTC [custom]"
    `);
    // A blank zone is reported once, as too short.
    expect(refused({ ...iso27001, timeZone: '  ' })).toMatchInlineSnapshot(`
      "CAPA_INVALID_POLICY: invalid SeverityPolicy
        - timeZone: Too small: expected string to have >=1 characters [too_small]"
    `);
  });

  it('approval on a grade that has no plan (monitor, log, none)', () => {
    expect(refused(withGrade('observation', { approval: { role: 'auditor' } }))).toMatchInlineSnapshot(`
      "CAPA_INVALID_POLICY: invalid SeverityPolicy
        - grades[2].approval: Only a corrective-action grade has a plan to approve [custom]"
    `);
    for (const id of ['ofi', 'conformity']) {
      expect(refusal(withGrade(id, { approval: { role: 'auditor' } })).issues).toEqual([
        expect.objectContaining({ path: ['grades', iso27001.grades.findIndex((g) => g.id === id), 'approval'], code: 'custom' }),
      ]);
    }
  });

  it('an unknown relaxes entry', () => {
    expect(refused({ ...iso27001, relaxes: ['rootCause.notShallow', 'closure.evidence'] })).toMatchInlineSnapshot(`
      "CAPA_INVALID_POLICY: invalid SeverityPolicy
        - relaxes[1]: Invalid option: expected one of "rootCause.notShallow"|"rootCause.extentOfCondition"|"rootCause.whyChain" [invalid_value]"
    `);
  });

  it('a zero, negative, fractional or oversize deadline amount', () => {
    expect(refused(withGrade('major', { deadline: { amount: 0, unit: 'months', from: 'detectedAt' } }))).toMatchInlineSnapshot(`
      "CAPA_INVALID_POLICY: invalid SeverityPolicy
        - grades[0].deadline.amount: Too small: expected number to be >=1 [too_small]"
    `);
    for (const amount of [-3, 1.5, 3651, Number.NaN]) {
      expect(
        refusal(withGrade('major', { deadline: { amount, unit: 'months', from: 'detectedAt' } })).issues.map((i) => i.path),
        String(amount),
      ).toEqual([['grades', 0, 'deadline', 'amount']]);
    }
  });

  it('unknown deadline units and bases', () => {
    expect(
      refused(withGrade('minor', { deadline: { amount: 2, unit: 'weeks', from: 'closedAt' } as unknown as GradePolicy['deadline'] })),
    ).toMatchInlineSnapshot(`
      "CAPA_INVALID_POLICY: invalid SeverityPolicy
        - grades[1].deadline.unit: Invalid option: expected one of "months"|"days"|"businessDays" [invalid_value]
        - grades[1].deadline.from: Invalid option: expected one of "detectedAt"|"raisedAt" [invalid_value]"
    `);
  });

  it('unknown keys at every level', () => {
    expect(
      refused({
        ...iso27001,
        owner: 'ciso',
        grades: [{ ...grade(iso27001, 'major'), colour: 'red' }],
        shallowCause: { phrases: [], regex: '.*' },
      }),
    ).toMatchInlineSnapshot(`
      "CAPA_INVALID_POLICY: invalid SeverityPolicy
        - grades[0]: Unrecognized key: "colour" [unrecognized_keys]
        - shallowCause: Unrecognized key: "regex" [unrecognized_keys]
        - (root): Unrecognized key: "owner" [unrecognized_keys]"
    `);
  });

  it('unknown keys from JSON.parse: __proto__ and constructor', () => {
    const proto: unknown = JSON.parse(JSON.stringify(iso27001).replace(/^\{/, '{"__proto__":{"relaxes":["rootCause.notShallow"]},'));
    expect(refused(proto)).toMatchInlineSnapshot(`
      "CAPA_INVALID_POLICY: invalid SeverityPolicy
        - (root): Unrecognized key: "__proto__" [unrecognized_keys]"
    `);
    const ctor: unknown = JSON.parse(JSON.stringify(iso27001).replace(/^\{/, '{"constructor":{"prototype":{}},'));
    expect(refusal(ctor).issues).toEqual([expect.objectContaining({ path: [], code: 'unrecognized_keys' })]);
  });

  it('an unknown lifecycle, no grades, a wrong schema version', () => {
    expect(refused({ ...iso27001, schemaVersion: 2, grades: [] })).toMatchInlineSnapshot(`
      "CAPA_INVALID_POLICY: invalid SeverityPolicy
        - schemaVersion: Invalid input: expected 1 [invalid_value]
        - grades: Too small: expected array to have >=1 items [too_small]"
    `);
    expect(refusal(withGrade('major', { lifecycle: 'escalate' as GradePolicy['lifecycle'] })).issues.map((i) => i.path)).toEqual([
      ['grades', 0, 'lifecycle'],
    ]);
  });

  it('things that are not policies at all', () => {
    expect(refused(null)).toMatchInlineSnapshot(`
      "CAPA_INVALID_POLICY: invalid SeverityPolicy
        - (root): Invalid input: expected object, received null [invalid_type]"
    `);
    expect(refused('iso27001')).toMatchInlineSnapshot(`
      "CAPA_INVALID_POLICY: invalid SeverityPolicy
        - (root): Invalid input: expected object, received string [invalid_type]"
    `);
  });

  it('every problem at once, not just the first', () => {
    const error = refusal({
      ...iso27001,
      timeZone: 'Mars/Olympus',
      staleAfterDays: 0,
      relaxes: ['everything'],
    });
    expect(error.issues.map((i) => i.path)).toEqual([['timeZone'], ['staleAfterDays'], ['relaxes', 0]]);
  });

  it('cross-grade checks are reported alongside field errors', () => {
    const error = refusal({
      ...iso27001,
      extra: true,
      grades: [...withGrade('ofi', { approval: { role: 'auditor' } }).grades, grade(iso27001, 'minor')],
    });
    expect(formatCapaError(error)).toMatchInlineSnapshot(`
      "CAPA_INVALID_POLICY: invalid SeverityPolicy
        - (root): Unrecognized key: "extra" [unrecognized_keys]
        - grades[3].approval: Only a corrective-action grade has a plan to approve [custom]
        - grades[5].id: Grade id "minor" is defined twice [custom]"
    `);
  });
});

describe('presets match DOMAIN.md', () => {
  it('both presets are valid policies', () => {
    for (const preset of [iso27001, soc2]) expect(() => defineSeverityPolicy(preset)).not.toThrow();
  });

  it('iso27001 grades: major, minor, observation, ofi, conformity', () => {
    expect(iso27001.grades.map((g) => g.id)).toEqual(['major', 'minor', 'observation', 'ofi', 'conformity']);
  });

  it('iso27001 major: corrective action within 3 months, no approval', () => {
    expect(grade(iso27001, 'major')).toMatchObject({
      lifecycle: 'corrective-action',
      deadline: { amount: 3, unit: 'months', from: 'detectedAt' },
      approval: null,
    });
  });

  it('iso27001 minor: corrective action within 12 months, plan approved by the auditor', () => {
    expect(grade(iso27001, 'minor')).toMatchObject({
      lifecycle: 'corrective-action',
      deadline: { amount: 12, unit: 'months', from: 'detectedAt' },
      approval: { role: 'auditor' },
    });
  });

  it('iso27001 observation is monitored, OFI logged, conformity needs nothing; none has a deadline', () => {
    expect(grade(iso27001, 'observation')).toMatchObject({ lifecycle: 'monitor', deadline: null, approval: null });
    expect(grade(iso27001, 'ofi')).toMatchObject({ lifecycle: 'log', deadline: null, approval: null });
    expect(grade(iso27001, 'conformity')).toMatchObject({ lifecycle: 'none', deadline: null, approval: null });
  });

  it('iso27001 counts in UTC, relaxes nothing, uses the default shallow-cause phrases', () => {
    expect(iso27001.timeZone).toBe('UTC');
    expect(iso27001.relaxes).toEqual([]);
    expect(iso27001.shallowCause.phrases).toEqual([...DEFAULT_SHALLOW_CAUSE_PHRASES]);
    expect(iso27001.shallowCause.phrases).toContain('human error');
  });

  it('soc2 differs: day-based deadlines from raising, business days for critical, New York time', () => {
    expect(soc2.timeZone).toBe('America/New_York');
    expect(soc2.id).not.toBe(iso27001.id);
    const units = soc2.grades.flatMap((g) => (g.deadline ? [g.deadline.unit] : []));
    expect(units).not.toContain('months');
    expect(grade(soc2, 'critical')).toMatchObject({
      lifecycle: 'corrective-action',
      deadline: { amount: 15, unit: 'businessDays', from: 'raisedAt' },
      approval: { role: 'security-officer' },
    });
    expect(grade(soc2, 'high').deadline).toEqual({ amount: 30, unit: 'days', from: 'raisedAt' });
    expect(grade(soc2, 'moderate').deadline).toEqual({ amount: 90, unit: 'days', from: 'raisedAt' });
    expect(grade(soc2, 'low')).toMatchObject({ lifecycle: 'monitor', deadline: null, approval: null });
    expect(grade(soc2, 'no-exception')).toMatchObject({ lifecycle: 'none', deadline: null, approval: null });
    expect(soc2.relaxes).toEqual(['rootCause.extentOfCondition']);
    expect(soc2.staleAfterDays).toBeLessThan(iso27001.staleAfterDays);
  });

  it('every grade of both presets: approval only on corrective-action grades; a deadline only where there is work', () => {
    for (const preset of [iso27001, soc2]) {
      for (const g of preset.grades) {
        expect(GRADE_LIFECYCLES).toContain(g.lifecycle);
        if (g.lifecycle !== 'corrective-action') {
          expect(g.approval, `${preset.id}/${g.id}`).toBeNull();
          expect(g.deadline, `${preset.id}/${g.id}`).toBeNull();
        } else {
          expect(g.deadline, `${preset.id}/${g.id}`).not.toBeNull();
        }
      }
    }
  });

  it('presets are not changed by defineSeverityPolicy (it returns a copy)', () => {
    const before = JSON.stringify(iso27001);
    const defined = defineSeverityPolicy(iso27001);
    defined.grades.pop();
    expect(JSON.stringify(iso27001)).toBe(before);
  });
});

describe('findGrade', () => {
  it('finds a grade by id', () => {
    expect(findGrade(iso27001, 'minor')?.approval).toEqual({ role: 'auditor' });
    expect(findGrade(soc2, 'critical')?.label).toBe('Critical exception');
  });

  it('returns undefined for an unknown id; ids are exact (no trimming, case-sensitive)', () => {
    expect(findGrade(iso27001, 'critical')).toBeUndefined();
    expect(findGrade(iso27001, 'Major')).toBeUndefined();
    expect(findGrade(iso27001, ' major')).toBeUndefined();
    expect(findGrade(iso27001, '')).toBeUndefined();
  });

  it('does not find inherited properties', () => {
    expect(findGrade(iso27001, 'constructor')).toBeUndefined();
    expect(findGrade(iso27001, '__proto__')).toBeUndefined();
  });

  it('finds grades of a defined custom policy', () => {
    const custom = defineSeverityPolicy({
      ...iso27001,
      id: 'custom',
      grades: [
        { id: 'p1', label: 'Priority 1', lifecycle: 'corrective-action', deadline: { amount: 5, unit: 'businessDays', from: 'raisedAt' }, approval: { role: 'ciso' } },
        { id: 'p2', label: 'Priority 2', lifecycle: 'monitor', deadline: null, approval: null },
      ],
    });
    expect(findGrade(custom, 'p1')?.approval).toEqual({ role: 'ciso' });
    expect(findGrade(custom, 'major')).toBeUndefined();
  });
});

describe('time zones a policy may name', () => {
  it.each(['UTC', 'Europe/London', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'Pacific/Chatham'])('accepts %s', (timeZone) => {
    expect(() => defineSeverityPolicy({ ...iso27001, timeZone })).not.toThrow();
  });

  // Offsets and abbreviations follow no daylight-saving rules: deadlines in them drift.
  it.each(['utc', 'EST', '+05:00', 'GMT', 'Europe/Nowhere'])('refuses %s', (timeZone) => {
    expect(() => defineSeverityPolicy({ ...iso27001, timeZone })).toThrow(/IANA time zone/);
  });

  it('refuses a requirement relaxed twice', () => {
    expect(() => defineSeverityPolicy({ ...iso27001, relaxes: ['rootCause.whyChain', 'rootCause.whyChain'] })).toThrow(
      /listed once/,
    );
  });
});
