// Reading a log as a stream: lines split across chunks of any size, UTF-8 decoded across
// chunk boundaries (a character cut in two is read whole), and every odd source read
// without an exception.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSourceLines, type SourceLine } from '../../../src/log/read/source.js';
import { validateLog } from '../../../src/log/index.js';
import { exportText, richHistory } from '../fixtures.js';

async function collect(source: unknown, max?: number): Promise<SourceLine[]> {
  const lines: SourceLine[] = [];
  for await (const line of readSourceLines(source, max)) lines.push(line);
  return lines;
}

const texts = (lines: readonly SourceLine[]) => lines.map((line) => (line.kind === 'text' ? line.text : `<${line.kind}>`));

/** The bytes cut into chunks at the given offsets. */
function chunked(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const sorted = [...new Set(cuts)].filter((cut) => cut > 0 && cut < bytes.length).sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const cut of [...sorted, bytes.length]) {
    chunks.push(bytes.subarray(start, cut));
    start = cut;
  }
  return chunks;
}

const SAMPLE = 'première ligne\n{"a":"😀 ünïcödé 中文"}\r\nlast line without newline';
// The "\r" of a "\r\n" line end is taken off the text, and the line says so.
const EXPECTED = ['première ligne', '{"a":"😀 ünïcödé 中文"}', 'last line without newline'];

