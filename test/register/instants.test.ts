// Issue 11 point 3: an instant an actor reports (a detection, a correction's completion, an
// analysis, a review, evidence collected) later than the register's clock plus the
// policy's clock skew (5 minutes by default) is refused; in a log, one later than its
// entry's time plus the same skew is reported (`future-instant`). Due dates are in the
// future by design and are not instants.
//
// The fields are found from the schemas, independently of the code under test: every
// ISO date-time of every command input's JSON Schema. Each one is proved checked by the
// register and by the validator, so a new field cannot be forgotten.
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { CalendarDate, CapaTransitionError, CapaValidationError, defineSeverityPolicy, Instant, iso27001 } from 'capa-kit';
import { type CommandName, commandInputs } from 'capa-kit/register';
import { validateLog } from 'capa-kit/log';
import { COMMAND_ENTRY_TYPES } from '../../src/register/commands/entry-types.js';
import { commandInstantPaths, entryInstantPaths, futureInstants, instantPaths } from '../../src/register/rules/instants.js';
import { actors, sampleCorrection, sampleEvidence, sampleReview, sampleRootCause } from '../fixtures/events.js';
import { exportText, type Line, mutate, reseal } from '../log/fixtures.js';
import { type Harness, driveTo, expectNothingWritten, planLine, raiseInput, runCommand, setup, signer } from './harness.js';

const MINUTE = 60_000;

type JsonSchema = Record<string, unknown>;

/** The paths (`*` for array items) of every string of `format` in a JSON Schema, `$ref`s followed. */
function formatPaths(root: JsonSchema, format: string): string[] {
  const defs = (root.$defs ?? {}) as Record<string, JsonSchema>;
  const found = new Set<string>();
  const walk = (node: JsonSchema, path: string[], refs: readonly string[]): void => {
    if (typeof node.$ref === 'string') {
      const name = node.$ref.replace('#/$defs/', '');
      if (!refs.includes(name)) walk(defs[name]!, path, [...refs, name]);
    }
    if (node.format === format) found.add(path.join('.'));
    for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, JsonSchema>)) walk(child, [...path, key], refs);
    if (typeof node.items === 'object' && node.items !== null) walk(node.items as JsonSchema, [...path, '*'], refs);
    if (typeof node.additionalProperties === 'object' && node.additionalProperties !== null) walk(node.additionalProperties as JsonSchema, [...path, '*'], refs);
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) for (const option of (node[key] ?? []) as JsonSchema[]) walk(option, path, refs);
  };
  walk(root, [], []);
  return [...found].sort();
}

