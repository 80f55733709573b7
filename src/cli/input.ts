import { createReadStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliExit, type CliIo } from './io.js';
import { EXIT } from './exit-codes.js';
import type { Feedback, Progress } from './progress.js';

/** An input the CLI reads: its name for messages, its size when known, and a fresh stream of its bytes. */
export interface CliInput {
  readonly name: string;
  readonly size: number | null;
  open(): AsyncIterable<Uint8Array | string>;
}

/**
 * The file named on the command line, or standard input for `-`. A file that cannot be
 * opened is an unusable input (exit 2), said before any work starts.
 */
export function inputFile(io: CliIo, file: string): CliInput {
  if (file === '-') {
    let used = false;
    return {
      name: 'standard input',
      size: null,
      open() {
        if (used) throw new CliExit('Standard input can be read only once: pass a file instead.', EXIT.unusable);
        used = true;
        return io.stdin;
      },
    };
  }
  const path = resolve(io.cwd, file);
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new CliExit(`${file} is not a file.`, EXIT.unusable);
    size = stat.size;
  } catch (error) {
    if (error instanceof CliExit) throw error;
    throw new CliExit(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, EXIT.unusable);
  }
  return { name: file, size, open: () => createReadStream(path) };
}

/** The input's bytes as they are read, reporting progress (on a terminal) as they pass. */
export async function* withProgress(feedback: Feedback, input: CliInput, verb: string): AsyncGenerator<Uint8Array | string> {
  const shown: Progress = feedback.progress(verb, input.size);
  try {
    for await (const chunk of input.open()) {
      shown.advance(typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength);
      yield chunk;
    }
  } finally {
    shown.done();
  }
}

/** The whole input as text (for the CSV import, which reads a spreadsheet at once). */
export async function readAll(feedback: Feedback, input: CliInput): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of withProgress(feedback, input, 'reading')) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
