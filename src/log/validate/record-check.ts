// The per-record part of validation: everything a record line's checks need that does not
// depend on the lines before it (the JSON, the schema, the hash chain, the signatures, the
// replay through the lifecycle machine, the auditors' rules). It runs where the line is
// (on the validating thread, or in a worker thread: src/log/validate/parallel.ts) and
// describes its result as a list of steps (`RecordStep`) that the LogChecker applies in
// line order: issues to report, and the few checks that need the lines before (record
// order, duplicates, tenant sequences, the log head, links between records). The steps
// come in exactly the order the checks run, so the report is the same wherever a line
// was checked.
import * as z from 'zod';
import { firstBrokenLink } from '../../history/chain.js';
import { contentHash } from '../../history/head.js';
import { type CapaMachine, createCapaMachine } from '../../machine/capa-machine.js';
import type { CapaEvent } from '../../machine/events.js';
import type { CapaSnapshot } from '../../machine/explain.js';
import { projectFinding } from '../../register/documents.js';
import { actionName } from '../../schemas/action-name.js';
import { entryEvent, misboundMessage, misboundSignature, replayFinding } from '../../register/verify.js';
import { CorrectiveAction } from '../../schemas/corrective-action.js';
import { Extensions, Finding } from '../../schemas/finding.js';
import { HistoryEntry } from '../../schemas/history-entry.js';
import type { SeverityPolicy } from '../../schemas/severity-policy.js';
import type { LogIssueCode } from '../format/issues.js';
import { LoggedEntry, type LoggedFinding } from '../format/lines.js';
import { foldActionHistory } from './action-history.js';
import { entryActRules } from '../../register/rules/acts.js';
import { firstDifference, forbiddenKeyMessage, guardJson, isForbiddenKey, type JsonPath } from './json.js';
import { actionRules, findingRules, type RuleContext } from './rules.js';

/**
 * Where validation time goes, in nanoseconds, by stage: filled when a `StageTimes` object
 * is passed (the benchmark does; it costs a clock read per stage and line).
 */
export interface StageTimes {
  parse: number;
  schema: number;
  chains: number;
  replay: number;
  rules: number;
}

const nodeProcess = (globalThis as { process?: { hrtime?: { bigint?: () => bigint } } }).process;
/** Nanoseconds, for the stage profile. */
const clock: () => number =
  typeof nodeProcess?.hrtime?.bigint === 'function' ? () => Number(nodeProcess.hrtime!.bigint!()) : () => performance.now() * 1e6;

/** Runs `run`, adding its time to `stage` of `profile` (when there is one). */
export function timed<T>(profile: StageTimes | undefined, stage: keyof StageTimes, run: () => T): T {
  if (profile === undefined) return run();
  const start = clock();
  try {
    return run();
  } finally {
    profile[stage] += clock() - start;
  }
}

// zod 4.6 compiles a schema into one generated function (several times faster); kept
// interpreted under `z.config({ jitless: true })`, as src/schemas/parse.ts does.
const compiledSchemas = new Map<z.ZodType, z.ZodType>();
function fast<T extends z.ZodType>(schema: T): T {
  let found = compiledSchemas.get(schema);
  if (found !== undefined) return found as T;
  if (z.config().jitless === true) return schema;
  try {
    found = z.compile(schema);
  } catch {
    found = schema;
  }
  compiledSchemas.set(schema, found);
  return found as T;
}

/** A schema's verdict on a value: zod's compiled parser, or its interpreter (`interpreted`). */
export function runSchema<T extends z.ZodType>(schema: T, value: unknown, interpreted: boolean, profile?: StageTimes): z.ZodSafeParseResult<z.output<T>> {
  return timed(profile, 'schema', () => (interpreted ? schema : fast(schema)).safeParse(value)) as z.ZodSafeParseResult<z.output<T>>;
}

/** At most this many schema issues are reported per line (and a line saying how many more). */
export const MAX_SCHEMA_ISSUES_PER_LINE = 20;

/** A line's schema issue, or a prototype-reaching key the schema does not know (`forbidden-key`). */
export interface SchemaMessage {
  readonly code: 'schema' | 'forbidden-key';
  readonly path: JsonPath;
  readonly message: string;
}

