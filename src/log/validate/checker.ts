import * as z from 'zod';
import { firstBrokenLink } from '../../history/chain.js';
import { contentHash, LogHeadHasher } from '../../history/head.js';
import { type CapaMachine, createCapaMachine } from '../../machine/capa-machine.js';
import type { CapaSnapshot } from '../../machine/explain.js';
import { projectFinding } from '../../register/documents.js';
import { type LogHead, misboundSignature, replayFinding } from '../../register/verify.js';
import { CorrectiveAction } from '../../schemas/corrective-action.js';
import { Extensions, Finding } from '../../schemas/finding.js';
import { HistoryEntry } from '../../schemas/history-entry.js';
import type { SeverityPolicy } from '../../schemas/severity-policy.js';
import { LOG_ISSUE_CODES, type LogIssue, type LogIssueCode } from '../format/issues.js';
import { LOG_FORMAT, LogHeader, LoggedEntry, type LoggedAction, type LoggedFinding, LogLine, LogTrailer } from '../format/lines.js';
import type { SourceLine } from '../read/source.js';
import { foldActionHistory } from './action-history.js';
import { firstDifference, guardJson, type JsonPath } from './json.js';
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

/**
 * The counts of a validation, and the issues by code.
 *
 * @example
 * ```ts
 * import type { LogValidationSummary } from 'capa-kit/log';
 *
 * const line = (s: LogValidationSummary) => `${s.findings} findings, ${s.actions} actions, ${s.errors} errors, ${s.warnings} warnings`;
 * ```
 */
export interface LogValidationSummary {
  /** Lines read (blank and unreadable ones included). */
  readonly lines: number;
  /** Finding lines. */
  readonly findings: number;
  /** Corrective-action lines. */
  readonly actions: number;
  /** History entries. */
  readonly entries: number;
  readonly errors: number;
  readonly warnings: number;
  /** How many issues of each code (all of them, also those left out of `issues`). */
  readonly byCode: Readonly<Partial<Record<LogIssueCode, number>>>;
  /** Issues counted but left out of `issues` (over `maxIssues`). */
  readonly omittedIssues: number;
}

/**
 * What {@link validateLog} found: `ok` when there is no error (warnings allowed), the
 * header as read, the log head recomputed from the records, the counts, and every issue.
 *
 * @example
 * ```ts
 * import { validateLog, type LogValidationReport } from 'capa-kit/log';
 *
 * declare const text: string;
 * const report: LogValidationReport = await validateLog(text, { asOf: new Date() });
 * if (!report.ok) process.exitCode = 1;
 * ```
 */
export interface LogValidationReport {
  /** True when no issue is an error. */
  readonly ok: boolean;
  /** The header, when line 1 is a valid one. */
  readonly header: LogHeader | null;
  /** The log head recomputed from the records (`null` when it cannot be: no header, or records out of order). */
  readonly head: LogHead | null;
  readonly summary: LogValidationSummary;
  /** Every issue in the order found (up to `maxIssues`). */
  readonly issues: readonly LogIssue[];
}

/** What a record line gave, for a caller that goes on to write it (the import). */
export interface CheckedRecord {
  readonly kind: 'finding' | 'action';
  readonly id: string;
  readonly line: number;
  /** The line's record as read (raw JSON, key order kept). */
  readonly record: Finding | CorrectiveAction;
  /** The line's history as read (raw JSON, key order kept). */
  readonly history: readonly { readonly tenantSequence: number; readonly entry: HistoryEntry }[];
  /** A finding's lifecycle snapshot, replayed from its history; `null` for an action or when it did not replay. */
  readonly snapshot: CapaSnapshot | null;
  /** True when this line raised no error. */
  readonly clean: boolean;
}

export interface CheckerOptions {
  /** The validation instant (ms since the epoch) for the time rules; `null` skips them. */
  readonly asOf: number | null;
  /** Replaces the header's policy. */
  readonly policy: SeverityPolicy | null;
  readonly trustedHead: LogHead | null;
  readonly maxIssues: number;
  readonly profile?: StageTimes;
}

