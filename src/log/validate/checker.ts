import { asOfInstant } from '../reports/time.js';
import type * as z from 'zod';
import { LogHeadHasher } from '../../history/head.js';
import { type CapaMachine, createCapaMachine } from '../../machine/capa-machine.js';
import type { CapaSnapshot } from '../../machine/explain.js';
import type { LogHead } from '../../register/verify.js';
import type { CorrectiveAction } from '../../schemas/corrective-action.js';
import type { Finding } from '../../schemas/finding.js';
import type { HistoryEntry } from '../../schemas/history-entry.js';
import type { SeverityPolicy } from '../../schemas/severity-policy.js';
import { LOG_ISSUE_CODES, type LogIssue, type LogIssueCode } from '../format/issues.js';
import { LOG_FORMAT, LogHeader, LogLine, LogTrailer } from '../format/lines.js';
import type { SourceLine } from '../read/source.js';
import { guardJson, type JsonPath } from './json.js';
import {
  describe,
  isObject,
  type RecordContext,
  type RecordResult,
  RecordChecker,
  type RecordStep,
  runSchema,
  schemaMessages,
  type StageTimes,
  timed,
} from './record-check.js';
import { actionIssueMessage, type RuleContext } from './rules.js';

export type { StageTimes } from './record-check.js';

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
  /** When the time rules judge: epoch milliseconds, or a calendar date (`YYYY-MM-DD`) that ends in the policy's zone; `null` skips them. */
  readonly asOf: number | string | null;
  /** Replaces the header's policy. */
  readonly policy: SeverityPolicy | null;
  readonly trustedHead: LogHead | null;
  readonly maxIssues: number;
  readonly profile?: StageTimes;
}

/** An action issue waiting for the lines of the findings it names. */
interface WaitingActionIssue {
  readonly line: number;
  readonly step: Extract<RecordStep, { step: 'action-issue' }>;
  /** How many of its findings have not been read yet. */
  missing: number;
  told: boolean;
}

