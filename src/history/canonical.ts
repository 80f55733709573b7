import { CapaValidationError } from '../errors/validation-error.js';

/*
 * RFC 8785 serialises every primitive exactly as ECMAScript's JSON.stringify does (§3.2.2:
 * strings with the shortest escapes, numbers by Number#toString), and orders object keys by
 * their UTF-16 code units (§3.2.3). So when every object of a value already enumerates its
 * keys in that order, the native JSON.stringify writes the canonical bytes, several times
 * faster than any serialiser written in JavaScript. The register seals entries with their
 * keys in canonical order, so that is the common case; any other object is rebuilt with its
 * keys sorted. One walk checks both the order and that the value is JSON at all.
 */

type Path = (string | number)[];

const notJson = (path: Path, message: string): CapaValidationError =>
  new CapaValidationError('canonical JSON', [{ path: [...path], code: 'not_json', message }]);

// String.prototype.isWellFormed (ES2024) where the runtime has it; a lone surrogate otherwise.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed: (text: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (text) => (text as string & { isWellFormed(): boolean }).isWellFormed()
    : (text) => !LONE_SURROGATE.test(text);

function checkString(text: string, path: Path): void {
  if (!wellFormed(text)) throw notJson(path, 'A string with a lone surrogate is not valid Unicode, so it has no canonical form (RFC 8785 §3.2.2.2)');
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'bigint') return 'A BigInt';
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'A function';
  if (typeof value === 'symbol') return 'A symbol';
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
  return `A ${name ?? 'non-plain'} object`;
}

/**
 * Walks the value: refuses anything that is not JSON, and says whether every object's keys
 * are already in canonical order (then JSON.stringify writes the canonical form).
 */
function inspect(value: unknown, path: Path): boolean {
  switch (typeof value) {
    case 'string':
      checkString(value, path);
      return true;
    case 'number':
      if (!Number.isFinite(value)) throw notJson(path, `${describe(value)} is not a JSON number`);
      return true;
    case 'boolean':
      return true;
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        let sorted = true;
        for (let index = 0; index < value.length; index++) {
          if (!(index in value)) throw notJson([...path, index], 'An array hole is not JSON');
          path.push(index);
          if (!inspect(value[index], path)) sorted = false;
          path.pop();
        }
        return sorted;
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) throw notJson(path, `${describe(value)} is not a plain JSON object`);
      let sorted = true;
      let previous: string | undefined;
      for (const key in value) {
        if (!Object.hasOwn(value, key)) continue;
        checkString(key, path);
        if (previous !== undefined && !(previous < key)) sorted = false;
        previous = key;
        path.push(key);
        if (!inspect((value as Record<string, unknown>)[key], path)) sorted = false;
        path.pop();
      }
      return sorted;
    }
    default:
      throw notJson(path, `${describe(value)} is not a JSON value`);
  }
}

// Keys that JavaScript enumerates first, in numeric order, whatever the insertion order.
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;
const isArrayIndex = (key: string) => ARRAY_INDEX.test(key) && Number(key) < 4294967295;

/**
 * A copy of an already-inspected value whose objects enumerate their keys sorted, for the
 * native JSON.stringify to write; `null` when an object has an array-index key, which no
 * object can enumerate in canonical order (then {@link writeSorted} writes it).
 */
function sortedCopy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length);
    for (let index = 0; index < value.length; index++) {
      const item = sortedCopy(value[index]);
      if (item === null && value[index] !== null) return null;
      copy[index] = item;
    }
    return copy;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    if (isArrayIndex(key) || key === '__proto__') return null;
    const item = sortedCopy(record[key]);
    if (item === null && record[key] !== null) return null;
    copy[key] = item;
  }
  return copy;
}

/** Writes an already-inspected value with every object's keys sorted, one key at a time. */
function writeSorted(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(writeSorted).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    out += `${index === 0 ? '' : ','}${JSON.stringify(key)}:${writeSorted(record[key])}`;
  }
  return `${out}}`;
}

/**
 * The RFC 8785 (JSON Canonicalization Scheme) form of a JSON value: the bytes every
 * implementation in every language agrees on, so a script elsewhere can recompute our
 * hashes. A value that is not JSON (`undefined`, a function, `NaN`, `±Infinity`, a
 * BigInt, a string with a lone surrogate, an array hole, a `Date` or another non-plain
 * object) is refused with a `CapaValidationError` whose issue (code `not_json`) names
 * where it is.
 *
 * @example
 * ```ts
 * import { canonicalJson } from 'capa-kit/register';
 *
 * canonicalJson({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 * canonicalJson({ '10': 'x', '9': 'y' }); // '{"10":"x","9":"y"}': keys by UTF-16 code unit
 * ```
 */
export function canonicalJson(value: unknown): string {
  if (inspect(value, [])) return JSON.stringify(value);
  const copy = sortedCopy(value);
  return copy === null ? writeSorted(value) : JSON.stringify(copy);
}