const nodeProcess = (globalThis as { process?: { hrtime?: { bigint?: () => bigint } } }).process;
/** Nanoseconds, for the stage profile. */
const clock: () => number =
  typeof nodeProcess?.hrtime?.bigint === 'function' ? () => Number(nodeProcess.hrtime!.bigint!()) : () => performance.now() * 1e6;

// zod 4.6 compiles a schema into one generated function (several times faster); kept
// interpreted under `z.config({ jitless: true })`, as src/schemas/parse.ts does.
const compiledSchemas = new Map<z.ZodType, z.ZodType>();
function fast<T extends z.ZodType>(schema: T): T {
  let found = compiledSchemas.get(schema);
  if (found !== undefined) return found as T;
  if (z.config().jitless === true) return schema;
  if (found === undefined) {
    try {
      found = z.compile(schema);
    } catch {
      found = schema;
    }
    compiledSchemas.set(schema, found);
  }
  return found as T;
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

const MAX_SCHEMA_ISSUES_PER_LINE = 20;
/** The largest tenant sequence whose repeats are tracked (a bit each: 32 MiB at most). */
const MAX_TRACKED_SEQUENCE = 2 ** 28;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const stringOr = (value: unknown, fallback: string | null): string | null => (typeof value === 'string' ? value : fallback);
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A growable bitset of tenant sequences seen. */
class SequenceSet {
  private bits = new Uint8Array(1024);
  has(n: number): boolean {
    const byte = n >>> 3;
    return byte < this.bits.length && (this.bits[byte]! & (1 << (n & 7))) !== 0;
  }
  add(n: number): void {
    const byte = n >>> 3;
    if (byte >= this.bits.length) {
      let size = this.bits.length;
      while (size <= byte) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[byte]! |= 1 << (n & 7);
  }
}

/**
 * The streaming validator: feed it the source's lines in order, then call `end()`. It
 * keeps per-record state only while a line is checked, plus the record ids (for
 * duplicates and links) and a bit per tenant sequence.
 */
export class LogChecker {
  private readonly issues: LogIssue[] = [];
  private readonly byCode: Partial<Record<LogIssueCode, number>> = {};
  private errors = 0;
  private warnings = 0;
  private omitted = 0;
  private lines = 0;
  private findings = 0;
  private actions = 0;
  private entries = 0;
  private recordLines = 0;

  private header: LogHeader | null = null;
  private headerSeen = false;
  private trailer: LogTrailer | null = null;
  private trailerLine = 0;
  private policy: SeverityPolicy | null;
  private machine: CapaMachine | null = null;
  private rules: RuleContext | null = null;
  private tenant: string | null = null;
  private cut: number | null = null;
  private hasher: LogHeadHasher | null = null;
  private trustedHasher: LogHeadHasher | null = null;
  private headComputable = true;
  private previousId: string | null = null;
  private readonly findingIds = new Set<string>();
  private readonly actionIds = new Set<string>();
  /**
   * Links to records not seen yet, by `kind:id` of the record named: [line, from id,
   * reference]. Resolved (and dropped) when that record's line comes, so a valid log
   * keeps only the few links that point forward of the current line.
   */
  private readonly pendingLinks = new Map<string, Array<[number, string, string | null]>>();
  private readonly sequences = new SequenceSet();
  private sequencesTracked = true;
  private stopped = false;

  constructor(private readonly options: CheckerOptions) {
    this.policy = options.policy;
    if (this.policy !== null) this.usePolicy(this.policy);
  }

  /** Errors so far. */
  get errorCount(): number {
    return this.errors;
  }

  private usePolicy(policy: SeverityPolicy): void {
    this.policy = policy;
    this.machine = createCapaMachine(policy);
    this.rules = { policy, asOf: this.options.asOf };
  }

  private report(code: LogIssueCode, line: number | null, where: { recordId?: string | null; reference?: string | null; path?: JsonPath }, message: string): void {
    const { severity } = LOG_ISSUE_CODES[code];
    if (severity === 'error') this.errors += 1;
    else this.warnings += 1;
    this.byCode[code] = (this.byCode[code] ?? 0) + 1;
    if (this.issues.length >= this.options.maxIssues) {
      this.omitted += 1;
      return;
    }
    this.issues.push({ code, severity, line, recordId: where.recordId ?? null, reference: where.reference ?? null, path: where.path ?? [], message });
  }

  private time<T>(stage: keyof StageTimes, run: () => T): T {
    const profile = this.options.profile;
    if (profile === undefined) return run();
    const start = clock();
    try {
      return run();
    } finally {
      profile[stage] += clock() - start;
    }
  }

  /** Checks one line; returns what a record line gave (for the import), else `null`. Never throws. */
  line(source: SourceLine): CheckedRecord | null {
    this.lines += 1;
    if (this.stopped) return null;
    const number = source.number;
    try {
      switch (source.kind) {
        case 'unreadable':
          this.report('source-unreadable', number, {}, source.message);
          return null;
        case 'too-long':
          this.report('line-too-long', number, {}, `Line ${number} is ${source.length.toLocaleString('en-US')} long, over the limit; it was skipped.`);
          return null;
        case 'invalid-utf8':
          this.report('invalid-utf8', number, {}, `Line ${number} is not valid UTF-8.`);
          return null;
        case 'text':
          return this.text(number, number === 1 && source.text.startsWith('\uFEFF') ? source.text.slice(1) : source.text);
      }
    } catch (error) {
      // A safety net: a check that fails on input nobody foresaw reports, never throws.
      this.report('schema', number, {}, `Line ${number} could not be checked: ${describe(error)}`);
      return null;
    }
  }

  private text(number: number, text: string): CheckedRecord | null {
    if (text.trim() === '') {
      this.report('blank-line', number, {}, `Line ${number} is blank.`);
      return null;
    }
    const parsed = this.time('parse', () => {
      try {
        return { value: JSON.parse(text) as unknown };
      } catch (error) {
        return { error: describe(error) };
      }
    });
    if ('error' in parsed) {
      this.report('line-not-json', number, {}, `Line ${number} is not JSON: ${parsed.error}`);
      return null;
    }
    const value = parsed.value;
    if (isObject(value)) {
      const type = value.type;
      if (type === 'capa-log') return this.onHeader(number, value);
      if (type === 'end') return this.onTrailer(number, value);
      if (type === 'finding' || type === 'action') return this.onRecord(number, type, value);
    }
    this.checkOrderOfUnknown(number);
    this.schemaIssues(number, LogLine, value, null, null, [], true);
    return null;
  }

  private checkOrderOfUnknown(number: number): void {
    if (number === 1 && !this.headerSeen) {
      this.headerSeen = true;
      this.report('header-missing', number, {}, 'Line 1 is not a log header.');
    }
  }

  /** Reports a line's schema issues; returns the parsed value, or `null` when it does not match. */
  private schemaIssues<T extends z.ZodType>(
    number: number,
    schema: T,
    value: unknown,
    recordId: string | null,
    reference: string | null,
    prefix: JsonPath = [],
    interpreted = false,
  ): z.output<T> | null {
    const result = this.time('schema', () => (interpreted ? schema : fast(schema)).safeParse(value));
    if (result.success) return result.data;
    const issues = result.error.issues;
    for (const issue of issues.slice(0, MAX_SCHEMA_ISSUES_PER_LINE)) {
      const path = [...prefix, ...issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment))];
      this.report('schema', number, { recordId, reference, path }, `${issue.message} (${issue.code})`);
    }
    if (issues.length > MAX_SCHEMA_ISSUES_PER_LINE) {
      this.report('schema', number, { recordId, reference, path: prefix }, `…and ${issues.length - MAX_SCHEMA_ISSUES_PER_LINE} more schema issues on line ${number}.`);
    }
    return null;
  }

  /**
   * A record line against its schema, part by part (the line's keys, the record, its
   * extensions, its history), so that a bad field in the record does not hide what the
   * history says (chains, the head), and the reverse.
   */
  private recordSchema(
    number: number,
    type: 'finding' | 'action',
    value: Record<string, unknown>,
    recordId: string | null,
    reference: string | null,
  ): { body: Finding | CorrectiveAction | null; history: LoggedFinding['history'] | null } {
    const unknown = Object.keys(value).filter((key) => !RECORD_LINE_KEYS[type].has(key));
    let bodyOk = true;
    if (unknown.length > 0) {
      bodyOk = false;
      this.report('schema', number, { recordId, reference }, `Unrecognized key${unknown.length === 1 ? '' : 's'}: ${unknown.map((key) => JSON.stringify(key)).join(', ')} (unrecognized_keys)`);
    }
    let body = this.schemaIssues(number, RecordSchemas[type], value[type], recordId, reference, [type]) as Finding | CorrectiveAction | null;
    if (type === 'finding' && isObject(value.finding) && value.finding.extensions !== undefined) {
      const extensions = this.schemaIssues(number, Extensions, value.finding.extensions, recordId, reference, ['finding', 'extensions'], true);
      if (extensions === null) bodyOk = false;
      else if (body !== null) (body as Finding).extensions = extensions;
    } else if (body !== null && type === 'finding') {
      (body as Finding).extensions = {};
    }
    if (!bodyOk) body = null;
    const history = this.schemaIssues(number, History, value.history, recordId, reference, ['history']) as LoggedFinding['history'] | null;
    return { body, history };
  }

  private onHeader(number: number, value: Record<string, unknown>): null {
    if (number !== 1 || this.headerSeen) {
      this.report('line-order', number, {}, `Line ${number} is a header; only line 1 may be.`);
      return null;
    }
    this.headerSeen = true;
    // A newer format may have fields this version does not know: say so, not "unrecognized key".
    if (typeof value.format === 'number' && value.format > LOG_FORMAT) {
      this.report('format-unsupported', number, { path: ['format'] }, `The log is in format ${value.format}; this capa-kit reads format ${LOG_FORMAT}. Upgrade capa-kit to check it.`);
      this.stopped = true;
      return null;
    }
    const header = this.schemaIssues(number, LogHeader, value, null, null, [], true);
    if (header === null) {
      this.report('header-missing', number, {}, 'Line 1 is not a valid log header: whose log it is, and which policy applies, are unknown.');
      return null;
    }
    this.header = header;
    this.tenant = header.tenant.id;
    this.cut = header.tenantSequence;
    this.hasher = new LogHeadHasher(header.tenant.id, header.tenantSequence);
    const trusted = this.options.trustedHead;
    if (trusted !== null && trusted.tenantSequence < header.tenantSequence) {
      this.trustedHasher = new LogHeadHasher(header.tenant.id, trusted.tenantSequence);
    }
    if (this.options.policy === null) this.usePolicy(header.policy);
    return null;
  }

  private onTrailer(number: number, value: Record<string, unknown>): null {
    if (this.trailer !== null) {
      this.report('line-order', number, {}, `Line ${number} is a second trailer.`);
      return null;
    }
    this.checkOrderOfUnknown(number);
    const trailer = this.schemaIssues(number, LogTrailer, value, null, null, [], true);
    if (trailer === null) return null;
    this.trailer = trailer;
    this.trailerLine = number;
    return null;
  }

  private onRecord(number: number, type: 'finding' | 'action', value: Record<string, unknown>): CheckedRecord | null {
    this.checkOrderOfUnknown(number);
    const errorsBefore = this.errors;
    this.recordLines += 1;
    if (type === 'finding') this.findings += 1;
    else this.actions += 1;
    const raw = value[type];
    const rawId = isObject(raw) ? stringOr(raw.id, null) : null;
    const reference = type === 'finding' && isObject(raw) ? stringOr(raw.reference, null) : null;
    const where = { recordId: rawId, reference };
    if (Array.isArray(value.history)) this.entries += value.history.length;
    if (this.trailer !== null) {
      this.report('line-order', number, where, `Line ${number} comes after the trailer (line ${this.trailerLine}).`);
    }

    // Order first, from the raw id: a line that fails its schema still has a place.
    if (rawId !== null) this.checkOrder(number, rawId, where);
    else this.headComputable = false;

    // Free-form JSON (payloads, extensions) is walked before zod, which recurses into it.
    const guard = this.time('parse', () => {
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
      this.report(guard.code, number, { ...where, path: guard.path }, guard.message);
      this.headComputable = false;
      if (rawId !== null) this.seen(type, rawId);
      return null;
    }

    const { body, history } = this.recordSchema(number, type, value, rawId, reference);
    const id = rawId;
    if (id !== null) this.seen(type, id);
    // Raw JSON for hashing (zod's output is trimmed and defaulted), parsed for the rules.
    const rawHistory = value.history as { tenantSequence: number; entry: HistoryEntry }[];
    const entries = history === null ? [] : rawHistory.map((item) => item.entry);
    if (history !== null && id !== null) {
      const recordTenant = isObject(raw) ? stringOr(raw.tenantId, null) : null;
      this.time('chains', () => this.checkHistory(number, type, id, reference, recordTenant, rawHistory, entries));
    } else {
      this.headComputable = false;
    }
    if (body === null || history === null || id === null) return null;

    let snapshot: CapaSnapshot | null = null;
    if (type === 'finding') {
      const finding = body as Finding;
      for (const actionId of finding.correctiveActionIds) this.link(number, id, reference, 'action', actionId);
      snapshot = this.time('replay', () => this.replayFinding(number, id, reference, raw as Finding, finding, entries));
      if (this.rules !== null) {
        const context = this.rules;
        this.time('rules', () =>
          findingRules(context, finding, snapshot, (code, path, message) => this.report(code, number, { recordId: id, reference, path: ['finding', ...path] }, message)),
        );
      }
    } else {
      const action = body as CorrectiveAction;
      for (const findingId of action.findingIds) this.link(number, id, null, 'finding', findingId);
      this.time('replay', () => this.replayAction(number, id, raw, action, entries));
      if (this.rules !== null) {
        const context = this.rules;
        this.time('rules', () =>
          actionRules(context, action, (code, path, message) => this.report(code, number, { recordId: id, path: ['action', ...path] }, message)),
        );
      }
    }
    return {
      kind: type,
      id,
      line: number,
      record: raw as Finding | CorrectiveAction,
      history: rawHistory,
      snapshot,
      clean: this.errors === errorsBefore,
    };
  }

  private checkOrder(number: number, id: string, where: { recordId: string | null; reference: string | null }): void {
    const previous = this.previousId;
    if (previous !== null && !(previous < id)) {
      this.headComputable = false;
      if (previous === id || this.findingIds.has(id) || this.actionIds.has(id)) {
        this.report('duplicate-record', number, where, `Record ${id} appears twice.`);
      } else {
        this.report('record-order', number, where, `Record ${id} comes after ${previous}: records must be in ascending id order.`);
      }
      return;
    }
    this.previousId = id;
  }

  private link(number: number, from: string, reference: string | null, kind: 'finding' | 'action', to: string): void {
    if ((kind === 'finding' ? this.findingIds : this.actionIds).has(to)) return;
    const key = `${kind}:${to}`;
    const waiting = this.pendingLinks.get(key);
    if (waiting === undefined) this.pendingLinks.set(key, [[number, from, reference]]);
    else waiting.push([number, from, reference]);
  }

  /** A record's line came: links waiting for it are resolved. */
  private seen(kind: 'finding' | 'action', id: string): void {
    (kind === 'finding' ? this.findingIds : this.actionIds).add(id);
    this.pendingLinks.delete(`${kind}:${id}`);
  }

  private checkHistory(
    number: number,
    type: 'finding' | 'action',
    id: string,
    reference: string | null,
    recordTenant: string | null,
    rawHistory: readonly { tenantSequence: number; entry: HistoryEntry }[],
    entries: readonly HistoryEntry[],
  ): void {
    const where = { recordId: id, reference };
    const tenant = this.tenant;
    if (tenant !== null && recordTenant !== null && recordTenant !== tenant) {
      this.report('wrong-tenant', number, { ...where, path: [type, 'tenantId'] }, `Record ${id} belongs to tenant ${recordTenant}, not ${tenant}.`);
    }
    if (rawHistory.length === 0) {
      this.report('history-empty', number, { ...where, path: ['history'] }, `Record ${id} has no history.`);
      this.headComputable = false;
      return;
    }
    // Tenant sequences: increasing within the record, within the cut, never repeated.
    const cut = this.cut;
    let previous = 0;
    let sequenceProblem = false;
    for (let i = 0; i < rawHistory.length; i++) {
      const item = rawHistory[i]!;
      const sequence = item.tenantSequence;
      const entry = item.entry;
      if (entry.recordKind !== type) {
        this.report('wrong-kind', number, { ...where, path: ['history', i, 'entry', 'recordKind'] }, `Entry ${i + 1} of ${id} is a ${entry.recordKind} entry on a ${type}.`);
      }
      if (tenant !== null && entry.tenantId !== tenant) {
        this.report('wrong-tenant', number, { ...where, path: ['history', i, 'entry', 'tenantId'] }, `Entry ${i + 1} of ${id} belongs to tenant ${entry.tenantId}, not ${tenant}.`);
      }
      if (sequenceProblem) continue;
      let problem: string | null = null;
      if (sequence <= previous) problem = `Tenant sequence ${sequence} of entry ${i + 1} does not follow ${previous}.`;
      else if (cut !== null && sequence > cut) problem = `Tenant sequence ${sequence} of entry ${i + 1} is after the cut (${cut}) the header names.`;
      else if (this.sequencesTracked) {
        if (sequence > MAX_TRACKED_SEQUENCE) this.sequencesTracked = false;
        else if (this.sequences.has(sequence)) problem = `Tenant sequence ${sequence} of entry ${i + 1} is used twice in the log.`;
        else this.sequences.add(sequence);
      }
      previous = sequence;
      if (problem !== null) {
        sequenceProblem = true;
        this.report('tenant-sequence', number, { ...where, path: ['history', i, 'tenantSequence'] }, problem);
      }
    }

    let chainOk = true;
    try {
      const broken = firstBrokenLink(id, entries);
      if (broken !== null) {
        chainOk = false;
        this.report(broken.reason, number, { ...where, path: ['history', broken.sequence - 1, 'entry'] }, broken.message);
      }
    } catch (error) {
      chainOk = false;
      this.report('hash-mismatch', number, { ...where, path: ['history'] }, `The history of ${id} cannot be hashed: ${describe(error)}`);
    }
    const misbound = misboundSignature(id, entries);
    if (misbound !== undefined) {
      const index = entries.indexOf(misbound);
      this.report('signature-binding', number, { ...where, path: ['history', index, 'entry', 'signature', 'boundTo'] }, `The signature on entry ${index + 1} of ${id} is not bound to this record at that point.`);
    }

    // The head: the last entry at the cut (and at the trusted head's point), its hash recomputed.
    const tipAt = (limit: number): { sequence: number; hash: string } | null => {
      let tip: { tenantSequence: number; entry: HistoryEntry } | null = null;
      for (const item of rawHistory) if (item.tenantSequence <= limit && (tip === null || item.entry.sequence > tip.entry.sequence)) tip = item;
      if (tip === null) return null;
      const isLast = tip === rawHistory.at(-1);
      return { sequence: tip.entry.sequence, hash: chainOk && isLast ? tip.entry.hash : contentHash(tip.entry) };
    };
    try {
      if (this.hasher !== null && this.headComputable) {
        const tip = tipAt(this.cut ?? Number.POSITIVE_INFINITY);
        if (tip !== null) this.hasher.tip(id, tip.sequence, tip.hash);
      }
      if (this.trustedHasher !== null && this.headComputable) {
        const tip = tipAt(this.trustedHasher.tenantSequence);
        if (tip !== null) this.trustedHasher.tip(id, tip.sequence, tip.hash);
      }
    } catch {
      this.headComputable = false;
    }
  }

  private replayFinding(number: number, id: string, reference: string | null, raw: Finding, finding: Finding, entries: readonly HistoryEntry[]): CapaSnapshot | null {
    const machine = this.machine;
    if (machine === null) return null;
    const where = { recordId: id, reference };
    let result;
    try {
      result = replayFinding(machine, entries);
    } catch (error) {
      this.report('replay-refused', number, { ...where, path: ['history'] }, `The history of ${reference ?? id} cannot be replayed: ${describe(error)}`);
      return null;
    }
    const { snapshot, refused, updatedAt } = result;
    if (refused !== null) {
      const index = entries.indexOf(refused.entry);
      this.report(
        'replay-refused',
        number,
        { ...where, path: ['history', index, 'entry'] },
        `Entry ${refused.entry.sequence} (${refused.entry.type}) of ${reference ?? id} does not replay in state "${String(snapshot.value)}": ${refused.unmet.map((u) => u.code).join(', ')}.`,
      );
      return snapshot;
    }
    const status = String(snapshot.value);
    if (status !== finding.status) {
      this.report('replay-status', number, { ...where, path: ['finding', 'status'] }, `The history of ${reference ?? id} replays to "${status}", but the finding says "${finding.status}".`);
      return snapshot;
    }
    if (snapshot.context.finding === null) return snapshot;
    const projected = projectFinding(snapshot.context, snapshot.value);
    const expected = updatedAt === null ? projected : { ...projected, updatedAt };
    const difference = firstDifference(raw, expected);
    if (difference !== null) {
      this.report(
        'record-mismatch',
        number,
        { ...where, path: ['finding', ...difference] },
        `The finding ${reference ?? id} differs from what its history makes of it at ${difference.length === 0 ? 'the root' : difference.join('.')}: it was changed without a history entry.`,
      );
    }
    return snapshot;
  }

  /** An action rebuilt from its history, against the record the line states. */
  private replayAction(number: number, id: string, raw: unknown, action: CorrectiveAction, entries: readonly HistoryEntry[]): void {
    const folded = foldActionHistory(entries);
    if (folded.refused !== null) {
      this.report('replay-refused', number, { recordId: id, path: ['history', folded.refused.index, 'entry'] }, `The history of action ${id} does not replay: ${folded.refused.message}`);
      return;
    }
    if (folded.action.status !== action.status) {
      this.report('replay-status', number, { recordId: id, path: ['action', 'status'] }, `The history of action ${id} makes it "${String(folded.action.status)}", but the action says "${action.status}".`);
      return;
    }
    const difference = firstDifference(raw, folded.action);
    if (difference !== null) {
      this.report(
        'record-mismatch',
        number,
        { recordId: id, path: ['action', ...difference] },
        `Action ${id} differs from what its history makes of it at ${difference.length === 0 ? 'the root' : difference.join('.')}: it was changed without a history entry.`,
      );
    }
  }

  /** Finishes: the trailer, the head, links, gaps. */
  end(): LogValidationReport {
    try {
      this.finish();
    } catch (error) {
      this.report('schema', null, {}, `The log could not be checked to the end: ${describe(error)}`);
    }
    const head = this.finalHead;
    return {
      ok: this.errors === 0,
      header: this.header,
      head,
      summary: {
        lines: this.lines,
        findings: this.findings,
        actions: this.actions,
        entries: this.entries,
        errors: this.errors,
        warnings: this.warnings,
        byCode: { ...this.byCode },
        omittedIssues: this.omitted,
      },
      issues: this.issues,
    };
  }

  private finalHead: LogHead | null = null;

  private finish(): void {
    if (this.stopped) return;
    if (!this.headerSeen) this.report('header-missing', null, {}, 'The log is empty: it has no header.');
    if (this.trailer === null) {
      this.report('truncated', null, {}, 'The log has no trailer: it was cut short, or is still being written.');
    }
    if (this.recordLines === 0 && this.headerSeen) this.report('empty-log', null, {}, 'The log holds no findings and no corrective actions: nothing is recorded.');

    for (const [key, waiting] of this.pendingLinks) {
      const kind = key.startsWith('finding:') ? 'finding' : 'action';
      const to = key.slice(kind.length + 1);
      for (const [number, from, reference] of waiting) {
        this.report(
          'dangling-link',
          number,
          { recordId: from, reference, path: kind === 'action' ? ['finding', 'correctiveActionIds'] : ['action', 'findingIds'] },
          `${reference ?? from} names ${kind === 'action' ? 'corrective action' : 'finding'} ${to}, which is not in the log.`,
        );
      }
    }

    if (this.hasher !== null && this.headComputable) this.finalHead = this.hasher.digest();
    const trailer = this.trailer;
    if (trailer !== null) {
      const at = this.trailerLine;
      if (trailer.findings !== this.findings || trailer.actions !== this.actions || trailer.entries !== this.entries) {
        this.report(
          'trailer-counts',
          at,
          {},
          `The trailer counts ${trailer.findings} findings, ${trailer.actions} actions and ${trailer.entries} entries; the log holds ${this.findings}, ${this.actions} and ${this.entries}.`,
        );
      }
      if (this.header !== null) {
        if (trailer.head.tenantSequence !== this.header.tenantSequence) {
          this.report('head-mismatch', at, { path: ['head', 'tenantSequence'] }, `The trailer's head is at tenant sequence ${trailer.head.tenantSequence}; the header cut the log at ${this.header.tenantSequence}.`);
        } else if (this.finalHead === null) {
          this.report('head-mismatch', at, { path: ['head', 'hash'] }, 'The log head cannot be recomputed: records are out of order or unreadable.');
        } else if (this.finalHead.hash !== trailer.head.hash) {
          this.report('head-mismatch', at, { path: ['head', 'hash'] }, `The log head recomputed from the records (${this.finalHead.hash}) is not the trailer's (${trailer.head.hash}).`);
        }
      }
    }
    // Gaps: every tenant sequence from 1 to the cut belongs to some entry.
    if (this.header !== null && this.sequencesTracked && this.byCode['tenant-sequence'] === undefined) {
      const cut = this.header.tenantSequence;
      if (this.entries < cut) {
        this.report('tenant-sequence-gap', null, {}, `The log holds ${this.entries} entries, but the tenant had ${cut} events at the cut: ${cut - this.entries} are missing.`);
      }
    }

    const trusted = this.options.trustedHead;
    if (trusted !== null && this.header !== null) {
      const cut = this.header.tenantSequence;
      let hash: string | null = null;
      if (trusted.tenantSequence > cut) {
        this.report('trusted-head-mismatch', null, {}, `The trusted head is at tenant sequence ${trusted.tenantSequence}, after this log's cut (${cut}): the log is older than the head, or events were removed.`);
        return;
      }
      if (trusted.tenantSequence === cut) hash = this.finalHead?.hash ?? null;
      else if (this.trustedHasher !== null && this.headComputable) hash = this.trustedHasher.digest().hash;
      if (hash === null) {
        this.report('trusted-head-mismatch', null, {}, 'The history up to the trusted head cannot be recomputed: records are out of order or unreadable.');
      } else if (hash !== trusted.hash) {
        this.report('trusted-head-mismatch', null, {}, `The history up to tenant sequence ${trusted.tenantSequence} is not what the trusted head says: something committed by then was deleted or rewritten.`);
      }
    }
  }
}
