import { ConcurrencyError } from '../../errors/store-errors.js';
import type { CommitBatch, CommitResult, RecordWrite } from '../../store/contract.js';
import { chunks } from './chunks.js';
import type { SqlDialect } from './dialect.js';
import type { SqlTables } from './identifiers.js';
import { parameters } from './parameters.js';
import type { SqlProgram, SqlRow, SqlStatement } from './program.js';
import { RECORD_WRITE_COLUMNS, readInteger, recordParams } from './rows.js';

// A commit, as one program run in one transaction: lock the tenant's sequence, check every
// expected version and the idempotency key, then write. Refusals are thrown before any
// write, and the transaction is rolled back whatever happens, so nothing is half-written.

/** What a commit needs to know about the store. */
export interface CommitSettings {
  readonly dialect: SqlDialect;
  readonly tables: SqlTables;
  /** Write one outbox row per committed event. */
  readonly outbox: boolean;
}

/** Runs a statement; a duplicate key becomes the given refusal (a concurrent writer got there first). */
function* refusingDuplicates(dialect: SqlDialect, statement: SqlStatement, refusal: () => ConcurrencyError): SqlProgram<readonly SqlRow[]> {
  try {
    return yield statement;
  } catch (error) {
    if (dialect.isUniqueViolation(error)) throw refusal();
    throw error;
  }
}

/**
 * Takes the tenant's event sequence and returns its value. On PostgreSQL the upsert locks
 * the tenant's row until the transaction ends, so the commits of one tenant run one at a
 * time: the version checks that follow cannot race, and the sequence has no gaps. On
 * SQLite, `BEGIN IMMEDIATE` has already taken the database's write lock.
 */
function* lockTenantSequence({ dialect, tables }: CommitSettings, tenant: unknown): SqlProgram<number> {
  const p = parameters(dialect);
  const [row] = yield p.statement(
    `INSERT INTO ${tables.sequences} AS s (tenant_id, name, value) VALUES (${p.add(tenant)}, 'events', 0) ` +
      `ON CONFLICT (tenant_id, name) DO UPDATE SET value = s.value RETURNING value`,
  );
  return row === undefined ? 0 : readInteger(row.value);
}

/** Refuses the batch, before anything is written, if a record is not at its expected version. */
function* checkVersions({ dialect, tables }: CommitSettings, tenant: unknown, writes: readonly RecordWrite[]): SqlProgram<void> {
  const versions = new Map<string, number>();
  for (const ids of chunks([...new Set(writes.map((write) => write.record.id))])) {
    const p = parameters(dialect);
    const rows = yield p.statement(
      `SELECT id, version FROM ${tables.records} WHERE tenant_id = ${p.add(tenant)} AND id IN (${p.list(ids.map((id) => dialect.text(id)))})`,
    );
    for (const row of rows) versions.set(dialect.readText(row.id), readInteger(row.version));
  }
  for (const write of writes) {
    const actual = versions.get(write.record.id) ?? 0;
    if (actual !== write.expectedVersion) throw new ConcurrencyError(write.record.id, write.expectedVersion, actual);
  }
}

/** Refuses the batch if its idempotency key is already stored. */
function* checkKey({ dialect, tables }: CommitSettings, tenant: unknown, key: string): SqlProgram<void> {
  const p = parameters(dialect);
  const rows = yield p.statement(`SELECT 1 AS used FROM ${tables.idempotency} WHERE tenant_id = ${p.add(tenant)} AND key = ${p.add(dialect.text(key))}`);
  if (rows.length > 0) throw new ConcurrencyError(`idempotency:${key}`, 0, null);
}

/** The columns of an {@link EventRow}, in the events table and in the outbox. */
const EVENT_WRITE_COLUMNS = 'tenant_id, record_id, sequence, tenant_sequence, entry';

/** One event row: tenant, record, sequence, tenant sequence, entry (JSON text, byte for byte). */
type EventRow = readonly [unknown, unknown, number, number, string];