/**
 * Keys no strict object of the log has: the forbidden ones (`__proto__`, `constructor`,
 * `prototype`: JSON.parse keeps them as own keys) are `forbidden-key`, as the register
 * refuses them; the others one `schema` issue.
 */
export function unknownKeyMessages(keys: readonly string[], path: JsonPath): SchemaMessage[] {
  const out: SchemaMessage[] = [];
  const others = keys.filter((key) => !isForbiddenKey(key));
  if (others.length > 0) {
    out.push({ code: 'schema', path, message: `Unrecognized key${others.length === 1 ? '' : 's'}: ${others.map((key) => JSON.stringify(key)).join(', ')} (unrecognized_keys)` });
  }
  for (const key of keys) if (isForbiddenKey(key)) out.push({ code: 'forbidden-key', path: [...path, key], message: forbiddenKeyMessage(key) });
  return out;
}

/** A schema failure as issues, in zod's order, capped per line. */
export function schemaMessages(number: number, issues: readonly z.core.$ZodIssue[], prefix: JsonPath): SchemaMessage[] {
  const out: SchemaMessage[] = [];
  for (const issue of issues.slice(0, MAX_SCHEMA_ISSUES_PER_LINE)) {
    const path = [...prefix, ...issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment))];
    if (issue.code === 'unrecognized_keys' && issue.keys.some(isForbiddenKey)) out.push(...unknownKeyMessages(issue.keys, path));
    else out.push({ code: 'schema', path, message: `${issue.message} (${issue.code})` });
  }
  if (issues.length > MAX_SCHEMA_ISSUES_PER_LINE) {
    out.push({ code: 'schema', path: prefix, message: `…and ${issues.length - MAX_SCHEMA_ISSUES_PER_LINE} more schema issues on line ${number}.` });
  }
  return out;
}

// The record schemas as the checker runs them: the same rules, arranged for speed. Values
// come from JSON.parse, so a payload is JSON by construction: only its presence is checked
// (zod's z.json() walks it recursively, and is most of the cost). Extensions are checked on
// their own, which lets zod compile the rest of the finding.
const AnyJson = z.custom<unknown>((value) => value !== undefined, { error: 'Required: any JSON value (null for none)' });
const RecordSchemas = {
  finding: Finding.extend({ extensions: z.unknown() }),
  action: CorrectiveAction,
} as const;
const History = z.array(LoggedEntry.extend({ entry: HistoryEntry.extend({ payload: AnyJson }) }));
const RECORD_LINE_KEYS = { finding: new Set(['type', 'finding', 'history']), action: new Set(['type', 'action', 'history']) } as const;

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const stringOr = (value: unknown, fallback: string | null): string | null => (typeof value === 'string' ? value : fallback);
export const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** An issue a record line raised, to be reported on its line. */
export interface StepIssue {
  readonly step: 'issue';
  readonly code: LogIssueCode;
  readonly recordId: string | null;
  readonly reference: string | null;
  readonly path: JsonPath;
  readonly message: string;
}

/** A record's last entry at some tenant sequence: what the log head is computed over. */
export interface Tip {
  readonly sequence: number;
  readonly hash: string;
}

/**
 * One step of a record line's result, in the order the checks ran. Every step but
 * `issue` needs the lines before this one, so the LogChecker applies it in line order.
 */
