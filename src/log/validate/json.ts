// Iterative walks over parsed JSON: nothing here recurses, so no input can overflow the stack.
import { FORBIDDEN_KEYS } from '../../schemas/parse.js';

export const isForbiddenKey = (key: string): boolean => FORBIDDEN_KEYS.has(key);
export const forbiddenKeyMessage = (key: string): string => `The key "${key}" is refused: it can reach object prototypes.`;

/** The deepest nesting a free-form JSON field (a payload, an extension) may have. */
export const MAX_JSON_DEPTH = 64;

export type JsonPath = (string | number)[];

export interface JsonProblem {
  readonly code: 'line-too-deep' | 'forbidden-key';
  readonly path: JsonPath;
  readonly message: string;
}

/**
 * Checks a free-form JSON value (one zod would walk recursively) before zod sees it: at
 * most `MAX_JSON_DEPTH` levels, and no prototype-reaching keys. Returns the first problem.
 * `base` is the value's path inside the line. The common case (no problem) allocates
 * nothing per node; a problem is located again with paths.
 */
export function guardJson(value: unknown, base: JsonPath): JsonProblem | null {
  if (typeof value !== 'object' || value === null) return null;
  const values: unknown[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const current = values.pop() as object;
    const depth = depths.pop()!;
    if (depth > MAX_JSON_DEPTH) return locate(value, base);
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) {
        const item: unknown = current[i];
        if (typeof item === 'object' && item !== null) {
          values.push(item);
          depths.push(depth + 1);
        }
      }
      continue;
    }
    for (const key in current) {
      if (FORBIDDEN_KEYS.has(key)) return locate(value, base);
      const item = (current as Record<string, unknown>)[key];
      if (typeof item === 'object' && item !== null) {
        values.push(item);
        depths.push(depth + 1);
      }
    }
  }
  return null;
}

/** The slow path of guardJson: the same walk, with paths, to say where the problem is. */
function locate(value: unknown, base: JsonPath): JsonProblem | null {
  type Frame = { value: unknown; depth: number; key: string | number; parent: Frame | null };
  const pathOf = (frame: Frame | null, last?: string): JsonPath => {
    const path: JsonPath = [];
    for (let f = frame; f !== null && f.parent !== null; f = f.parent) path.push(f.key);
    path.reverse();
    return [...base, ...path, ...(last === undefined ? [] : [last])];
  };
  const stack: Frame[] = [{ value, depth: 1, key: '', parent: null }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const current = frame.value;
    if (frame.depth > MAX_JSON_DEPTH) {
      return { code: 'line-too-deep', path: pathOf(frame), message: `Nested deeper than ${MAX_JSON_DEPTH} levels.` };
    }
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) {
        const item: unknown = current[i];
        if (typeof item === 'object' && item !== null) stack.push({ value: item, depth: frame.depth + 1, key: i, parent: frame });
      }
      continue;
    }
    for (const key of Object.keys(current as object)) {
      if (FORBIDDEN_KEYS.has(key)) {
        return { code: 'forbidden-key', path: pathOf(frame, key), message: forbiddenKeyMessage(key) };
      }
      const item = (current as Record<string, unknown>)[key];
      if (typeof item === 'object' && item !== null) stack.push({ value: item, depth: frame.depth + 1, key, parent: frame });
    }
  }
  return null;
}

/**
 * The path of a difference between two JSON values (object key order ignored; a key
 * holding `undefined` counts as absent), or `null` when they are equal. Paths are built
 * only for the difference found.
 */
export function firstDifference(a: unknown, b: unknown): JsonPath | null {
  type Frame = { x: unknown; y: unknown; key: string | number; parent: Frame | null };
  const pathOf = (frame: Frame, last?: string | number): JsonPath => {
    const path: JsonPath = last === undefined ? [] : [last];
    for (let f: Frame | null = frame; f.parent !== null; f = f.parent) path.push(f.key);
    return path.reverse();
  };
  const stack: Frame[] = [{ x: a, y: b, key: '', parent: null }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { x, y } = frame;
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return pathOf(frame);
    const xArray = Array.isArray(x);
    if (xArray !== Array.isArray(y)) return pathOf(frame);
    if (xArray) {
      const xs = x as unknown[];
      const ys = y as unknown[];
      if (xs.length !== ys.length) return pathOf(frame);
      for (let i = 0; i < xs.length; i++) {
        const xv = xs[i];
        const yv = ys[i];
        if (xv === yv) continue;
        if (typeof xv === 'object' && typeof yv === 'object' && xv !== null && yv !== null) stack.push({ x: xv, y: yv, key: i, parent: frame });
        else return pathOf(frame, i);
      }
      continue;
    }
    const xo = x as Record<string, unknown>;
    const yo = y as Record<string, unknown>;
    for (const key of Object.keys(xo)) {
      const xv = xo[key];
      const yv = Object.hasOwn(yo, key) ? yo[key] : undefined;
      if (xv === yv) continue;
      if (typeof xv === 'object' && typeof yv === 'object' && xv !== null && yv !== null) stack.push({ x: xv, y: yv, key, parent: frame });
      else return pathOf(frame, key);
    }
    for (const key of Object.keys(yo)) {
      if (yo[key] !== undefined && (!Object.hasOwn(xo, key) || xo[key] === undefined)) return pathOf(frame, key);
    }
  }
  return null;
}
