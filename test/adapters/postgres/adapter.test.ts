import { describe } from 'vitest';
import { atomicityTests, migrationTests, outboxTests, prefixTests } from '../sql/adapter-suite.js';
import { postgresHarness } from './harness.js';

// What the PostgreSQL adapter does beyond the storage contract, on PGlite: migrations and
// the printed SQL, table prefixes, the outbox, and refused commits that leave every table
// as it was.
describe('postgres (PGlite)', () => {
  const harness = postgresHarness();
  describe('migrations', () => migrationTests(harness));
  describe('table prefixes', () => prefixTests(harness));
  describe('outbox', () => outboxTests(harness));
  describe('refused commits', () => atomicityTests(harness));
});
