import type { CliStream } from './io.js';

/** A progress line on stderr while a long run goes on. */
export interface Progress {
  advance(amount: number): void;
  done(): void;
}

const QUIET: Progress = { advance() {}, done() {} };
const INTERVAL_MS = 200;

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * Progress for a person at a terminal, redrawn at most five times a second; nothing at all
 * when stderr is a file or a pipe (logs and scripts stay clean).
 */
export function progress(stderr: CliStream, verb: string, total: number | null, clock: () => number = () => Date.now()): Progress {
  if (stderr.isTTY !== true) return QUIET;
  let seen = 0;
  let drawnAt = 0;
  const draw = () => {
    const share = total !== null && total > 0 ? ` ${Math.min(100, Math.floor((seen / total) * 100))}% of ${megabytes(total)}` : '';
    stderr.write(`\r${verb} ${megabytes(seen)}${share}\u001b[K`);
  };
  return {
    advance(amount) {
      seen += amount;
      const now = clock();
      if (now - drawnAt >= INTERVAL_MS) {
        drawnAt = now;
        draw();
      }
    },
    done() {
      if (drawnAt !== 0) stderr.write('\r\u001b[K');
    },
  };
}
