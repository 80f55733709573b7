import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessReviews, leavers, runThroughRegister } from '../../examples/scenarios/index.js';
import type { CliIo } from '../../src/cli/io.js';
import { feedback } from '../../src/cli/progress.js';
import { fileStore } from '../../src/stores/file/index.js';
import { capa, NOW, scratch, screen } from './support.js';

// Progress is for a person at a terminal: drawn on stderr, and cleared when the run ends,
// so the terminal shows only what the command meant to say. Tested on a fake terminal
// (a stream that says it is a TTY) read back through a small terminal emulator.
const dir = scratch('progress');

beforeAll(async () => {
  const store = await fileStore(join(dir, 'store'));
  for await (const _step of runThroughRegister(store, [leavers, accessReviews]));
  await store.close();
  expect((await capa(dir, ['export', '--store', 'store', '--tenant', 'acme', '--out', 'acme.jsonl'])).code).toBe(0);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('progress on a terminal', () => {
  it.each([
    ['validate', ['validate', 'acme.jsonl']],
    ['report', ['report', 'acme.jsonl', '--kind', 'risk-feedback', '--as-of', '2026-11-22']],
    ['import', ['import', 'acme.jsonl', '--store', 'sqlite:progress.db', '--migrate']],
  ])('%s: drawn while it reads, and the line is cleared at the end', async (_name, argv) => {
    const run = await capa(dir, argv, { tty: true });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/\r(validating|reading|importing) [\d.]+ MB/);
    expect(run.stderr.endsWith('\r\u001b[K')).toBe(true);
    expect(screen(run.stderr)).toEqual(['']);
  });

  it('export: the note with the log head stands on a line of its own, not at the end of the progress line', async () => {
    const run = await capa(dir, ['export', '--store', 'store', '--tenant', 'acme', '--out', 'again.jsonl'], { tty: true });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/\rexported [\d.]+ MB/);
    expect(screen(run.stderr)).toEqual([expect.stringMatching(/^Exported tenant acme from file store \S+; log head \d+:[0-9a-f]{64}$/), '']);
  });

  it('a command that fails leaves a cleared line before its error', async () => {
    const run = await capa(dir, ['import', 'acme.jsonl', '--store', 'sqlite:progress-fail.db', '--migrate', '--tenant', 'globex'], { tty: true });
    expect(run.code).toBe(2);
    expect(screen(run.stderr)[0]).toMatch(/^capa: CAPA_VALIDATION: invalid capa log$/);
  });

  it('--no-progress: no progress, the notes still', async () => {
    const run = await capa(dir, ['export', '--store', 'store', '--tenant', 'acme', '--out', 'quiet.jsonl', '--no-progress'], { tty: true });
    expect(run.stderr).toMatch(/^Exported tenant acme/);
    expect(run.stderr).not.toContain('\r');
    expect((await capa(dir, ['validate', 'acme.jsonl', '--no-progress'], { tty: true })).stderr).toBe('');
  });

  it('--quiet: neither progress nor notes; errors still show', async () => {
    for (const argv of [
      ['export', '--store', 'store', '--tenant', 'acme', '--out', 'quiet.jsonl', '--quiet'],
      ['validate', 'acme.jsonl', '-q'],
      ['report', 'acme.jsonl', '--kind', 'risk-feedback', '--out', 'report.md', '--quiet'],
    ]) {
      const run = await capa(dir, argv, { tty: true });
      expect(run.code, argv.join(' ')).toBe(0);
      expect(run.stderr, argv.join(' ')).toBe('');
    }
    const failed = await capa(dir, ['export', '--store', 'store', '--tenant', 'nobody', '--quiet'], { tty: true });
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/^capa: Tenant "nobody" has no records/);
  });

  it('in a pipe, nothing but the notes', async () => {
    const run = await capa(dir, ['export', '--store', 'store', '--tenant', 'acme', '--out', 'piped.jsonl']);
    expect(run.stderr).toMatch(/^Exported tenant acme [^\r]*\n$/);
  });
});

describe('feedback', () => {
  const terminal = () => {
    let text = '';
    const io: CliIo = { stdout: { write: () => true }, stderr: { write: (chunk: string) => (text += chunk), isTTY: true }, stdin: (async function* () {})(), now: () => NOW, cwd: dir };
    return { io, text: () => text };
  };

  it('redraws at most every 200 ms, with the share of a known total, and clears once', () => {
    const { io, text } = terminal();
    let now = 1_000;
    const line = feedback(io, {}, () => now).progress('reading', 4_000_000);
    line.advance(1_000_000);
    now += 100;
    line.advance(1_000_000);
    expect(text()).toBe('\rreading 1.0 MB 25% of 4.0 MB\u001b[K');
    now += 100;
    line.advance(1_000_000);
    expect(screen(text())).toEqual(['reading 3.0 MB 75% of 4.0 MB']);
    line.done();
    line.done();
    expect(text().endsWith('75% of 4.0 MB\u001b[K\r\u001b[K')).toBe(true);
    expect(screen(text())).toEqual(['']);
  });

  it('a line never drawn is never cleared: nothing is written', () => {
    const { io, text } = terminal();
    feedback(io, {}).progress('reading', null).done();
    expect(text()).toBe('');
  });
});
