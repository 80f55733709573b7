// The record schemas: what they accept (exactly as given, defaults applied), what they
// refuse (white space around text and ids too: the inputs trim it), and how the refusal
// reads once formatted. Error text is pinned with inline snapshots so a
// change in wording is a reviewed change.
import { z } from 'zod';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { buildJsonSchema, recordSchemas } from 'capa-kit/schemas';
import {
  ActionDraft,
  Actor,
  Affected,
  AttentionFlag,
  CalendarDate,
  Cancellation,
  CapaValidationError,
  Closure,
  Correction,
  CorrectiveAction,
  createFindingSchemas,
  Deadline,
  EffectivenessReview,
  Evidence,
  ExtentOfCondition,
  Extensions,
  Finding,
  FindingSource,
  formatCapaError,
  GradePolicy,
  HistoryEntry,
  Id,
  Instant,
  MadeUnder,
  parseRecord,
  Person,
  PlanApproval,
  RaisedFinding,
  Rejection,
  RequirementRef,
  RootCauseAnalysis,
  SeverityPolicy,
  type FindingStatus,
} from 'capa-kit';
import { atInput } from '../../src/schemas/input.js';
import { AT, sampleAction, sampleCorrection, sampleEvidence, sampleFinding, sampleReview, sampleRootCause } from '../fixtures/events.js';

// ---------------------------------------------------------------------------------------
// Helpers

