import { describe } from 'vitest';
import { atomicityTests, migrationTests, outboxTests, prefixTests } from '../sql/adapter-suite.js';
import { sqliteHarness } from './harness.js';
import { DRIVERS } from './support.js';

// What the SQLite adapter does beyond the storage contract, with each driver: migrations
// and the printed SQL, table prefixes, the outbox, and refused commits that leave every
// table as it was.
for (const driver of DRIVERS) {
  describe(`sqlite (${driver})`, () => {
    const harness = sqliteHarness(driver);
    describe('migrations', () => migrationTests(harness));
    describe('table prefixes', () => prefixTests(harness));
    describe('outbox', () => outboxTests(harness));
    describe('refused commits', () => atomicityTests(harness));
  });
}
