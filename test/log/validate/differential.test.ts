// validateLog is at least as strict as the shipped JSON Schema, tested differentially:
// random mutations of a real log's lines, each log resealed after its mutation (entry
// hashes, chains, signature bindings and the trailer's head recomputed, so that only the
// mutation itself can be wrong: without it, hash-mismatch would catch every change and the
// test could not fail), checked by ajv (strict, draft 2020-12, formats) against
// capa-kit/log.schema.json and by validateLog. Every line ajv refuses, validateLog reports
// (an error on that line); every rule zod and the JSON Schema both express, they apply
// alike (a zod issue other than a refinement means ajv refuses too); and Python's
// jsonschema reads the schema as ajv does. Seeds are fixed, so a failure replays.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildLogJsonSchema, type LogValidationReport, validateLog } from '../../../src/log/index.js';
import { ajvValidator, needTool, pythonHas, pythonJsonschemaValid } from '../../fixtures/outside-validators.js';
import { exportText, type Line, lineIndexOf, linesOf, resealLog, richHistory, textOf } from '../fixtures.js';

const schema = buildLogJsonSchema();
const ajv = ajvValidator(schema);

const base = (async () => {
  const story = await richHistory();
  const text = await exportText(story.h.store);
  return { ...story, text, now: story.h.now() };
})();

const validate = async (text: string): Promise<LogValidationReport> => validateLog(text, { asOf: (await base).now, workers: 0 });

/** Errors validateLog reports on line `number` (from 1). */
const errorsOn = (report: LogValidationReport, number: number) => report.issues.filter((issue) => issue.severity === 'error' && issue.line === number);

/**
 * The characters String.prototype.trim removes, and near misses it keeps (NEL, the
 * Mongolian vowel separator, zero-width space, the information separators Python's `\s`
 * counts, NUL): padding made of either tells a rule that trims from one that does not.
 */
const TRIMMED = ['\t', '\n', '\v', '\f', '\r', ' ', '\u00a0', '\u1680', '\u2000', '\u2007', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
const KEPT = ['\u0085', '\u180e', '\u200b', '\u001c', '\u001f', '\u0000'];
const padding = fc.array(fc.constantFrom(...TRIMMED, ...KEPT), { minLength: 1, maxLength: 3 }).map((chars) => chars.join(''));

/** Every value inside a line with the holder and key to change it: the places a mutation can hit. */
function places(value: unknown): Array<{ holder: Record<string, unknown> | unknown[]; key: string | number; value: unknown }> {
  const found: Array<{ holder: Record<string, unknown> | unknown[]; key: string | number; value: unknown }> = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current !== 'object' || current === null) continue;
    const entries: [string | number, unknown][] = Array.isArray(current) ? current.map((item, index) => [index, item]) : Object.entries(current);
    for (const [key, item] of entries) {
      found.push({ holder: current as Record<string, unknown>, key, value: item });
      stack.push(item);
    }
  }
  return found;
}

/** Every string value equal to `from` in `value` becomes `to` (keys stay): the same fact changed wherever the line states it. */
function replaceAll(value: unknown, from: string, to: string): void {
  for (const place of places(value)) if (place.value === from) (place.holder as Record<string | number, unknown>)[place.key] = to;
}

/** Sets an own key, `__proto__` included (as JSON.parse does; an assignment would set the prototype). */
const setOwn = (holder: object, key: string, value: unknown) => Object.defineProperty(holder, key, { value, enumerable: true, writable: true, configurable: true });

