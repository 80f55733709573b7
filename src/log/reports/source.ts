import { CapaValidationError } from '../../errors/validation-error.js';
import { toValidationIssues } from '../../schemas/parse.js';
import { LogLine, type LoggedAction, type LoggedFinding, type LogHeader } from '../format/lines.js';

/**
 * What the CSV export and the reports read: a log, in log order. Either parsed lines
 * (`LogLine` values from a reader, a store, or your own code), or the log as JSON Lines
 * text or bytes: the whole text, or chunks of any size (a file read as a stream,
 * `exportLog(store, ...)`), split into lines, JSON-parsed and checked against `LogLine`.
 * The header, when present, supplies the policy and the tenant; the trailer is ignored.
 * It accepts everything `LogSource` does, and parsed lines besides.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import type { LogInput, LoggedFinding } from 'capa-kit/log';
 *
 * const fromFile: LogInput = createReadStream('acme.capa-log.jsonl');
 * declare const lines: LoggedFinding[];
 * const fromLines: LogInput = lines;
 * ```
 */
export type LogInput = string | Uint8Array | Iterable<LogInputItem> | AsyncIterable<LogInputItem>;

/**
 * One item of a {@link LogInput} stream: a parsed log line, or a chunk of JSON Lines text
 * or bytes.
 *
 * @example
 * ```ts
 * import type { LogInputItem } from 'capa-kit/log';
 *
 * const chunks: LogInputItem[] = ['{"type":"end","findings":0,"actions":0,"entries":0,', '"head":{"tenantSequence":0,"hash":"' + '0'.repeat(64) + '"}}\n'];
 * ```
 */
export type LogInputItem = LogLine | string | Uint8Array;

/** A record line of a log: a finding or a corrective action. */
export type RecordLine = LoggedFinding | LoggedAction;

/** The policy and tenant a log names in its header, when it has one. */
export interface SourceContext {
  header: LogHeader | null;
}

const isBytes = (value: unknown): value is Uint8Array => value instanceof Uint8Array;

/**
 * The log's lines, in order, from any {@link LogInput}: parsed lines pass through; text and
 * bytes are split on line ends (a chunk may end mid-line), JSON-parsed and checked. A bad
 * line is a `CapaValidationError` naming the line number.
 */
export async function* readLogSource(source: LogInput): AsyncGenerator<LogLine> {
  let pending = '';
  let lineNumber = 0;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parseText = function* (text: string, final: boolean): Generator<LogLine> {
    pending += text;
    let start = 0;
    for (;;) {
      const end = pending.indexOf('\n', start);
      if (end === -1) break;
      const raw = pending.slice(start, end);
      start = end + 1;
      lineNumber += 1;
      const line = parseLine(raw, lineNumber);
      if (line !== null) yield line;
    }
    pending = pending.slice(start);
    if (final && pending.length > 0) {
      lineNumber += 1;
      const line = parseLine(pending, lineNumber);
      pending = '';
      if (line !== null) yield line;
    }
  };
  const items: Iterable<LogInputItem> | AsyncIterable<LogInputItem> = typeof source === 'string' || isBytes(source) ? [source] : source;
  for await (const item of items as AsyncIterable<LogInputItem>) {
    if (typeof item === 'string') yield* parseText(item, false);
    else if (isBytes(item)) yield* parseText(decoder.decode(item, { stream: true }), false);
    else {
      if (pending.trim().length > 0) throw new TypeError('A log source mixes text with parsed lines in the middle of a line');
      lineNumber += 1;
      yield item;
    }
  }
  yield* parseText(decoder.decode(), true);
}

function parseLine(raw: string, lineNumber: number): LogLine | null {
  const text = lineNumber === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.trim().length === 0) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CapaValidationError(`log line ${lineNumber}`, [{ path: [], code: 'invalid_json', message: 'Not JSON: each line of a log is one JSON value' }], {
      cause: error,
    });
  }
  const parsed = LogLine.safeParse(json);
  if (!parsed.success) throw new CapaValidationError(`log line ${lineNumber}`, toValidationIssues(parsed.error));
  return parsed.data;
}

/** Record lines only, noting the header in `context` as it passes. */
export async function* recordLines(source: LogInput, context: SourceContext): AsyncGenerator<RecordLine> {
  for await (const line of readLogSource(source)) {
    if (line.type === 'capa-log') context.header = line;
    else if (line.type === 'finding' || line.type === 'action') yield line;
  }
}
