import type { SqlDialect } from '../../../src/adapters/sql/dialect.js';
import type { SqlTables } from '../../../src/adapters/sql/identifiers.js';
import { RECORD_WRITE_COLUMNS, recordParams } from '../../../src/adapters/sql/rows.js';
import type { PageRequest, StoredRecord } from '../../../src/store/contract.js';

// A large, realistic register for query plans and query benchmarks, seeded straight into
// a SQL store's records table (after migrate()), through the driver, in big multi-row
// statements: no register, no events (the record queries never read them).
//
// The distribution: a few tenants (one holds half the records, seven share the rest),
// three findings to one action, raised dates over six years up to AS_OF, due dates two
// weeks to six months after being raised, 2,000 owners (a few with much more than the
// rest). Most records are closed: open are about 60% of those raised in the last two
// months, 15% of those raised in the ten before, 1% of the older ones (about 4% in all).
// What it makes selective: overdue (open and due before AS_OF: about 2% of records), open
// by one owner (a handful), one small tenant among the others.

/** The tenants: `acme` holds half the records; the seven others share the rest. */
export const SEED_TENANTS = ['acme', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'] as const;
/** The date the overdue queries ask about. */
export const AS_OF = '2026-06-01';
export const OWNERS = 2000;
const DAY = 86_400_000;
const START = Date.parse('2020-06-01T00:00:00Z');
const SPAN = Date.parse('2026-06-01T00:00:00Z') - START;
const OPEN_STATUSES = ['reported', 'contained', 'investigating', 'planning', 'implementing', 'verifying'];
const ACTION_OPEN_STATUSES = ['planned', 'inProgress'];
const GRADES = ['minor', 'major', 'observation'];
const SOURCES = ['internal-audit', 'external-audit', 'incident', 'self-identified'];
const CAUSES = ['process', 'people', 'technology', 'supplier', null];

/** mulberry32: a small seeded generator, so every run seeds the same rows. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(list: readonly T[], r: number): T => list[Math.floor(r * list.length)] as T;
const ownerId = (n: number) => `u-${String(n).padStart(4, '0')}`;
/** Owners with a few open records each: what the open-by-owner query asks for. */
export const SAMPLE_OWNER = ownerId(17);

/** The tenant of the `i`-th seeded record. */
export function seedTenant(i: number, r: number): string {
  return r < 0.5 ? 'acme' : (SEED_TENANTS[1 + (i % (SEED_TENANTS.length - 1))] as string);
}

/**
 * The `i`-th record of a seeded register (the same for the same `i` and `seed`). Its
 * document is about 600 bytes: a register's is a few kB, so a real table is larger and
 * favours indexes more than this one does.
 */
export function seedRecord(i: number, seed = 1): StoredRecord {
  const next = random(seed * 1_000_003 + i);
  const tenantId = seedTenant(i, next());
  const kind = i % 4 === 3 ? 'action' : 'finding';
  const raised = START + Math.floor(next() * SPAN);
  const age = (START + SPAN - raised) / DAY;
  const open = next() < (age < 60 ? 0.6 : age < 365 ? 0.15 : 0.01);
  const raisedAt = new Date(raised).toISOString();
  const due = new Date(raised + (14 + Math.floor(next() * 180)) * DAY).toISOString().slice(0, 10);
  // Skewed: low numbers own much more than high ones.
  const owner = ownerId(Math.floor(next() ** 2 * OWNERS));
  const id = `${kind === 'finding' ? 'f' : 'a'}-${i.toString(36).padStart(6, '0')}`;
  const status = open ? pick(kind === 'finding' ? OPEN_STATUSES : ACTION_OPEN_STATUSES, next()) : kind === 'finding' ? 'closed' : 'done';
  const lastActivityAt = new Date(raised + Math.floor(next() * Math.min(200, age)) * DAY).toISOString();
  const reference = `NC-${raisedAt.slice(0, 4)}-${String(i).padStart(6, '0')}`;
  const title = `Leavers kept active accounts in system ${i % 97}`;
  return {
    kind,
    id,
    tenantId,
    version: 10,
    head: (i * 2654435761).toString(16).padStart(64, '0').slice(-64),
    index: {
      reference: kind === 'finding' ? reference : `CA-${raisedAt.slice(0, 4)}-${String(i).padStart(6, '0')}`,
      status,
      open,
      grade: kind === 'finding' ? pick(GRADES, next()) : null,
      source: kind === 'finding' ? pick(SOURCES, next()) : null,
      ownerId: owner,
      requirement: `ISO/IEC 27001:2022 A.${5 + (i % 4)}.${1 + (i % 37)}`,
      causeCategory: kind === 'finding' ? pick(CAUSES, next()) : null,
      // One record in ten has no deadline (observations, some actions).
      dueDate: next() < 0.1 ? null : due,
      raisedAt,
      lastActivityAt,
      text: `${reference.toLowerCase()} ${title.toLowerCase()}`,
    },
    document: {
      format: 1,
      [kind]: {
        id,
        reference,
        title,
        description: 'Two leavers kept active accounts for weeks after leaving; the directory export and the HR list disagree.',
        owner: { id: owner, name: `Owner ${owner}` },
        status,
        raisedAt,
        dueDate: due,
        notes: 'x'.repeat(200),
      },
    },
  };
}

/** How many records to seed for `findings` findings: one record in four is an action. */
export const recordsFor = (findings: number): number => Math.ceil((findings * 4) / 3);

/** What a seeding run did. */
export interface SeedResult {
  readonly records: number;
  readonly ms: number;
}

/**
 * Seeds records `from` … `to - 1` into a migrated store's records table: multi-row INSERTs
 * of `batch` rows (SQLite: `?` lists; PostgreSQL: one INSERT … SELECT FROM unnest() of one
 * array per column, so a statement holds thousands of rows in 17 parameters). The caller
 * runs it inside a transaction (much faster on SQLite) and ANALYZEs afterwards.
 */
export async function seedRecords(
  dialect: SqlDialect,
  tables: SqlTables,
  execute: (sql: string, params: readonly unknown[]) => unknown,
  from: number,
  to: number,
  options: { batch?: number; seed?: number } = {},
): Promise<SeedResult> {
  const started = performance.now();
  const columns = RECORD_WRITE_COLUMNS.join(', ');
  const batch = options.batch ?? (dialect.name === 'sqlite' ? 500 : 5000);
  for (let start = from; start < to; start += batch) {
    const end = Math.min(to, start + batch);
    const rows: unknown[][] = [];
    for (let i = start; i < end; i++) {
      const record = seedRecord(i, options.seed);
      rows.push(recordParams(dialect, record.tenantId, record, record.version));
    }
    if (dialect.name === 'sqlite') {
      const row = `(${RECORD_WRITE_COLUMNS.map(() => '?').join(', ')})`;
      await execute(`INSERT INTO ${tables.records} (${columns}) VALUES ${rows.map(() => row).join(', ')}`, rows.flat());
    } else {
      // The search text goes in as text and is converted to the column's bytea; the rest as typed arrays.
      const SEARCH = RECORD_WRITE_COLUMNS.indexOf('search_text');
      const types = RECORD_WRITE_COLUMNS.map((column) =>
        column === 'version' ? 'bigint[]' : column === 'open' ? 'boolean[]' : column === 'document' ? 'json[]' : 'text[]',
      );
      const arrays = RECORD_WRITE_COLUMNS.map((_, c) =>
        rows.map((row) => (c === SEARCH ? new TextDecoder().decode(row[c] as Uint8Array) : row[c])),
      );
      const selected = RECORD_WRITE_COLUMNS.map((column, c) => (c === SEARCH ? `convert_to(u.${column}, 'UTF8')` : `u.${column}`));
      await execute(
        `INSERT INTO ${tables.records} (${columns}) SELECT ${selected.join(', ')} FROM unnest(${types.map((type, c) => `$${c + 1}::${type}`).join(', ')}) AS u(${columns})`,
        arrays,
      );
    }
  }
  return { records: to - from, ms: performance.now() - started };
}

/** The selective queries of a work list, as the register asks them. */
export const QUERIES = {
  overdue: (tenantId = 'acme'): [string, PageRequest] => [tenantId, { filter: { kind: 'finding', open: true, dueBefore: AS_OF }, limit: 50 }],
  openByOwner: (tenantId = 'acme'): [string, PageRequest] => [tenantId, { filter: { kind: 'finding', open: true, ownerId: [SAMPLE_OWNER] }, limit: 50 }],
  tenantPage: (tenantId = 'theta'): [string, PageRequest] => [tenantId, { filter: { kind: 'finding' }, limit: 50 }],
} as const;