function* insertRows(
  settings: CommitSettings,
  table: string,
  columns: string,
  rows: readonly EventRow[],
  refusal: (() => ConcurrencyError) | null,
): SqlProgram<void> {
  for (const chunk of chunks(rows)) {
    const p = parameters(settings.dialect);
    const statement = p.statement(`INSERT INTO ${table} (${columns}) VALUES ${chunk.map((row) => `(${p.list(row)})`).join(', ')}`);
    if (refusal === null) yield statement;
    else yield* refusingDuplicates(settings.dialect, statement, refusal);
  }
}

/** Writes a checked record at its new version; the version guard refuses a writer that slipped past the check. */
function* writeRecord({ dialect, tables }: CommitSettings, tenantId: string, write: RecordWrite): SqlProgram<void> {
  const version = write.expectedVersion + write.events.length;
  const values = recordParams(dialect, tenantId, write.record, version);
  const stale = () => new ConcurrencyError(write.record.id, write.expectedVersion, null);
  const p = parameters(dialect);
  if (write.expectedVersion === 0) {
    const statement = p.statement(`INSERT INTO ${tables.records} (${RECORD_WRITE_COLUMNS.join(', ')}) VALUES (${p.list(values)})`);
    yield* refusingDuplicates(dialect, statement, stale);
    return;
  }
  // tenant_id and id (the first two columns) identify the row; the rest is replaced.
  const assignments = RECORD_WRITE_COLUMNS.slice(2).map((column, i) => `${column} = ${p.add(values[i + 2])}`);
  const rows = yield p.statement(
    `UPDATE ${tables.records} SET ${assignments.join(', ')} ` +
      `WHERE tenant_id = ${p.add(values[0])} AND id = ${p.add(values[1])} AND version = ${p.add(write.expectedVersion)} RETURNING id`,
  );
  if (rows.length === 0) throw stale();
}

/** Commits a batch: everything or nothing, in the caller's transaction. */
export function* commitProgram(settings: CommitSettings, batch: CommitBatch): SqlProgram<CommitResult> {
  const { dialect, tables } = settings;
  const tenant = dialect.text(batch.tenantId);
  const current = yield* lockTenantSequence(settings, tenant);
  yield* checkVersions(settings, tenant, batch.writes);
  if (batch.idempotency !== undefined) yield* checkKey(settings, tenant, batch.idempotency.key);

  let sequence = current;
  const outbox: EventRow[] = [];
  for (const write of batch.writes) {
    const recordId = dialect.text(write.record.id);
    const events = write.events.map((event): EventRow => {
      sequence += 1;
      return [tenant, recordId, event.sequence, sequence, JSON.stringify(event.entry)];
    });
    const appended = () => new ConcurrencyError(write.record.id, write.expectedVersion, null);
    yield* insertRows(settings, tables.events, EVENT_WRITE_COLUMNS, events, appended);
    yield* writeRecord(settings, batch.tenantId, write);
    if (settings.outbox) outbox.push(...events);
  }
  if (sequence !== current) {
    const p = parameters(dialect);
    yield p.statement(`UPDATE ${tables.sequences} SET value = ${p.add(sequence)} WHERE tenant_id = ${p.add(tenant)} AND name = 'events'`);
  }
  if (batch.idempotency !== undefined) {
    const { key, result } = batch.idempotency;
    const p = parameters(dialect);
    const statement = p.statement(
      `INSERT INTO ${tables.idempotency} (tenant_id, key, result) VALUES (${p.add(tenant)}, ${p.add(dialect.text(key))}, ${p.add(JSON.stringify(result))})`,
    );
    yield* refusingDuplicates(dialect, statement, () => new ConcurrencyError(`idempotency:${key}`, 0, null));
  }
  yield* insertRows(settings, tables.outbox, EVENT_WRITE_COLUMNS, outbox, null);
  return { tenantSequence: sequence };
}
