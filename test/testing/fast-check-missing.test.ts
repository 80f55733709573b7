import { describe, expect, it } from 'vitest';
import { runWithout } from '../fixtures/without-packages/index.js';

// fast-check is an optional peer of capa-kit/testing: without it the kit still imports and
// runs, and each property test says which package to install. In a child Node in which
// fast-check is not installed, as far as it can tell (see test/fixtures/without-packages).
interface Outcome {
  readonly name: string;
  readonly error?: { readonly name: string; readonly code?: string; readonly message: string };
}

const outcomes = (packages: readonly string[]): Outcome[] => {
  const run = runWithout(packages, 'test/testing/support/kit-run.ts', ['all']);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Outcome);
};

describe('capa-kit/testing without fast-check', () => {
  it('imports, runs the tests that need no fast-check, and fails each property test with the install command', { timeout: 120_000 }, () => {
    const all = outcomes(['fast-check']);
    const properties = all.filter((test) => test.name.endsWith('(property)'));
    expect(properties.map((test) => test.name.split(' > ')[1])).toEqual(['round trip', 'atomicity', 'queries']);
    for (const test of properties) {
      expect(test.error, test.name).toEqual({
        name: 'MissingPackageError',
        code: 'CAPA_MISSING_PACKAGE',
        message:
          'capa-kit/testing needs the package "fast-check", which is not installed: npm install --save-dev fast-check (for its property tests; the other tests of the kit run without it)',
      });
    }
    const others = all.filter((test) => !test.name.endsWith('(property)'));
    expect(others.length).toBeGreaterThan(50);
    expect(others.filter((test) => test.error !== undefined)).toEqual([]);
  });

  it('with fast-check installed, the same run passes every test', { timeout: 120_000 }, () => {
    expect(outcomes([]).filter((test) => test.error !== undefined)).toEqual([]);
  });
});
