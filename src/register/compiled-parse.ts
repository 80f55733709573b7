import * as z from 'zod';
import { settleParse } from '../schemas/parse.js';

// zod 4.6 compiles a schema into one generated function, several times faster than its
// interpreter; on invalid input it hands the parse back to the interpreter, so issues are
// the same as parseRecord's. The register parses every command's input, so it compiles
// each schema once, on first use. The compiler is large: it lives here, on the register's
// entry, not in the core one. `z.config({ jitless: true })` (for a Content Security Policy
// without 'unsafe-eval') keeps the interpreter, as it does for zod itself; a schema zod
// cannot compile comes back unchanged.
const compiledSchemas = new WeakMap<z.ZodType, z.ZodType>();

function compiled<TSchema extends z.ZodType>(schema: TSchema): TSchema {
  if (z.config().jitless === true) return schema;
  let fast = compiledSchemas.get(schema);
  if (fast === undefined) {
    fast = z.compile(schema);
    compiledSchemas.set(schema, fast);
  }
  return fast as TSchema;
}

/** `parseRecord`, through zod's compiled parser of the schema. */
export function parseCompiled<TSchema extends z.ZodType>(schema: TSchema, input: unknown, subject?: string): z.output<TSchema> {
  return settleParse(schema, compiled(schema).safeParse(input), input, subject);
}
