import process from 'node:process';
import { runCli } from './main.js';

/** Runs the CLI on this process: its arguments, streams, clock and directory. */
export async function main(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    now: () => new Date(),
    cwd: process.cwd(),
  });
}