/** Parses `input`, expecting a refusal; returns the CapaValidationError thrown. */
function refusal(schema: z.ZodType, input: unknown, subject?: string): CapaValidationError {
  let thrown: unknown;
  try {
    parseRecord(schema, input, subject);
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error('expected parseRecord to refuse the input, but it parsed');
  if (!(thrown instanceof CapaValidationError)) throw thrown;
  return thrown;
}

/** The formatted refusal: what a person reads. */
const refused = (schema: z.ZodType, input: unknown): string => formatCapaError(refusal(schema, input));

/** The (path, code) pairs of a refusal, for assertions that do not depend on wording. */
const issuesOf = (schema: z.ZodType, input: unknown) =>
  refusal(schema, input).issues.map((issue) => ({ path: issue.path, code: issue.code }));

const person = { id: 'u-1', name: 'Priya Shah' };
const LONG_200 = 'x'.repeat(200);
const LONG_201 = 'x'.repeat(201);
const SHA = 'a'.repeat(64);

function sampleFullFinding() {
  return {
    ...sampleFinding(),
    schemaVersion: 1,
    dueDate: '2026-06-01',
    status: 'implementing',
    correction: sampleCorrection(),
    rootCause: sampleRootCause(),
    correctiveActionIds: ['ca-1'],
    planApproval: { approvedBy: person, role: 'auditor', approvedAt: AT },
    effectivenessReviews: [sampleReview()],
    evidence: [sampleEvidence()],
    closure: null,
    rejection: null,
    recurrenceCount: 0,
    flags: [],
    updatedAt: AT,
  } as const;
}

function sampleCorrectiveAction() {
  return {
    schemaVersion: 1,
    id: 'ca-1',
    tenantId: 't-1',
    findingIds: ['f-1'],
    description: 'Require IT confirmation within 24 hours of each departure',
    owner: person,
    dueDate: '2026-05-31',
    measurableOutcome: 'Next 10 departures disabled within 24 h',
    status: 'planned',
    cancellation: null,
    implementationEvidence: [],
    createdAt: '2026-03-06T09:00:00Z',
    startedAt: null,
    completedAt: null,
  } as const;
}

const cancellation = { reason: 'Superseded by the new workflow', cancelledBy: person, cancelledAt: '2026-04-01T09:00:00Z' };

const historyEntry = {
  schemaVersion: 1,
  tenantId: 'acme',
  recordKind: 'finding',
  recordId: 'f-1',
  sequence: 1,
  type: 'RAISE',
  actor: { id: 'u-3', name: 'Ines Audit', roles: ['internal-auditor'] },
  at: '2026-03-01T15:00:00Z',
  reason: null,
  payload: { grade: 'minor', nested: [1, true, null, { a: 'b' }] },
  madeUnder: { schema: 1, machine: 1, policy: { id: 'iso27001', version: '2022.1' } },
  signature: {
    signerId: 'u-2',
    printedName: 'Jonas Berg',
    meaning: 'approved',
    signedAt: '2026-03-01T15:00:00Z',
    boundTo: { recordId: 'f-1', version: 0, hash: null },
  },
  prevHash: null,
  hash: 'a'.repeat(64),
} as const;

const notApplicable = {
  schemaVersion: 1,
  kind: 'not-applicable',
  justification: 'The late review has no consequence left to contain.',
} as const;

const procedureRef = {
  kind: 'procedure',
  documentId: 'PROC-AC-004',
  version: '3.1',
  title: 'Access review procedure',
  reference: '4.2',
} as const;

// ---------------------------------------------------------------------------------------
// Valid samples

describe('valid samples parse unchanged', () => {
  const cases: [string, z.ZodType, unknown][] = [
    ['Finding', Finding, sampleFullFinding()],
    ['RaisedFinding', RaisedFinding, sampleFinding()],
    ['Correction (performed)', Correction, sampleCorrection()],
    ['Correction (not-applicable)', Correction, notApplicable],
    ['RootCauseAnalysis', RootCauseAnalysis, sampleRootCause()],
    ['RootCauseAnalysis (no extent of condition)', RootCauseAnalysis, sampleRootCause({ extentOfCondition: null })],
    ['ActionDraft (complete)', ActionDraft, sampleAction()],
    ['CorrectiveAction (planned)', CorrectiveAction, sampleCorrectiveAction()],
    ['CorrectiveAction (cancelled)', CorrectiveAction, { ...sampleCorrectiveAction(), status: 'cancelled', cancellation }],
    ['EffectivenessReview', EffectivenessReview, sampleReview('not-effective')],
    ['Evidence', Evidence, sampleEvidence({ sha256: SHA, description: 'Scanned PDF' })],
    ['Person', Person, person],
    ['Actor', Actor, { ...person, roles: ['auditor', 'security-officer'] }],
    ['Actor (no roles)', Actor, { ...person, roles: [] }],
    ['HistoryEntry', HistoryEntry, historyEntry],
    ['RequirementRef (standard)', RequirementRef, { kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: 'A.5.18' }],
    ['RequirementRef (procedure)', RequirementRef, procedureRef],
    ['Affected (process)', Affected, { process: 'Joiner-mover-leaver' }],
    ['Affected (asset)', Affected, { asset: 'Active Directory' }],
    ['Affected (both)', Affected, { process: 'Joiner-mover-leaver', asset: 'Active Directory' }],
    ['FindingSource', FindingSource, { kind: 'internal-audit', reference: 'IA-2026-03' }],
    ['FindingSource (no reference)', FindingSource, { kind: 'kpi-measurement' }],
    ['Extensions', Extensions, { acme: { riskId: 'R-12' }, 'acme.risk': { score: 3, tags: ['a', null] }, 'vendor-x': {} }],
    ['Extensions (empty)', Extensions, {}],
  ];

  it.each(cases)('%s', (_name, schema, input) => {
    expect(parseRecord(schema, input)).toEqual(input);
  });

  it('a 200-character title is at the limit and passes; padding is refused, and does not count at input', () => {
    expect(parseRecord(RaisedFinding, sampleFinding({ title: LONG_200 })).title).toBe(LONG_200);
    expect(issuesOf(RaisedFinding, sampleFinding({ title: `   ${LONG_200}   ` }))).toContainEqual({ path: ['title'], code: 'invalid_format' });
    expect(parseRecord(atInput(RaisedFinding), sampleFinding({ title: `   ${LONG_200}   ` })).title).toBe(LONG_200);
  });

  it('instants with fractional seconds pass; leap days in leap years pass', () => {
    expect(parseRecord(Instant, '2026-03-01T10:00:00.123Z')).toBe('2026-03-01T10:00:00.123Z');
    expect(parseRecord(CalendarDate, '2028-02-29')).toBe('2028-02-29');
    expect(parseRecord(CalendarDate, '2000-02-29')).toBe('2000-02-29');
  });

  it('references: prefix-year-sequence with 4 to 9 digits', () => {
    for (const reference of ['NC-2026-0001', 'A-2026-123456789', 'SOC2-2026-0042']) {
      expect(parseRecord(RaisedFinding, sampleFinding({ reference })).reference).toBe(reference);
    }
  });
});

describe('records hold text and ids exactly: white space around them is refused, and trimmed at input', () => {
  const cases: [string, z.ZodType, unknown, unknown][] = [
    ['Person', Person, { id: '  u-1  ', name: '  Priya Shah  ' }, person],
    ['Actor', Actor, { id: ' u-1 ', name: ' Priya Shah ', roles: ['  auditor  '] }, { ...person, roles: ['auditor'] }],
    [
      'RaisedFinding',
      RaisedFinding,
      { ...sampleFinding(), reference: '  NC-2026-0001  ', title: '  x  ', grade: '  major  ', tenantId: ' t-1 ' },
      { ...sampleFinding(), reference: 'NC-2026-0001', title: 'x', grade: 'major', tenantId: 't-1' },
    ],
    [
      'Finding',
      Finding,
      { ...sampleFullFinding(), description: '  x  ', correctiveActionIds: ['  ca-1  '] },
      { ...sampleFullFinding(), description: 'x', correctiveActionIds: ['ca-1'] },
    ],
    [
      'Correction (performed)',
      Correction,
      { ...sampleCorrection(), description: '  x  ' },
      { ...sampleCorrection(), description: 'x' },
    ],
    [
      'Correction (not-applicable)',
      Correction,
      { ...notApplicable, justification: '  x  ' },
      { ...notApplicable, justification: 'x' },
    ],
    [
      'RootCauseAnalysis',
      RootCauseAnalysis,
      sampleRootCause({ statement: '  x  ', whys: ['  a  ', ' b '] }),
      sampleRootCause({ statement: 'x', whys: ['a', 'b'] }),
    ],
    [
      'ActionDraft',
      ActionDraft,
      sampleAction({ id: '  ca-1  ', description: '  x  ', measurableOutcome: '  y  ' }),
      sampleAction({ id: 'ca-1', description: 'x', measurableOutcome: 'y' }),
    ],
    [
      'CorrectiveAction',
      CorrectiveAction,
      { ...sampleCorrectiveAction(), description: '  x  ', findingIds: [' f-1 '] },
      { ...sampleCorrectiveAction(), description: 'x', findingIds: ['f-1'] },
    ],
    [
      'EffectivenessReview',
      EffectivenessReview,
      { ...sampleReview(), criterion: '  x  ', notes: '  y  ' },
      { ...sampleReview(), criterion: 'x', notes: 'y' },
    ],
    ['Evidence', Evidence, sampleEvidence({ title: '  x  ', location: '  y  ' }), sampleEvidence({ title: 'x', location: 'y' })],
    ['HistoryEntry', HistoryEntry, { ...historyEntry, type: '  RAISE  ', reason: '  why  ' }, { ...historyEntry, reason: 'why' }],
    [
      'RequirementRef (standard)',
      RequirementRef,
      { kind: 'standard', framework: '  ISO/IEC 27001:2022  ', reference: '  A.5.18  ', title: '  x  ' },
      { kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: 'A.5.18', title: 'x' },
    ],
    [
      'RequirementRef (procedure)',
      RequirementRef,
      { kind: 'procedure', documentId: '  PROC-1  ', version: '  3.1  ', title: '  x  ' },
      { kind: 'procedure', documentId: 'PROC-1', version: '3.1', title: 'x' },
    ],
    ['Affected', Affected, { process: '  x  ', asset: '  y  ' }, { process: 'x', asset: 'y' }],
    ['FindingSource', FindingSource, { kind: 'other', reference: '  x  ' }, { kind: 'other', reference: 'x' }],
  ];

  it.each(cases)('%s', (_name, schema, input, expected) => {
    const issues = refusal(schema, input).issues;
    expect(issues.length).toBeGreaterThan(0);
    // Text says why; an id's or a reference's own pattern already leaves white space out.
    for (const issue of issues) expect(issue.code).toBe('invalid_format');
    expect(parseRecord(atInput(schema), input)).toEqual(expected);
    expect(parseRecord(schema, expected)).toEqual(expected);
  });

  it('white space only is refused in a record, and empty at input', () => {
    expect(refused(Person, { id: 'u-1', name: '\u3000\t' })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Person
        - name: Must not start or end with white space [invalid_format]"
    `);
    expect(refused(atInput(Person), { id: 'u-1', name: '\u3000\t' })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid input
        - name: Too small: expected string to have >=1 characters [too_small]"
    `);
  });

  it('only what String.prototype.trim removes is white space: other invisible characters are text', () => {
    for (const kept of ['\u0085', '\u180e', '\u200b', '\u001c']) {
      expect(parseRecord(Person, { id: 'u-1', name: `${kept}Priya${kept}` }).name).toBe(`${kept}Priya${kept}`);
    }
  });

  it('instants and calendar dates are not trimmed: padding is refused', () => {
    expect(issuesOf(Instant, ' 2026-03-01T10:00:00Z ')).toEqual([{ path: [], code: 'invalid_format' }]);
    expect(issuesOf(CalendarDate, ' 2026-03-01 ')).toEqual([{ path: [], code: 'invalid_format' }]);
  });
});

describe('defaults', () => {
  it('ActionDraft: owner, dueDate and measurableOutcome default to null', () => {
    expect(parseRecord(ActionDraft, { id: 'ca-1', description: 'Add an IT confirmation step.' })).toEqual({
      id: 'ca-1',
      description: 'Add an IT confirmation step.',
      owner: null,
      dueDate: null,
      measurableOutcome: null,
    });
  });

  it('RaisedFinding: extensions default to {}', () => {
    const { extensions: _omitted, ...withoutExtensions } = sampleFinding();
    expect(parseRecord(RaisedFinding, withoutExtensions).extensions).toEqual({});
  });
});

// ---------------------------------------------------------------------------------------
// Refusals

describe('Person and Actor', () => {
  it('missing fields', () => {
    expect(refused(Person, {})).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Person
        - id: Invalid input: expected string, received undefined [invalid_type]
        - name: Invalid input: expected string, received undefined [invalid_type]"
    `);
  });

  it('wrong types', () => {
    expect(refused(Person, { id: 5, name: null })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Person
        - id: Invalid input: expected string, received number [invalid_type]
        - name: Invalid input: expected string, received null [invalid_type]"
    `);
    expect(refused(Person, 'Priya')).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Person
        - (root): Invalid input: expected object, received string [invalid_type]"
    `);
  });

  it('blank and oversize names, ids with spaces inside', () => {
    expect(refused(Person, { id: 'u 1', name: '   ' })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Person
        - id: Must contain only letters, digits, "_" and "-" [invalid_format]
        - name: Must not start or end with white space [invalid_format]"
    `);
    expect(refused(Person, { id: 'x'.repeat(65), name: LONG_201 })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Person
        - id: Too big: expected string to have <=64 characters [too_big]
        - name: Too big: expected string to have <=200 characters [too_big]"
    `);
  });

  it('unknown keys, including __proto__ and constructor from JSON.parse', () => {
    expect(refused(Person, { ...person, email: 'p@example.com' })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Person
        - (root): Unrecognized key: "email" [unrecognized_keys]"
    `);
    const proto: unknown = JSON.parse('{"id":"u-1","name":"Priya","__proto__":{"isAdmin":true}}');
    expect(refused(Person, proto)).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Person
        - (root): Unrecognized key: "__proto__" [unrecognized_keys]"
    `);
    const ctor: unknown = JSON.parse('{"id":"u-1","name":"Priya","constructor":{"prototype":{"isAdmin":true}}}');
    expect(refused(Person, ctor)).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Person
        - (root): Unrecognized key: "constructor" [unrecognized_keys]"
    `);
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
  });

  it('Actor: roles must be an array of short texts, at most 32', () => {
    expect(refused(Actor, { ...person, roles: 'auditor' })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Actor
        - roles: Invalid input: expected array, received string [invalid_type]"
    `);
    expect(refused(Actor, { ...person, roles: ['x'.repeat(65), ''] })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Actor
        - roles[0]: Too big: expected string to have <=64 characters [too_big]
        - roles[1]: Too small: expected string to have >=1 characters [too_small]"
    `);
    expect(issuesOf(Actor, { ...person, roles: Array.from({ length: 33 }, (_, i) => `r${i}`) })).toEqual([
      { path: ['roles'], code: 'too_big' },
    ]);
  });
});

