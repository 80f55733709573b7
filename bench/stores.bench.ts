// The stores side by side, in one run: memory, file (fsync on and off), SQLite (better-sqlite3
// and node:sqlite, synchronous NORMAL and FULL), PGlite and, with CAPA_PG_URL, a PostgreSQL
// server.
//
// 1. Commands per second: findings driven draft → closed by the register's 10-command happy
//    path (bench/lifecycle.ts), samples interleaved across the stores. Beside each SQL store,
//    its driver's raw write of the same rows (the record row and its event rows per command,
//    in one transaction each, as the store writes them; captured from a register run), so
//    that store/raw shows what the register and the store's checks cost over the bare writes.
// 2. Query latency at 100,000 and 1,000,000 findings (--query-findings): the overdue and the
//    open-by-owner work lists (and the overdue list's next page), through store.query(), on
//    registers seeded straight into the tables through the driver (test/adapters/sql/seed.ts).
//    1,000,000 for SQLite and PostgreSQL only: the memory and file stores answer a query by
//    reading every record, and PGlite seeds about 10,000 rows/s here (1.3 million rows would take
//    over two minutes).
// 3. Where a SQLite command's time goes: statements, BEGIN, COMMIT (log writes and
//    checkpoints) and the JavaScript around them, in a file and in memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import Database from 'better-sqlite3';
import pg from 'pg';
import { type CapaStore, type CommitBatch, type StoredRecord, memoryStore } from 'capa-kit/register';
import { fileStore } from 'capa-kit/stores/file';
import { type SqliteDatabase, sqliteStore } from 'capa-kit/adapters/sqlite';
import { type PostgresQueryable, pgliteDriver, postgresStore } from 'capa-kit/adapters/postgres';
import { sqliteDialect } from '../src/adapters/sqlite/dialect.js';
import { postgresDialect } from '../src/adapters/postgres/dialect.js';
import type { SqlDialect } from '../src/adapters/sql/dialect.js';
import { sqlTables, type SqlTables } from '../src/adapters/sql/identifiers.js';
import { RECORD_WRITE_COLUMNS, recordParams } from '../src/adapters/sql/rows.js';
import { QUERIES, recordsFor, seedRecord, seedRecords } from '../test/adapters/sql/seed.js';
import { type BenchResult, type Measurement, memory, median, round, throughput } from './harness.js';
import { type AsyncCandidate, drive, makeRegister, measureAllAsync, registerCandidate } from './lifecycle.js';

export interface StoresBenchOptions {
  /** As the other benchmarks: the stores drive findings / 10 findings (slow stores a fifth of that). */
  readonly findings: number;
  /** Register sizes for the query latencies, in findings. Default 100,000 and 1,000,000. */
  readonly queryFindings?: readonly number[];
  /** A PostgreSQL server; default CAPA_PG_URL. */
  readonly pgUrl?: string;
  readonly log?: (line: string) => void;
}

type Opened = { store: CapaStore; done: () => Promise<void> };

const temporary = (label: string) => mkdtempSync(join(tmpdir(), `capa-bench-${label}-`));

// ---------------------------------------------------------------------------
// Opening each store fresh for one sample.

function memoryOpener(): () => Promise<Opened> {
  return async () => ({ store: memoryStore(), done: async () => {} });
}

function fileOpener(fsync: boolean): () => Promise<Opened> {
  return async () => {
    const directory = temporary('file');
    const store = await fileStore(directory, { fsync });
    return { store, done: async () => (await store.close(), rmSync(directory, { recursive: true, force: true })) };
  };
}

type SqliteDriver = 'better-sqlite3' | 'node:sqlite';
const openSqlite = (driver: SqliteDriver, path: string): SqliteDatabase => (driver === 'better-sqlite3' ? new Database(path) : new DatabaseSync(path));

function sqliteOpener(driver: SqliteDriver, synchronous: 'NORMAL' | 'FULL'): () => Promise<Opened> {
  return async () => {
    const directory = temporary('sqlite');
    const store = await sqliteStore(openSqlite(driver, join(directory, 'capa.db')), { synchronous, closeDatabase: true });
    await store.migrate();
    return { store, done: async () => (await store.close(), rmSync(directory, { recursive: true, force: true })) };
  };
}