export type RecordStep =
  /** The line is a record: count it, check it comes after the header, before the trailer, and in id order. */
  | { readonly step: 'begin'; readonly type: 'finding' | 'action'; readonly rawId: string | null; readonly reference: string | null; readonly entries: number }
  | StepIssue
  /** The log head cannot be computed (a record without a usable history). */
  | { readonly step: 'uncomputable' }
  /** The record's id is now known (for duplicates and links), with a finding's reference as the line states it. */
  | { readonly step: 'seen'; readonly kind: 'finding' | 'action'; readonly id: string; readonly reference: string | null }
  /**
   * An issue about a corrective action, which names the findings it belongs to by their
   * references: reported as soon as those findings' lines have been read (they may come
   * after the action's), its message made by `actionIssueMessage`.
   */
  | {
      readonly step: 'action-issue';
      readonly code: LogIssueCode;
      readonly recordId: string;
      /** The action's reference, for the issue's `reference`. */
      readonly reference: string | null;
      readonly path: JsonPath;
      /** The action, as messages name it. */
      readonly action: string;
      readonly findingIds: readonly string[];
      /** What the rule says of the action. */
      readonly says: string;
    }
  /**
   * The record's tenant sequences, in entry order, with the issues each entry raised
   * before its sequence was checked (`entryIssues[i]`, or none).
   */
  | {
      readonly step: 'sequences';
      readonly id: string;
      readonly reference: string | null;
      readonly sequences: readonly number[];
      readonly entryIssues: readonly (readonly StepIssue[] | null)[] | null;
    }
  /** The record's tips at the cut and at the trusted head (`null`: none; `false`: the tip cannot be hashed). */
  | { readonly step: 'tips'; readonly id: string; readonly cut: Tip | null | false; readonly trusted: Tip | null | false }
  /** A link to another record, resolved (or found dangling) at the end. */
  | { readonly step: 'link'; readonly from: string; readonly reference: string | null; readonly kind: 'finding' | 'action'; readonly to: string }
  /** A check failed on input nobody foresaw: reported as the line's last issue. */
  | { readonly step: 'crash'; readonly message: string };

/** What the per-record checks need to know about the log: set by its header (or the options). */
export interface RecordContext {
  /** The header's tenant, or `null` without a header. */
  readonly tenant: string | null;
  /** The header's cut (tenant sequence), or `null` without a header. */
  readonly cut: number | null;
  /** True when the log head is computed (the header was read). */
  readonly head: boolean;
  /** The trusted head's tenant sequence, when the history up to it is hashed as well. */
  readonly trustedCut: number | null;
  /** The policy findings are replayed and judged under, or `null` (no header, no policy). */
  readonly policy: SeverityPolicy | null;
  /** The validation instant for the time rules (ms since the epoch), or `null`. */
  readonly asOf: number | null;
}

/** What a record line gave, beyond its steps: the values the import writes (only where they are kept). */
export interface RecordValues {
  readonly record: Finding | CorrectiveAction;
  readonly history: readonly { readonly tenantSequence: number; readonly entry: HistoryEntry }[];
  readonly snapshot: CapaSnapshot | null;
}

/** A record line checked: its steps, and (when asked for, and the line was whole) its values. */
export interface RecordResult {
  readonly steps: RecordStep[];
  /** The record's id when every part of the line could be read (record, history, id); else `null`. */
  readonly id: string | null;
  readonly values: RecordValues | null;
}

/**
 * The per-record checks under one context. The same code runs on the validating thread
 * and in worker threads: its only state is the context (and the machine and rules made
 * from it), so where a line is checked never changes what is found.
 */
export class RecordChecker {
  readonly machine: CapaMachine | null;
  readonly rules: RuleContext | null;

  constructor(
    readonly context: RecordContext,
    machine?: CapaMachine | null,
    rules?: RuleContext | null,
    private readonly profile?: StageTimes,
  ) {
    const policy = context.policy;
    this.machine = machine ?? (policy === null ? null : createCapaMachine(policy));
    this.rules = rules ?? (policy === null ? null : { policy, asOf: context.asOf });
  }

