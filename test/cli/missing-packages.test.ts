import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runWithout } from '../fixtures/without-packages/index.js';

// A missing optional driver is exit 2 with the command that installs it, never a stack
// trace: the real `capa` (src/cli/bin.ts) in a child Node in which the driver is not
// installed, as far as it can tell (see test/fixtures/without-packages).
const dir = mkdtempSync(join(tmpdir(), 'capa-cli-drivers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const BIN = 'src/cli/bin.ts';

describe('capa without its optional drivers', () => {
  it('postgres:// without pg: exit 2, "npm install pg", one line', () => {
    const run = runWithout(['pg'], BIN, ['export', '--store', 'postgres://capa:s3cret@127.0.0.1:1/capa', '--tenant', 'acme'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('capa: CAPA_MISSING_PACKAGE: --store postgres://… needs the package "pg", which is not installed: npm install pg\n');
    expect(run.stdout).toBe('');
  });

  it('sqlite: without better-sqlite3 on a Node without node:sqlite: exit 2, "npm install better-sqlite3", nothing created', () => {
    const run = runWithout(['better-sqlite3', 'node:sqlite'], BIN, ['migrate', '--store', 'sqlite:new.db'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'capa: CAPA_MISSING_PACKAGE: --store sqlite:PATH needs the package "better-sqlite3", which is not installed: npm install better-sqlite3 (or run capa on Node.js 22.13 or newer, which has node:sqlite built in)\n',
    );
    expect(existsSync(join(dir, 'new.db'))).toBe(false);
  });

  it('sqlite: without better-sqlite3 uses node:sqlite', () => {
    const run = runWithout(['better-sqlite3'], BIN, ['migrate', '--store', 'sqlite:fallback.db'], dir);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^SQLite \S+fallback\.db: schema version 0 -> \d+\.\n$/);
    expect(run.status).toBe(0);
  });
});
