// The release, from the changesets in .changeset/ (see CONTRIBUTING.md):
//
//   npm run release -- --dry-run    what the next release would be: the version bump and the
//                                   CHANGELOG.md section, made in a temporary copy. Changes
//                                   nothing here (`npm run release:dry-run` is the same).
//   npm run release -- --no-publish changeset version (bump package.json and the lock file,
//                                   write CHANGELOG.md, remove the changesets), then npm test
//                                   (which builds). Commit the result; publish later.
//   npm run release                 the same, then changeset publish (npm publish and a git
//                                   tag v<version>). Arguments after the flags go to
//                                   `changeset publish` (e.g. `-- --otp 123456`).
//
// `--quiet` (with --dry-run) prints one line: what `npm test` runs to check that every
// changeset parses and the release would go through.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const quiet = args.includes('--quiet');
const publish = !args.includes('--no-publish');
const forwarded = args.filter((arg) => !['--dry-run', '--quiet', '--no-publish'].includes(arg));

const changesetBin = join(repo, 'node_modules', '@changesets', 'cli', 'bin.js');
// Children run on this Node (24, from the node@^24 dev dependency), as npm scripts do.
const env = { ...process.env, PATH: [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter) };

/** A step that failed: the message is all the user needs (its output was shown). */
class ReleaseError extends Error {}

/** Runs a command in `cwd`, its output shown (or captured when `capture`); throws on failure. */
function sh(cwd: string, command: string, commandArgs: readonly string[], capture = false): string {
  const result = spawnSync(command, commandArgs, { cwd, env, encoding: 'utf8', stdio: capture ? 'pipe' : 'inherit' });
  if (result.status !== 0) {
    if (capture) process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    throw new ReleaseError(`\`${[command === process.execPath ? 'node' : command, ...commandArgs].join(' ')}\` failed (exit ${result.status ?? result.signal})`);
  }
  return result.stdout ?? '';
}

const changeset = (cwd: string, commandArgs: readonly string[], capture = false) => sh(cwd, process.execPath, [changesetBin, ...commandArgs], capture);

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** The changeset files waiting to be released. */
const pending = (dir: string) => readdirSync(join(dir, '.changeset')).filter((name) => name.endsWith('.md') && name !== 'README.md').sort();

const readVersion = (dir: string) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;

/** npm keeps the package's version in the lock file too; changesets does not touch it. */
function syncLockVersion(dir: string): void {
  const path = join(dir, 'package-lock.json');
  if (!existsSync(path)) return;
  const lock = JSON.parse(readFileSync(path, 'utf8')) as { version?: string; packages?: Record<string, { version?: string }> };
  const version = readVersion(dir);
  lock.version = version;
  if (lock.packages?.[''] !== undefined) lock.packages[''].version = version;
  writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
}

/** The part of the new CHANGELOG.md that is not in the old one: the release's section. */
function newSection(before: string, after: string): string {
  const oldBody = before.replace(/^# [^\n]*\n+/, '');
  const newBody = after.replace(/^# [^\n]*\n+/, '');
  return (oldBody.length > 0 && newBody.endsWith(oldBody) ? newBody.slice(0, newBody.length - oldBody.length) : newBody).trimEnd();
}

function bumpKind(from: string, to: string): string {
  const [a, b] = [from, to].map((version) => version.split(/[.-]/).map(Number));
  if (a![0] !== b![0]) return 'major';
  if (a![1] !== b![1]) return 'minor';
  return 'patch';
}

/** The next release, made in a temporary copy; prints what it would be. */
function dryRunRelease(): void {
  const changesets = pending(repo);
  const current = readVersion(repo);
  if (changesets.length === 0) {
    console.log(`release (dry run): no changesets in .changeset/: nothing to release (capa-kit stays ${current})`);
    return;
  }
  const copy = mkdtempSync(join(tmpdir(), 'capa-kit-release-'));
  try {
    for (const file of ['package.json', 'package-lock.json', 'CHANGELOG.md']) {
      if (existsSync(join(repo, file))) copyFileSync(join(repo, file), join(copy, file));
    }
    cpSync(join(repo, '.changeset'), join(copy, '.changeset'), { recursive: true });
    const before = existsSync(join(copy, 'CHANGELOG.md')) ? readFileSync(join(copy, 'CHANGELOG.md'), 'utf8') : '';
    changeset(copy, ['version'], true);
    syncLockVersion(copy);
    const next = readVersion(copy);
    const after = readFileSync(join(copy, 'CHANGELOG.md'), 'utf8');
    const left = pending(copy);
    if (left.length > 0) throw new ReleaseError(`changeset version left ${left.join(', ')} unreleased`);
    if (quiet) {
      console.log(`release (dry run): ${plural(changesets.length, 'changeset')} would release capa-kit ${current} → ${next} (${bumpKind(current, next)}); nothing was changed`);
    } else {
      console.log(`Dry run: nothing in ${repo} was changed (changeset version ran in ${copy}, now removed).\n`);
      console.log(`capa-kit ${current} → ${next} (${bumpKind(current, next)})\n`);
      console.log(`package.json, package-lock.json: "version": "${current}" → "${next}"`);
      console.log(`.changeset/: ${plural(changesets.length, 'changeset')} consumed: ${changesets.join(', ')}\n`);
      console.log(`CHANGELOG.md (${before === '' ? 'new file' : 'new section at the top'}):\n`);
      console.log(newSection(before, after));
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** The release itself, in the repo. */
function release(): void {
  if (pending(repo).length === 0) {
    throw new ReleaseError('no changesets in .changeset/: nothing to release. Add one with `npm run changeset`.');
  }
  const from = readVersion(repo);
  changeset(repo, ['version']);
  syncLockVersion(repo);
  const to = readVersion(repo);
  console.log(`\nrelease: capa-kit ${from} → ${to}; CHANGELOG.md written. Building and testing…\n`);
  try {
    const npmCli = process.env.npm_execpath;
    if (npmCli?.endsWith('.js') === true) sh(repo, process.execPath, [npmCli, 'test']);
    else sh(repo, 'npm', ['test']);
    if (publish) changeset(repo, ['publish', ...forwarded]);
  } catch (error) {
    if (!(error instanceof ReleaseError)) throw error;
    throw new ReleaseError(
      `${error.message}.\nThe repo already holds ${to} (package.json, package-lock.json, CHANGELOG.md, the changesets removed): ` +
        'fix the problem, then run `npm test` and `npx changeset publish`, or undo the version with git.',
    );
  }
  if (!publish) console.log(`\nrelease: ${to} is versioned, built and tested. Commit it, then publish with \`npx changeset publish\`.`);
  else console.log(`\nrelease: capa-kit ${to} published. Push the commit and its tag: git push --follow-tags`);
}

try {
  if (dryRun) dryRunRelease();
  else release();
} catch (error) {
  if (!(error instanceof ReleaseError)) throw error;
  console.error(`release: ${error.message}`);
  process.exitCode = 1;
}