  /**
   * Checks a record line's text in a worker: the steps of a finding or action line, or
   * `null` for anything else (not JSON, not a record line), which the LogChecker reads itself.
   */
  checkText(number: number, text: string): RecordResult | null {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return null;
    }
    if (!isObject(value)) return null;
    const type = value.type;
    if (type !== 'finding' && type !== 'action') return null;
    return this.check(number, type, value, false);
  }

  /** Checks a parsed record line. Never throws: a failure nobody foresaw ends the steps with `crash`. */
  check(number: number, type: 'finding' | 'action', value: Record<string, unknown>, keepValues: boolean): RecordResult {
    const steps: RecordStep[] = [];
    let id: string | null = null;
    let values: RecordValues | null = null;
    try {
      ({ id, values } = this.record(steps, number, type, value, keepValues));
    } catch (error) {
      steps.push({ step: 'crash', message: `Line ${number} could not be checked: ${describe(error)}` });
    }
    return { steps, id, values };
  }

  private record(
    steps: RecordStep[],
    number: number,
    type: 'finding' | 'action',
    value: Record<string, unknown>,
    keepValues: boolean,
  ): { id: string | null; values: RecordValues | null } {
    const profile = this.profile;
    const raw = value[type];
    const rawId = isObject(raw) ? stringOr(raw.id, null) : null;
    // Issues name a record by its reference (NC-2026-0001, CA-2026-0001) where it has one.
    const reference = isObject(raw) ? stringOr(raw.reference, null) : null;
    steps.push({ step: 'begin', type, rawId, reference, entries: Array.isArray(value.history) ? value.history.length : 0 });
    const issue = (code: LogIssueCode, path: JsonPath, message: string, recordId: string | null = rawId): void => {
      steps.push({ step: 'issue', code, recordId, reference, path, message });
    };

    // Free-form JSON (payloads, extensions) is walked before zod, which recurses into it.
    const guard = timed(profile, 'parse', () => {
      if (isObject(raw)) {
        const problem = guardJson(raw.extensions, [type, 'extensions']);
        if (problem !== null) return problem;
      }
      if (Array.isArray(value.history)) {
        for (let i = 0; i < value.history.length; i++) {
          const item: unknown = value.history[i];
          if (!isObject(item) || !isObject(item.entry)) continue;
          const problem = guardJson(item.entry.payload, ['history', i, 'entry', 'payload']);
          if (problem !== null) return problem;
        }
      }
      return null;
    });
    if (guard !== null) {
      issue(guard.code, guard.path, guard.message);
      steps.push({ step: 'uncomputable' });
      if (rawId !== null) steps.push({ step: 'seen', kind: type, id: rawId, reference });
      return { id: null, values: null };
    }

    // The line against its schema, part by part (the line's keys, the record, its
    // extensions, its history), so that a bad field in the record does not hide what the
    // history says (chains, the head), and the reverse.
    const schema = <T extends z.ZodType>(s: T, input: unknown, prefix: JsonPath, interpreted = false): z.output<T> | null => {
      const result = runSchema(s, input, interpreted, profile);
      if (result.success) return result.data;
      for (const { code, path, message } of schemaMessages(number, result.error.issues, prefix)) issue(code, path, message);
      return null;
    };
    const unknown = Object.keys(value).filter((key) => !RECORD_LINE_KEYS[type].has(key));
    let bodyOk = true;
    if (unknown.length > 0) {
      bodyOk = false;
      for (const { code, path, message } of unknownKeyMessages(unknown, [])) issue(code, path, message);
    }
    let body = schema(RecordSchemas[type], raw, [type]) as Finding | CorrectiveAction | null;
    if (type === 'finding' && isObject(raw) && raw.extensions !== undefined) {
      const extensions = schema(Extensions, raw.extensions, ['finding', 'extensions'], true);
      if (extensions === null) bodyOk = false;
      else if (body !== null) (body as Finding).extensions = extensions;
    } else if (body !== null && type === 'finding') {
      (body as Finding).extensions = {};
    }
    if (!bodyOk) body = null;
    const history = schema(History, value.history, ['history']) as LoggedFinding['history'] | null;

    const id = rawId;
    if (id !== null) steps.push({ step: 'seen', kind: type, id, reference });
    // Raw JSON for hashing (zod's output has defaults applied), parsed for the rules.
    const rawHistory = value.history as { tenantSequence: number; entry: HistoryEntry }[];
    const entries = history === null ? [] : rawHistory.map((item) => item.entry);
    if (history !== null && id !== null) {
      const recordTenant = isObject(raw) ? stringOr(raw.tenantId, null) : null;
      timed(profile, 'chains', () => this.history(steps, type, id, reference, recordTenant, rawHistory, entries));
    } else {
      steps.push({ step: 'uncomputable' });
    }
    if (body === null || history === null || id === null) return { id: null, values: null };

    let snapshot: CapaSnapshot | null = null;
    if (type === 'finding') {
      const finding = body as Finding;
      for (const actionId of finding.correctiveActionIds) steps.push({ step: 'link', from: id, reference, kind: 'action', to: actionId });
      snapshot = timed(profile, 'replay', () => this.replayFinding(issue, id, reference, raw as Finding, finding, entries));
      if (this.rules !== null) {
        const context = this.rules;
        const lastActivityAt = entries.at(-1)?.at ?? finding.updatedAt;
        timed(profile, 'rules', () => findingRules(context, finding, snapshot, lastActivityAt, (code, path, message) => issue(code, ['finding', ...path], message, id)));
      }
    } else {
      const action = body as CorrectiveAction;
      for (const findingId of action.findingIds) steps.push({ step: 'link', from: id, reference, kind: 'finding', to: findingId });
      timed(profile, 'replay', () => this.replayAction(steps, id, reference, raw, action, entries));
      if (this.rules !== null) {
        const context = this.rules;
        const named = actionName(action);
        timed(profile, 'rules', () =>
          actionRules(context, action, (code, path, says) =>
            steps.push({ step: 'action-issue', code, recordId: id, reference, path: ['action', ...path], action: named, findingIds: action.findingIds, says }),
          ),
        );
      }
    }
    return { id, values: keepValues ? { record: raw as Finding | CorrectiveAction, history: rawHistory, snapshot } : null };
  }

  private history(
    steps: RecordStep[],
    type: 'finding' | 'action',
    id: string,
    reference: string | null,
    recordTenant: string | null,
    rawHistory: readonly { tenantSequence: number; entry: HistoryEntry }[],
    entries: readonly HistoryEntry[],
  ): void {
    const issue = (code: LogIssueCode, path: JsonPath, message: string): StepIssue => ({ step: 'issue', code, recordId: id, reference, path, message });
    const name = reference ?? id;
    const { tenant } = this.context;
    if (tenant !== null && recordTenant !== null && recordTenant !== tenant) {
      steps.push(issue('wrong-tenant', [type, 'tenantId'], `Record ${name} belongs to tenant ${recordTenant}, not ${tenant}.`));
    }
    if (rawHistory.length === 0) {
      steps.push(issue('history-empty', ['history'], `Record ${name} has no history.`));
      steps.push({ step: 'uncomputable' });
      return;
    }
    // Each entry's kind and tenant; its tenant sequence is checked (in line order) after them.
    const sequences: number[] = new Array(rawHistory.length);
    let entryIssues: (StepIssue[] | null)[] | null = null;
    for (let i = 0; i < rawHistory.length; i++) {
      const item = rawHistory[i]!;
      sequences[i] = item.tenantSequence;
      const entry = item.entry;
      let found: StepIssue[] | null = null;
      if (entry.recordKind !== type) {
        (found ??= []).push(issue('wrong-kind', ['history', i, 'entry', 'recordKind'], `Entry ${i + 1} of ${name} is a ${entry.recordKind} entry on a ${type}.`));
      }
      if (tenant !== null && entry.tenantId !== tenant) {
        (found ??= []).push(issue('wrong-tenant', ['history', i, 'entry', 'tenantId'], `Entry ${i + 1} of ${name} belongs to tenant ${entry.tenantId}, not ${tenant}.`));
      }
      if (found !== null) {
        entryIssues ??= new Array<StepIssue[] | null>(rawHistory.length).fill(null);
        entryIssues[i] = found;
      }
    }
    steps.push({ step: 'sequences', id, reference, sequences, entryIssues });

    let chainOk = true;
    try {
      const broken = firstBrokenLink(id, entries, name);
      if (broken !== null) {
        chainOk = false;
        steps.push(issue(broken.reason, ['history', broken.sequence - 1, 'entry'], broken.message));
      }
    } catch (error) {
      chainOk = false;
      steps.push(issue('hash-mismatch', ['history'], `The history of ${name} cannot be hashed: ${describe(error)}`));
    }
    const misbound = misboundSignature(id, entries);
    if (misbound !== undefined) {
      const index = entries.indexOf(misbound);
      const field = misbound.signature!.signedAt === misbound.at ? 'boundTo' : 'signedAt';
      steps.push(issue('signature-binding', ['history', index, 'entry', 'signature', field], misboundMessage(name, misbound)));
    }

    // The head: the last entry at the cut (and at the trusted head's point), its hash
    // recomputed. When the chain holds, every entry's hash is its content's (just checked).
    const tipAt = (limit: number): Tip | null | false => {
      let tip: { tenantSequence: number; entry: HistoryEntry } | null = null;
      for (const item of rawHistory) if (item.tenantSequence <= limit && (tip === null || item.entry.sequence > tip.entry.sequence)) tip = item;
      if (tip === null) return null;
      try {
        return { sequence: tip.entry.sequence, hash: chainOk ? tip.entry.hash : contentHash(tip.entry) };
      } catch {
        return false;
      }
    };
    const { head, cut, trustedCut } = this.context;
    steps.push({
      step: 'tips',
      id,
      cut: head ? tipAt(cut ?? Number.POSITIVE_INFINITY) : null,
      trusted: trustedCut === null ? null : tipAt(trustedCut),
    });
  }

  private replayFinding(
    issue: (code: LogIssueCode, path: JsonPath, message: string, recordId?: string | null) => void,
    id: string,
    reference: string | null,
    raw: Finding,
    finding: Finding,
    entries: readonly HistoryEntry[],
  ): CapaSnapshot | null {
    const machine = this.machine;
    if (machine === null) return null;
    const policy = this.rules?.policy ?? this.context.policy;
    const name = reference ?? id;
    // What the register enforces on each act, judged on the lifecycle as it stood before it.
    const visit =
      policy === null
        ? undefined
        : (entry: HistoryEntry, index: number, event: CapaEvent | null, before: CapaSnapshot) =>
            entryActRules(policy, name, entry, event, before.context, (code, path, message) => issue(code, ['history', index, 'entry', ...path], message, id));
    let result;
    try {
      result = replayFinding(machine, entries, visit);
    } catch (error) {
      issue('replay-refused', ['history'], `The history of ${reference ?? id} cannot be replayed: ${describe(error)}`, id);
      return null;
    }
    const { snapshot, refused, lastActivityAt } = result;
    if (refused !== null) {
      const index = entries.indexOf(refused.entry);
      issue(
        'replay-refused',
        ['history', index, 'entry'],
        `Entry ${refused.entry.sequence} (${refused.entry.type}) of ${reference ?? id} does not replay in state "${String(snapshot.value)}": ${refused.unmet.map((u) => u.code).join(', ')}.`,
        id,
      );
      return snapshot;
    }
    const status = String(snapshot.value);
    if (status !== finding.status) {
      issue('replay-status', ['finding', 'status'], `The history of ${reference ?? id} replays to "${status}", but the finding says "${finding.status}".`, id);
      return snapshot;
    }
    if (snapshot.context.finding === null) return snapshot;
    const expected = projectFinding(snapshot.context, snapshot.value, lastActivityAt ?? snapshot.context.finding.raisedAt);
    const difference = firstDifference(raw, expected);
    if (difference !== null) {
      issue(
        'record-mismatch',
        ['finding', ...difference],
        `The finding ${reference ?? id} differs from what its history makes of it at ${difference.length === 0 ? 'the root' : difference.join('.')}: it was changed without a history entry.`,
        id,
      );
    }
    return snapshot;
  }

  /** An action rebuilt from its history, against the record the line states. */
  private replayAction(steps: RecordStep[], id: string, reference: string | null, raw: unknown, action: CorrectiveAction, entries: readonly HistoryEntry[]): void {
    const issue = (code: LogIssueCode, path: JsonPath, message: string) => steps.push({ step: 'issue', code, recordId: id, reference, path, message });
    const name = reference ?? id;
    const policy = this.rules?.policy ?? this.context.policy;
    if (policy !== null) {
      entries.forEach((entry, index) =>
        entryActRules(policy, `action ${name}`, entry, entryEvent(entry), null, (code, path, message) => issue(code, ['history', index, 'entry', ...path], message)),
      );
    }
    const folded = foldActionHistory(entries);
    if (folded.refused !== null) {
      issue('replay-refused', ['history', folded.refused.index, 'entry'], `The history of action ${name} does not replay: ${folded.refused.message}`);
      return;
    }
    if (folded.action.status !== action.status) {
      issue('replay-status', ['action', 'status'], `The history of action ${name} makes it "${String(folded.action.status)}", but the action says "${action.status}".`);
      return;
    }
    const difference = firstDifference(raw, folded.action);
    if (difference !== null) {
      issue(
        'record-mismatch',
        ['action', ...difference],
        `Action ${name} differs from what its history makes of it at ${difference.length === 0 ? 'the root' : difference.join('.')}: it was changed without a history entry.`,
      );
    }
  }
}
