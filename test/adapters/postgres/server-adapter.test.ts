import { atomicityTests, migrationTests } from '../sql/adapter-suite.js';
import { serverDescribe } from './server.js';
import { serverHarness } from './server-harness.js';

// The shared migration and refused-commit suites on a real PostgreSQL server (CAPA_PG_URL;
// skipped without it): migration 3's backfill, its refusal of references already held
// twice, and the printed SQL, as a server runs them (PGlite runs the same in adapter.test.ts).
serverDescribe('postgres server: migrations and refused commits', () => {
  const harness = serverHarness();
  migrationTests(harness);
  atomicityTests(harness);
});
