import { asOfInstant } from '../reports/time.js';
import type { LogHead } from '../../register/verify.js';
import { atInput } from '../../schemas/input.js';
import { parseRecord } from '../../schemas/parse.js';
import { SeverityPolicy } from '../../schemas/severity-policy.js';
import { type LogSource, MAX_LINE_LENGTH, readSourceLines } from '../read/source.js';
import { type CheckedRecord, LogChecker, type LogValidationReport, type StageTimes } from './checker.js';
import { checkInParallel, defaultWorkers, PARALLEL_AFTER, type ParallelOptions } from './parallel.js';

/**
 * How {@link validateLog} checks a log.
 *
 * @example
 * ```ts
 * import type { ValidateLogOptions } from 'capa-kit/log';
 *
 * const options: ValidateLogOptions = {
 *   asOf: '2026-11-22T09:00:00Z',
 *   trustedHead: { tenantSequence: 1200, hash: 'e4c79a14b59deb2e632901372594821de9235a3797bcfc707e4aac5d4ac1dee2' },
 * };
 * ```
 */
export interface ValidateLogOptions {
  /**
   * When the time rules (stale, overdue) are judged: an ISO 8601 instant, a Date, or a
   * calendar date (`YYYY-MM-DD`: the end of that day in the policy's time zone, as the
   * reports and `capa --as-of` read a date too).
   */
  readonly asOf: string | Date;
  /** Replay and judge under this policy instead of the one in the log's header. */
  readonly policy?: SeverityPolicy;
  /** A log head saved earlier (`register.logHead()`): the log must hold the same history up to it. */
  readonly trustedHead?: LogHead;
  /** Issues kept in the report (all are counted in the summary). Default 1000. */
  readonly maxIssues?: number;
  /** The longest line read; longer ones are reported and skipped. Default 16 MiB. */
  readonly maxLineLength?: number;
  /**
   * Worker threads that check record lines in parallel (on Node; elsewhere there are
   * none). Default: one per core, at most 4, none on a single core; `0` checks every line
   * on the calling thread. Workers start only after the first 4,000 records, so a small
   * log never starts one; the report is the same with or without them.
   */
  readonly workers?: number;
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The options as the checker takes them: checked once, up front (a bad option is the caller's error, so it throws). */
export function checkerOptions(options: Omit<ValidateLogOptions, 'asOf'> & { asOf: string | Date | null }, profile?: StageTimes, parallel?: Partial<ParallelOptions>) {
  // A calendar date waits for the policy (its zone says when the day ends); the rest is an instant now.
  let asOf: number | string | null = null;
  if (options.asOf !== null) {
    const date = typeof options.asOf === 'string' && CALENDAR_DATE.test(options.asOf);
    const instant = options.asOf instanceof Date || typeof options.asOf === 'string' ? asOfInstant(options.asOf, 'UTC') : Number.NaN;
    if (!Number.isFinite(instant)) throw new RangeError(`asOf must be a valid instant (an ISO 8601 string or a Date) or a date (YYYY-MM-DD), not ${String(options.asOf)}`);
    asOf = date ? (options.asOf as string) : instant;
  }
  const maxIssues = options.maxIssues ?? 1000;
  if (!Number.isInteger(maxIssues) || maxIssues < 0) throw new RangeError(`maxIssues must be a non-negative integer, not ${maxIssues}`);
  const maxLineLength = options.maxLineLength ?? MAX_LINE_LENGTH;
  if (!Number.isInteger(maxLineLength) || maxLineLength < 1) throw new RangeError(`maxLineLength must be a positive integer, not ${maxLineLength}`);
  const workers = options.workers ?? parallel?.workers ?? defaultWorkers();
  if (!Number.isInteger(workers) || workers < 0) throw new RangeError(`workers must be a non-negative integer, not ${workers}`);
  const trusted = options.trustedHead;
  if (trusted !== undefined && (!Number.isInteger(trusted.tenantSequence) || trusted.tenantSequence < 0 || typeof trusted.hash !== 'string')) {
    throw new RangeError('trustedHead must be { tenantSequence, hash } as register.logHead() returns it');
  }
  return {
    checker: {
      asOf,
      policy: options.policy === undefined ? null : parseRecord(atInput(SeverityPolicy), options.policy, 'policy'),
      trustedHead: trusted ?? null,
      maxIssues,
      ...(profile === undefined ? {} : { profile }),
    },
    maxLineLength,
    // The stage profile times each stage on this thread: no workers then.
    parallel: { ...parallel, workers: profile === undefined ? workers : 0, after: parallel?.after ?? PARALLEL_AFTER } satisfies ParallelOptions,
  };
}

/** Runs the checker over a source, handing each record line's result to `onRecord`. */
export async function checkLog(
  source: unknown,
  options: ReturnType<typeof checkerOptions>,
  onRecord?: (record: CheckedRecord, checker: LogChecker) => void | Promise<void>,
): Promise<LogValidationReport> {
  const checker = new LogChecker(options.checker);
  // Without a caller that needs each record's values, record lines may be checked in worker threads.
  if (onRecord === undefined && options.parallel.workers > 0) {
    await checkInParallel(readSourceLines(source, options.maxLineLength), checker, options.parallel);
    return checker.end();
  }
  for await (const line of readSourceLines(source, options.maxLineLength)) {
    const record = checker.line(line);
    if (record !== null && onRecord !== undefined) await onRecord(record, checker);
  }
  return checker.end();
}

/**
 * Validates a Nonconformity and Corrective Action Log, reading it as a stream (memory
 * does not grow with the number of records beyond their ids and a bit per entry): each
 * line against the log JSON Schema (with its line number; text and ids held exactly, no
 * white space around them; a BOM, CR LF line ends and a missing final newline are read
 * with a `line-format` warning), the header first and the
 * trailer last, records in ascending id order, every hash chain and signature binding,
 * the log head against the trailer (and against `trustedHead`), each finding's history
 * replayed through the lifecycle machine to the finding as recorded, and the rules
 * auditors apply (closure without evidence or an effective review, actions without a
 * root cause, shallow causes, corrections posing as corrective actions, stale and
 * overdue findings as of `asOf`, actions without an owner or a due date, an empty log).
 *
 * It never throws on any content: every problem is an issue in the report, with a stable
 * code, a severity, the line, the record and finding reference, and the JSON path. It
 * throws (a `RangeError` or `CapaValidationError`) only for invalid options.
 *
 * @param source - The log: a string, bytes, or a (sync or async) iterable of string or byte chunks, such as a Node `Readable`.
 * @param options - `asOf` (required), and optionally `policy`, `trustedHead`, `maxIssues`, `maxLineLength`, `workers`.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { validateLog } from 'capa-kit/log';
 *
 * const report = await validateLog(createReadStream('acme.capa-log.jsonl'), { asOf: new Date() });
 * for (const issue of report.issues) console.log(`${issue.severity} ${issue.code} line ${issue.line}: ${issue.message}`);
 * console.log(report.ok ? 'The log holds together.' : `${report.summary.errors} errors`);
 * ```
 */
export async function validateLog(source: LogSource, options: ValidateLogOptions): Promise<LogValidationReport> {
  return checkLog(source, checkerOptions(options));
}
