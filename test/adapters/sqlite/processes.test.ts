import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteStore } from '../../../src/adapters/sqlite/index.js';
import { type Driver, databasePath, openDatabase, temporaryDirectories } from './support.js';
import { buildWriterBundle, checkContention, type ContentionPlan, contend, spawnWriter, tally } from '../support/writers.js';

// Two processes writing one SQLite file through registers, on the same findings at the same
// moments. Each process (test/adapters/support/writer-child.ts) has two connections: a
// patient one (busy timeout 5 s) and an impatient one (busy timeout 0: a held write lock is
// a StoreBusyError at once). The test is the barrier: it sends each step to both processes
// and waits for both answers before the next, so both load the same version of the same
// finding and race to commit; no sleeps. Then it checks the file through a connection of
// its own: see checkContention.
const directories = temporaryDirectories('sqlite-processes');
let writerBundle: Awaited<ReturnType<typeof buildWriterBundle>>;
beforeAll(async () => {
  writerBundle = await buildWriterBundle();
});
afterAll(() => {
  writerBundle?.remove();
  directories.removeAll();
});

const PLAN: ContentionPlan = { raises: 8, raceRounds: 100, retryRounds: 30 };

const PAIRS: readonly (readonly [Driver, Driver])[] = [
  ['better-sqlite3', 'better-sqlite3'],
  ['node:sqlite', 'node:sqlite'],
  ['better-sqlite3', 'node:sqlite'],
];

describe('two processes writing one SQLite file', () => {
  it.each(PAIRS)('%s and %s: every command commits or is refused whole; nothing lost, duplicated or out of sequence', async (first, second) => {
    const path = databasePath(directories);
    const setup = await sqliteStore(openDatabase(first, path), { closeDatabase: true });
    await setup.migrate();
    await setup.close();

    const started = performance.now();
    const writers = await Promise.all([
      spawnWriter(writerBundle.bundle, { name: 'A', target: { kind: 'sqlite', driver: first, path } }),
      spawnWriter(writerBundle.bundle, { name: 'B', target: { kind: 'sqlite', driver: second, path } }),
    ]);
    let report;
    try {
      report = await contend(writers, PLAN);
    } finally {
      await Promise.all(writers.map((w) => w.close()));
    }
    const counts = tally(report);
    console.log(`sqlite ${first} + ${second}: ${JSON.stringify(counts)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // The race rounds did race: some comments lost (a conflict) or found the lock held (busy).
    expect((counts['comment conflict'] ?? 0) + (counts['comment busy'] ?? 0)).toBeGreaterThan(0);

    const store = await sqliteStore(openDatabase(second, path), { closeDatabase: true });
    try {
      await checkContention(store, report, PLAN, writers.length);
    } finally {
      await store.close();
    }
  }, 60_000);
});