const COMMANDS = Object.keys(commandInputs) as CommandName[];
const jsonSchemaOf = (command: CommandName) =>
  z.toJSONSchema(commandInputs[command], { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
/** Every instant field of every command input, from the schemas: [command, path]. */
const INSTANT_FIELDS = COMMANDS.flatMap((command) => formatPaths(jsonSchemaOf(command), 'date-time').map((path) => [command, path] as const));

/** A finding (and action) at the point where `command` runs, and a valid input for it. */
interface Ready {
  readonly input: Record<string, unknown>;
  /** The records whose histories get the command's entry. */
  readonly recordIds: () => readonly string[];
}

const READY: Partial<Record<CommandName, (h: Harness) => Promise<Ready>>> = {
  raise: async (h) => {
    let raised = '';
    const input = raiseInput();
    const original = h.register.raise.bind(h.register);
    h.register.raise = async (given) => {
      const finding = await original(given);
      raised = finding.id;
      return finding;
    };
    return { input: input as never, recordIds: () => [raised] };
  },
  recordCorrection: async (h) => {
    const { finding } = await driveTo(h.register, 'reported');
    return { input: { actor: actors.owner, findingId: finding.id, correction: sampleCorrection() }, recordIds: () => [finding.id] };
  },
  recordRootCause: async (h) => {
    const { finding } = await driveTo(h.register, 'contained');
    return { input: { actor: actors.owner, findingId: finding.id, rootCause: sampleRootCause() }, recordIds: () => [finding.id] };
  },
  completeAction: async (h) => {
    const { finding, actionIds } = await driveTo(h.register, 'implementing', { grade: 'major' });
    await h.register.startAction({ actor: actors.owner, actionId: actionIds[0]! });
    return { input: { actor: actors.owner, actionId: actionIds[0]!, evidence: [sampleEvidence()] }, recordIds: () => [finding.id, actionIds[0]!] };
  },
  reviewEffectiveness: async (h) => {
    const { finding } = await driveTo(h.register, 'verifying');
    return { input: { actor: actors.auditor, findingId: finding.id, review: sampleReview(), signature: signer }, recordIds: () => [finding.id] };
  },
  close: async (h) => {
    const { finding } = await driveTo(h.register, 'reviewed');
    return { input: { actor: actors.auditor, findingId: finding.id, evidence: [sampleEvidence()], signature: signer }, recordIds: () => [finding.id] };
  },
  attachEvidence: async (h) => {
    const { finding } = await driveTo(h.register, 'reported');
    return { input: { actor: actors.owner, findingId: finding.id, evidence: sampleEvidence() }, recordIds: () => [finding.id] };
  },
};

/** `value` at `path` of a copy of `input` (`*`: the first item); the concrete path it was set at. */
function withValue(input: Record<string, unknown>, path: string, value: string): { input: Record<string, unknown>; at: (string | number)[] } {
  const copy = structuredClone(input);
  const keys = path.split('.');
  const at: (string | number)[] = [];
  let node: Record<string, unknown> | unknown[] = copy;
  keys.forEach((key, index) => {
    const step = key === '*' ? 0 : key;
    at.push(step);
    if (index === keys.length - 1) {
      (node as Record<string | number, unknown>)[step] = value;
      return;
    }
    const next = (node as Record<string | number, unknown>)[step];
    if (typeof next !== 'object' || next === null) throw new Error(`The sample input lacks ${at.join('.')}: give it one, so ${path} can be tested`);
    node = next as Record<string, unknown>;
  });
  return { input: copy, at };
}

const iso = (ms: number) => new Date(ms).toISOString();
/** The time the register's clock gives the next command (the harness ticks a minute per command). */
const nextAt = (h: Harness) => Date.parse(h.now()) + MINUTE;

describe('instantPaths reads a schema through its wrappers', () => {
  it('objects, arrays, records, unions, optional / nullable / default, preprocessed and lazy schemas; not calendar dates', () => {
    const Node: z.ZodType = z.lazy(() => z.object({ at: Instant, children: z.array(Node) }));
    const schema = z.strictObject({
      plain: Instant,
      due: CalendarDate,
      optional: Instant.optional(),
      nullable: Instant.nullable(),
      defaulted: z.iso.datetime().default('2026-01-01T00:00:00Z'),
      trimmed: z.preprocess((value) => (typeof value === 'string' ? value.trim() : value), Instant),
      list: z.array(z.object({ when: Instant })),
      byKey: z.record(z.string(), Instant),
      either: z.discriminatedUnion('kind', [z.object({ kind: z.literal('a'), doneAt: Instant }), z.object({ kind: z.literal('b'), note: z.string() })]),
      tree: Node,
    });
    expect(instantPaths(schema).map((path) => path.join('.')).sort()).toEqual(
      ['byKey.*', 'defaulted', 'either.doneAt', 'list.*.when', 'nullable', 'optional', 'plain', 'tree.at', 'trimmed'].sort(),
    );
    const late = '2026-03-01T10:05:00.001Z';
    expect(
      futureInstants({ list: [{ when: '2026-03-01T10:00:00Z' }, { when: late }], byKey: { x: late }, plain: 'not an instant' }, instantPaths(schema), '2026-03-01T10:00:00Z', 5),
    ).toEqual([
      { path: ['list', 1, 'when'], value: late },
      { path: ['byKey', 'x'], value: late },
    ]);
  });
});

describe('instants an actor reports are not in the future', () => {
  it('the fields found from the schemas are the ones the register and the validator check; due dates are not among them', () => {
    expect(INSTANT_FIELDS.length).toBeGreaterThanOrEqual(8);
    for (const command of COMMANDS) {
      const fromSchema = INSTANT_FIELDS.filter(([c]) => c === command).map(([, path]) => path);
      expect(commandInstantPaths(command).map((path) => path.join('.')).sort(), command).toEqual(fromSchema);
      // The entry a command writes carries the input's instants at the same paths.
      expect(entryInstantPaths(COMMAND_ENTRY_TYPES[command]), command).toEqual(commandInstantPaths(command));
    }
    const dueDates = COMMANDS.flatMap((command) => formatPaths(jsonSchemaOf(command), 'date').map((path) => `${command}:${path}`));
    expect(dueDates).toContain('planActions:actions.*.dueDate');
    const instants = new Set(INSTANT_FIELDS.map(([command, path]) => `${command}:${path}`));
    for (const due of dueDates) expect(instants.has(due), due).toBe(false);
    // Entries the register makes itself carry no instant an actor gave.
    for (const type of ['CREATE_ACTION', 'LINK_FINDING', 'UNLINK_FINDING', 'REVISE_ACTION']) expect(entryInstantPaths(type)).toEqual([]);
  });

  describe.each(INSTANT_FIELDS)('%s: %s', (command, path) => {
    it('later than the clock plus the skew: refused, nothing written; at the clock: accepted; in the log: reported', async () => {
      const ready = READY[command];
      if (ready === undefined) throw new Error(`No sample input for ${command}: add one to READY so its instant ${path} is tested`);
      const h = setup();
      const { input, recordIds } = await ready(h);

      const future = withValue(input, path, iso(nextAt(h) + 5 * MINUTE + 1));
      const error = await expectNothingWritten(h.store, () => runCommand(h.register, command, future.input));
      if (command === 'raise') {
        // A detection after the raise is the lifecycle's own, stricter rule: it speaks first.
        expect(error).toBeInstanceOf(CapaTransitionError);
        expect((error as CapaTransitionError).unmet.map((u) => u.code)).toEqual(['finding.detectedBeforeRaised']);
      } else {
        expect(error).toBeInstanceOf(CapaValidationError);
        expect((error as CapaValidationError).issues).toEqual([
          { path: future.at, code: 'instant_in_future', message: expect.stringContaining("clock skew of 5 minutes") },
        ]);
      }

      const now = withValue(input, path, iso(nextAt(h)));
      await runCommand(h.register, command, now.input);
      const text = await exportText(h.store);
      const type = COMMAND_ENTRY_TYPES[command];
      expect((await validateLog(text, { asOf: h.now() })).issues.filter((issue) => issue.code === 'future-instant')).toEqual([]);

      // The same entry in the log, with the instant moved past its time plus the skew (resealed).
      for (const recordId of recordIds()) {
        let index = -1;
        const moved = mutate(text, recordId, (line: Line) => {
          index = line.history.findLastIndex((item: Line) => item.entry.type === type);
          const entry = line.history[index].entry;
          let node = entry.payload;
          for (const step of now.at.slice(0, -1)) node = node[step];
          node[now.at.at(-1)!] = iso(Date.parse(entry.at) + 5 * MINUTE + 1);
          reseal(line.history, index);
        });
        const report = await validateLog(moved, { asOf: h.now() });
        expect(report.issues.filter((issue) => issue.code === 'future-instant').map((issue) => [issue.recordId, issue.path])).toEqual([
          [recordId, ['history', index, 'entry', 'payload', ...now.at]],
        ]);
      }
    });
  });

  it('the skew is the policy\'s: 5 minutes by default, the edge itself allowed; 0 allows nothing later than the clock', async () => {
    const h = setup();
    const { finding } = await driveTo(h.register, 'verifying');
    const review = (reviewedAt: string) => ({ actor: actors.auditor, findingId: finding.id, review: { ...sampleReview(), reviewedAt }, signature: signer });
    await expectNothingWritten(h.store, () => h.register.reviewEffectiveness(review(iso(nextAt(h) + 5 * MINUTE + 1))));
    const reviewed = await h.register.reviewEffectiveness(review(iso(nextAt(h) + 5 * MINUTE)));
    expect(reviewed.effectivenessReviews).toHaveLength(1);

    const strict = defineSeverityPolicy({ ...iso27001, id: 'strict-clock', clockSkewMinutes: 0 });
    const s = setup({ policy: strict });
    const d = await driveTo(s.register, 'reported');
    const evidence = (collectedAt: string) => ({ actor: actors.owner, findingId: d.finding.id, evidence: sampleEvidence({ collectedAt }) });
    const error = await expectNothingWritten(s.store, () => s.register.attachEvidence(evidence(iso(nextAt(s) + 1))));
    expect((error as CapaValidationError).issues[0]).toMatchObject({ path: ['evidence', 'collectedAt'], code: 'instant_in_future' });
    await s.register.attachEvidence(evidence(iso(nextAt(s))));
  });

  it('due dates are not instants: an action due years ahead is planned, and the log has no issue for it', async () => {
    const h = setup();
    const { finding } = await driveTo(h.register, 'investigating', { grade: 'major' });
    const planned = await h.register.planActions({ actor: actors.owner, findingId: finding.id, actions: [{ ...planLine(), dueDate: '2031-12-31' }] });
    expect(planned.status).toBe('planning');
    const report = await validateLog(await exportText(h.store), { asOf: h.now() });
    expect(report.issues).toEqual([]);
  });
});
