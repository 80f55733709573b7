// What the CLI touches of its process, in one small object, so tests run commands in-process
// with captured output instead of spawning one process per case.

/** A place the CLI writes text: the process's stdout or stderr, or a test's buffer. */
export interface CliStream {
  /** Writes; `false` means the stream's buffer is full and a `drain` event will follow (Node's `Writable` contract). */
  write(text: string): unknown;
  /** Node's `Writable.once`: lets a long export wait for `drain` instead of buffering without bound. */
  once?(event: 'drain', listener: () => void): unknown;
  /** True when a person is watching (a terminal): progress is shown only then. */
  readonly isTTY?: boolean;
}

/** The CLI's world: output streams, standard input, the clock and the working directory. */
export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  readonly stdin: AsyncIterable<string | Uint8Array>;
  readonly now: () => Date;
  readonly cwd: string;
}

/**
 * A problem the CLI reports and exits on: the message is for a person, the code for the
 * shell. Anything else thrown is a bug or a typed capa-kit error, formatted by main.
 */
export class CliExit extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliExit';
  }
}
