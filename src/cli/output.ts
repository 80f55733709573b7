import { createWriteStream, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { CliIo, CliStream } from './io.js';

/** Where a command writes its product: `--out FILE`, or standard output. */
export interface CliOutput {
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

/** Writes to `--out` (waiting for the file to drain, so a large export stays small in memory) or stdout. */
export function openOutput(io: CliIo, out: string | undefined): CliOutput {
  if (out === undefined || out === '-') return streamOutput(io.stdout);
  const file: WriteStream = createWriteStream(resolve(io.cwd, out));
  const failed = new Promise<never>((_, reject) => file.once('error', reject));
  failed.catch(() => {});
  return {
    async write(text) {
      if (!file.write(text)) await Promise.race([new Promise<void>((done) => file.once('drain', () => done())), failed]);
    },
    async close() {
      await Promise.race([new Promise<void>((done) => file.end(done)), failed]);
    },
  };
}

function streamOutput(stream: CliStream): CliOutput {
  return {
    async write(text) {
      // A pipe to a slower reader (`capa export | gzip`) fills: wait for it, as for a file.
      if (stream.write(text) === false && stream.once !== undefined) await new Promise<void>((done) => stream.once!('drain', () => done()));
    },
    async close() {},
  };
}

/** Copies every chunk of an async source to the output; returns the generator's own result. */
export async function pipeTo<T>(source: AsyncGenerator<string, T, undefined>, output: CliOutput): Promise<T> {
  for (;;) {
    const next = await source.next();
    if (next.done === true) return next.value;
    await output.write(next.value);
  }
}
