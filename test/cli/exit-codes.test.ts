import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { EXIT, EXIT_CODES, exitCodesHelp, exitCodesMarkdown } from '../../src/cli/exit-codes.js';
import type { CliIo } from '../../src/cli/io.js';
import { capa, NOW } from './support.js';

// One exit-code table, written once (src/cli/exit-codes.ts): every command's --help prints
// it, and the docs show the very same table wherever they show one.
const root = new URL('../../', import.meta.url).pathname;
const COMMANDS = ['validate', 'schema', 'export', 'import', 'migrate', 'report'];

/** Every Markdown file a reader gets: README.md and docs/ (not the generated API reference). */
function markdownFiles(): string[] {
  const files = ['README.md', 'CONTRIBUTING.md'];
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
      const path = join(relative, entry.name);
      if (entry.isDirectory() && path !== join('docs', 'api')) walk(path);
      else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  walk('docs');
  return files;
}

/** The Markdown tables of exit codes in a text: a header row that begins `| Code |`, and rows after it, one of them for code 0. */
function exitCodeTables(text: string): string[] {
  const lines = text.split('\n');
  const tables: string[] = [];
  lines.forEach((line, i) => {
    if (!/^\| Code \|/.test(line)) return;
    let end = i;
    while (end + 1 < lines.length && lines[end + 1]!.startsWith('|')) end += 1;
    const table = lines.slice(i, end + 1);
    if (table.some((row) => /^\| \**0\** \|/.test(row))) tables.push(table.join('\n'));
  });
  return tables;
}

describe('the exit-code table', () => {
  it('is 0, 1, 2, and the codes the commands return are its codes', () => {
    expect(Object.values(EXIT_CODES).map((entry) => entry.code)).toEqual([0, 1, 2]);
    expect(EXIT).toEqual({ ok: 0, failed: 1, unusable: 2 });
  });

  it('capa --help and the help of every command print it', async () => {
    const main = await capa(root, ['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toContain(exitCodesHelp());
    for (const command of COMMANDS) {
      const run = await capa(root, [command, '--help']);
      expect(run.code, command).toBe(0);
      expect(run.stdout, command).toContain(exitCodesHelp());
    }
  });

  it('docs/cli.md and the CI guide show the same table, and so does every other page that shows one', () => {
    const table = exitCodesMarkdown();
    for (const required of ['docs/cli.md', 'docs/guides/ci-validation.md']) {
      expect(exitCodeTables(readFileSync(join(root, required), 'utf8')), required).toEqual([table]);
    }
    for (const file of markdownFiles()) {
      for (const found of exitCodeTables(readFileSync(join(root, file), 'utf8'))) expect(found, `${file}: the exit-code table of src/cli/exit-codes.ts`).toBe(table);
    }
  });
});

describe('the codes, for real', () => {
  it('0 done; 1 a file that is not a log; 2 a usage mistake or a store that is not there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'capa-cli-codes-'));
    try {
      writeFileSync(join(dir, 'notes.txt'), 'meeting notes\nnot a log\n');
      expect((await capa(dir, ['schema'])).code).toBe(EXIT.ok);
      const notALog = await capa(dir, ['validate', 'notes.txt']);
      expect(notALog.code).toBe(EXIT.failed);
      expect(notALog.stdout).toMatch(/line-not-json/);
      expect((await capa(dir, ['validate'])).code).toBe(EXIT.unusable);
      expect((await capa(dir, ['export', '--store', 'nowhere', '--tenant', 'acme'])).code).toBe(EXIT.unusable);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an internal failure', () => {
  // A broken standard output (a pipe whose reader went away) is a real way for a command to
  // fail with an error that is not capa-kit's.
  const broken = (): { io: CliIo; stderr: () => string } => {
    let stderr = '';
    const io: CliIo = {
      stdout: {
        write() {
          throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
        },
      },
      stderr: { write: (text: string) => (stderr += text) },
      stdin: (async function* () {})(),
      now: () => NOW,
      cwd: root,
    };
    return { io, stderr: () => stderr };
  };

  it('is exit 2 and one line, saying how to see the stack', async () => {
    const { io, stderr } = broken();
    expect(await runCli(['schema'], io)).toBe(EXIT.unusable);
    expect(stderr()).toBe('capa: internal failure: Error: write EPIPE (run again with --debug for the stack)\n');
  });

  it('shows the stack with --debug', async () => {
    const { io, stderr } = broken();
    expect(await runCli(['schema', '--debug'], io)).toBe(EXIT.unusable);
    expect(stderr()).toMatch(/^capa: internal failure: Error: write EPIPE\nError: write EPIPE\n\s+at /);
  });
});
