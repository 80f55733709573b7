import { pgliteConformance } from './conformance.js';

// The PostgreSQL adapter against the conformance kit's groups about reading, content and
// several connections.
pgliteConformance(['tenantIsolation', 'queries', 'content', 'durability', 'connections']);