describe('RaisedFinding and Finding', () => {
  it('an empty object names every missing field', () => {
    expect(refused(RaisedFinding, {})).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid RaisedFinding
        - id: Invalid input: expected string, received undefined [invalid_type]
        - tenantId: Invalid input: expected string, received undefined [invalid_type]
        - reference: Invalid input: expected string, received undefined [invalid_type]
        - title: Invalid input: expected string, received undefined [invalid_type]
        - description: Invalid input: expected string, received undefined [invalid_type]
        - requirement: Invalid input: expected object, received undefined [invalid_type]
        - observedEvidence: Invalid input: expected string, received undefined [invalid_type]
        - affected: Invalid input: expected object, received undefined [invalid_type]
        - source: Invalid input: expected object, received undefined [invalid_type]
        - grade: Invalid input: expected string, received undefined [invalid_type]
        - owner: Invalid input: expected object, received undefined [invalid_type]
        - raisedBy: Invalid input: expected object, received undefined [invalid_type]
        - detectedAt: Invalid input: expected string, received undefined [invalid_type]
        - raisedAt: Invalid input: expected string, received undefined [invalid_type]"
    `);
  });

  it('title longer than 200 characters', () => {
    expect(refused(RaisedFinding, sampleFinding({ title: LONG_201 }))).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid RaisedFinding
        - title: Too big: expected string to have <=200 characters [too_big]"
    `);
  });

  it('instants not in UTC', () => {
    expect(
      refused(RaisedFinding, sampleFinding({ detectedAt: '2026-03-01T10:00:00+02:00', raisedAt: '2026-03-01T10:00:00' })),
    ).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid RaisedFinding
        - detectedAt: Must be an ISO 8601 UTC instant such as 2026-03-01T09:30:00Z [invalid_format]
        - raisedAt: Must be an ISO 8601 UTC instant such as 2026-03-01T09:30:00Z [invalid_format]"
    `);
  });

  it('impossible instants', () => {
    expect(issuesOf(Instant, '2026-02-30T10:00:00Z')).toEqual([{ path: [], code: 'invalid_format' }]);
    expect(issuesOf(Instant, '2026-03-01T24:00:00Z')).toEqual([{ path: [], code: 'invalid_format' }]);
    expect(issuesOf(Instant, '2026-03-01 10:00:00Z')).toEqual([{ path: [], code: 'invalid_format' }]);
  });

  it('bad references', () => {
    expect(refused(RaisedFinding, sampleFinding({ reference: 'NC-26-1' }))).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid RaisedFinding
        - reference: Must look like NC-2026-0001 (prefix-year-sequence) [invalid_format]"
    `);
    for (const reference of ['nc-2026-0001', 'NC-2026-001', 'NC-26-0001', 'NC_2026_0001', 'ABCDEFGHIJK-2026-0001', '1C-2026-0001']) {
      expect(issuesOf(RaisedFinding, sampleFinding({ reference }))).toEqual([{ path: ['reference'], code: 'invalid_format' }]);
    }
  });

  it('nested records: requirement, affected, source, owner', () => {
    expect(
      refused(RaisedFinding, {
        ...sampleFinding(),
        requirement: { kind: 'standard', framework: 'ISO/IEC 27001:2022' },
        affected: {},
        source: { kind: 'rumour' },
        owner: { id: 'u-1' },
      }),
    ).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid RaisedFinding
        - requirement.reference: Invalid input: expected string, received undefined [invalid_type]
        - affected: Name the affected process, the affected asset, or both [custom]
        - source.kind: Invalid option: expected one of "internal-audit"|"external-audit"|"kpi-measurement"|"management-review"|"incident-review"|"monitoring"|"other" [invalid_value]
        - owner.name: Invalid input: expected string, received undefined [invalid_type]"
    `);
  });

  it('unknown keys at the top level and in nested records', () => {
    expect(
      refused(RaisedFinding, { ...sampleFinding(), severity: 'high', owner: { ...person, email: 'p@example.com' } }),
    ).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid RaisedFinding
        - owner: Unrecognized key: "email" [unrecognized_keys]
        - (root): Unrecognized key: "severity" [unrecognized_keys]"
    `);
    const fromJson: unknown = JSON.parse(JSON.stringify(sampleFinding()).replace(/^\{/, '{"__proto__":{"status":"closed"},'));
    expect(refused(RaisedFinding, fromJson)).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid RaisedFinding
        - (root): Unrecognized key: "__proto__" [unrecognized_keys]"
    `);
  });

  it('Finding: status is a closed list; recurrenceCount a non-negative integer; dueDate a calendar date', () => {
    expect(
      refused(Finding, { ...sampleFullFinding(), status: 'open', recurrenceCount: -1, dueDate: '2026-02-30' }),
    ).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Finding
        - dueDate: Must be a calendar date YYYY-MM-DD [invalid_format]
        - status: Invalid option: expected one of "draft"|"reported"|"contained"|"investigating"|"planning"|"awaitingApproval"|"implementing"|"verifying"|"closed"|"monitoring"|"logged"|"rejected"|"conformity" [invalid_value]
        - recurrenceCount: Too small: expected number to be >=0 [too_small]"
    `);
    expect(issuesOf(Finding, { ...sampleFullFinding(), recurrenceCount: 1.5 })).toEqual([
      { path: ['recurrenceCount'], code: 'invalid_type' },
    ]);
  });

  it('Finding: errors deep inside arrays name the index', () => {
    expect(
      refused(Finding, {
        ...sampleFullFinding(),
        evidence: [sampleEvidence(), sampleEvidence({ sha256: 'not-a-digest' })],
        effectivenessReviews: [{ ...sampleReview(), reviewer: { id: 'u-1', name: '' } }],
      }),
    ).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Finding
        - effectivenessReviews[0].reviewer.name: Too small: expected string to have >=1 characters [too_small]
        - evidence[1].sha256: Must be a lowercase hex SHA-256 digest (64 characters) [invalid_format]"
    `);
  });

  it('Finding: a RaisedFinding is not a Finding (lifecycle fields missing)', () => {
    expect(refused(Finding, sampleFinding())).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Finding
        - schemaVersion: Invalid input: expected 1 [invalid_value]
        - dueDate: Invalid input: expected string, received undefined [invalid_type]
        - status: Invalid option: expected one of "draft"|"reported"|"contained"|"investigating"|"planning"|"awaitingApproval"|"implementing"|"verifying"|"closed"|"monitoring"|"logged"|"rejected"|"conformity" [invalid_value]
        - correction: Invalid input: expected object, received undefined [invalid_type]
        - rootCause: Invalid input: expected object, received undefined [invalid_type]
        - correctiveActionIds: Invalid input: expected array, received undefined [invalid_type]
        - planApproval: Invalid input: expected object, received undefined [invalid_type]
        - effectivenessReviews: Invalid input: expected array, received undefined [invalid_type]
        - evidence: Invalid input: expected array, received undefined [invalid_type]
        - closure: Invalid input: expected object, received undefined [invalid_type]
        - rejection: Invalid input: expected object, received undefined [invalid_type]
        - recurrenceCount: Invalid input: expected number, received undefined [invalid_type]
        - flags: Invalid input: expected array, received undefined [invalid_type]
        - updatedAt: Invalid input: expected string, received undefined [invalid_type]"
    `);
  });
});

