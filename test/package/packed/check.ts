// `npm run check:packed [-- --keep]`: the package as users get it. After `npm run build`:
//
// 1. `npm pack` into a temporary directory; the tarball holds dist/ and the docs files only.
// 2. A consumer project next to it installs the tarball with `npm install --offline`.
//    Offline and deterministic: capa-kit's runtime dependencies are first copied from this
//    repo's node_modules (the versions the lock file pins, with their bin links), so npm
//    finds every dependency satisfied and only unpacks the tarball (no registry, no cache
//    needed). The consumer's own tools (vitest, fast-check, @types/node) are linked one
//    level up, outside its node_modules, so capa-kit itself can only resolve what it
//    declares (and the peers a host installs).
// 3. `tsc` type-checks every example and the consumer fixtures (test/package/consumer)
//    against the installed package's .d.ts/.d.cts: moduleResolution nodenext (ESM, and
//    it emits what step 4 runs), bundler (ESM), and node16 (CommonJS, emitted too).
// 4. Runs them on Node: the ESM and CommonJS fixtures (every entry point, the JSON
//    schemas, package.json), every example (demo, custom policy, log validation with its
//    exit codes), the custom store's conformance run under vitest, and the packed `capa`
//    bin through `npm exec` (help, export of the demo's store, validate).
//
// Exit 0 when all pass; otherwise the failing step's command and output, and the scratch
// directory is kept. `--keep` keeps it after a pass too.
import { type SpawnOptions, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const keep = process.argv.includes('--keep');

const scratch = mkdtempSync(join(tmpdir(), 'capa-kit-packed-'));
const consumer = join(scratch, 'consumer');
const started = performance.now();

// Every child runs on this Node (24, from the node@^24 dev dependency), not the system's.
const env: NodeJS.ProcessEnv = { ...process.env, PATH: [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter), NO_COLOR: '1', FORCE_COLOR: '0' };
// `npm run` exports its own project as configuration; a nested npm must not inherit it.
for (const key of Object.keys(env)) {
  if (/^npm_(package|lifecycle)_/.test(key) || key === 'npm_config_local_prefix' || key === 'npm_config_loglevel') delete env[key];
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

class StepFailure extends Error {}

/** Runs a command; resolves with its output whatever its exit code. */
function run(command: string, args: readonly string[], options: SpawnOptions = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: consumer, env, stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs a command that must exit with `expected` (0 by default), or fails the step with its output. */
async function must(what: string, command: string, args: readonly string[], expected = 0, options: SpawnOptions = {}): Promise<Run> {
  const result = await run(command, args, options);
  if (result.code !== expected) {
    const shown = [command === process.execPath ? 'node' : command, ...args].join(' ');
    throw new StepFailure(
      `${what}: exit code ${result.code}, expected ${expected}\n  $ ${shown}\n  (in ${String(options.cwd ?? consumer)})\n` +
        `--- stdout\n${result.stdout.trimEnd()}\n--- stderr\n${result.stderr.trimEnd()}`,
    );
  }
  return result;
}

const npmCli = process.env.npm_execpath;
/** npm itself: the one running this script when there is one, on this Node. */
const npm = (what: string, args: readonly string[], expected = 0, options: SpawnOptions = {}) =>
  npmCli !== undefined && npmCli.endsWith('.js') ? must(what, process.execPath, [npmCli, ...args], expected, options) : must(what, 'npm', args, expected, options);
const node = (what: string, args: readonly string[], expected = 0) => must(what, process.execPath, args, expected);
const tool = (name: string, bin: string) => join(repo, 'node_modules', name, bin);

async function step<T>(name: string, body: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const value = await body();
  console.log(`  ok  ${name} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return value;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new StepFailure(message);
}

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  bin?: string | Record<string, string>;
  exports?: unknown;
  main?: string;
  module?: string;
  types?: string;
}
const manifestAt = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/**
 * The installed directory (relative to the repo) of every package `names` need at run
 * time, found as Node finds them: nested node_modules first, then up the tree.
 */
function runtimeClosure(names: readonly string[]): string[] {
  const found = new Set<string>();
  const visit = (from: string, name: string) => {
    for (let dir = from; ; ) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(repo, candidate, 'package.json'))) {
        if (!found.has(candidate)) {
          found.add(candidate);
          const manifest = manifestAt(join(repo, candidate));
          const required = Object.keys(manifest.peerDependencies ?? {}).filter((peer) => manifest.peerDependenciesMeta?.[peer]?.optional !== true);
          for (const dependency of [...Object.keys(manifest.dependencies ?? {}), ...required]) visit(candidate, dependency);
        }
        return;
      }
      if (dir === '') throw new StepFailure(`${name} (needed by ${from || 'capa-kit'}) is not installed in ${repo}node_modules: run npm ci`);
      const parent = dir.lastIndexOf('/node_modules/');
      dir = parent < 0 ? '' : dir.slice(0, parent);
    }
  };
  for (const name of names) visit('', name);
  return [...found].sort();
}

/** The consumer's tsconfig for one module system. */
function tsconfig(name: string, compilerOptions: Record<string, unknown>, include: readonly string[]): void {
  const base = { target: 'ES2022', strict: true, noUncheckedIndexedAccess: true, types: ['node'], resolveJsonModule: true, verbatimModuleSyntax: true, skipLibCheck: true, rootDir: '.' };
  writeFileSync(join(consumer, name), `${JSON.stringify({ compilerOptions: { ...base, ...compilerOptions }, include }, null, 2)}\n`);
}

async function main(): Promise<void> {
  console.log(`check:packed in ${scratch}`);
  const manifest = manifestAt(repo);
  // Every file package.json points at must be built, or the consumer's errors would say less.
  const targets = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value === 'string') targets.add(value);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(collect);
  };
  collect([manifest.exports, manifest.bin, manifest.main, manifest.module, manifest.types]);
  const missing = [...targets].filter((target) => !existsSync(join(repo, target)));
  check(missing.length === 0, `dist/ is incomplete (run npm run build): ${missing.join(', ')}`);

  // 1. Pack.
  const tarball = await step('npm pack', async () => {
    mkdirSync(join(scratch, 'pack'));
    const { stdout } = await npm('npm pack', ['pack', '--json', '--ignore-scripts', '--pack-destination', join(scratch, 'pack')], 0, { cwd: repo });
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string; size: number; files: { path: string }[] }[];
    check(packed !== undefined, `npm pack printed no package:\n${stdout}`);
    const stray = packed!.files.map((file) => file.path).filter((path) => !/^(dist\/|package\.json$|README\.md$|LICENSE$|CHANGELOG\.md$)/.test(path));
    check(stray.length === 0, `the tarball holds files outside dist/ and the docs: ${stray.join(', ')}`);
    console.log(`      ${packed!.filename}: ${packed!.files.length} files, ${(packed!.size / 1024).toFixed(0)} kB`);
    return join(scratch, 'pack', basename(packed!.filename));
  });

  // 2. Install it into a consumer, offline.
  await step('npm install --offline (the tarball; dependencies copied from node_modules)', async () => {
    mkdirSync(consumer, { recursive: true });
    writeFileSync(
      join(consumer, 'package.json'),
      `${JSON.stringify({ name: 'capa-kit-consumer', private: true, type: 'module', dependencies: { 'capa-kit': `file:${relative(consumer, tarball)}` } }, null, 2)}\n`,
    );
    for (const path of runtimeClosure(Object.keys(manifest.dependencies ?? {}))) {
      cpSync(join(repo, path), join(consumer, path), { recursive: true });
      // npm reinstalls (from the registry) a package whose bin links are missing: link them as npm would.
      const copied = manifestAt(join(consumer, path));
      const bins = typeof copied.bin === 'string' ? { [copied.name.replace(/^@[^/]+\//, '')]: copied.bin } : (copied.bin ?? {});
      for (const [name, target] of Object.entries(bins)) {
        const binDir = join(consumer, dirname(path), '.bin');
        mkdirSync(binDir, { recursive: true });
        symlinkSync(relative(binDir, join(consumer, path, target)), join(binDir, name));
      }
    }
    // The consumer's tools, one level up: its code finds them, capa-kit's own lookups only after its declared dependencies.
    for (const name of ['vitest', 'fast-check', '@types/node']) {
      mkdirSync(dirname(join(scratch, 'node_modules', name)), { recursive: true });
      symlinkSync(join(repo, 'node_modules', name), join(scratch, 'node_modules', name), 'dir');
    }
    await npm('npm install', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error']);
    const installed = manifestAt(join(consumer, 'node_modules', 'capa-kit'));
    check(installed.version === manifest.version, `installed capa-kit ${installed.version}, packed ${manifest.version}`);
  });

  // 3. Type-check the examples and fixtures against the installed types.
  cpSync(join(repo, 'examples'), join(consumer, 'examples'), { recursive: true });
  cpSync(join(here, '..', 'consumer'), join(consumer, 'fixtures'), { recursive: true });
  // The declaration files themselves are checked once (skipLibCheck false, under nodenext):
  // it costs seconds per program, and they are the same files whichever resolution found them.
  tsconfig('tsconfig.nodenext.json', { module: 'nodenext', moduleResolution: 'nodenext', outDir: 'build', skipLibCheck: false }, ['examples', 'fixtures/entries.ts']);
  tsconfig('tsconfig.bundler.json', { module: 'esnext', moduleResolution: 'bundler', noEmit: true }, ['examples', 'fixtures/entries.ts']);
  tsconfig('tsconfig.node16.json', { module: 'node16', moduleResolution: 'node16', outDir: 'build-cjs' }, ['fixtures/entries.cts']);
  const tsc = tool('typescript', 'bin/tsc');
  await step('tsc: examples and fixtures under nodenext (ESM) and bundler, the CommonJS fixture under node16', () =>
    Promise.all([
      node('tsc -p tsconfig.nodenext.json', [tsc, '-p', 'tsconfig.nodenext.json']),
      node('tsc -p tsconfig.bundler.json', [tsc, '-p', 'tsconfig.bundler.json']),
      node('tsc -p tsconfig.node16.json', [tsc, '-p', 'tsconfig.node16.json']),
    ]),
  );
  check(existsSync(join(consumer, 'build-cjs', 'fixtures', 'entries.cjs')), 'the CommonJS fixture was not emitted as .cjs');

  // 4. Run everything on Node, against the installed package.
  const capa = (what: string, args: readonly string[], expected = 0) => npm(what, ['exec', '--offline', '--no', '--', 'capa', ...args], expected);
  const store = join(scratch, 'demo-store');
  const log = join(scratch, 'acme.jsonl');
  await step('run: ESM and CommonJS fixtures, examples, the capa bin, the custom store under vitest', () =>
    Promise.all([
      node('ESM fixture', ['build/fixtures/entries.js']),
      node('CommonJS fixture', ['build-cjs/fixtures/entries.cjs']),
      node('examples/custom-policy', ['build/examples/custom-policy.js']),
      node('vitest: examples/custom-store', [tool('vitest', 'vitest.mjs'), 'run', '--dir', 'examples', '--reporter=dot']),
      (async () => {
        const help = await capa('capa --help', ['--help']);
        check(help.stdout.includes('Usage: capa'), `capa --help printed:\n${help.stdout}`);
        const version = await capa('capa --version', ['--version']);
        check(version.stdout.trim() === manifest.version, `capa --version printed ${version.stdout.trim()}, not ${manifest.version}`);
        await node('examples/demo', ['build/examples/demo.js', '--dir', store]);
        await capa('capa export', ['export', '--store', store, '--tenant', 'acme', '--out', log]);
        await capa('capa validate', ['validate', log, '--as-of', '2026-12-31']);
        await node('examples/validate-log on the exported log', ['build/examples/validate-log.js', log, '--as-of', '2026-12-31']);
        // One edited title: the record no longer matches its history.
        const lines = readFileSync(log, 'utf8').split('\n');
        const at = lines.findIndex((line) => line.includes('"title":"'));
        check(at > 0, 'the exported log has no finding with a title');
        lines[at] = lines[at]!.replace('"title":"', '"title":"Edited: ');
        const tampered = join(scratch, 'tampered.jsonl');
        writeFileSync(tampered, lines.join('\n'));
        const refused = await node('examples/validate-log on an edited log', ['build/examples/validate-log.js', tampered, '--as-of', '2026-12-31'], 1);
        check(/error record-mismatch/.test(refused.stdout), `validate-log did not report the edit:\n${refused.stdout}`);
        await capa('capa validate on an edited log', ['validate', tampered, '--as-of', '2026-12-31'], 1);
        await node('examples/validate-log on a missing file', ['build/examples/validate-log.js', join(scratch, 'missing.jsonl')], 2);
      })(),
    ]),
  );
}

try {
  await main();
  console.log(`check:packed passed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (keep) console.log(`kept ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
} catch (error) {
  console.error(`\ncheck:packed FAILED\n${error instanceof StepFailure ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  console.error(`\nThe scratch project is kept for a look: ${scratch}`);
  process.exitCode = 1;
}
