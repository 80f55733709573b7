import { CapaValidationError } from '../../errors/validation-error.js';
import { toValidationIssues } from '../../schemas/parse.js';
import { LogLine, type LoggedAction, type LoggedFinding, type LogHeader } from '../format/lines.js';
import { type LogSource, MAX_LINE_LENGTH, readSourceLines, type SourceLine } from '../read/source.js';

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
 * The log's lines, in order, from any {@link LogInput}: an iterable of parsed lines passes
 * through; text and bytes go through the log's line reader (the validator's), then each
 * line is JSON-parsed and checked. A bad line is a `CapaValidationError` naming its number.
 */
export async function* readLogSource(source: LogInput): AsyncGenerator<LogLine> {
  let chunks: LogSource = source as LogSource;
  if (typeof source !== 'string' && !isBytes(source)) {
    // An iterable of parsed lines passes through; one of text or bytes is read as a log.
    const iterator = iterate(source);
    const first = await iterator.next();
    if (first.done === true) return;
    if (isParsedLine(first.value)) {
      yield first.value;
      for (let item = 2; ; item += 1) {
        const next = await iterator.next();
        if (next.done === true) return;
        if (!isParsedLine(next.value)) throw new TypeError(`A log source mixes parsed lines with text or bytes (item ${item})`);
        yield next.value;
      }
    }
    chunks = resume(first.value as string | Uint8Array, iterator);
  }
  // The log's own line reader: lines split on bytes, UTF-8 decoded whole, limits applied.
  for await (const line of readSourceLines(chunks)) {
    if (line.kind !== 'text') throw new CapaValidationError(`log line ${line.number}`, [{ path: [], code: line.kind, message: unreadableLine(line) }]);
    const parsed = parseLine(line.text, line.number);
    if (parsed !== null) yield parsed;
  }
}

const isParsedLine = (item: unknown): item is LogLine => typeof item === 'object' && item !== null && !isBytes(item);

function iterate(source: Iterable<LogInputItem> | AsyncIterable<LogInputItem>): AsyncIterator<LogInputItem> | Iterator<LogInputItem> {
  return Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
}

async function* resume(first: string | Uint8Array, rest: AsyncIterator<LogInputItem> | Iterator<LogInputItem>): AsyncGenerator<string | Uint8Array> {
  yield first;
  for (;;) {
    const next = await rest.next();
    if (next.done === true) return;
    yield next.value as string | Uint8Array;
  }
}

function unreadableLine(line: Exclude<SourceLine, { kind: 'text' }>): string {
  if (line.kind === 'too-long') return `The line is ${line.length} long, over the ${MAX_LINE_LENGTH} limit`;
  if (line.kind === 'invalid-utf8') return 'The line is not valid UTF-8';
  return line.message;
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