describe('Correction', () => {
  it('unknown kind', () => {
    expect(refused(Correction, { schemaVersion: 1, kind: 'pending' })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Correction
        - kind: Invalid discriminator value. Expected 'performed' | 'not-applicable' [invalid_union]"
    `);
  });

  it('fields of the other kind are unknown keys', () => {
    expect(refused(Correction, { ...notApplicable, performedBy: person })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Correction
        - (root): Unrecognized key: "performedBy" [unrecognized_keys]"
    `);
  });

  it('performed: missing fields and a non-UTC completion instant', () => {
    expect(
      refused(Correction, { schemaVersion: 1, kind: 'performed', completedAt: '2026-03-02T10:00:00+01:00' }),
    ).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Correction
        - description: Invalid input: expected string, received undefined [invalid_type]
        - performedBy: Invalid input: expected object, received undefined [invalid_type]
        - completedAt: Must be an ISO 8601 UTC instant such as 2026-03-01T09:30:00Z [invalid_format]"
    `);
  });

  it('wrong schema version and blank justification', () => {
    expect(refused(Correction, { ...notApplicable, schemaVersion: 2, justification: '   ' })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Correction
        - schemaVersion: Invalid input: expected 1 [invalid_value]
        - justification: Must not start or end with white space [invalid_format]"
    `);
  });
});

