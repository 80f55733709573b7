import type * as z from 'zod';
import { inputFormOf } from './primitives.js';

// Records refuse text with white space at either end; the register's inputs trim it. The
// inputs are the record schemas themselves with each string rule that trims at input
// (`trimmedAtInput` in primitives.ts) replaced by its input form, so a field's rule is
// written once. Free-form JSON (payloads, extensions: lazy schemas) and opaque values (a
// signature's credential) are never trimmed: the walk does not enter them, nor record keys.

const forms = new WeakMap<z.ZodType, z.ZodType>();

/** Where a schema's definition holds other schemas: wrappers, arrays, record values, pipes. */
const CHILDREN = ['innerType', 'element', 'valueType', 'in', 'out'] as const;

/**
 * The input form of a record schema: the same schema, except that every string rule marked
 * as trimmed at input trims before it checks. Types are unchanged (text stays text).
 * @internal
 */
export function atInput<T extends z.ZodType>(schema: T): T {
  let form = forms.get(schema) ?? inputFormOf(schema);
  if (form === undefined) {
    const def = schema._zod.def as unknown as Record<string, unknown>;
    const changes: Record<string, unknown> = {};
    let changed = false;
    const map = (child: z.ZodType) => {
      const mapped = atInput(child);
      changed ||= mapped !== child;
      return mapped;
    };
    if (def.type === 'object') changes.shape = Object.fromEntries(Object.entries(def.shape as Record<string, z.ZodType>).map(([key, field]) => [key, map(field)]));
    else if (def.type === 'union') changes.options = (def.options as z.ZodType[]).map(map);
    else for (const key of CHILDREN) if (def[key] !== undefined) changes[key] = map(def[key] as z.ZodType);
    // A copy of the definition with the changes; getters stay getters (a default stays fresh per parse).
    const copy = Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(def), ...Object.fromEntries(Object.entries(changes).map(([key, value]) => [key, { value, enumerable: true, writable: true, configurable: true }])) });
    form = changed ? (schema.clone(copy as z.ZodType['_zod']['def']) as z.ZodType) : schema;
  }
  forms.set(schema, form);
  // An input form is its own: a schema built from inputs is not trimmed twice.
  forms.set(form, form);
  return form as T;
}
