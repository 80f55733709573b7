import type { CliIo, CliStream } from './io.js';

/** A progress line on stderr while a long run goes on. */
export interface Progress {
  advance(amount: number): void;
  /** Clears the line, if one was drawn: the terminal is left as it was. */
  done(): void;
}

/** `--quiet` and `--no-progress`, as commander hands them over (`progress` is `false` with `--no-progress`). */
export interface FeedbackOptions {
  readonly quiet?: boolean;
  readonly progress?: boolean;
}

/**
 * What a command shows on stderr besides its errors: progress while it reads or writes (on
 * a terminal only, and not with `--no-progress` or `--quiet`), and notes such as the log
 * head of an export (not with `--quiet`). A note first clears a progress line that is
 * showing, so it never lands at the end of one.
 */
export interface Feedback {
  progress(verb: string, total: number | null): Progress;
  note(text: string): void;
}

const QUIET: Progress = { advance() {}, done() {} };
const INTERVAL_MS = 200;
/** Back to the start of the line, and erase to its end. */
const CLEAR = '\r\u001b[K';

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The feedback of one command run, from its options. */
export function feedback(io: CliIo, options: FeedbackOptions, clock: () => number = () => Date.now()): Feedback {
  const shows = options.quiet !== true && options.progress !== false && io.stderr.isTTY === true;
  let showing: Progress | null = null;
  return {
    progress(verb, total) {
      if (!shows) return QUIET;
      const line = progressLine(io.stderr, verb, total, clock, (drawn) => {
        showing = drawn ? line : showing === line ? null : showing;
      });
      return line;
    },
    note(text) {
      showing?.done();
      if (options.quiet !== true) io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
    },
  };
}

/**
 * A progress line redrawn at most five times a second, for a person at a terminal.
 * `shown(true)` when it is first drawn, `shown(false)` once it is cleared.
 */
function progressLine(stderr: CliStream, verb: string, total: number | null, clock: () => number, shown: (drawn: boolean) => void): Progress {
  let seen = 0;
  let drawnAt: number | null = null;
  let cleared = false;
  const draw = () => {
    const share = total !== null && total > 0 ? ` ${Math.min(100, Math.floor((seen / total) * 100))}% of ${megabytes(total)}` : '';
    stderr.write(`\r${verb} ${megabytes(seen)}${share}\u001b[K`);
  };
  const self: Progress = {
    advance(amount) {
      seen += amount;
      if (cleared) return;
      const now = clock();
      if (drawnAt === null || now - drawnAt >= INTERVAL_MS) {
        if (drawnAt === null) shown(true);
        drawnAt = now;
        draw();
      }
    },
    done() {
      if (drawnAt === null || cleared) return;
      cleared = true;
      stderr.write(CLEAR);
      shown(false);
    },
  };
  return self;
}
