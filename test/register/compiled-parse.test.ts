import fc from 'fast-check';
import * as z from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import { CapaValidationError, Correction, EffectivenessReview, Evidence, parseRecord } from 'capa-kit';
import { parseCompiled } from '../../src/register/compiled-parse.js';
import { atInput } from '../../src/schemas/input.js';
import { sampleCorrection, sampleEvidence, sampleReview } from '../fixtures/events.js';

// The register parses inputs with zod's compiled parser where zod can compile the schema
// (parseCompiled), and with the interpreter under `z.config({ jitless: true })`. Both must
// accept, transform and refuse exactly as parseRecord does: same output, same issues.
const outcome = (schema: z.ZodType, input: unknown, parse: typeof parseRecord = parseCompiled) => {
  try {
    return { ok: parse(schema, input) };
  } catch (error) {
    if (error instanceof CapaValidationError) return { issues: error.issues };
    throw error;
  }
};

const both = (schema: z.ZodType, input: unknown) => {
  const fast = outcome(schema, input);
  expect(fast).toEqual(outcome(schema, input, parseRecord));
  z.config({ jitless: true });
  try {
    return { fast, interpreted: outcome(schema, input) };
  } finally {
    z.config({ jitless: false });
  }
};

afterEach(() => {
  z.config({ jitless: false });
});

const CASES: [string, z.ZodType, unknown][] = [
  ['Correction', Correction, sampleCorrection()],
  ['EffectivenessReview', EffectivenessReview, sampleReview('not-effective')],
  ['Evidence', Evidence, sampleEvidence()],
];

describe('parseCompiled: compiled and interpreted parsing agree with parseRecord', () => {
  it.each(CASES)('%s: a valid record, free text padded with spaces: trimmed at input, refused in the record', (_name, schema, valid) => {
    const padded = { ...(valid as Record<string, unknown>), ...Object.fromEntries(Object.entries(valid as object).filter(([, v]) => typeof v === 'string' && v.includes(' ')).map(([k, v]) => [k, `  ${v as string}  `])) };
    const { fast, interpreted } = both(atInput(schema), padded);
    expect(fast).toEqual(interpreted);
    expect(fast.ok).toEqual(schema.parse(valid));
    const record = both(schema, padded);
    expect(record.fast).toEqual(record.interpreted);
    expect(record.fast.issues?.length).toBeGreaterThan(0);
  });

  it.each(CASES)('%s: every field replaced by random JSON gives the same result (property)', (_name, schema, valid) => {
    const keys = Object.keys(valid as object);
    fc.assert(
      fc.property(fc.constantFrom(...keys, 'unknownKey'), fc.jsonValue({ maxDepth: 2 }), (key, value) => {
        const { fast, interpreted } = both(schema, { ...(valid as object), [key]: value });
        expect(fast).toEqual(interpreted);
      }),
      { numRuns: 200 },
    );
  });
});
