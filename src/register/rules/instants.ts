// Instants an actor reports (when a finding was detected, a correction completed, a cause
// analysed, a review made, evidence collected) cannot be in the future: later than the
// register's clock plus the policy's clock skew, the command is refused; in a log, later
// than the entry's own time plus the same skew, the validator reports it. Which fields are
// such instants is read from the command input schemas (every ISO instant they hold), not
// listed by hand, so a new field cannot be forgotten; due dates are calendar dates, not
// instants, and are in the future by design.
import type * as z from 'zod';
import { CapaValidationError, type ValidationIssue } from '../../errors/validation-error.js';
import type { SeverityPolicy } from '../../schemas/severity-policy.js';
import { commandWriting } from '../commands/entry-types.js';
import { type CommandName, commandInputs } from '../inputs.js';

/** A path to an instant field: object keys, and `*` for each item of an array (or value of a record). */
export type InstantPath = readonly string[];

/** The shape of a zod schema's definition, as far as the walk reads it. */
interface Def {
  readonly type: string;
  readonly format?: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly out?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly left?: z.ZodType;
  readonly right?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly items?: readonly z.ZodType[];
  readonly rest?: z.ZodType | null;
  readonly getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * Every path in `schema` that holds an ISO 8601 instant (`Instant`, or any
 * `z.iso.datetime()`), through objects, arrays, records, unions, optional, nullable and
 * default wrappers, both sides of pipes (and so preprocessed schemas), and lazy schemas.
 */
export function instantPaths(schema: z.ZodType): InstantPath[] {
  const found = new Map<string, InstantPath>();
  const walking = new Set<z.ZodType>();
  const walk = (current: z.ZodType, path: InstantPath): void => {
    if (walking.has(current)) return; // a recursive schema (JSON): walked once per path
    walking.add(current);
    try {
      const def = defOf(current);
      switch (def.type) {
        case 'string':
          if (def.format === 'datetime') found.set(path.join('\u0000'), path);
          break;
        case 'object':
          for (const [key, field] of Object.entries(def.shape ?? {})) walk(field, [...path, key]);
          break;
        case 'array':
          walk(def.element!, [...path, '*']);
          break;
        case 'record':
          walk(def.valueType!, [...path, '*']);
          break;
        case 'tuple':
          (def.items ?? []).forEach((item, index) => walk(item, [...path, String(index)]));
          if (def.rest != null) walk(def.rest, [...path, '*']);
          break;
        case 'union':
          for (const option of def.options ?? []) walk(option, path);
          break;
        case 'intersection':
          walk(def.left!, path);
          walk(def.right!, path);
          break;
        case 'pipe':
          // Both sides: a preprocessed input (trimmed, say) keeps its schema on the `out` side.
          walk(def.in!, path);
          walk(def.out!, path);
          break;
        case 'lazy':
          walk(def.getter!(), path);
          break;
        default:
          if (def.innerType !== undefined) walk(def.innerType, path); // optional, nullable, default, readonly, catch…
      }
    } finally {
      walking.delete(current);
    }
  };
  walk(schema, []);
  return [...found.values()];
}

const byCommand = new Map<CommandName, readonly InstantPath[]>();

/** The instants a command's input holds (computed once per command). */
export function commandInstantPaths(command: CommandName): readonly InstantPath[] {
  let paths = byCommand.get(command);
  if (paths === undefined) {
    paths = instantPaths(commandInputs[command]);
    byCommand.set(command, paths);
  }
  return paths;
}

/**
 * The instants a history entry's payload holds, by entry type: those of the input of the
 * command that writes it (the payload keeps the input's fields at the same paths). An entry
 * the register makes itself (`CREATE_ACTION`, `LINK_FINDING`…) holds none an actor gave.
 */
export function entryInstantPaths(type: string): readonly InstantPath[] {
  const command = commandWriting(type);
  return command === undefined ? [] : commandInstantPaths(command);
}

/** An instant later than allowed: where it is (keys and array indexes) and its value. */
export interface FutureInstant {
  readonly path: readonly (string | number)[];
  readonly value: string;
}

/** Is `instant` later than `at` plus the skew? (Anything that is not an instant is not.) */
export function isBeyondSkew(instant: string, at: string, skewMinutes: number): boolean {
  const time = Date.parse(instant);
  return !Number.isNaN(time) && time > Date.parse(at) + skewMinutes * 60_000;
}

/** The instants at `paths` of `value` later than `at` plus `skewMinutes`. */
export function futureInstants(value: unknown, paths: readonly InstantPath[], at: string, skewMinutes: number): FutureInstant[] {
  const found: FutureInstant[] = [];
  const visit = (node: unknown, path: InstantPath, depth: number, where: (string | number)[]): void => {
    if (depth === path.length) {
      if (typeof node === 'string' && isBeyondSkew(node, at, skewMinutes)) found.push({ path: where, value: node });
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const key = path[depth]!;
    if (key === '*') {
      if (Array.isArray(node)) node.forEach((item, index) => visit(item, path, depth + 1, [...where, index]));
      else for (const [name, item] of Object.entries(node)) visit(item, path, depth + 1, [...where, name]);
      return;
    }
    if (Object.hasOwn(node, key)) visit((node as Record<string, unknown>)[key], path, depth + 1, [...where, key]);
  };
  for (const path of paths) visit(value, path, 0, []);
  return found;
}

/** The sentence for an instant later than allowed. */
export function futureInstantMessage(instant: FutureInstant, at: string, skewMinutes: number, clock: string): string {
  return `${instant.value} is later than ${clock} (${at}) by more than the policy's clock skew of ${skewMinutes} minute${skewMinutes === 1 ? '' : 's'}: an instant reported for something done cannot be in the future.`;
}

/**
 * Refuses a command whose input reports an instant later than the register's clock (`at`)
 * plus the policy's `clockSkewMinutes`: a `CapaValidationError` whose issues name each
 * field, with the rule `instant_in_future`.
 */
export function refuseFutureInstants(policy: SeverityPolicy, command: CommandName, parsed: unknown, at: string): void {
  const skew = policy.clockSkewMinutes;
  const future = futureInstants(parsed, commandInstantPaths(command), at, skew);
  if (future.length === 0) return;
  const issues: ValidationIssue[] = future.map((instant) => ({
    path: instant.path,
    code: 'instant_in_future',
    message: futureInstantMessage(instant, at, skew, "the register's clock"),
  }));
  throw new CapaValidationError(`${command} input`, issues);
}