/** One PGlite instance for the whole run (2–3 s to start); each sample gets a schema of its own. */
let pglite: Promise<PGlite> | null = null;
const sharedPglite = () => (pglite ??= PGlite.create());
let schemas = 0;
const nextSchema = () => `bench_${process.pid}_${(schemas += 1)}`;

function pgliteOpener(): () => Promise<Opened> {
  return async () => {
    const database = await sharedPglite();
    const schema = nextSchema();
    const store = await postgresStore(pgliteDriver(database), { schema });
    await store.migrate();
    return { store, done: async () => (await store.close(), void (await database.exec(`DROP SCHEMA ${schema} CASCADE`))) };
  };
}

function serverOpener(url: string): () => Promise<Opened> {
  return async () => {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    const schema = nextSchema();
    const store = await postgresStore(pool, { schema });
    await store.migrate();
    return { store, done: async () => (await store.close(), await pool.query(`DROP SCHEMA ${schema} CASCADE`), await pool.end()) };
  };
}

// ---------------------------------------------------------------------------
// The raw baseline: the commits a register made, replayed as bare row writes.

/** The commit batches of `findings` findings driven through a register over a memory store. */
async function captureBatches(findings: number): Promise<CommitBatch[]> {
  const inner = memoryStore();
  const batches: CommitBatch[] = [];
  const recording: CapaStore = { ...inner, commit: (batch) => (batches.push(batch), inner.commit(batch)) };
  await drive(makeRegister(recording), 0, findings);
  return batches;
}

/** What a raw replay needs: run a statement, and run a function in one write transaction. */
interface RawWriter {
  readonly dialect: SqlDialect;
  readonly tables: SqlTables;
  run(sql: string, params: readonly unknown[]): Promise<void> | void;
  transaction(body: (run: (sql: string, params: readonly unknown[]) => Promise<void> | void) => Promise<void>): Promise<void>;
}

/**
 * Replays the batches as bare writes, one transaction per commit: each write's event rows in
 * one multi-row INSERT, then its record: an INSERT when new, else an UPDATE of the columns
 * that differ from its last write (what the store writes), no checks and no sequences.
 */
async function replayRaw(writer: RawWriter, batches: readonly CommitBatch[]): Promise<void> {
  const { dialect, tables } = writer;
  const last = new Map<string, unknown[]>();
  let tenantSequence = 0;
  const placeholders = (count: number, from = 1) => Array.from({ length: count }, (_, i) => dialect.placeholder(from + i)).join(', ');
  for (const batch of batches) {
    await writer.transaction(async (run) => {
      for (const write of batch.writes) {
        const tenant = dialect.text(batch.tenantId);
        const id = dialect.text(write.record.id);
        const rows = write.events.flatMap((event) => [tenant, id, event.sequence, (tenantSequence += 1), JSON.stringify(event.entry)]);
        const values = write.events.map((_, i) => `(${placeholders(5, i * 5 + 1)})`).join(', ');
        await run(`INSERT INTO ${tables.events} (tenant_id, record_id, sequence, tenant_sequence, entry) VALUES ${values}`, rows);
        const params = recordParams(dialect, batch.tenantId, write.record, write.expectedVersion + write.events.length);
        const before = last.get(write.record.id);
        last.set(write.record.id, params);
        if (before === undefined) {
          await run(`INSERT INTO ${tables.records} (${RECORD_WRITE_COLUMNS.join(', ')}) VALUES (${placeholders(params.length)})`, params);
          continue;
        }
        const changed = RECORD_WRITE_COLUMNS.map((column, i) => [column, i] as const).filter(([column, i]) => i >= 2 && (column === 'document' || String(params[i]) !== String(before[i])));
        const set = changed.map(([column], n) => `${column} = ${dialect.placeholder(n + 1)}`).join(', ');
        const n = changed.length;
        await run(`UPDATE ${tables.records} SET ${set} WHERE tenant_id = ${dialect.placeholder(n + 1)} AND id = ${dialect.placeholder(n + 2)}`, [
          ...changed.map(([, i]) => params[i]),
          params[0],
          params[1],
        ]);
      }
    });
  }
}