describe('RootCauseAnalysis', () => {
  it('unknown method and category, too many whys, bad extent of condition', () => {
    expect(
      refused(RootCauseAnalysis, {
        ...sampleRootCause(),
        method: 'guesswork',
        category: 'human-error',
        whys: Array.from({ length: 21 }, (_, i) => `why ${i}`),
        extentOfCondition: { scope: 'All departures', linkedFindingIds: ['f 2'] },
      }),
    ).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid RootCauseAnalysis
        - method: Invalid option: expected one of "five-whys"|"fishbone"|"process-review"|"interview"|"cause-mapping"|"other" [invalid_value]
        - whys: Too big: expected array to have <=20 items [too_big]
        - category: Invalid option: expected one of "process"|"training"|"ownership"|"system-or-tooling"|"resources"|"supplier"|"design"|"other" [invalid_value]
        - extentOfCondition.result: Invalid input: expected string, received undefined [invalid_type]
        - extentOfCondition.linkedFindingIds[0]: Must contain only letters, digits, "_" and "-" [invalid_format]"
    `);
  });

  it('missing statement and analyst', () => {
    const { statement: _s, analysedBy: _a, ...rest } = sampleRootCause();
    expect(refused(RootCauseAnalysis, rest)).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid RootCauseAnalysis
        - statement: Invalid input: expected string, received undefined [invalid_type]
        - analysedBy: Invalid input: expected object, received undefined [invalid_type]"
    `);
  });
});

describe('ActionDraft', () => {
  it('missing id and description, bad due date, wrong owner type', () => {
    expect(refused(ActionDraft, { owner: 'Sam', dueDate: '2026-02-30' })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid ActionDraft
        - id: Invalid input: expected string, received undefined [invalid_type]
        - description: Invalid input: expected string, received undefined [invalid_type]
        - owner: Invalid input: expected object, received string [invalid_type]
        - dueDate: Must be a calendar date YYYY-MM-DD [invalid_format]"
    `);
  });

  it('unknown keys', () => {
    expect(refused(ActionDraft, { ...sampleAction(), status: 'planned' })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid ActionDraft
        - (root): Unrecognized key: "status" [unrecognized_keys]"
    `);
  });
});

describe('CorrectiveAction', () => {
  it('cancelled needs a cancellation', () => {
    expect(refused(CorrectiveAction, { ...sampleCorrectiveAction(), status: 'cancelled' })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid CorrectiveAction
        - cancellation: A cancelled action must say why it was cancelled [custom]"
    `);
  });

  it('only a cancelled action carries a cancellation', () => {
    for (const status of ['planned', 'in-progress', 'done'] as const) {
      const error = refusal(CorrectiveAction, { ...sampleCorrectiveAction(), status, cancellation });
      expect(error.issues).toEqual([
        { path: ['cancellation'], code: 'custom', message: 'Only a cancelled action carries a cancellation' },
      ]);
    }
    expect(refused(CorrectiveAction, { ...sampleCorrectiveAction(), status: 'done', cancellation })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid CorrectiveAction
        - cancellation: Only a cancelled action carries a cancellation [custom]"
    `);
  });

  it('at least one finding; unknown status', () => {
    expect(refused(CorrectiveAction, { ...sampleCorrectiveAction(), findingIds: [], status: 'paused' })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid CorrectiveAction
        - findingIds: Too small: expected array to have >=1 items [too_small]
        - status: Invalid option: expected one of "planned"|"in-progress"|"done"|"cancelled" [invalid_value]"
    `);
  });

  it('a bad cancellation record', () => {
    expect(
      refused(CorrectiveAction, {
        ...sampleCorrectiveAction(),
        status: 'cancelled',
        cancellation: { reason: '', cancelledAt: '2026-04-01' },
      }),
    ).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid CorrectiveAction
        - cancellation.reason: Too small: expected string to have >=1 characters [too_small]
        - cancellation.cancelledBy: Invalid input: expected object, received undefined [invalid_type]
        - cancellation.cancelledAt: Must be an ISO 8601 UTC instant such as 2026-03-01T09:30:00Z [invalid_format]"
    `);
  });
});

describe('EffectivenessReview', () => {
  it('unknown method and result; evidence items are validated', () => {
    expect(
      refused(EffectivenessReview, {
        ...sampleReview(),
        method: 'gut-feeling',
        result: 'partly-effective',
        evidence: [{ ...sampleEvidence(), kind: 'rumour' }],
      }),
    ).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid EffectivenessReview
        - method: Invalid option: expected one of "follow-up-audit"|"kpi"|"re-test"|"sample-of-next-occurrences"|"other" [invalid_value]
        - result: Invalid option: expected one of "effective"|"not-effective" [invalid_value]
        - evidence[0].kind: Invalid option: expected one of "document"|"record"|"screenshot"|"test-result"|"training-record"|"link"|"other" [invalid_value]"
    `);
  });

  it('missing reviewer and reviewedAt', () => {
    const { reviewer: _r, reviewedAt: _at, ...rest } = sampleReview();
    expect(refused(EffectivenessReview, rest)).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid EffectivenessReview
        - reviewer: Invalid input: expected object, received undefined [invalid_type]
        - reviewedAt: Invalid input: expected string, received undefined [invalid_type]"
    `);
  });
});

