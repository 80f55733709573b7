// Tests that need a tool from outside the repo (soffice, Chromium, python3, a database
// server) run where it is installed. Without it they skip with a message that says how to
// install it, except under CI (`CI=true`), where a missing tool fails the run: CI installs
// every tool (.ci/run), so a tool missing there is a broken CI, never a pass.
import { describe, it } from 'vitest';

/** An outside tool a test file needs. */
export interface OutsideTool {
  /** What it is, for messages ("LibreOffice (soffice)"). */
  readonly name: string;
  /** Whether it is here, e.g. `existsSync('/usr/bin/soffice')`. */
  readonly available: boolean;
  /** How to install it ("apt-get install -y libreoffice-calc-nogui"). */
  readonly install: string;
}

/** True when the tests run in CI (`CI` set to anything but empty, `0` or `false`). */
export const inCi = (env: NodeJS.ProcessEnv = process.env): boolean => {
  const value = env['CI']?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
};

/** What to do when a tool is missing: run, skip with a message, or fail (CI). */
export function toolVerdict(tool: OutsideTool, env: NodeJS.ProcessEnv = process.env): { readonly run: boolean; readonly message: string | null; readonly fail: boolean } {
  if (tool.available) return { run: true, message: null, fail: false };
  const message = `${tool.name} is not installed (${tool.install})`;
  return inCi(env) ? { run: false, message: `${message}: CI=true, so the tests that need it fail instead of skipping.`, fail: true } : { run: false, message: `Skipping: ${message}.`, fail: false };
}

/**
 * `describe` for tests that need an outside tool: runs them when the tool is here; skips
 * them with a warning when it is not; under `CI=true` a missing tool is one failing test
 * naming it.
 *
 * ```ts
 * describeWithTool({ name: 'LibreOffice (soffice)', available: sofficeAvailable(), install: '...' }, 'CSV in LibreOffice', () => { ... });
 * ```
 */
export function describeWithTool(tool: OutsideTool, title: string, body: () => void): void {
  const verdict = toolVerdict(tool);
  if (verdict.run) {
    describe(title, body);
    return;
  }
  if (verdict.fail) {
    describe(title, () => {
      it(`needs ${tool.name}`, () => {
        throw new Error(verdict.message!);
      });
    });
    return;
  }
  console.warn(verdict.message);
  describe.skip(title, body);
}
