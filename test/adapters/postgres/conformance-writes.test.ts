import { pgliteConformance } from './conformance.js';

// The PostgreSQL adapter against the conformance kit's groups about writing.
pgliteConformance(['roundTrip', 'concurrency', 'batches', 'atomicity', 'idempotency', 'references']);
