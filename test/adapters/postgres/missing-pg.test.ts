import { describe, expect, it } from 'vitest';
import { runWithout } from '../../fixtures/without-packages/index.js';

// `pg` is an optional peer: a connection string without it installed is a typed error with
// the install command, not the module loader's "Cannot find package". Run in a child Node
// in which pg is not installed, as far as it can tell (see test/fixtures/without-packages).
const URL = 'postgres://capa:capa@127.0.0.1:1/capa';

describe('postgresStore(connectionString) without pg', () => {
  it('is a MissingPackageError (CAPA_MISSING_PACKAGE) saying npm install pg', () => {
    const run = runWithout(['pg'], 'test/adapters/postgres/support/open-url.ts', [URL]);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      name: 'MissingPackageError',
      code: 'CAPA_MISSING_PACKAGE',
      message: 'postgresStore(connectionString) needs the package "pg", which is not installed: npm install pg (or pass a pool or a driver)',
    });
  });

  it('with pg installed, the same script opens the store (the pool connects only when used)', () => {
    const run = runWithout([], 'test/adapters/postgres/support/open-url.ts', [URL]);
    expect(JSON.parse(run.stdout)).toEqual({ opened: true });
  });
});
