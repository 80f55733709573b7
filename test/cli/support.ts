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
