// Reads a log source as lines: a string, bytes, or a (sync or async) iterable of string or
// byte chunks, such as a Node Readable or a web ReadableStream. Bytes are split at "\n"
// before decoding (a newline byte never occurs inside a UTF-8 sequence), so a character
// cut across chunks is decoded whole, and invalid UTF-8 is reported with its line number.
// Nothing here throws on any input: every problem is a line the caller reports.
//
// The format is UTF-8 without a byte-order mark, each line ending in "\n". What Windows
// tools make of a file is read all the same, and said: a BOM before line 1 and the "\r" of
// a "\r\n" line end are taken off the text, and the line says so (`bom`, `crlf`), as a
// last line without "\n" does (`terminated: false`); the validator warns (`line-format`).

/**
 * Where a log is read from: the whole text, its bytes, or a stream of chunks (strings or
 * bytes, in any sizes; a multi-byte character may be split across chunks). A Node
 * `Readable` (e.g. `fs.createReadStream(path)`) and a web `ReadableStream` are async
 * iterables of chunks.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import type { LogSource } from 'capa-kit/log';
 *
 * const fromFile: LogSource = createReadStream('acme.capa-log.jsonl');
 * const fromText: LogSource = '{"type":"capa-log"}\n';
 * ```
 */
export type LogSource = string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/** One line of the source, or why it could not be read. `number` counts from 1. */
export type SourceLine =
  | {
      readonly kind: 'text';
      readonly number: number;
      /** The line's text, without its line end (and without a BOM on line 1). */
      readonly text: string;
      /** False for a last line without "\n". */
      readonly terminated: boolean;
      /** Line 1 began with a byte-order mark (U+FEFF), taken off `text`. */
      readonly bom: boolean;
      /** The line ended in "\r\n"; the "\r" is taken off `text`. */
      readonly crlf: boolean;
    }
  | { readonly kind: 'too-long'; readonly number: number; readonly length: number }
  | { readonly kind: 'invalid-utf8'; readonly number: number }
  | { readonly kind: 'unreadable'; readonly number: number; readonly message: string };

/**
 * The longest line `validateLog` and `importLog` read by default: 16 MiB (UTF-8 bytes for
 * byte sources, UTF-16 code units for strings). A longer line is reported
 * (`line-too-long`) and skipped without being held in memory.
 *
 * @example
 * ```ts
 * import { MAX_LINE_LENGTH, validateLog } from 'capa-kit/log';
 *
 * declare const text: string;
 * const report = await validateLog(text, { asOf: new Date(), maxLineLength: MAX_LINE_LENGTH / 4 });
 * ```
 */
export const MAX_LINE_LENGTH = 16 * 1024 * 1024;

const NEWLINE = 10;

/** A text line, with a BOM (line 1) and the "\r" of "\r\n" taken off and noted. */
function textLine(number: number, raw: string, terminated: boolean): SourceLine {
  let text = raw;
  const bom = number === 1 && text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  const crlf = terminated && text.charCodeAt(text.length - 1) === 13;
  if (crlf) text = text.slice(0, -1);
  return { kind: 'text', number, text, terminated, bom, crlf };
}

/** Splits a string source or string chunks into lines. */
class TextSplitter {
  private pieces: string[] = [];
  private pending = 0;
  private skipping = false;

  constructor(private readonly max: number) {}

  *push(chunk: string, next: () => number): Generator<SourceLine> {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf('\n', start);
      if (end === -1) break;
      yield* this.finish(chunk.slice(start, end), next, true);
      start = end + 1;
    }
    if (start < chunk.length) this.add(chunk.length === start ? '' : start === 0 ? chunk : chunk.slice(start));
  }

  *end(next: () => number): Generator<SourceLine> {
    if (this.pending > 0 || this.skipping) yield* this.finish('', next, false);
  }

  private add(piece: string): void {
    if (this.skipping) {
      this.pending += piece.length;
      return;
    }
    this.pending += piece.length;
    if (this.pending > this.max) {
      this.skipping = true;
      this.pieces = [];
      return;
    }
    this.pieces.push(piece);
  }

  private *finish(last: string, next: () => number, terminated: boolean): Generator<SourceLine> {
    const length = this.pending + last.length;
    const number = next();
    if (this.skipping || length > this.max) {
      yield { kind: 'too-long', number, length };
    } else {
      yield textLine(number, this.pieces.length === 0 ? last : this.pieces.join('') + last, terminated);
    }
    this.pieces = [];
    this.pending = 0;
    this.skipping = false;
  }
}