const mutation = fc.oneof(
  // Text padded at either end or both, wherever the line states it (a record and its history's payloads alike).
  fc.record({ kind: fc.constant('pad' as const), pick: fc.nat(), pad: padding, where: fc.constantFrom('start', 'end', 'both') }),
  // Text made blank or empty, or another string.
  fc.record({ kind: fc.constant('blank' as const), pick: fc.nat(), to: fc.oneof(padding, fc.constant('')) }),
  fc.record({ kind: fc.constant('text' as const), pick: fc.nat(), to: fc.string({ maxLength: 12, unit: 'binary' }) }),
  // One place set to any JSON value, or removed; a key added.
  fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), to: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('add' as const), pick: fc.nat(), key: fc.constantFrom('note', '__proto__', 'constructor', 'prototype', 'x-extra'), to: fc.jsonValue({ maxDepth: 1 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

/** Applies `m` to `line` in place. */
function apply(line: Line, m: Mutation): void {
  const targets = places(line).filter((place) => !(place.holder === line && place.key === 'type'));
  if (targets.length === 0) return;
  const target = targets[m.pick % targets.length]!;
  const holder = target.holder as Record<string | number, unknown>;
  switch (m.kind) {
    case 'pad':
    case 'blank':
    case 'text': {
      const to = m.kind === 'pad' ? `${m.where === 'end' ? '' : m.pad}${String(target.value)}${m.where === 'start' ? '' : m.pad}` : m.to;
      if (typeof target.value === 'string') replaceAll(line, target.value, to);
      else holder[target.key] = to;
      break;
    }
    case 'set':
      holder[target.key] = m.to;
      break;
    case 'drop':
      if (Array.isArray(holder)) holder.splice(target.key as number, 1);
      else delete holder[target.key];
      break;
    case 'add': {
      const object = typeof target.value === 'object' && target.value !== null && !Array.isArray(target.value) ? target.value : Array.isArray(holder) ? line : holder;
      setOwn(object, m.key, m.to);
      break;
    }
  }
}

const RUNS = 400;
const SEED = Number(process.env.LOG_DIFF_SEED ?? 1105);

/** The log with line `at` (modulo the line count) mutated, then resealed (the trailer too, unless it is the line mutated). */
function mutatedLog(text: string, at: number, mutations: readonly Mutation[]): { text: string; index: number; line: string } {
  const lines = linesOf(text);
  const index = at % lines.length;
  for (const m of mutations) apply(lines[index]!, m);
  resealLog(lines, { trailer: index !== lines.length - 1 });
  return { text: textOf(lines), index, line: JSON.stringify(lines[index]) };
}

/** zod issue codes JSON Schema cannot say (refinements): validateLog may refuse what ajv accepts only for these. */
const ZOD_ONLY = new Set(['custom']);
const zodCodeOf = (message: string) => /\(([a-z_]+)\)$/.exec(message)?.[1] ?? null;

describe('validateLog is at least as strict as capa-kit/log.schema.json', () => {
  it('the base log is valid for both, and resealing leaves a valid change valid (so only a mutation can be wrong)', async () => {
    const { text, ids } = await base;
    const lines = linesOf(text);
    for (const line of lines) expect(ajv(line), JSON.stringify(ajv.errors)).toBe(true);
    expect((await validate(text)).issues).toEqual([]);
    // A comment reworded, in the record's history only: its hash no longer matches...
    const index = lineIndexOf(lines, ids.monitored);
    replaceAll(lines[index], 'Look again at the next audit.', 'Look again at the audit after next.');
    expect((await validate(textOf(lines))).issues.map((issue) => issue.code)).toContain('hash-mismatch');
    // ...until the log is resealed: then nothing is wrong.
    resealLog(lines);
    expect((await validate(textOf(lines))).issues).toEqual([]);
  });

  it('untrimmed ids and text, resealed: refused by ajv and by validateLog alike', async () => {
    const { text, ids } = await base;
    const cases: [string, (lines: Line[]) => [number, (string | number)[]]][] = [
      // The owner's id as the finding states it and as its RAISE payload does.
      ['owner id " u-owner"', (lines) => {
        const index = lineIndexOf(lines, ids.monitored);
        replaceAll(lines[index], lines[index]!.finding.owner.id, ` ${lines[index]!.finding.owner.id}`);
        return [index, ['finding', 'owner', 'id']];
      }],
      // A blank title (JSON Schema's minLength 1 alone accepts it; zod used to trim it to empty).
      ['title "   "', (lines) => {
        const index = lineIndexOf(lines, ids.monitored);
        replaceAll(lines[index], lines[index]!.finding.title, '   ');
        return [index, ['finding', 'title']];
      }],
      // In a history entry only (the actor's name), and in the header (the organisation, the policy's name).
      ['actor name "Aud Itor\\n"', (lines) => {
        const index = lineIndexOf(lines, ids.monitored);
        lines[index]!.history[1].entry.actor.name = `${lines[index]!.history[1].entry.actor.name}\n`;
        return [index, ['history', 1, 'entry', 'actor', 'name']];
      }],
      ['organisation "\\u3000"', (lines) => {
        lines[0]!.tenant.organisation = '\u3000';
        return [0, ['tenant', 'organisation']];
      }],
      ['policy name with a trailing no-break space', (lines) => {
        lines[0]!.policy.name = `${lines[0]!.policy.name}\u00a0`;
        return [0, ['policy', 'name']];
      }],
    ];
    for (const [name, change] of cases) {
      const lines = linesOf(text);
      const [index, path] = change(lines);
      resealLog(lines);
      expect(ajv(lines[index]), `${name}: ajv`).toBe(false);
      const report = await validate(textOf(lines));
      const schemaIssues = report.issues.filter((issue) => issue.code === 'schema' && issue.line === index + 1);
      expect(schemaIssues.map((issue) => issue.path), `${name}: validateLog`).toContainEqual(path);
      expect(report.ok).toBe(false);
    }
  });

  it('on random mutations of real log lines, resealed: every line ajv refuses, validateLog reports (property)', async () => {
    const { text } = await base;
    let refused = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 2 }), async (at, mutations) => {
        const { text: mutated, index, line } = mutatedLog(text, at, mutations);
        const valid = ajv(JSON.parse(line));
        const report = await validate(mutated);
        const errors = errorsOn(report, index + 1);
        if (valid) accepted += 1;
        else refused += 1;
        if (!valid) {
          // ajv's errors inside the line (not the other line types' branches of LogLine's oneOf).
          const why = JSON.stringify(ajv.errors?.filter((error) => error.instancePath !== '').slice(0, 3));
          expect(errors.length, `ajv refuses line ${index + 1} (${why}); validateLog: ${JSON.stringify(report.issues.slice(0, 5))}`).toBeGreaterThan(0);
        }
        // The reverse, for every rule both can state: a zod schema issue that is not a refinement means ajv refuses.
        const zodRules = errors.filter((issue) => issue.code === 'schema' && !ZOD_ONLY.has(zodCodeOf(issue.message) ?? 'custom'));
        if (zodRules.length > 0) expect(valid, `validateLog: ${JSON.stringify(zodRules.slice(0, 3))}; ajv accepts line ${index + 1}`).toBe(false);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // The runs exercised both sides (fast-check may run a few more while it shrinks a failure).
    expect(refused).toBeGreaterThan(RUNS / 4);
    expect(accepted).toBeGreaterThan(RUNS / 20);
  }, 60_000);

  if (needTool(pythonHas.jsonschema, "Python's jsonschema", 'apt-get install python3-jsonschema (Debian), or pip install jsonschema')) {
    it("Python's jsonschema reads the schema as ajv does, on the same kind of mutated lines", async () => {
      const { text } = await base;
      const samples = fc.sample(fc.tuple(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 2 })), { numRuns: RUNS, seed: SEED });
      const lines = [...text.trimEnd().split('\n'), ...samples.map(([at, mutations]) => mutatedLog(text, at, mutations).line)];
      const verdicts = pythonJsonschemaValid(schema, lines);
      const disagree = lines.filter((line, i) => verdicts[i] !== ajv(JSON.parse(line)));
      expect(disagree.slice(0, 3)).toEqual([]);
      expect(verdicts.filter((valid) => !valid).length).toBeGreaterThan(RUNS / 4);
    }, 60_000);
  }
});
