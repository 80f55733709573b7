// Issue point 1: every command validates its input before it touches the store. The table
// is checked against Object.keys(commandInputs): a new command without a case fails here.
// Each case names one required, command-specific field (wrong type, missing), one bounded
// string (oversize), and the generic attacks run on every command (unknown keys,
// `__proto__` / `constructor` keys at the root and nested, a malformed actor, an oversize
// idempotency key). Every refusal must be a CapaValidationError (CAPA_VALIDATION) whose
// issues name the field's path, and the store must be exactly as before: same records,
// same events, no commit, no reference consumed.
import { beforeAll, describe, expect, it } from 'vitest';
import { CapaValidationError, formatPath } from 'capa-kit';
import { type CommandName, commandInputs } from 'capa-kit/register';
import { actors, sampleCorrection, sampleEvidence, sampleReview, sampleRootCause } from '../fixtures/events.js';
import { type Harness, driveTo, expectNothingWritten, planLine, raiseInput, runCommand, setup } from './harness.js';

type Path = readonly (string | number)[];

interface Ids {
  readonly findingId: string;
  readonly otherId: string;
  readonly actionId: string;
}

interface Case {
  /** A valid input: only the mutation under test makes it invalid. */
  readonly valid: (ids: Ids) => Record<string, unknown>;
  /** A required field of this command. */
  readonly field: Path;
  /** A value of the wrong type for it. */
  readonly wrongType: unknown;
  /** A bounded string of this command and a value one past its bound. */
  readonly oversize: { readonly path: Path; readonly value: unknown };
}

const long = (n: number) => 'x'.repeat(n);
const onFinding = (ids: Ids) => ({ actor: actors.owner, findingId: ids.findingId });

// Typed against CommandName, so a new command is also a type error here.
const cases: Record<CommandName, Case> = {
  raise: { valid: () => raiseInput() as never, field: ['finding', 'title'], wrongType: 42, oversize: { path: ['finding', 'title'], value: long(201) } },
  recordCorrection: {
    valid: (ids) => ({ ...onFinding(ids), correction: sampleCorrection() }),
    field: ['correction'],
    wrongType: 'done',
    oversize: { path: ['correction', 'description'], value: long(5001) },
  },
  recordRootCause: {
    valid: (ids) => ({ ...onFinding(ids), rootCause: sampleRootCause() }),
    field: ['rootCause'],
    wrongType: [],
    oversize: { path: ['rootCause', 'statement'], value: long(2001) },
  },
  linkFindings: {
    valid: (ids) => ({ ...onFinding(ids), findingIds: [ids.otherId] }),
    field: ['findingIds'],
    wrongType: 'f-2',
    oversize: { path: ['findingIds', 0], value: long(65) },
  },
  planActions: {
    valid: (ids) => ({ ...onFinding(ids), actions: [planLine()] }),
    field: ['actions'],
    wrongType: {},
    oversize: { path: ['actions', 0, 'description'], value: long(5001) },
  },
  submitPlan: { valid: onFinding, field: ['findingId'], wrongType: 7, oversize: { path: ['findingId'], value: long(65) } },
  approvePlan: {
    valid: (ids) => ({ ...onFinding(ids), actor: actors.auditor, signature: { credential: 'ok' } }),
    field: ['findingId'],
    wrongType: { id: 'f' },
    oversize: { path: ['findingId'], value: long(65) },
  },
  returnPlan: { valid: (ids) => ({ ...onFinding(ids), reason: 'Not measurable' }), field: ['reason'], wrongType: 1, oversize: { path: ['reason'], value: long(5001) } },
  startAction: { valid: (ids) => ({ actor: actors.owner, actionId: ids.actionId }), field: ['actionId'], wrongType: 1, oversize: { path: ['actionId'], value: long(65) } },
  completeAction: {
    valid: (ids) => ({ actor: actors.owner, actionId: ids.actionId, evidence: [sampleEvidence()] }),
    field: ['evidence'],
    wrongType: {},
    oversize: { path: ['evidence', 0, 'title'], value: long(201) },
  },
  cancelAction: {
    valid: (ids) => ({ actor: actors.owner, actionId: ids.actionId, reason: 'Superseded' }),
    field: ['reason'],
    wrongType: false,
    oversize: { path: ['reason'], value: long(5001) },
  },
  startVerification: { valid: onFinding, field: ['findingId'], wrongType: null, oversize: { path: ['findingId'], value: long(65) } },
  reviewEffectiveness: {
    valid: (ids) => ({ ...onFinding(ids), actor: actors.auditor, review: sampleReview(), signature: { credential: 'ok' } }),
    field: ['review'],
    wrongType: 'effective',
    oversize: { path: ['review', 'criterion'], value: long(501) },
  },
  close: {
    valid: (ids) => ({ ...onFinding(ids), evidence: [sampleEvidence()], note: 'Done', signature: { credential: 'ok' } }),
    field: ['evidence'],
    wrongType: 'x',
    oversize: { path: ['note'], value: long(5001) },
  },
  reopen: { valid: (ids) => ({ ...onFinding(ids), reason: 'It happened again' }), field: ['reason'], wrongType: 5, oversize: { path: ['reason'], value: long(5001) } },
  reject: {
    valid: (ids) => ({ ...onFinding(ids), kind: 'not-a-nonconformity', reason: 'Does not apply' }),
    field: ['kind'],
    wrongType: 3,
    oversize: { path: ['reason'], value: long(5001) },
  },
  regrade: { valid: (ids) => ({ ...onFinding(ids), grade: 'major', reason: 'Systemic' }), field: ['grade'], wrongType: 3, oversize: { path: ['grade'], value: long(65) } },
  comment: { valid: (ids) => ({ ...onFinding(ids), text: 'Looking into it' }), field: ['text'], wrongType: 3, oversize: { path: ['text'], value: long(5001) } },
  attachEvidence: {
    valid: (ids) => ({ ...onFinding(ids), evidence: sampleEvidence() }),
    field: ['evidence'],
    wrongType: [],
    oversize: { path: ['evidence', 'location'], value: long(2049) },
  },
};