function sqliteRaw(database: SqliteDatabase): RawWriter {
  const statements = new Map<string, ReturnType<SqliteDatabase['prepare']>>();
  const run = (sql: string, params: readonly unknown[]) => {
    let statement = statements.get(sql);
    if (statement === undefined) statements.set(sql, (statement = database.prepare(sql)));
    statement.run(...params);
  };
  return {
    dialect: sqliteDialect,
    tables: sqlTables('capa_', null),
    run,
    async transaction(body) {
      database.exec('BEGIN IMMEDIATE');
      await body(run);
      database.exec('COMMIT');
    },
  };
}

function postgresRaw(query: PostgresQueryable, transaction: (body: (connection: PostgresQueryable) => Promise<void>) => Promise<void>, schema: string): RawWriter {
  return {
    dialect: postgresDialect,
    tables: sqlTables('capa_', schema),
    run: async (sql, params) => void (await query.query(sql, params)),
    transaction: (body) => transaction((connection) => body(async (sql, params) => void (await connection.query(sql, params)))),
  };
}

/** A raw candidate: a fresh migrated database per sample (untimed), then the replay (timed). */
function rawCandidate(name: string, batches: readonly CommitBatch[], open: () => Promise<{ writer: RawWriter; done: () => Promise<void> }>): AsyncCandidate {
  return {
    name,
    ops: batches.length,
    async sample() {
      const { writer, done } = await open();
      const t0 = process.hrtime.bigint();
      await replayRaw(writer, batches);
      const ns = Number(process.hrtime.bigint() - t0);
      await done();
      return ns;
    },
  };
}

function sqliteRawOpener(driver: SqliteDriver, synchronous: 'NORMAL' | 'FULL') {
  return async () => {
    const directory = temporary('sqlite-raw');
    const database = openSqlite(driver, join(directory, 'capa.db'));
    // The store sets the pragmas on the connection and creates the tables; the replay writes through the same connection.
    const store = await sqliteStore(database, { synchronous });
    await store.migrate();
    return {
      writer: sqliteRaw(database),
      done: async () => (await store.close(), database.close(), rmSync(directory, { recursive: true, force: true })),
    };
  };
}

function pgliteRawOpener() {
  return async () => {
    const database = await sharedPglite();
    const schema = nextSchema();
    const store = await postgresStore(pgliteDriver(database), { schema });
    await store.migrate();
    const driver = pgliteDriver(database);
    return {
      writer: postgresRaw(driver, (body) => driver.transaction(body), schema),
      done: async () => (await store.close(), void (await database.exec(`DROP SCHEMA ${schema} CASCADE`))),
    };
  };
}

function serverRawOpener(url: string) {
  return async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    const schema = nextSchema();
    const store = await postgresStore(pool, { schema });
    await store.migrate();
    const client = await pool.connect();
    const connection: PostgresQueryable = { query: async (sql, params) => (await client.query(sql, [...params])).rows };
    return {
      writer: postgresRaw(connection, async (body) => {
        await client.query('BEGIN');
        await body(connection);
        await client.query('COMMIT');
      }, schema),
      done: async () => {
        client.release();
        await store.close();
        await pool.query(`DROP SCHEMA ${schema} CASCADE`);
        await pool.end();
      },
    };
  };
}

// ---------------------------------------------------------------------------
// Where a SQLite command's time goes: the register and the adapter's JavaScript, SQLite
// running the statements, and BEGIN IMMEDIATE / COMMIT (COMMIT writes the pages to the
// write-ahead log, and every 1,000 pages or so a checkpoint copies them into the database).

interface SqliteBreakdown {
  readonly total: number;
  readonly statements: number;
  readonly begin: number;
  readonly commit: number;
  /** Pages written to the write-ahead log per command. */
  readonly walPages: number;
}