describe('Evidence', () => {
  it('bad sha256 and a non-UTC instant', () => {
    expect(
      refused(Evidence, sampleEvidence({ sha256: 'ABC', collectedAt: '2026-03-01T10:00:00+02:00' })),
    ).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Evidence
        - sha256: Must be a lowercase hex SHA-256 digest (64 characters) [invalid_format]
        - collectedAt: Must be an ISO 8601 UTC instant such as 2026-03-01T09:30:00Z [invalid_format]"
    `);
  });

  it('sha256 must be exactly 64 lowercase hex characters', () => {
    for (const sha256 of [SHA.toUpperCase(), 'a'.repeat(63), 'a'.repeat(65), `${'a'.repeat(63)}g`, ` ${SHA}`]) {
      expect(issuesOf(Evidence, sampleEvidence({ sha256 }))).toEqual([{ path: ['sha256'], code: 'invalid_format' }]);
    }
  });

  it('unknown kind, oversize title and location', () => {
    expect(
      refused(Evidence, { ...sampleEvidence(), kind: 'hearsay', title: LONG_201, location: 'x'.repeat(2049) }),
    ).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Evidence
        - kind: Invalid option: expected one of "document"|"record"|"screenshot"|"test-result"|"training-record"|"link"|"other" [invalid_value]
        - title: Too big: expected string to have <=200 characters [too_big]
        - location: Too big: expected string to have <=2048 characters [too_big]"
    `);
  });
});

describe('HistoryEntry', () => {
  it('sequence counts from 1; the payload must be JSON', () => {
    expect(refused(HistoryEntry, { ...historyEntry, sequence: 0, payload: { at: new Date(0) } })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid HistoryEntry
        - sequence: Too small: expected number to be >=1 [too_small]
        - payload: Invalid input [invalid_union]"
    `);
  });

  it('madeUnder and actor are validated', () => {
    expect(
      refused(HistoryEntry, {
        ...historyEntry,
        actor: { id: 'u-3', name: 'Ines Audit' },
        madeUnder: { schema: 1, machine: 0, policy: { id: 'iso 27001', version: '2022.1' } },
      }),
    ).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid HistoryEntry
        - actor.roles: Invalid input: expected array, received undefined [invalid_type]
        - madeUnder.machine: Too small: expected number to be >=1 [too_small]
        - madeUnder.policy.id: Must contain only letters, digits, "_" and "-" [invalid_format]"
    `);
  });
});

describe('RequirementRef', () => {
  it('unknown kind', () => {
    expect(refused(RequirementRef, { kind: 'law', reference: 'GDPR 32' })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid RequirementRef
        - kind: Invalid discriminator value. Expected 'standard' | 'procedure' [invalid_union]"
    `);
  });

  it('procedure needs documentId, version and title', () => {
    expect(refused(RequirementRef, { kind: 'procedure', reference: '4.2' })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid RequirementRef
        - documentId: Invalid input: expected string, received undefined [invalid_type]
        - version: Invalid input: expected string, received undefined [invalid_type]
        - title: Invalid input: expected string, received undefined [invalid_type]"
    `);
  });

  it('standard: procedure fields are unknown keys', () => {
    expect(
      refused(RequirementRef, { kind: 'standard', framework: 'ISO 9001:2015', reference: '10.2', documentId: 'PROC-1' }),
    ).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid RequirementRef
        - (root): Unrecognized key: "documentId" [unrecognized_keys]"
    `);
  });
});

describe('Affected', () => {
  it('needs a process or an asset', () => {
    expect(refused(Affected, {})).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Affected
        - (root): Name the affected process, the affected asset, or both [custom]"
    `);
  });

  it('a blank process does not count', () => {
    expect(refused(Affected, { process: '   ' })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Affected
        - process: Must not start or end with white space [invalid_format]"
    `);
  });

  it('unknown keys', () => {
    expect(refused(Affected, { process: 'JML', system: 'AD' })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Affected
        - (root): Unrecognized key: "system" [unrecognized_keys]"
    `);
  });
});

describe('FindingSource', () => {
  it('unknown kind and oversize reference', () => {
    expect(refused(FindingSource, { kind: 'gossip', reference: LONG_201 })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid FindingSource
        - kind: Invalid option: expected one of "internal-audit"|"external-audit"|"kpi-measurement"|"management-review"|"incident-review"|"monitoring"|"other" [invalid_value]
        - reference: Too big: expected string to have <=200 characters [too_big]"
    `);
  });

  it('missing kind', () => {
    expect(refused(FindingSource, { reference: 'IA-1' })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid FindingSource
        - kind: Invalid option: expected one of "internal-audit"|"external-audit"|"kpi-measurement"|"management-review"|"incident-review"|"monitoring"|"other" [invalid_value]"
    `);
  });
});