function setAt(input: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const copy = structuredClone(input);
  let target = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  target[path.at(-1)!] = value;
  return copy;
}

function deleteAt(input: Record<string, unknown>, path: Path): Record<string, unknown> {
  const copy = structuredClone(input);
  let target = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  delete target[path.at(-1)!];
  return copy;
}

/** `{"__proto__": ...}` as JSON.parse makes it: an own key, merged the way a body parser's output is spread into input. */
const protoKey = () => JSON.parse('{"__proto__":{"polluted":1}}') as Record<string, unknown>;

interface Mutation {
  readonly name: string;
  readonly mutate: (input: Record<string, unknown>) => unknown;
  /** The path the error must name. */
  readonly path: Path;
  /** For unknown keys (reported on the parent object): the key the message must name. */
  readonly key?: string;
}

function mutations(c: Case): Mutation[] {
  return [
    { name: `wrong type at ${formatPath(c.field)}`, mutate: (i) => setAt(i, c.field, c.wrongType), path: c.field },
    { name: `missing ${formatPath(c.field)}`, mutate: (i) => deleteAt(i, c.field), path: c.field },
    { name: `oversize ${formatPath(c.oversize.path)}`, mutate: (i) => setAt(i, c.oversize.path, c.oversize.value), path: c.oversize.path },
    { name: 'oversize idempotencyKey', mutate: (i) => ({ ...i, idempotencyKey: long(201) }), path: ['idempotencyKey'] },
    { name: 'unknown key at the root', mutate: (i) => ({ ...i, bogus: 1 }), path: [], key: 'bogus' },
    { name: 'unknown key in actor', mutate: (i) => ({ ...i, actor: { ...(i.actor as object), isAdmin: true } }), path: ['actor'], key: 'isAdmin' },
    { name: '__proto__ key at the root', mutate: (i) => ({ ...i, ...protoKey() }), path: [], key: '__proto__' },
    { name: '__proto__ key in actor', mutate: (i) => ({ ...i, actor: { ...(i.actor as object), ...protoKey() } }), path: ['actor'], key: '__proto__' },
    { name: 'constructor key at the root', mutate: (i) => ({ ...i, constructor: { prototype: { polluted: 1 } } }), path: [], key: 'constructor' },
    { name: 'actor.roles of the wrong type', mutate: (i) => ({ ...i, actor: { ...(i.actor as object), roles: 'auditor' } }), path: ['actor', 'roles'] },
    { name: 'actor missing', mutate: (i) => deleteAt(i, ['actor']), path: ['actor'] },
    { name: 'input is not an object', mutate: () => null, path: [] },
  ];
}

let h: Harness;
let ids: Ids;

beforeAll(async () => {
  h = setup();
  // Data in the store, so "unchanged" means something: a finding with an action, and another finding.
  const { finding, actionIds } = await driveTo(h.register, 'implementing');
  const other = await h.register.raise(raiseInput({ title: 'Another finding' }));
  ids = { findingId: finding.id, otherId: other.id, actionId: actionIds[0]! };
});