describe('reading a log source as lines', () => {
  it('reads a string, bytes, string chunks, byte chunks, a Node Readable and a sync iterable alike', async () => {
    const bytes = new TextEncoder().encode(SAMPLE);
    const sources: unknown[] = [
      SAMPLE,
      bytes,
      [SAMPLE.slice(0, 7), SAMPLE.slice(7)],
      chunked(bytes, [1, 12, 13, 20]),
      Readable.from([Buffer.from(bytes.subarray(0, 10)), Buffer.from(bytes.subarray(10))]),
      (function* () {
        yield SAMPLE;
      })(),
    ];
    for (const source of sources) expect(texts(await collect(source))).toEqual(EXPECTED);
    const lines = await collect(SAMPLE);
    expect(lines.map((line) => line.kind === 'text' && line.terminated)).toEqual([true, true, false]);
    expect(lines.map((line) => line.kind === 'text' && line.crlf)).toEqual([false, true, false]);
    expect(lines.map((line) => line.number)).toEqual([1, 2, 3]);
  });

  it('decodes a character cut between chunks at every byte offset, one and two cuts (property)', async () => {
    const bytes = new TextEncoder().encode(SAMPLE);
    for (let cut = 0; cut <= bytes.length; cut++) expect(texts(await collect(chunked(bytes, [cut])))).toEqual(EXPECTED);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: bytes.length }), { maxLength: 6 }), async (cuts) => {
        expect(texts(await collect(chunked(bytes, cuts)))).toEqual(EXPECTED);
      }),
      { numRuns: 200, seed: 4242 },
    );
  });

  it('an empty source has no line, and a final newline ends the last line', async () => {
    expect(await collect('')).toEqual([]);
    expect(await collect([])).toEqual([]);
    expect(texts(await collect('a\n'))).toEqual(['a']);
    expect(texts(await collect('a\n\nb'))).toEqual(['a', '', 'b']);
  });

  it('reports invalid UTF-8 on its line, and goes on', async () => {
    const bytes = new Uint8Array([0x61, 0x0a, 0xc3, 0x28, 0x0a, 0x62]);
    const lines = await collect(bytes);
    expect(lines.map((line) => line.kind)).toEqual(['text', 'invalid-utf8', 'text']);
    // A character cut off by the end of the stream is invalid too.
    expect((await collect(new Uint8Array([0x61, 0xe4, 0xb8])))[0]!.kind).toBe('invalid-utf8');
  });

  it('skips a line over the limit without holding it, and reads on', async () => {
    const long = 'x'.repeat(50);
    for (const source of [`ok\n${long}\nok`, new TextEncoder().encode(`ok\n${long}\nok`), ['ok\n', 'x'.repeat(25), 'x'.repeat(25), '\nok']]) {
      const lines = await collect(source, 20);
      expect(lines.map((line) => line.kind)).toEqual(['text', 'too-long', 'text']);
      expect(lines[1]).toMatchObject({ number: 2, length: 50 });
    }
  });

  it('never throws: a wrong source, a wrong chunk or a failing stream is an unreadable line', async () => {
    for (const source of [42, null, undefined, { not: 'iterable' }, Symbol('x')]) {
      const lines = await collect(source);
      expect(lines.map((line) => line.kind)).toEqual(['unreadable']);
    }
    expect((await collect(['a\n', 7 as unknown as string])).map((line) => line.kind)).toEqual(['text', 'unreadable']);
    const failing = {
      [Symbol.asyncIterator]: () => ({ next: async () => Promise.reject(new Error('EIO')) }),
    };
    expect(await collect(failing)).toEqual([{ kind: 'unreadable', number: 1, message: 'The log source failed while it was read: EIO' }]);
  });

  it('takes a byte-order mark before line 1, and the "\\r" of "\\r\\n", off the text, and says so', async () => {
    const text = '\uFEFFa\r\nb\r\n\uFEFFc\rd\r';
    const bytes = new TextEncoder().encode(text);
    // Cut between the CR and the LF, and inside the BOM: the same lines.
    for (const source of [text, bytes, chunked(bytes, [1, 5]), ['\uFEFFa\r', '\nb\r', '\n\uFEFFc\rd\r']]) {
      expect(await collect(source)).toEqual([
        { kind: 'text', number: 1, text: 'a', terminated: true, bom: true, crlf: true },
        { kind: 'text', number: 2, text: 'b', terminated: true, bom: false, crlf: true },
        // A BOM after line 1 and a CR that does not end a line are the line's own text.
        { kind: 'text', number: 3, text: '\uFEFFc\rd\r', terminated: false, bom: false, crlf: false },
      ]);
    }
  });

  it('validates a log written with a byte order mark and CRLF line ends (warning line-format), and a web ReadableStream', async () => {
    const { h } = await richHistory();
    const text = await exportText(h.store);
    const windows = `\uFEFF${text.replaceAll('\n', '\r\n')}`;
    const lines = text.trimEnd().split('\n').length;
    for (const source of [windows, new TextEncoder().encode(windows)]) {
      const report = await validateLog(source, { asOf: h.now() });
      expect(report.ok).toBe(true);
      expect(report.issues.map((issue) => [issue.code, issue.severity, issue.line])).toEqual([
        ['line-format', 'warning', 1],
        ['line-format', 'warning', 1],
      ]);
      expect(report.issues[1]!.message).toContain(`${lines} lines end in CR LF`);
    }
    const unterminated = await validateLog(text.trimEnd(), { asOf: h.now() });
    expect(unterminated.issues.map((issue) => [issue.code, issue.line])).toEqual([['line-format', lines]]);
    const web = new Blob([text]).stream() as unknown as AsyncIterable<Uint8Array>;
    expect((await validateLog(web, { asOf: h.now() })).issues).toEqual([]);
  });

  it('validates a real log cut into random byte chunks exactly as the whole text (property)', async () => {
    const { h } = await richHistory();
    const text = await exportText(h.store);
    const bytes = new TextEncoder().encode(text);
    const whole = await validateLog(text, { asOf: h.now() });
    expect(whole.issues).toEqual([]);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: bytes.length }), { minLength: 1, maxLength: 30 }), async (cuts) => {
        const report = await validateLog(Readable.from(chunked(bytes, cuts).map((chunk) => Buffer.from(chunk))), { asOf: h.now() });
        expect(report).toEqual(whole);
      }),
      { numRuns: 25, seed: 7 },
    );
  });
});