describe('Extensions', () => {
  it('namespace names: lowercase words joined by "." or "-"', () => {
    for (const ok of ['acme', 'acme.risk', 'vendor-x', 'a1', 'acme.risk-register']) {
      expect(parseRecord(Extensions, { [ok]: {} })).toEqual({ [ok]: {} });
    }
    for (const bad of ['Acme!', 'Acme', '1acme', 'acme.', '.acme', 'acme..risk', 'acme_risk', '', 'ac me']) {
      expect(issuesOf(Extensions, { [bad]: {} }), bad).toEqual([{ path: [bad], code: 'invalid_key' }]);
    }
  });

  it('formatted: a bad namespace and a value that is not an object', () => {
    expect(refused(Extensions, { 'Acme!': { riskId: 'R-1' }, 'acme.risk': 3 })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Extensions
        - ["Acme!"]: Extension namespaces are lowercase words joined by "." or "-" [invalid_key]
        - ["acme.risk"]: Invalid input: expected record, received number [invalid_type]"
    `);
  });

  it('values must be JSON', () => {
    expect(refused(Extensions, { acme: { when: new Date(0), fn: () => 1 } })).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Extensions
        - acme.when: Invalid input [invalid_union]
        - acme.fn: Invalid input [invalid_union]"
    `);
  });

  it('is a record, not a strict object: any valid namespace is accepted without host schemas', () => {
    expect(parseRecord(Extensions, { 'acme.risk': { riskId: 'anything' } })).toEqual({ 'acme.risk': { riskId: 'anything' } });
  });

  // zod's record parser drops a "__proto__" key silently; parseRecord names it instead,
  // and nothing reaches a prototype either way.
  it('a "__proto__" namespace from JSON.parse is refused, and no prototype changes', () => {
    expect(issuesOf(Extensions, JSON.parse('{"__proto__":{"polluted":true},"acme":{"a":1}}'))).toEqual([
      { path: ['__proto__'], code: 'forbidden_key' },
    ]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each(['__proto__', 'constructor', 'prototype'])('a "%s" key inside a namespace is refused', (key) => {
    expect(issuesOf(Extensions, JSON.parse(`{"acme":{"${key}":{"polluted":true},"a":1}}`))).toEqual([
      { path: ['acme', key], code: 'forbidden_key' },
    ]);
  });
});

// ---------------------------------------------------------------------------------------
// Host extension schemas

describe('createFindingSchemas', () => {
  const { RaisedFinding: AcmeRaised, Finding: AcmeFinding } = createFindingSchemas({
    acme: z.strictObject({ riskId: z.string().regex(/^R-\d+$/) }),
  });

  it('a valid extension passes', () => {
    const parsed = parseRecord(AcmeRaised, sampleFinding({ extensions: { acme: { riskId: 'R-12' } } }));
    expect(parsed.extensions).toEqual({ acme: { riskId: 'R-12' } });
    // The host schemas' types reach the output.
    expectTypeOf(parsed.extensions).toEqualTypeOf<{ acme?: { riskId: string } | undefined }>();
    expect(parseRecord(AcmeFinding, { ...sampleFullFinding(), extensions: { acme: { riskId: 'R-1' } } }).extensions).toEqual({
      acme: { riskId: 'R-1' },
    });
  });

  it('the namespace is optional, and extensions default to {}', () => {
    const { extensions: _omitted, ...withoutExtensions } = sampleFinding();
    expect(parseRecord(AcmeRaised, withoutExtensions).extensions).toEqual({});
    expect(parseRecord(AcmeRaised, sampleFinding({ extensions: {} })).extensions).toEqual({});
  });

  it('a wrong riskId fails at extensions.acme.riskId', () => {
    const error = refusal(AcmeRaised, sampleFinding({ extensions: { acme: { riskId: 'RISK-12' } } }));
    expect(error.issues.map((issue) => issue.path)).toEqual([['extensions', 'acme', 'riskId']]);
    expect(formatCapaError(error)).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid input
        - extensions.acme.riskId: Invalid string: must match pattern /^R-\\d+$/ [invalid_format]"
    `);
    // The generated schemas carry no registry id, so the subject reads "input" unless the
    // caller names it (reported as a weak message).
    const named = refusal(AcmeFinding, { ...sampleFullFinding(), extensions: { acme: { riskId: 'x' } } }, 'Finding');
    expect(formatCapaError(named)).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid Finding
        - extensions.acme.riskId: Invalid string: must match pattern /^R-\\d+$/ [invalid_format]"
    `);
  });

  it('unknown namespaces are refused, including __proto__ and constructor', () => {
    expect(refused(AcmeRaised, sampleFinding({ extensions: { other: { a: 1 } } }))).toMatchInlineSnapshot(`
      "CAPA_VALIDATION: invalid input
        - extensions: Unrecognized key: "other" [unrecognized_keys]"
    `);
    for (const json of ['{"__proto__":{"riskId":"R-1"}}', '{"constructor":{"riskId":"R-1"}}', '{"toString":{}}']) {
      const extensions = JSON.parse(json) as Record<string, Record<string, unknown>>;
      expect(issuesOf(AcmeRaised, { ...sampleFinding(), extensions }), json).toEqual([
        { path: ['extensions'], code: 'unrecognized_keys' },
      ]);
    }
  });

  it('unknown keys inside a namespace are refused by the host strict schema', () => {
    expect(issuesOf(AcmeRaised, sampleFinding({ extensions: { acme: { riskId: 'R-1', extra: true } } }))).toEqual([
      { path: ['extensions', 'acme'], code: 'unrecognized_keys' },
    ]);
  });

  it('a bad namespace name throws TypeError', () => {
    expect(() => createFindingSchemas({ 'Acme!': z.strictObject({}) })).toThrow(TypeError);
    expect(() => createFindingSchemas({ 'Acme!': z.strictObject({}) })).toThrowErrorMatchingInlineSnapshot(`[TypeError: Extension namespace "Acme!" must be lowercase words joined by "." or "-", such as acme or acme.risk]`);
    expect(() => createFindingSchemas({ 'acme..x': z.strictObject({}) })).toThrow(TypeError);
    expect(() => createFindingSchemas({ 'acme.risk': z.strictObject({}), 'vendor-x': z.strictObject({}) })).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------
// Types

describe('types', () => {
  it('Finding', () => {
    expectTypeOf<Finding['grade']>().toEqualTypeOf<string>();
    expectTypeOf<Finding['dueDate']>().toEqualTypeOf<string | null>();
    expectTypeOf<Finding['status']>().toEqualTypeOf<FindingStatus>();
    expectTypeOf<FindingStatus>().toEqualTypeOf<
      | 'draft'
      | 'reported'
      | 'contained'
      | 'investigating'
      | 'planning'
      | 'awaitingApproval'
      | 'implementing'
      | 'verifying'
      | 'closed'
      | 'monitoring'
      | 'logged'
      | 'rejected'
      | 'conformity'
    >();
    expectTypeOf<Finding['correction']>().toEqualTypeOf<Correction | null>();
    expectTypeOf<Finding['recurrenceCount']>().toEqualTypeOf<number>();
    expectTypeOf(parseRecord<typeof Finding>).returns.toEqualTypeOf<Finding>();

    const finding = parseRecord(Finding, sampleFullFinding());
    // @ts-expect-error 'open' is not a FindingStatus
    const reopened: Finding = { ...finding, status: 'open' };
    // @ts-expect-error dueDate is a string or null, never a Date
    const dated: Finding = { ...finding, dueDate: new Date() };
    // @ts-expect-error extensions are namespaced objects, not flat values
    const flat: Finding = { ...finding, extensions: { riskId: 'R-1' } };
    expect([reopened, dated, flat]).toHaveLength(3);
  });

  it('Correction is a discriminated union on kind', () => {
    expectTypeOf<Correction['kind']>().toEqualTypeOf<'performed' | 'not-applicable'>();
    expectTypeOf<Extract<Correction, { kind: 'performed' }>>().toHaveProperty('performedBy').toEqualTypeOf<Person>();
    expectTypeOf<Extract<Correction, { kind: 'not-applicable' }>>().toHaveProperty('justification').toEqualTypeOf<string>();

    const correction = parseRecord(Correction, sampleCorrection());
    if (correction.kind === 'performed') {
      expectTypeOf(correction.completedAt).toEqualTypeOf<string>();
      // @ts-expect-error a performed correction has no justification
      expect(correction.justification).toBeUndefined();
    } else {
      expectTypeOf(correction.justification).toEqualTypeOf<string>();
    }

    // @ts-expect-error the fields of the two kinds do not mix
    const mixed: Correction = { schemaVersion: 1, kind: 'performed', justification: 'n/a' };
    // @ts-expect-error kind is required
    const kindless: Correction = { schemaVersion: 1, justification: 'n/a' };
    expect([mixed, kindless]).toHaveLength(2);
  });

  it('ActionDraft: the output has the defaults applied; the input may omit them', () => {
    expectTypeOf<ActionDraft['owner']>().toEqualTypeOf<Person | null>();
    expectTypeOf<ActionDraft['dueDate']>().toEqualTypeOf<string | null>();
    expectTypeOf<ActionDraft['measurableOutcome']>().toEqualTypeOf<string | null>();
    expectTypeOf<z.input<typeof ActionDraft>['owner']>().toEqualTypeOf<{ id: string; name: string } | null | undefined>();
    expectTypeOf(parseRecord<typeof ActionDraft>).returns.toEqualTypeOf<ActionDraft>();

    const input: z.input<typeof ActionDraft> = { id: 'ca-1', description: 'x' };
    // @ts-expect-error the output type requires owner, dueDate and measurableOutcome
    const output: ActionDraft = { id: 'ca-1', description: 'x' };
    expect([input, output]).toHaveLength(2);
  });

  it('RaisedFinding.extensions is a record of namespaced objects', () => {
    expectTypeOf<RaisedFinding['extensions']>().toExtend<Record<string, Record<string, unknown>>>();
    expectTypeOf<Extensions>().toEqualTypeOf<RaisedFinding['extensions']>();
    expectTypeOf<RaisedFinding>().not.toHaveProperty('status');
    expectTypeOf<RaisedFinding>().not.toHaveProperty('dueDate');
    // @ts-expect-error an extension namespace holds an object, not a string
    const bad: RaisedFinding['extensions'] = { acme: 'R-1' };
    expect(bad).toBeDefined();
  });

  it('misuse of the record types', () => {
    // @ts-expect-error a CorrectiveAction status is planned | in-progress | done | cancelled
    const action: CorrectiveAction = { ...sampleCorrectiveAction(), status: 'open' };
    // @ts-expect-error an Actor needs roles
    const actor: Actor = { id: 'u-1', name: 'Priya' };
    // @ts-expect-error RequirementRef of kind standard needs a framework
    const ref: RequirementRef = { kind: 'standard', reference: 'A.5.18' };
    // @ts-expect-error schemaVersion is the literal 1
    const evidence: Evidence = sampleEvidence({ schemaVersion: 2 });
    expect([action, actor, ref, evidence]).toHaveLength(4);
  });
});

// ---------------------------------------------------------------------------------------
// JSON Schema and registry metadata

/** Every value of every `$ref` key anywhere in `node`. */
function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, out);
  } else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else collectRefs(value, out);
    }
  }
  return out;
}

describe('buildJsonSchema', () => {
  const schema = buildJsonSchema();

  it('is a draft 2020-12 document with an id', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe('urn:capa-kit:schema:1');
  });

  it('has a $defs entry for every record schema', () => {
    for (const name of Object.keys(recordSchemas)) expect(schema.$defs, name).toHaveProperty(name);
  });

  it('every $ref resolves to a $defs entry within the document', () => {
    const refs = collectRefs(schema);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref, ref).toMatch(/^#\/\$defs\/[^/]+$/);
      const name = ref.slice('#/$defs/'.length);
      expect(Object.hasOwn(schema.$defs, name), ref).toBe(true);
    }
  });

  it('is JSON-serialisable without loss', () => {
    const text = JSON.stringify(schema);
    expect(JSON.parse(text)).toEqual(schema);
  });

  it('Finding requires reference, grade and detectedAt, and refuses other keys', () => {
    const finding = schema.$defs['Finding'] as { required: string[]; additionalProperties: unknown };
    expect(finding.required).toEqual(expect.arrayContaining(['reference', 'grade', 'detectedAt', 'raisedAt', 'status']));
    expect(finding.additionalProperties).toBe(false);
  });

  it('describes input: ActionDraft requires only id and description', () => {
    const draft = schema.$defs['ActionDraft'] as { required: string[] };
    expect([...draft.required].sort()).toEqual(['description', 'id']);
  });
});

describe('registry metadata', () => {
  const exported: Record<string, z.ZodType> = {
    ...recordSchemas,
    RequirementRef,
    Affected,
    FindingSource,
    Extensions,
    Cancellation,
    ExtentOfCondition,
    Closure,
    Rejection,
    PlanApproval,
    AttentionFlag,
    MadeUnder,
    GradePolicy,
    Deadline,
    SeverityPolicy,
    Id,
    Instant,
    CalendarDate,
  };

  it.each(Object.entries(exported))('%s has a registry id and description', (name, schema) => {
    const meta = z.globalRegistry.get(schema);
    expect(meta?.id).toBe(name);
    expect(typeof meta?.description).toBe('string');
    expect((meta?.description ?? '').length).toBeGreaterThan(10);
  });

  it('parseRecord names the subject from the registry id', () => {
    expect(refusal(Person, {}).subject).toBe('Person');
    expect(refusal(z.string(), 1).subject).toBe('input');
    expect(parseRecordSubject()).toBe('Owner');
  });
});

function parseRecordSubject(): string {
  try {
    parseRecord(Person, {}, 'Owner');
  } catch (error) {
    if (error instanceof CapaValidationError) return error.subject;
  }
  return 'no error';
}
