import { defineConfig } from 'vitest/config';

// Two projects: the whole suite runs with the process in a zone far from UTC
// (Chatham: +12:45/+13:45, with daylight saving), and the date-sensitive tests run
// again in UTC, so that passing can never depend on the machine's own zone.
const src = (path: string) => new URL(`./src/${path}`, import.meta.url).pathname;

export default defineConfig({
  resolve: {
    // Examples and tests import the package by name, as users do; in the repo that is the source.
    alias: [
      { find: /^capa-kit$/, replacement: src('index.ts') },
      { find: /^capa-kit\/machine$/, replacement: src('machine/index.ts') },
      { find: /^capa-kit\/schemas$/, replacement: src('schemas/entry.ts') },
      { find: /^capa-kit\/policies$/, replacement: src('policies/entry.ts') },
      { find: /^capa-kit\/register$/, replacement: src('register/index.ts') },
      { find: /^capa-kit\/stores\/file$/, replacement: src('stores/file/index.ts') },
      { find: /^capa-kit\/log$/, replacement: src('log/index.ts') },
      { find: /^capa-kit\/adapters\/sqlite$/, replacement: src('adapters/sqlite/index.ts') },
      { find: /^capa-kit\/adapters\/postgres$/, replacement: src('adapters/postgres/index.ts') },
      { find: /^capa-kit\/testing$/, replacement: src('testing/index.ts') },
    ],
  },
  test: {
    // A hang guard, not a speed target (those live in bench/): property and fuzz tests take
    // seconds, and several on a loaded 2-core machine; the default 5 s failed them for no fault.
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'chatham',
          // examples/: the custom store's conformance run, as an adapter author writes it.
          include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
          env: { TZ: 'Pacific/Chatham' },
        },
      },
      {
        extends: true,
        test: {
          name: 'utc',
          include: ['test/policies/**/*.test.ts', 'test/scenarios/**/*.test.ts'],
          env: { TZ: 'UTC' },
        },
      },
    ],
  },
});