/** The largest tenant sequence whose repeats are tracked (a bit each: 32 MiB at most). */
const MAX_TRACKED_SEQUENCE = 2 ** 28;

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
 *
 * A record line's own checks (schema, chains, replay, rules) are a `RecordChecker`'s,
 * which may run elsewhere (a worker thread): `recordContext` is what it needs to know,
 * fixed once line 1 is read, and `applyRecord` takes its result, in line order.
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
  private machine: CapaMachine | null = null;
  private rules: RuleContext | null = null;
  private hasher: LogHeadHasher | null = null;
  private trustedHasher: LogHeadHasher | null = null;
  private headComputable = true;
  private previousId: string | null = null;
  /** Findings seen, with their references (how action issues name them). */
  private readonly findingIds = new Map<string, string | null>();
  private readonly actionIds = new Set<string>();
  /** Action issues waiting for the lines of findings they name, by finding id (see `actionIssue`). */
  private readonly waitingForFinding = new Map<string, WaitingActionIssue[]>();
  /** Action issues whose findings have all been read, reported once the current line's own issues are. */
  private resolvedActionIssues: WaitingActionIssue[] = [];
  /** Every action issue not told yet, in line order. */
  private readonly waitingActionIssues = new Set<WaitingActionIssue>();
  /**
   * Links to records not seen yet, by `kind:id` of the record named: [line, from id,
   * reference]. Resolved (and dropped) when that record's line comes, so a valid log
   * keeps only the few links that point forward of the current line.
   */
  private readonly pendingLinks = new Map<string, Array<[number, string, string | null]>>();
  /** Who holds each reference, by `kind`, NUL, reference: the record's id and line. */
  private readonly references = new Map<string, [id: string, line: number]>();
  private readonly sequences = new SequenceSet();
  private sequencesTracked = true;
  private stopped = false;
  private recordChecker: RecordChecker | null = null;
  /** Lines that ended in CR LF, and the first of them (reported once, at the end). */
  private crlfLines = 0;
  private firstCrlf: number | null = null;

  constructor(private readonly options: CheckerOptions) {
    if (options.policy !== null) this.usePolicy(options.policy);
  }

  /** Errors so far. */
  get errorCount(): number {
    return this.errors;
  }

  /** True once a line made the checker stop reading (a log in a newer format). */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** `asOf` as an instant: a date given for it ends in the policy's zone (in UTC before there is one). */
  private asOfIn(policy: SeverityPolicy | null): number | null {
    const { asOf } = this.options;
    return typeof asOf === 'string' ? asOfInstant(asOf, policy?.timeZone ?? 'UTC') : asOf;
  }

  private usePolicy(policy: SeverityPolicy): void {
    this.machine = createCapaMachine(policy);
    this.rules = { policy, asOf: this.asOfIn(policy) };
    this.recordChecker = null;
  }

  /** What a record line's checks need to know about the log, as line 1 (the header) set it. */
  get recordContext(): RecordContext {
    return {
      tenant: this.header?.tenant.id ?? null,
      cut: this.header?.tenantSequence ?? null,
      head: this.hasher !== null,
      trustedCut: this.trustedHasher?.tenantSequence ?? null,
      policy: this.rules?.policy ?? null,
      asOf: this.asOfIn(this.rules?.policy ?? null),
    };
  }

  private records(): RecordChecker {
    this.recordChecker ??= new RecordChecker(this.recordContext, this.machine, this.rules, this.options.profile);
    return this.recordChecker;
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
          this.lineFormat(source);
          return this.text(number, source.text);
      }
    } catch (error) {
      // A safety net: a check that fails on input nobody foresaw reports, never throws.
      this.report('schema', number, {}, `Line ${number} could not be checked: ${describe(error)}`);
      return null;
    }
  }

  /**
   * A record line checked elsewhere (a worker thread, under `recordContext`): applies its
   * result as `line()` would have for the same line. Results must come in line order.
   */
  recordLine(source: Extract<SourceLine, { kind: 'text' }>, result: RecordResult): void {
    this.lines += 1;
    if (this.stopped) return;
    const number = source.number;
    try {
      this.lineFormat(source);
      this.applyRecord(number, result);
    } catch (error) {
      this.report('schema', number, {}, `Line ${number} could not be checked: ${describe(error)}`);
    }
  }

  /**
   * A BOM, CR LF line ends and a last line without "\n" are read, and warned about
   * (`line-format`): the BOM and the missing newline where they are, the CRs once for the
   * whole log (at the end, with how many lines have them).
   */
  private lineFormat(source: Extract<SourceLine, { kind: 'text' }>): void {
    const { number } = source;
    if (source.bom) {
      this.report('line-format', number, {}, 'The log starts with a byte-order mark (U+FEFF); the format is UTF-8 without one. It was skipped.');
    }
    if (source.crlf) {
      this.crlfLines += 1;
      this.firstCrlf ??= number;
    }
    if (!source.terminated) {
      this.report('line-format', number, {}, `Line ${number}, the last, does not end with "\\n": every line of a log does (a file cut short looks like this too).`);
    }
  }

  private text(number: number, text: string): CheckedRecord | null {
    if (text.trim() === '') {
      this.report('blank-line', number, {}, `Line ${number} is blank.`);
      return null;
    }
    const parsed = timed(this.options.profile, 'parse', () => {
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
      if (type === 'finding' || type === 'action') return this.applyRecord(number, this.records().check(number, type, value, true));
    }
    this.checkOrderOfUnknown(number);
    if (!this.guarded(number, value)) this.schemaIssues(number, LogLine, value, []);
    return null;
  }

  /**
   * A line other than a record's is checked whole before its schema, as a record's free-form
   * parts are: no prototype-reaching key anywhere in it (JSON.parse keeps `__proto__` as an
   * own key), no nesting deeper than the limit. Returns false, having reported, if it fails.
   */
  private guarded(number: number, value: unknown): boolean {
    const problem = guardJson(value, []);
    if (problem === null) return false;
    this.report(problem.code, number, { path: problem.path }, problem.message);
    return true;
  }

  private checkOrderOfUnknown(number: number): void {
    if (number === 1 && !this.headerSeen) {
      this.headerSeen = true;
      this.report('header-missing', number, {}, 'Line 1 is not a log header.');
    }
  }

  /** Reports a header's, trailer's or unknown line's schema issues (zod's interpreter); returns the parsed value, or `null`. */
  private schemaIssues<T extends z.ZodType>(number: number, schema: T, value: unknown, prefix: JsonPath): z.output<T> | null {
    const result = runSchema(schema, value, true, this.options.profile);
    if (result.success) return result.data;
    for (const { code, path, message } of schemaMessages(number, result.error.issues, prefix)) this.report(code, number, { recordId: null, reference: null, path }, message);
    return null;
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
    const header = this.guarded(number, value) ? null : this.schemaIssues(number, LogHeader, value, []);
    if (header === null) {
      this.report('header-missing', number, {}, 'Line 1 is not a valid log header: whose log it is, and which policy applies, are unknown.');
      return null;
    }
    this.header = header;
    this.hasher = new LogHeadHasher(header.tenant.id, header.tenantSequence);
    const trusted = this.options.trustedHead;
    if (trusted !== null && trusted.tenantSequence < header.tenantSequence) {
      this.trustedHasher = new LogHeadHasher(header.tenant.id, trusted.tenantSequence);
    }
    if (this.options.policy === null) this.usePolicy(header.policy);
    this.recordChecker = null;
    return null;
  }

  private onTrailer(number: number, value: Record<string, unknown>): null {
    if (this.trailer !== null) {
      this.report('line-order', number, {}, `Line ${number} is a second trailer.`);
      return null;
    }
    this.checkOrderOfUnknown(number);
    const trailer = this.guarded(number, value) ? null : this.schemaIssues(number, LogTrailer, value, []);
    if (trailer === null) return null;
    this.trailer = trailer;
    this.trailerLine = number;
    return null;
  }

  /** Applies a record line's steps, in order: what needs the lines before it is checked here. */
  private applyRecord(number: number, result: RecordResult): CheckedRecord | null {
    this.checkOrderOfUnknown(number);
    const errorsBefore = this.errors;
    let kind: 'finding' | 'action' = 'finding';
    for (const step of result.steps) {
      switch (step.step) {
        case 'begin': {
          kind = step.type;
          this.recordLines += 1;
          if (step.type === 'finding') this.findings += 1;
          else this.actions += 1;
          this.entries += step.entries;
          const where = { recordId: step.rawId, reference: step.reference };
          if (this.trailer !== null) {
            this.report('line-order', number, where, `Line ${number} comes after the trailer (line ${this.trailerLine}).`);
          }
          // Order first, from the raw id: a line that fails its schema still has a place.
          if (step.rawId !== null) this.checkOrder(number, step.rawId, where);
          else this.headComputable = false;
          break;
        }
        case 'issue':
          this.report(step.code, number, step, step.message);
          break;
        case 'uncomputable':
          this.headComputable = false;
          break;
        case 'seen':
          this.seen(step.kind, step.id, step.reference);
          if (step.reference !== null) this.holds(number, step.kind, step.id, step.reference);
          break;
        case 'action-issue':
          this.actionIssue(number, step);
          break;
        case 'sequences':
          timed(this.options.profile, 'chains', () => this.checkSequences(number, step));
          break;
        case 'tips':
          timed(this.options.profile, 'chains', () => this.tips(step));
          break;
        case 'link':
          this.link(number, step.from, step.reference, step.kind, step.to);
          break;
        case 'crash':
          this.report('schema', number, {}, step.message);
          this.tellResolvedActionIssues();
          return null;
      }
    }
    this.tellResolvedActionIssues();
    const values = result.values;
    if (values === null || result.id === null) return null;
    return { kind, id: result.id, line: number, record: values.record, history: values.history, snapshot: values.snapshot, clean: this.errors === errorsBefore };
  }

  /** Tenant sequences: increasing within the record, within the cut, never repeated. */
  private checkSequences(number: number, step: Extract<RecordStep, { step: 'sequences' }>): void {
    const { id, reference, sequences, entryIssues } = step;
    const where = { recordId: id, reference };
    const cut = this.header?.tenantSequence ?? null;
    let previous = 0;
    let sequenceProblem = false;
    for (let i = 0; i < sequences.length; i++) {
      const found = entryIssues?.[i];
      if (found != null) for (const issue of found) this.report(issue.code, number, issue, issue.message);
      if (sequenceProblem) continue;
      const sequence = sequences[i]!;
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
  }

  /** The record's tips into the log head (and the trusted head's), while the head can be computed. */
  private tips(step: Extract<RecordStep, { step: 'tips' }>): void {
    try {
      if (this.hasher !== null && this.headComputable) {
        if (step.cut === false) throw new Error('The tip cannot be hashed.');
        if (step.cut !== null) this.hasher.tip(step.id, step.cut.sequence, step.cut.hash);
      }
      if (this.trustedHasher !== null && this.headComputable) {
        if (step.trusted === false) throw new Error('The tip cannot be hashed.');
        if (step.trusted !== null) this.trustedHasher.tip(step.id, step.trusted.sequence, step.trusted.hash);
      }
    } catch {
      this.headComputable = false;
    }
  }

  private checkOrder(number: number, id: string, where: { recordId: string | null; reference: string | null }): void {
    const previous = this.previousId;
    if (previous !== null && !(previous < id)) {
      this.headComputable = false;
      if (previous === id || this.findingIds.has(id) || this.actionIds.has(id)) {
        this.report('duplicate-record', number, where, `Record ${where.reference ?? id} appears twice.`);
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

  /** A reference is unique per kind in a tenant's log, as the stores keep it: a second record with one is reported, naming both. */
  private holds(number: number, kind: 'finding' | 'action', id: string, reference: string): void {
    const key = `${kind}\u0000${reference}`;
    const holder = this.references.get(key);
    if (holder === undefined) {
      this.references.set(key, [id, number]);
      return;
    }
    if (holder[0] === id) return; // the same record twice: duplicate-record says so
    const what = kind === 'finding' ? 'finding' : 'corrective action';
    this.report(
      'duplicate-reference',
      number,
      { recordId: id, reference, path: [kind, 'reference'] },
      `Record ${id} (line ${number}) has the ${what} reference ${reference} of record ${holder[0]} (line ${holder[1]}): a reference is unique per tenant and kind.`,
    );
  }

  /** A record's line came: links waiting for it are resolved, and action issues naming it (a finding) may be told. */
  private seen(kind: 'finding' | 'action', id: string, reference: string | null): void {
    if (kind === 'finding') this.findingIds.set(id, reference);
    else this.actionIds.add(id);
    this.pendingLinks.delete(`${kind}:${id}`);
    if (kind !== 'finding') return;
    const waiting = this.waitingForFinding.get(id);
    if (waiting === undefined) return;
    this.waitingForFinding.delete(id);
    for (const pending of waiting) {
      pending.missing -= 1;
      if (pending.missing === 0) this.resolvedActionIssues.push(pending);
    }
  }

  /**
   * An issue about a corrective action names the findings it belongs to by reference: told
   * now when their lines have been read, else once the last of them is (findings may come
   * after the action in id order), or at the end with ids for those never seen.
   */
  private actionIssue(line: number, step: Extract<RecordStep, { step: 'action-issue' }>): void {
    const missing = [...new Set(step.findingIds)].filter((id) => !this.findingIds.has(id));
    const pending: WaitingActionIssue = { line, step, missing: missing.length, told: false };
    if (missing.length === 0) {
      this.tellActionIssue(pending);
      return;
    }
    this.waitingActionIssues.add(pending);
    for (const id of missing) {
      const waiting = this.waitingForFinding.get(id);
      if (waiting === undefined) this.waitingForFinding.set(id, [pending]);
      else waiting.push(pending);
    }
  }

  private tellActionIssue(pending: WaitingActionIssue): void {
    if (pending.told) return;
    pending.told = true;
    this.waitingActionIssues.delete(pending);
    const { code, recordId, reference, path, action, findingIds, says } = pending.step;
    const names = findingIds.map((id) => this.findingIds.get(id) ?? id);
    this.report(code, pending.line, { recordId, reference, path }, actionIssueMessage(action, names, says));
  }

  private tellResolvedActionIssues(): void {
    if (this.resolvedActionIssues.length === 0) return;
    const resolved = this.resolvedActionIssues;
    this.resolvedActionIssues = [];
    for (const pending of resolved) this.tellActionIssue(pending);
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
    if (this.firstCrlf !== null) {
      const which = this.crlfLines === 1 ? `Line ${this.firstCrlf} ends` : `${this.crlfLines.toLocaleString('en-US')} lines end`;
      const from = this.crlfLines === 1 ? '' : `, from line ${this.firstCrlf}`;
      this.report('line-format', this.firstCrlf, {}, `${which} in CR LF ("\\r\\n")${from}; a log's lines end in "\\n" alone. The CRs were skipped.`);
    }
    if (!this.headerSeen) this.report('header-missing', null, {}, 'The log is empty: it has no header.');
    if (this.trailer === null) {
      this.report('truncated', null, {}, 'The log has no trailer: it was cut short, or is still being written.');
    }
    if (this.recordLines === 0 && this.headerSeen) this.report('empty-log', null, {}, 'The log holds no findings and no corrective actions: nothing is recorded.');
    // Action issues naming a finding that never came (a dangling link, reported next).
    for (const pending of [...this.waitingActionIssues]) this.tellActionIssue(pending);

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
