// A child process for fast-check-missing.test.ts: imports the kit, registers it against the
// memory store with a recording describe/it, runs the group named in argv[2] (every group
// with "all") and prints one JSON line per test: its name, and its error's name, code and
// message if it failed.
import { expect } from 'vitest';
import { memoryStore } from '../../../src/stores/memory.js';
import { runStoreConformance } from '../../../src/testing/index.js';

const only = process.argv[2] ?? 'all';
const tests: { name: string; run: () => Promise<void> }[] = [];
const path: string[] = [];
runStoreConformance({
  name: 'memory',
  describe: (name, body) => {
    path.push(name);
    body();
    path.pop();
  },
  it: (name, run) => void tests.push({ name: [...path, name].join(' > '), run }),
  expect,
  createStore: async () => memoryStore(),
  runs: 2,
});
for (const test of tests) {
  if (only !== 'all' && !test.name.includes(`> ${only} >`)) continue;
  try {
    await test.run();
    process.stdout.write(`${JSON.stringify({ name: test.name })}\n`);
  } catch (error) {
    const { name, code, message } = error as { name: string; code?: string; message: string };
    process.stdout.write(`${JSON.stringify({ name: test.name, error: { name, code, message } })}\n`);
  }
}