/** Splits byte chunks into lines, decoding each line as UTF-8 (fatal: invalid bytes are reported). */
class ByteSplitter {
  private pieces: Uint8Array[] = [];
  private pending = 0;
  private skipping = false;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

  constructor(private readonly max: number) {}

  *push(chunk: Uint8Array, next: () => number): Generator<SourceLine> {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end === -1) break;
      yield this.finish(chunk.subarray(start, end), next(), true);
      start = end + 1;
    }
    if (start < chunk.length) this.add(chunk.subarray(start));
  }

  *end(next: () => number): Generator<SourceLine> {
    if (this.pending > 0 || this.skipping) yield this.finish(new Uint8Array(0), next(), false);
  }

  private add(piece: Uint8Array): void {
    this.pending += piece.length;
    if (this.skipping) return;
    if (this.pending > this.max) {
      this.skipping = true;
      this.pieces = [];
      return;
    }
    // Copy: a stream may reuse its buffer for the next chunk.
    this.pieces.push(piece.slice());
  }

  private finish(last: Uint8Array, number: number, terminated: boolean): SourceLine {
    const length = this.pending + last.length;
    const skipping = this.skipping;
    const pieces = this.pieces;
    this.pieces = [];
    this.pending = 0;
    this.skipping = false;
    if (skipping || length > this.max) return { kind: 'too-long', number, length };
    let bytes = last;
    if (pieces.length > 0) {
      bytes = new Uint8Array(length);
      let offset = 0;
      for (const piece of pieces) {
        bytes.set(piece, offset);
        offset += piece.length;
      }
      bytes.set(last, offset);
    }
    try {
      return textLine(number, this.decoder.decode(bytes), terminated);
    } catch {
      return { kind: 'invalid-utf8', number };
    }
  }
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
const isIterable = (value: unknown): value is Iterable<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The lines of a log source, in order. Never throws: a source of the wrong type, a chunk
 * that is neither a string nor bytes, or a stream that fails comes out as an `unreadable`
 * line (and ends the lines); an over-long line as `too-long` (its text is never held);
 * bytes that are not UTF-8 as `invalid-utf8`. A last line without `"\n"` has
 * `terminated: false`; an empty last segment (the text ended with `"\n"`) is no line. A
 * BOM before line 1 and the `"\r"` of `"\r\n"` are taken off the text (`bom`, `crlf`).
 */
export async function* readSourceLines(source: unknown, max: number = MAX_LINE_LENGTH): AsyncGenerator<SourceLine, void, undefined> {
  let count = 0;
  const next = () => (count += 1);
  let text: TextSplitter | null = null;
  let bytes: ByteSplitter | null = null;
  const pushChunk = function* (chunk: unknown): Generator<SourceLine, boolean> {
    if (typeof chunk === 'string') {
      if (bytes !== null) yield* bytes.end(next);
      bytes = null;
      text ??= new TextSplitter(max);
      yield* text.push(chunk, next);
      return true;
    }
    if (chunk instanceof Uint8Array) {
      if (text !== null) yield* text.end(next);
      text = null;
      bytes ??= new ByteSplitter(max);
      yield* bytes.push(chunk, next);
      return true;
    }
    yield { kind: 'unreadable', number: next(), message: `A log chunk must be a string or bytes (Uint8Array), not ${chunk === null ? 'null' : typeof chunk}.` };
    return false;
  };
  const finish = function* (): Generator<SourceLine> {
    if (text !== null) yield* text.end(next);
    if (bytes !== null) yield* bytes.end(next);
  };

  if (typeof source === 'string' || source instanceof Uint8Array) {
    yield* pushChunk(source);
    yield* finish();
    return;
  }
  try {
    if (isAsyncIterable(source)) {
      for await (const chunk of source) if (!(yield* pushChunk(chunk))) return;
    } else if (isIterable(source)) {
      for (const chunk of source) if (!(yield* pushChunk(chunk))) return;
    } else {
      yield { kind: 'unreadable', number: next(), message: 'A log source must be a string, bytes (Uint8Array), or an iterable or async iterable of them.' };
      return;
    }
  } catch (error) {
    // The line being read is incomplete: it is not reported as a line of its own.
    yield { kind: 'unreadable', number: next(), message: `The log source failed while it was read: ${describe(error)}` };
    return;
  }
  yield* finish();
}
