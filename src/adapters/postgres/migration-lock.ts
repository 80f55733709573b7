import type { SqlTables } from '../sql/identifiers.js';
import type { SqlStatement } from '../sql/program.js';

// Concurrent migrate() calls (several instances starting at once) take a transaction-level
// advisory lock first, keyed by the tables they migrate: the second waits, then finds the
// tables at the latest version and does nothing.

/** The first key of capa-kit's advisory locks: "CAPA" in ASCII. */
const CAPA_LOCK_SPACE = 0x43415041;

/** FNV-1a: a stable 32-bit hash, as a signed integer (PostgreSQL's int4). */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

export function migrationLock(tables: SqlTables): SqlStatement {
  return { sql: 'SELECT pg_advisory_xact_lock($1, $2)', params: [CAPA_LOCK_SPACE, hash32(`${tables.schema ?? ''}.${tables.prefix}`)] };
}
