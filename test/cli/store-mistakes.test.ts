import { DatabaseSync } from 'node:sqlite';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessReviews, runThroughRegister } from '../../examples/scenarios/index.js';
import { fileStore } from '../../src/stores/file/index.js';
import { capa, scratch } from './support.js';

// Mistakes people make with --store and --tenant (a misspelled scheme, an unset variable,
// a wrong path, a wrong tenant) never become an empty log that a later `capa validate`
// passes: each is exit 2 with a sentence, and nothing is created where the mistake points.
const dir = scratch('mistakes');
const SCHEMES = /Expected a file-store directory \(a path\), sqlite:PATH, or postgres:\/\/USER:PASSWORD@HOST\/DATABASE \(postgresql:\/\/ too\)\./;

beforeAll(async () => {
  const store = await fileStore(join(dir, 'store'));
  for await (const _step of runThroughRegister(store, [accessReviews]));
  await store.close();
  mkdirSync(join(dir, 'empty-directory'));
  const other = new DatabaseSync(join(dir, 'other.db'));
  other.exec('CREATE TABLE notes (body TEXT)');
  other.close();
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the scratch directory holds: nothing may appear in it because of a mistake. */
const listing = () => readdirSync(dir).sort();

describe('capa export refuses a store location it does not know, listing the forms it takes', () => {
  it.each([
    ['sqllite:x.db', /unknown scheme "sqllite:"/],
    ['postgress://capa:s3cret@db.example/capa', /unknown scheme "postgress:"/],
    ['file:store', /unknown scheme "file:"/],
    ['', /empty \(is a variable unset\?\)/],
    ['   ', /empty/],
    ['sqlite:', /sqlite: needs a path/],
    ['sqlite://x.db', /not a URL with \/\//],
    ['postgres:capa', /starts with postgres:\/\//],
  ])('--store %j', async (value, reason) => {
    const before = listing();
    const run = await capa(dir, ['export', '--store', value, '--tenant', 'acme', '--out', 'out.jsonl']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(reason);
    expect(run.stderr).toMatch(SCHEMES);
    expect(run.stderr).not.toContain('s3cret');
    expect(run.stdout).toBe('');
    expect(listing()).toEqual(before);
  });

  it('the same strict parsing for import and migrate', async () => {
    for (const argv of [
      ['import', 'x.jsonl', '--store', 'sqllite:x.db'],
      ['migrate', '--store', 'postgress://localhost/capa'],
    ]) {
      const run = await capa(dir, argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr).toMatch(SCHEMES);
    }
  });

  it('a directory whose name has a colon is written ./NAME', async () => {
    const run = await capa(dir, ['export', '--store', './sqllite:x.db', '--tenant', 'acme']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/No capa store at .*sqllite:x\.db: the directory does not exist/);
  });
});

describe('capa export opens only a store that is there, and creates nothing', () => {
  it.each([
    ['a missing directory', 'no-such-dir/store', /No capa store at \S*no-such-dir\/store: the directory does not exist\./],
    ['a directory without a journal', 'empty-directory', /No capa store at \S*empty-directory: the directory holds no capa\.journal/],
    ['a missing SQLite file', 'sqlite:missing.db', /No capa store at \S*missing\.db: the file does not exist/],
    ['a SQLite file in a missing directory', 'sqlite:no-such-dir/x.db', /No capa store at \S*no-such-dir\/x\.db: the directory \S*no-such-dir does not exist\./],
    ['a SQLite database without capa-kit tables', 'sqlite:other.db', /No capa store at \S*other\.db: the database has no capa-kit tables/],
  ])('%s: exit 2, "no capa store at …"', async (_case, value, message) => {
    const before = listing();
    const run = await capa(dir, ['export', '--store', value, '--tenant', 'acme', '--out', 'out.jsonl']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^capa: CAPA_STORE_MISSING: /);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/node:sqlite|\n\s+at /);
    expect(listing()).toEqual(before);
    expect(readdirSync(join(dir, 'empty-directory'))).toEqual([]);
  });

  it('an absolute SQLite path in a missing directory names the directory, not a missing node:sqlite', async () => {
    const run = await capa(dir, ['export', '--store', `sqlite:${join(dir, 'missing', 'dir', 'x.db')}`, '--tenant', 'acme']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`the directory ${join(dir, 'missing', 'dir')} does not exist`);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  it('leaves a SQLite database that is not a capa store as it was (not even its journal mode)', async () => {
    await capa(dir, ['export', '--store', 'sqlite:other.db', '--tenant', 'acme']);
    const other = new DatabaseSync(join(dir, 'other.db'));
    expect(other.prepare('PRAGMA journal_mode').all()).toEqual([{ journal_mode: 'delete' }]);
    other.close();
  });
});

describe('capa export refuses a tenant with no records, unless --allow-empty', () => {
  it('a misspelled tenant: exit 2, naming it and the store; no file written', async () => {
    const run = await capa(dir, ['export', '--store', 'store', '--tenant', 'acme-typo', '--out', 'typo.jsonl']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^capa: Tenant "acme-typo" has no records in file store \S+store: check --tenant \(or pass --allow-empty for an empty log\)\.\n$/);
    expect(existsSync(join(dir, 'typo.jsonl'))).toBe(false);
  });

  it('with --allow-empty, the empty log is written, and validate warns that it is empty', async () => {
    const run = await capa(dir, ['export', '--store', 'store', '--tenant', 'nobody', '--allow-empty', '--out', 'empty.jsonl']);
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'empty.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(2);
    expect((await capa(dir, ['validate', 'empty.jsonl', '--strict'])).stdout).toContain('empty-log');
  });

  it('the tenant that is there exports, from a store opened read-only (no lock left behind)', async () => {
    const run = await capa(dir, ['export', '--store', 'store', '--tenant', 'acme', '--out', 'acme.jsonl']);
    expect(run.code).toBe(0);
    expect((await capa(dir, ['validate', 'acme.jsonl'])).code).toBe(0);
    expect(readdirSync(join(dir, 'store'))).toEqual(['capa.journal']);
  });
});

describe('capa import and capa migrate create only what they are asked to', () => {
  it('import into a SQLite file that is not there needs --migrate; in a missing directory it is refused even then', async () => {
    await capa(dir, ['export', '--store', 'store', '--tenant', 'acme', '--out', 'acme.jsonl']);
    const without = await capa(dir, ['import', 'acme.jsonl', '--store', 'sqlite:new.db']);
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/No capa store at \S*new\.db: the file does not exist: capa migrate --store sqlite:PATH \(or capa import --migrate\) creates one\./);
    expect(existsSync(join(dir, 'new.db'))).toBe(false);
    const nowhere = await capa(dir, ['import', 'acme.jsonl', '--store', 'sqlite:no-such-dir/new.db', '--migrate']);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/the directory \S*no-such-dir does not exist/);
    const created = await capa(dir, ['import', 'acme.jsonl', '--store', 'sqlite:new.db', '--migrate']);
    expect(created.code).toBe(0);
  });

  it('import into a SQLite database without capa-kit tables and without --migrate: exit 2, the database left as it was', async () => {
    const run = await capa(dir, ['import', 'acme.jsonl', '--store', 'sqlite:other.db']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no capa-kit tables \(no capa_schema_migrations\): capa migrate --store … \(or capa import --migrate\) creates them\./);
    const other = new DatabaseSync(join(dir, 'other.db'));
    expect(other.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([{ name: 'notes' }]);
    other.close();
  });

  it('migrate creates a SQLite file only in a directory that exists', async () => {
    const run = await capa(dir, ['migrate', '--store', 'sqlite:no-such-dir/m.db']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/the directory \S*no-such-dir does not exist/);
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
  });
});
