import type * as z from 'zod';
import { inputFormOf } from './primitives.js';

// Records refuse text with white space at either end; the register's inputs trim it. The
// inputs are the record schemas themselves with each string rule that trims at input
// (`trimmedAtInput` in primitives.ts) replaced by its input form, so a field's rule is
// written once. Free-form JSON (payloads, extensions) and opaque values (a signature's
// credential) are never trimmed: the walk does not enter them.

const forms = new WeakMap<z.ZodType, z.ZodType>();

/** A copy of `def` with `changes`: getters kept as getters (a default value stays fresh per parse). */
function withDef(def: object, changes: Record<string, unknown>): object {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(def));
  for (const [key, value] of Object.entries(changes)) Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** `schema` rebuilt with `changes` to its definition, or `schema` itself when nothing changed. */
function rebuilt(schema: z.ZodType, changes: Record<string, unknown>, same: boolean): z.ZodType {
  return same ? schema : (schema.clone(withDef(schema._zod.def, changes) as z.ZodType['_zod']['def']) as z.ZodType);
}

/**
 * The input form of a record schema: the same schema, except that every string rule marked
 * as trimmed at input trims before it checks. Types are unchanged (text stays text).
 * @internal
 */
export function atInput<T extends z.ZodType>(schema: T): T {
  const known = forms.get(schema);
  if (known !== undefined) return known as T;
  const marked = inputFormOf(schema);
  if (marked !== undefined) {
    forms.set(schema, marked);
    forms.set(marked, marked);
    return marked as T;
  }
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  let form: z.ZodType;
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>;
      const mapped = Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, atInput(field)]));
      form = rebuilt(schema, { shape: mapped }, Object.keys(shape).every((key) => mapped[key] === shape[key]));
      break;
    }
    case 'array': {
      const element = atInput(def.element as z.ZodType);
      form = rebuilt(schema, { element }, element === def.element);
      break;
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch': {
      const innerType = atInput(def.innerType as z.ZodType);
      form = rebuilt(schema, { innerType }, innerType === def.innerType);
      break;
    }
    case 'union': {
      const options = def.options as z.ZodType[];
      const mapped = options.map((option) => atInput(option));
      form = rebuilt(schema, { options: mapped }, mapped.every((option, i) => option === options[i]));
      break;
    }
    case 'record': {
      // Keys are names (extension namespaces), never trimmed; values follow their schema.
      const valueType = atInput(def.valueType as z.ZodType);
      form = rebuilt(schema, { valueType }, valueType === def.valueType);
      break;
    }
    case 'pipe': {
      const input = atInput(def.in as z.ZodType);
      const output = atInput(def.out as z.ZodType);
      form = rebuilt(schema, { in: input, out: output }, input === def.in && output === def.out);
      break;
    }
    case 'string':
    case 'number':
    case 'int':
    case 'boolean':
    case 'literal':
    case 'enum':
    case 'null':
    case 'undefined':
    case 'unknown':
    case 'any':
    case 'never':
    case 'custom':
    case 'lazy':
      // Strings not marked (formats, digests), scalars, and free-form JSON: as they are.
      form = schema;
      break;
    default:
      throw new TypeError(`atInput: a "${def.type}" schema is not expected in a record schema`);
  }
  forms.set(schema, form);
  // An input form is its own input form: a schema built from inputs is not trimmed twice.
  forms.set(form, form);
  return form as T;
}