/** Drives `findings` findings through a register over SQLite with every statement and transaction timed, in µs per command. */
async function sqliteBreakdown(driver: SqliteDriver, path: string, findings: number): Promise<SqliteBreakdown> {
  const raw = openSqlite(driver, path);
  const ns = { statements: 0, begin: 0, commit: 0 };
  const timed = <T>(key: keyof typeof ns, body: () => T): T => {
    const started = process.hrtime.bigint();
    try {
      return body();
    } finally {
      ns[key] += Number(process.hrtime.bigint() - started);
    }
  };
  const database: SqliteDatabase = Object.assign(
    {
      prepare(sql: string) {
        const statement = raw.prepare(sql);
        return {
          ...(statement.reader === undefined ? {} : { reader: statement.reader }),
          all: (...params: unknown[]) => timed('statements', () => statement.all(...params)),
          run: (...params: unknown[]) => timed('statements', () => statement.run(...params)),
        };
      },
      exec: (sql: string) => timed(sql.startsWith('BEGIN') ? 'begin' : sql === 'COMMIT' ? 'commit' : 'statements', () => raw.exec(sql)),
      close: () => raw.close(),
    },
    driver === 'better-sqlite3' ? { pragma: () => undefined, name: path, memory: path === ':memory:' } : { location: () => (path === ':memory:' ? null : path) },
  );
  const store = await sqliteStore(database, { closeDatabase: true });
  await store.migrate();
  const register = makeRegister(store);
  await drive(register, -Math.min(findings, 100), 0);
  // Count the pages written to the log: with automatic checkpoints off, read how many pages
  // the log holds every 500 commands, then checkpoint (and so empty) it; the checkpoints'
  // time counts as COMMIT's, where automatic ones run.
  raw.exec('PRAGMA wal_autocheckpoint = 0');
  raw.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  let pages = 0;
  for (const key of Object.keys(ns) as (keyof typeof ns)[]) ns[key] = 0;
  const started = process.hrtime.bigint();
  for (let from = 0; from < findings; from += 50) {
    await drive(register, from, Math.min(findings, from + 50));
    if (path !== ':memory:') {
      pages += timed('commit', () => (raw.prepare('PRAGMA wal_checkpoint(PASSIVE)').all() as { log: number }[])[0]?.log ?? 0);
      timed('commit', () => raw.exec('PRAGMA wal_checkpoint(TRUNCATE)'));
    }
  }
  const total = Number(process.hrtime.bigint() - started);
  await store.close();
  const commands = findings * 10;
  const us = (value: number) => value / commands / 1000;
  return { total: us(total), statements: us(ns.statements), begin: us(ns.begin), commit: us(ns.commit), walPages: pages / commands };
}

// ---------------------------------------------------------------------------
// Query latency on seeded registers.

const QUERY_CASES = {
  overdue: 'overdue (open, due before a date), first page of 50',
  overdueNext: 'overdue, the page after a cursor',
  openByOwner: 'open by owner, first page',
} as const;
type QueryCase = keyof typeof QUERY_CASES;

/** The median latency of each work list through store.query(), in ms. */
async function queryLatencies(store: CapaStore, runs = 21): Promise<Record<QueryCase, number>> {
  const [tenant, overdue] = QUERIES.overdue();
  const [, byOwner] = QUERIES.openByOwner();
  // The page after the first (or, in a register too small for two pages, after the second record).
  const cursor = (await store.query(tenant, overdue)).cursor ?? (await store.query(tenant, { ...overdue, limit: 2 })).cursor;
  if (cursor === null) throw new Error('the seeded register has fewer than 3 overdue findings: give --query-findings of 1,000 or more');
  const next = { ...overdue, cursor };
  const time = async (request: typeof overdue) => {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = process.hrtime.bigint();
      await store.query(tenant, request);
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    return median(samples);
  };
  return { overdue: await time(overdue), overdueNext: await time(next), openByOwner: await time(byOwner) };
}

/** Seeds a contract store (memory, file) through commits: the same records, one event each, 1,000 to a batch. */
async function seedThroughCommits(store: CapaStore, records: number): Promise<void> {
  const byTenant = new Map<string, StoredRecord[]>();
  const flush = async (tenant: string, list: StoredRecord[]) => {
    await store.commit({
      tenantId: tenant,
      writes: list.map((record) => ({
        record: { ...record, version: 1 },
        expectedVersion: 0,
        events: [{ tenantId: tenant, recordId: record.id, sequence: 1, entry: { type: 'SEEDED', recordId: record.id } }],
      })),
    });
  };
  for (let i = 0; i < records; i++) {
    const record = seedRecord(i);
    const list = byTenant.get(record.tenantId) ?? [];
    list.push(record);
    if (list.length === 1000) {
      await flush(record.tenantId, list);
      byTenant.set(record.tenantId, []);
    } else byTenant.set(record.tenantId, list);
  }
  for (const [tenant, list] of byTenant) if (list.length > 0) await flush(tenant, list);
}

// ---------------------------------------------------------------------------

