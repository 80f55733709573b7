import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';

// The `capa` launcher checks the Node version before it loads anything. Built here as the
// package builds it (TypeScript to an ES module, the exit-code table bundled in), next to
// a stand-in for the real CLI.
const dir = mkdtempSync(join(tmpdir(), 'capa-bin-'));
buildSync({
  entryPoints: [new URL('../../src/cli/bin.ts', import.meta.url).pathname],
  outfile: join(dir, 'bin.mjs'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  external: ['./run.js'],
  logLevel: 'silent',
});
writeFileSync(join(dir, 'run.js'), "export function main() { process.stdout.write('started\\n'); }\n");
writeFileSync(join(dir, 'package.json'), '{"type":"module"}');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A Node older than the CLI supports, if this machine has one (the system Node is 20 here). */
function oldNode(): string | null {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    const version = spawnSync(candidate, ['--version'], { encoding: 'utf8' }).stdout?.trim();
    if (version !== undefined && /^v(\d+)\.(\d+)/.test(version)) {
      const [, major, minor] = /^v(\d+)\.(\d+)/.exec(version)!.map(Number) as [number, number, number];
      if (major < 22 || (major === 22 && minor < 12)) return candidate;
    }
  }
  return null;
}

describe('the capa launcher', () => {
  it('starts the CLI on a supported Node', () => {
    const run = spawnSync(process.execPath, [join(dir, 'bin.mjs')], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('started\n');
    expect(run.status).toBe(0);
  });

  it('a CLI that cannot start is exit 2 (the environment), with a sentence', () => {
    const broken = mkdtempSync(join(dir, 'broken-'));
    writeFileSync(join(broken, 'package.json'), '{"type":"module"}');
    writeFileSync(join(broken, 'bin.mjs'), readFileSync(join(dir, 'bin.mjs')));
    const run = spawnSync(process.execPath, [join(broken, 'bin.mjs')], { encoding: 'utf8' });
    expect(run.status).toBe(EXIT.unusable);
    expect(run.stderr).toMatch(/^capa: could not start: .*run\.js/);
  });

  const old = oldNode();
  it.skipIf(old === null)(`on an unsupported Node, says which it needs and exits 2 (system Node: ${old ?? 'none older than 22.12 here'})`, () => {
    const run = spawnSync(old as string, [join(dir, 'bin.mjs')], { encoding: 'utf8' });
    expect(run.status).toBe(EXIT.unusable);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^capa needs Node\.js 22\.12 or newer \(22 LTS or 24 LTS\); this is Node\.js \d+\.\d+\.\d+\.\n$/);
  });
});
