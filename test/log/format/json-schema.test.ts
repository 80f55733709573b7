// The JSON Schema shipped as capa-kit/log.schema.json: generated from the zod schemas, one
// $def per line type, and it accepts every line of a real log and refuses broken ones
// (read back into a validator with zod's own fromJSONSchema, as a tool outside TypeScript would).
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { buildLogJsonSchema, LOG_FORMAT } from '../../../src/log/index.js';
import { exportText, linesOf, richHistory } from '../fixtures.js';

describe('buildLogJsonSchema', () => {
  const schema = buildLogJsonSchema();

  it('is a draft 2020-12 document for one line, with a $def per line type', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(`urn:capa-kit:log:${LOG_FORMAT}`);
    expect(schema.$ref).toBe('#/$defs/LogLine');
    for (const name of ['LogLine', 'LogHeader', 'LoggedFinding', 'LoggedAction', 'LoggedEntry', 'LogTrailer', 'Finding', 'CorrectiveAction', 'HistoryEntry', 'SeverityPolicy']) {
      expect(schema.$defs, name).toHaveProperty(name);
    }
    expect((schema.$defs.LogLine as { oneOf: unknown[] }).oneOf).toHaveLength(4);
    // Plain JSON: it survives a round trip through text.
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it('accepts every line of a real log, and refuses broken ones', async () => {
    const { h } = await richHistory();
    const lines = linesOf(await exportText(h.store));
    const validator = z.fromJSONSchema(schema as never);
    for (const line of lines) expect(validator.safeParse(line).success, JSON.stringify(line).slice(0, 80)).toBe(true);
    const broken = [
      { ...lines[0], format: 'one' },
      { ...lines.at(-1), head: { tenantSequence: 1, hash: 'not a hash' } },
      { ...lines[1], history: [{ tenantSequence: 0, entry: {} }] },
      { type: 'something else' },
    ];
    for (const line of broken) expect(validator.safeParse(line).success).toBe(false);
  });
});
