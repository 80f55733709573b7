import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

/** A captured run of the CLI: exit code, stdout, stderr. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const NOW = new Date('2026-11-22T12:00:00Z');

/** Runs `capa` in-process in `cwd`, with output captured (stderr as a terminal when `tty`). */
export async function capa(cwd: string, argv: readonly string[], options: { tty?: boolean; stdin?: string[] } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.tty === true },
    stdin: (async function* () {
      for (const chunk of options.stdin ?? []) yield chunk;
    })(),
    now: () => NOW,
    cwd,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

export const scratch = (prefix: string) => mkdtempSync(join(tmpdir(), `capa-cli-${prefix}-`));

/**
 * What a terminal shows after this output, line by line: `\r` goes back to the start of the
 * line, `ESC[K` erases from the cursor to the end of it, `\n` starts a new line, anything
 * else is written over what is there. Enough of a terminal to see what progress leaves behind.
 */
export function screen(output: string): string[] {
  const lines = [''];
  let column = 0;
  for (let i = 0; i < output.length; i += 1) {
    const last = lines.length - 1;
    if (output.startsWith('\u001b[K', i)) {
      lines[last] = lines[last]!.slice(0, column);
      i += 2;
    } else if (output[i] === '\r') column = 0;
    else if (output[i] === '\n') {
      lines.push('');
      column = 0;
    } else {
      const line = lines[last]!.padEnd(column);
      lines[last] = line.slice(0, column) + output[i] + line.slice(column + 1);
      column += 1;
    }
  }
  return lines;
}