describe('every command validates its input and writes nothing when it is invalid', () => {
  it('the table covers exactly the commands of commandInputs, and each is a register command', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(commandInputs).sort());
    for (const command of Object.keys(commandInputs)) expect(typeof (h.register as unknown as Record<string, unknown>)[command]).toBe('function');
  });

  describe.each(Object.keys(commandInputs))('%s', (command) => {
    it('refuses wrong types, missing fields, unknown keys, oversize strings and prototype keys, naming the path', async () => {
      const c = (cases as Partial<Record<string, Case>>)[command];
      expect(c, `no validation case for the command "${command}": add one to the table`).toBeDefined();
      const schema = commandInputs[command as CommandName];
      const valid = c!.valid(ids);
      // The base input is valid: each refusal below is the mutation's doing.
      expect(schema.safeParse(valid).success).toBe(true);
      for (const mutation of mutations(c!)) {
        const input = mutation.mutate(valid);
        const error = await expectNothingWritten(h.store, () => runCommand(h.register, command, input));
        expect(error, mutation.name).toBeInstanceOf(CapaValidationError);
        const validation = error as CapaValidationError;
        expect(validation.code, mutation.name).toBe('CAPA_VALIDATION');
        const named = validation.issues.filter((issue) => JSON.stringify(issue.path) === JSON.stringify(mutation.path));
        expect(named.length, `${mutation.name}: issues ${JSON.stringify(validation.issues)}`).toBeGreaterThan(0);
        if (mutation.key !== undefined) {
          expect(named.some((issue) => issue.message.includes(`"${mutation.key}"`)), `${mutation.name} names the key`).toBe(true);
        }
        expect(validation.message).toContain(formatPath(mutation.path));
      }
      // Nothing reached a prototype.
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    });
  });

  it('a prototype key deep inside JSON-valued input (extensions, a credential) is refused too', async () => {
    const inExtensions = raiseInput({ extensions: { acme: protoKey() } as never });
    const e1 = (await expectNothingWritten(h.store, () => h.register.raise(inExtensions))) as CapaValidationError;
    expect(e1).toBeInstanceOf(CapaValidationError);
    expect(e1.issues.map((issue) => issue.path)).toContainEqual(['finding', 'extensions', 'acme', '__proto__']);

    const inCredential = { actor: actors.auditor, findingId: ids.findingId, signature: { credential: protoKey() } };
    const e2 = (await expectNothingWritten(h.store, () => h.register.approvePlan(inCredential))) as CapaValidationError;
    expect(e2).toBeInstanceOf(CapaValidationError);
    expect(e2.issues.map((issue) => issue.path)).toContainEqual(['signature', 'credential', '__proto__']);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('an invalid raise consumes no reference: the next valid raise takes the next number', async () => {
    const fresh = setup();
    const first = await fresh.register.raise(raiseInput());
    for (const mutation of mutations(cases.raise)) {
      await expectNothingWritten(fresh.store, () => fresh.register.raise(mutation.mutate(raiseInput() as never) as never));
    }
    const next = await fresh.register.raise(raiseInput());
    expect([first.reference, next.reference]).toEqual(['NC-2026-0001', 'NC-2026-0002']);
  });

  // Regression, fixed (src/register/commands/raise.ts / src/schemas/finding.ts RaisedFinding):
  // nothing checks that a finding was detected before it was raised. `detectedAt:
  // '2030-01-01T00:00:00Z'` on a raise at 2026-03-02 is accepted, and since the iso27001
  // deadlines count from detection, the major finding is due 2030-04-01 instead of within
  // 3 months: a raiser can push any deadline out at will, and the log shows an impossible
  // order of events. (The machine already refuses a correction completed before the
  // detection: correction.afterDetection.) Expected: refused, naming finding.detectedAt,
  // nothing written. Before the fix: accepted.
  it('a finding cannot be detected after it was raised', async () => {
    const fresh = setup();
    const error = await expectNothingWritten(fresh.store, () => fresh.register.raise(raiseInput({ grade: 'major', detectedAt: '2030-01-01T00:00:00Z' })));
    expect((error as Error).message).toContain('detectedAt');
  });

  it('an invalid query is a CapaValidationError naming the field', async () => {
    const bad: [unknown, Path][] = [
      [{ status: 'open' }, ['status']],
      [{ overdueAsOf: '01/05/2026' }, ['overdueAsOf']],
      [{ dueWithin: { days: -1, asOf: '2026-05-01' } }, ['dueWithin', 'days']],
      [{ recurrence: { by: 'owner', moreThan: 1, withinDays: 30, asOf: '2026-05-01T00:00:00Z' } }, ['recurrence', 'by']],
      [{ text: long(201) }, ['text']],
      [{ bogus: true }, []],
      [{ ...protoKey() }, []],
    ];
    for (const [filter, path] of bad) {
      const error = await h.register.query(filter as never).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error, JSON.stringify(filter)).toBeInstanceOf(CapaValidationError);
      expect((error as CapaValidationError).issues.map((issue) => issue.path)).toContainEqual(path);
    }
  });
});
