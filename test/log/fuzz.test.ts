// validateLog never throws, whatever it is given: random JSON lines, random mutations of
// a real log (lines flipped, deleted, duplicated, reordered; fields deleted or replaced),
// nesting 100,000 deep, prototype keys and duplicate keys, streams cut at any byte (in the
// middle of a UTF-8 sequence too), lone surrogates, huge numbers and strings. Seeds are
// fixed, so a failure replays; fast-check prints the seed and the shrunk input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LOG_ISSUE_CODES, type LogValidationReport, validateLog } from '../../src/log/index.js';
import { exportText, type Line, linesOf, richHistory } from './fixtures.js';

const base = (async () => {
  const { h } = await richHistory();
  const text = await exportText(h.store);
  return { text, lines: text.trimEnd().split('\n'), asOf: h.now() };
})();

/** Validates and checks that the result is a well-formed report; any throw fails the property. */
async function check(source: Parameters<typeof validateLog>[0], maxLineLength?: number): Promise<LogValidationReport> {
  const report = await validateLog(source, { asOf: (await base).asOf, maxIssues: 50, ...(maxLineLength === undefined ? {} : { maxLineLength }) });
  expect(report.ok).toBe(report.summary.errors === 0);
  for (const issue of report.issues) {
    expect(LOG_ISSUE_CODES[issue.code]?.severity).toBe(issue.severity);
    expect(typeof issue.message).toBe('string');
    expect(Array.isArray(issue.path)).toBe(true);
  }
  const counted = Object.values(report.summary.byCode).reduce((sum, n) => sum + (n ?? 0), 0);
  expect(counted).toBe(report.summary.errors + report.summary.warnings);
  expect(report.issues.length + report.summary.omittedIssues).toBe(counted);
  return report;
}