const NAMES = {
  memory: 'stores: memory',
  fileOff: 'stores: file, fsync off',
  fileOn: 'stores: file, fsync on',
  sqlite: (driver: SqliteDriver, sync: string) => `stores: SQLite ${driver}, synchronous ${sync}`,
  pglite: 'stores: PGlite',
  server: 'stores: PostgreSQL server',
  raw: (name: string) => `${name.replace('stores: ', 'raw writes: ')}`,
} as const;

export async function benchStores(options: StoresBenchOptions): Promise<BenchResult[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const pgUrl = options.pgUrl ?? (process.env.CAPA_PG_URL || undefined);
  const results: BenchResult[] = [];
  const repeats = Math.max(1, Math.min(5, options.findings));
  const slice = Math.max(1, Math.floor(options.findings / 10 / repeats));
  const slow = Math.max(1, Math.floor(slice / 5));
  const warm = (n: number) => Math.min(n, 100);
  const report = (m: Measurement) =>
    log(`  ${m.name}: ${Math.round(m.opsPerSecond).toLocaleString('en-US')} ops/s, ${(m.nsPerOp / 1000).toFixed(1)} µs/op (spread ${(m.spread * 100).toFixed(0)}%, cpu/wall ${m.cpuPerWall?.toFixed(2) ?? '-'})`);
  log(`  stores: ${slice.toLocaleString('en-US')} findings a sample (${slow.toLocaleString('en-US')} for fsync-per-commit stores, PGlite and the server), ${repeats} samples; PostgreSQL server: ${pgUrl === undefined ? 'none (set CAPA_PG_URL)' : 'yes'}`);

  // 1. Commands per second, every store and its raw baseline, samples interleaved.
  const t0 = Date.now();
  const [batches, slowBatches] = [await captureBatches(slice), await captureBatches(slow)];
  const candidates: AsyncCandidate[] = [
    registerCandidate(NAMES.memory, slice, warm(slice), memoryOpener()),
    registerCandidate(NAMES.fileOff, slice, warm(slice), fileOpener(false)),
    registerCandidate(NAMES.fileOn, slow, warm(slow), fileOpener(true)),
  ];
  const pairs: [string, string][] = [];
  for (const driver of ['better-sqlite3', 'node:sqlite'] as const) {
    for (const sync of ['NORMAL', 'FULL'] as const) {
      const name = NAMES.sqlite(driver, sync);
      const n = sync === 'NORMAL' ? slice : slow;
      candidates.push(registerCandidate(name, n, warm(n), sqliteOpener(driver, sync)));
      candidates.push(rawCandidate(NAMES.raw(name), sync === 'NORMAL' ? batches : slowBatches, sqliteRawOpener(driver, sync)));
      pairs.push([name, NAMES.raw(name)]);
    }
  }
  candidates.push(registerCandidate(NAMES.pglite, slow, warm(slow), pgliteOpener()), rawCandidate(NAMES.raw(NAMES.pglite), slowBatches, pgliteRawOpener()));
  pairs.push([NAMES.pglite, NAMES.raw(NAMES.pglite)]);
  if (pgUrl !== undefined) {
    candidates.push(registerCandidate(NAMES.server, slow, warm(slow), serverOpener(pgUrl)), rawCandidate(NAMES.raw(NAMES.server), slowBatches, serverRawOpener(pgUrl)));
    pairs.push([NAMES.server, NAMES.raw(NAMES.server)]);
  }
  const measured = await measureAllAsync(candidates, repeats, report);
  const byName = new Map(measured.map((m) => [m.name, m]));
  log(`  stores, commands per second: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const unit = 'commands/s';
  const mem = byName.get(NAMES.memory)!;
  results.push(throughput(mem, unit));
  results.push(throughput(byName.get(NAMES.fileOff)!, unit, mem), throughput(byName.get(NAMES.fileOn)!, unit, byName.get(NAMES.fileOff)));
  for (const [name, raw] of pairs) results.push(throughput(byName.get(name)!, unit, byName.get(raw)), throughput(byName.get(raw)!, unit));
  for (const driver of ['better-sqlite3', 'node:sqlite'] as const) {
    results.push(throughput(byName.get(NAMES.sqlite(driver, 'FULL'))!, unit, byName.get(NAMES.sqlite(driver, 'NORMAL'))));
  }
  for (const m of measured) if (!m.name.startsWith('raw')) results.push({ name: `${m.name}: time per command`, value: round(m.nsPerOp / 1000, 1), unit: 'µs/command', baseline: null, ratio: null });

  // Where a SQLite command's time goes, in a file and in memory (no I/O at all).
  const t1 = Date.now();
  const breakdownFindings = Math.max(slice, 100);
  for (const where of ['file', 'memory'] as const) {
    const directory = temporary('sqlite-breakdown');
    const b = await sqliteBreakdown('better-sqlite3', where === 'file' ? join(directory, 'capa.db') : ':memory:', breakdownFindings);
    rmSync(directory, { recursive: true, force: true });
    const prefix = `SQLite breakdown (better-sqlite3, NORMAL, ${where === 'file' ? 'a file' : 'in memory'})`;
    const part = (name: string, value: number): BenchResult => ({ name: `${prefix}: ${name}`, value: round(value, 1), unit: 'µs/command', baseline: `${prefix}: time per command`, ratio: round(value / b.total) });
    results.push(
      { name: `${prefix}: time per command`, value: round(b.total, 1), unit: 'µs/command', baseline: null, ratio: null },
      part('BEGIN IMMEDIATE', b.begin),
      part('statements (SQLite running them, rows to JS)', b.statements),
      part('COMMIT (write-ahead log writes and checkpoints)', b.commit),
      part('register and adapter JavaScript (the rest)', b.total - b.begin - b.statements - b.commit),
    );
    if (where === 'file') results.push({ name: `${prefix}: pages written to the log`, value: round(b.walPages, 1), unit: 'pages/command', baseline: null, ratio: null });
    log(`  ${prefix}: ${b.total.toFixed(0)} µs/command = BEGIN ${b.begin.toFixed(0)} + statements ${b.statements.toFixed(0)} + COMMIT ${b.commit.toFixed(0)} + the rest ${(b.total - b.begin - b.statements - b.commit).toFixed(0)}${where === 'file' ? `; ${b.walPages.toFixed(1)} log pages/command` : ''}`);
  }
  log(`  stores, SQLite breakdown (${breakdownFindings.toLocaleString('en-US')} findings): ${((Date.now() - t1) / 1000).toFixed(1)} s`);

  // 2. Query latency on seeded registers.
  const sizes = options.queryFindings ?? [100_000, 1_000_000];
  for (const findings of sizes) {
    const records = recordsFor(findings);
    const label = `${findings.toLocaleString('en-US')} findings`;
    const push = (store: string, latencies: Record<QueryCase, number>) => {
      for (const key of Object.keys(QUERY_CASES) as QueryCase[]) {
        results.push({ name: `query at ${label}: ${store}, ${QUERY_CASES[key]}`, value: round(latencies[key], 3), unit: 'ms', baseline: null, ratio: null });
      }
      log(`  query at ${label}, ${store}: overdue ${latencies.overdue.toFixed(3)} ms, next page ${latencies.overdueNext.toFixed(3)} ms, open by owner ${latencies.openByOwner.toFixed(3)} ms`);
    };
    const seeded = (what: string, ms: number) => log(`  ${what}: ${label} (${records.toLocaleString('en-US')} records) seeded in ${(ms / 1000).toFixed(1)} s`);

    // SQLite: seeded once with better-sqlite3, queried with each driver.
    {
      const directory = temporary('sqlite-query');
      const path = join(directory, 'capa.db');
      const database = new Database(path);
      const setup = await sqliteStore(database);
      await setup.migrate();
      const statements = new Map<string, Database.Statement>();
      // A page cache of 512 MB for the seeding connection: eight indexes of a million rows do not fit in the default 2 MB.
      database.exec('PRAGMA cache_size = -524288');
      database.exec('BEGIN');
      const { ms } = await seedRecords(sqliteDialect, sqlTables('capa_', null), (sql, params) => {
        let statement = statements.get(sql);
        if (statement === undefined) statements.set(sql, (statement = database.prepare(sql)));
        return statement.run(...params);
      }, 0, records);
      database.exec('COMMIT');
      database.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      await setup.close();
      database.close();
      seeded('SQLite', ms);
      for (const driver of ['better-sqlite3', 'node:sqlite'] as const) {
        const store = await sqliteStore(openSqlite(driver, path), { closeDatabase: true });
        push(`SQLite ${driver}`, await queryLatencies(store));
        await store.close();
      }
      rmSync(directory, { recursive: true, force: true });
    }

    if (pgUrl !== undefined) {
      const pool = new pg.Pool({ connectionString: pgUrl, max: 4 });
      const schema = nextSchema();
      const store = await postgresStore(pool, { schema });
      await store.migrate();
      const { ms } = await seedRecords(postgresDialect, sqlTables('capa_', schema), async (sql, params) => void (await pool.query(sql, [...params])), 0, records);
      await pool.query(`ANALYZE "${schema}"."capa_records"`);
      seeded('PostgreSQL server', ms);
      push('PostgreSQL server', await queryLatencies(store));
      await store.close();
      await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      await pool.end();
    }

    if (findings > 100_000) {
      log(`  query at ${label}: memory, file and PGlite skipped (memory and file read every record per query; PGlite seeds ~10,000 rows/s)`);
      continue;
    }
    {
      const database = await sharedPglite();
      const schema = nextSchema();
      const store = await postgresStore(pgliteDriver(database), { schema });
      await store.migrate();
      const { ms } = await seedRecords(postgresDialect, sqlTables('capa_', schema), async (sql, params) => void (await database.query(sql, [...params])), 0, records);
      await database.query(`ANALYZE "${schema}"."capa_records"`);
      seeded('PGlite', ms);
      push('PGlite', await queryLatencies(store));
      await store.close();
      await database.exec(`DROP SCHEMA ${schema} CASCADE`);
    }
    {
      const store = memoryStore();
      const started = performance.now();
      await seedThroughCommits(store, records);
      seeded('memory', performance.now() - started);
      push('memory', await queryLatencies(store, 7));
      await store.close();
    }
    {
      const directory = temporary('file-query');
      const store = await fileStore(directory, { fsync: false });
      const started = performance.now();
      await seedThroughCommits(store, records);
      seeded('file', performance.now() - started);
      push('file', await queryLatencies(store, 7));
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    }
    memory.sample();
  }
  if (pglite !== null) await (await pglite).close();
  pglite = null;
  return results;
}

/** Lines saying whether the issue's targets are met. */
export function storeVerdicts(results: readonly BenchResult[]): string[] {
  const ok = (met: boolean) => (met ? 'MET' : 'NOT MET');
  const lines: string[] = [];
  const rates = (['better-sqlite3', 'node:sqlite'] as const).map((driver) => [driver, results.find((r) => r.name === NAMES.sqlite(driver, 'NORMAL') && r.unit === 'commands/s')] as const);
  if (rates.every(([, row]) => row !== undefined)) {
    lines.push(
      `SQLite target ≥ 10,000 commands/s with synchronous NORMAL: ${ok(rates.every(([, row]) => row!.value >= 10_000))} (${rates.map(([driver, row]) => `${driver} ${row!.value.toLocaleString('en-US')}`).join(', ')})`,
    );
  }
  const overdue = results.filter((r) => r.name.startsWith('query at 1,000,000 findings: ') && r.name.endsWith(QUERY_CASES.overdue));
  if (overdue.length > 0) {
    const store = (r: BenchResult) => r.name.slice('query at 1,000,000 findings: '.length, -(QUERY_CASES.overdue.length + 2));
    lines.push(`overdue query < 5 ms at 1,000,000 findings: ${ok(overdue.every((r) => r.value < 5))} (${overdue.map((r) => `${store(r)} ${r.value} ms`).join(', ')})`);
  }
  return lines;
}


/**
 * The register sizes of the query latencies from `--query-findings 100000,1000000` (or
 * BENCH_QUERY_FINDINGS); undefined for the default.
 */
export function queryFindingsArg(argv: readonly string[]): number[] | undefined {
  let raw: string | undefined = process.env.BENCH_QUERY_FINDINGS;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--query-findings') raw = argv[i + 1];
    else if (arg.startsWith('--query-findings=')) raw = arg.slice('--query-findings='.length);
  }
  if (raw === undefined) return undefined;
  const sizes = raw.split(',').map((part) => Number(part.replaceAll('_', '')));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1000)) throw new Error(`--query-findings needs whole numbers of at least 1,000, comma-separated, got ${raw}`);
  return sizes;
}