const deep = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}${close.repeat(depth)}`;

/** One mutation of a log, given as its lines (text). */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), offset: fc.nat(), char: fc.string({ minLength: 1, maxLength: 2, unit: 'binary' }) }),
  fc.record({ kind: fc.constant('drop-field' as const), at: fc.nat(), pick: fc.nat() }),
  fc.record({ kind: fc.constant('set-field' as const), at: fc.nat(), pick: fc.nat(), value: fc.jsonValue({ maxDepth: 3 }) }),
  fc.record({ kind: fc.constant('proto' as const), at: fc.nat(), key: fc.constantFrom('__proto__', 'constructor', 'prototype') }),
  fc.record({ kind: fc.constant('duplicate-key' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), offset: fc.nat() }),
);

/** Every object and array inside a value, with a way to change it: the places a mutation can hit. */
function places(value: unknown): Array<{ holder: Record<string, unknown> | unknown[]; key: string | number }> {
  const found: Array<{ holder: Record<string, unknown> | unknown[]; key: string | number }> = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current !== 'object' || current === null) continue;
    if (Array.isArray(current)) current.forEach((item, index) => (found.push({ holder: current, key: index }), stack.push(item)));
    else for (const [key, item] of Object.entries(current)) (found.push({ holder: current as Record<string, unknown>, key }), stack.push(item));
  }
  return found;
}

function apply(lines: string[], m: fc.Arbitrary<unknown> extends never ? never : { kind: string; [key: string]: unknown }): string[] {
  const out = [...lines];
  if (out.length === 0) return out;
  // Lines move anywhere; fields change below the header (whose generation time, generator and
  // organisation are what the exporter says, protected by nothing: see docs/log.md).
  const structural = m.kind === 'delete' || m.kind === 'duplicate' || m.kind === 'swap' || m.kind === 'truncate';
  const at = structural || out.length === 1 ? (m.at as number) % out.length : 1 + ((m.at as number) % (out.length - 1));
  switch (m.kind) {
    case 'delete':
      out.splice(at, 1);
      break;
    case 'duplicate':
      out.splice(at, 0, out[at]!);
      break;
    case 'swap': {
      const other = (m.with as number) % out.length;
      [out[at], out[other]] = [out[other]!, out[at]!];
      break;
    }
    case 'flip': {
      const line = out[at]!;
      const offset = (m.offset as number) % (line.length + 1);
      out[at] = line.slice(0, offset) + (m.char as string) + line.slice(offset + 1);
      break;
    }
    case 'drop-field':
    case 'set-field': {
      let value: Line;
      try {
        value = JSON.parse(out[at]!) as Line;
      } catch {
        break;
      }
      const targets = places(value);
      if (targets.length === 0) break;
      const { holder, key } = targets[(m.pick as number) % targets.length]!;
      if (m.kind === 'set-field') (holder as Record<string | number, unknown>)[key] = m.value;
      else if (Array.isArray(holder)) holder.splice(key as number, 1);
      else delete (holder as Record<string, unknown>)[key as string];
      out[at] = JSON.stringify(value);
      break;
    }
    case 'proto':
      // As text: JSON.parse makes "__proto__" an own key, which a literal object would not.
      out[at] = out[at]!.replace('{', `{"${m.key as string}":{"polluted":true},`);
      break;
    case 'duplicate-key':
      out[at] = out[at]!.replace(/^\{"type":"(\w+)"/, '{"type":"end","type":"$1"');
      break;
    case 'truncate': {
      const joined = out.join('\n');
      return [joined.slice(0, (m.offset as number) % (joined.length + 1))];
    }
  }
  return out;
}

describe('validateLog never throws', () => {
  it('on random JSON lines (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 8 }), async (values) => {
        await check(values.map((value) => JSON.stringify(value)).join('\n'));
      }),
      { numRuns: 150, seed: 101 },
    );
  });

  it('on random lines after a real header, and random objects typed as log lines (property)', async () => {
    const { lines } = await base;
    const typed = fc.record({ type: fc.constantFrom('capa-log', 'finding', 'action', 'end', 'other'), finding: fc.anything(), action: fc.anything(), history: fc.anything(), head: fc.anything() }, { requiredKeys: ['type'] });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(typed, fc.jsonValue({ maxDepth: 3 })), { maxLength: 6 }), async (values) => {
        await check([lines[0]!, ...values.map((value) => JSON.stringify(value) ?? 'undefined')].join('\n'));
      }),
      { numRuns: 150, seed: 202 },
    );
  });

  it('on random mutations of a real log: any change of a line is caught as an error (property)', async () => {
    const { lines } = await base;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        let mutated = lines;
        for (const m of mutations) mutated = apply(mutated, m);
        const report = await check(mutated.join('\n') + '\n');
        // Whatever changed the records, the lines or their order is an error (warnings may come too).
        const same = (a: string[], b: string[]) => a.length === b.length && a.every((line, i) => JSON.stringify(JSON.parse(line)) === JSON.stringify(JSON.parse(b[i]!)));
        let unchanged = false;
        try {
          unchanged = same(mutated, lines);
        } catch {
          unchanged = false;
        }
        if (!unchanged) expect(report.ok).toBe(false);
      }),
      { numRuns: 300, seed: Number(process.env.LOG_FUZZ_SEED ?? 303) },
    );
  });

  it('on nesting 100,000 deep: as a line, in a payload, in extensions, in a record field, in the header', async () => {
    const { lines } = await base;
    const findingLine = lines.findIndex((line) => line.startsWith('{"type":"finding"'));
    const cases = [
      deep(100_000),
      deep(100_000, '{"a":', '}').replace(/\{"a":\}/, '{"a":1}'),
      lines[findingLine]!.replace('"payload":{', `"payload":{"deep":${deep(100_000)},`),
      lines[findingLine]!.replace('"extensions":{}', `"extensions":{"acme":{"x":${deep(100_000)}}}`),
      lines[findingLine]!.replace(/"title":"[^"]*"/, `"title":${deep(100_000)}`),
      lines[0]!.replace('"policy":{', `"policy":{"deep":${deep(100_000)},`),
    ];
    for (const line of cases) {
      const report = await check([...lines.slice(0, findingLine), line, ...lines.slice(findingLine + 1)].join('\n'));
      expect(report.ok).toBe(false);
    }
    const payload = await check([...lines.slice(0, findingLine), cases[2]!, ...lines.slice(findingLine + 1)].join('\n'));
    expect(payload.issues.map((issue) => issue.code)).toContain('line-too-deep');
  });

  it('on streams cut at every byte, in the middle of UTF-8 sequences too', async () => {
    const { text } = await base;
    const bytes = new TextEncoder().encode(text.replace('Leavers', 'Lëavers 😀 ünïcödé'));
    const step = Math.max(1, Math.floor(bytes.length / 400));
    for (let cut = 0; cut <= bytes.length; cut += step) {
      const report = await check([bytes.subarray(0, cut)]);
      if (cut < bytes.length - 1) expect(report.ok).toBe(false);
    }
    // Every offset of the multi-byte characters themselves.
    const emoji = bytes.indexOf(0xf0);
    for (let cut = emoji - 2; cut <= emoji + 6; cut++) expect((await check(bytes.subarray(0, cut))).ok).toBe(false);
  });

  it('on lone surrogates, huge numbers and huge strings', async () => {
    const { lines } = await base;
    const findingLine = lines.findIndex((line) => line.startsWith('{"type":"finding"'));
    const with_ = (line: string) => [...lines.slice(0, findingLine), line, ...lines.slice(findingLine + 1)].join('\n');
    const target = lines[findingLine]!;
    const variants = [
      target.replace(/"title":"([^"]*)"/, '"title":"$1\\ud800"'),
      target.replace(/"description":"/, '"description":"\\udfff'),
      target.replace(/"payload":\{/, '"payload":{"lone":"\\ud83d",'),
      target.replace(/"sequence":1,/, '"sequence":1e400,'),
      target.replace(/"sequence":1,/, '"sequence":123456789012345678901234567890,'),
      target.replace(/"tenantSequence":1,/, '"tenantSequence":-0,'),
      target.replace(/"recurrenceCount":0/, '"recurrenceCount":1.5e308'),
      target.replace(/"title":"([^"]*)"/, `"title":"${'x'.repeat(200_000)}"`),
      target.replace(/"payload":\{/, `"payload":{"big":"${'é'.repeat(300_000)}",`),
    ];
    for (const [index, variant] of variants.entries()) {
      expect(variant, `variant ${index}`).not.toBe(target);
      expect((await check(with_(variant))).ok).toBe(false);
    }
    // A line over the limit is an issue, never held.
    const huge = await check(with_(target.replace(/"title":"([^"]*)"/, `"title":"${'x'.repeat(70_000)}"`)), 64 * 1024);
    expect(huge.issues.map((issue) => issue.code)).toContain('line-too-long');
    // Lone surrogates in raw bytes are invalid UTF-8.
    const bytes = new TextEncoder().encode(lines.join('\n'));
    const surrogate = new Uint8Array([...bytes.subarray(0, 200), 0xed, 0xa0, 0x80, ...bytes.subarray(200)]);
    expect((await check(surrogate)).issues.map((issue) => issue.code)).toContain('invalid-utf8');
  });

  it('on an entry whose canonical form does not exist (a lone surrogate in a hashed field) the chain check reports, never throws', async () => {
    const { lines } = await base;
    const findingLine = lines.findIndex((line) => line.startsWith('{"type":"finding"'));
    const line = lines[findingLine]!.replace(/("entry":\{.*?"payload":\{)/, '$1"note":"\\udc00",');
    const report = await check([...lines.slice(0, findingLine), line, ...lines.slice(findingLine + 1)].join('\n'));
    expect(report.issues.map((issue) => issue.code)).toContain('hash-mismatch');
    void linesOf;
  });
});
