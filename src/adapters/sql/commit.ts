import { ConcurrencyError } from '../../errors/store-errors.js';
import type { CommitBatch, CommitResult, RecordKind, RecordWrite } from '../../store/contract.js';
import { referenceKey, referenceOf, refuseDuplicateReferences } from '../../store/references.js';
import { chunks } from './chunks.js';
import type { SqlDialect } from './dialect.js';
import type { SqlTables } from './identifiers.js';
import { parameters } from './parameters.js';
import type { SqlProgram, SqlRow, SqlStatement } from './program.js';
import { nullableText, RECORD_WRITE_COLUMNS, readInteger, recordParams } from './rows.js';

// A commit, as one program run in one transaction: take the tenant's sequence numbers (which
// locks it), check every expected version, the idempotency key and the references, then
// write. Refusals are
// thrown before any other write, and the transaction is rolled back whatever happens, so
// nothing is half-written.

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
 * Takes `count` numbers of the tenant's event sequence, in the statement that locks it, and
 * returns the value before them. On PostgreSQL the upsert locks the tenant's row until the
 * transaction ends, so the commits of one tenant run one at a time: the version checks that
 * follow cannot race, and the sequence has no gaps (a refused commit rolls the numbers back
 * with everything else). On SQLite, `BEGIN IMMEDIATE` has already taken the write lock.
 */
function* takeTenantSequence({ dialect, tables }: CommitSettings, tenant: unknown, count: number): SqlProgram<number> {
  const p = parameters(dialect);
  const [row] = yield p.statement(
    `INSERT INTO ${tables.sequences} AS s (tenant_id, name, value) VALUES (${p.add(tenant)}, 'events', ${p.add(count)}) ` +
      `ON CONFLICT (tenant_id, name) DO UPDATE SET value = s.value + excluded.value RETURNING value`,
  );
  return (row === undefined ? count : readInteger(row.value)) - count;
}

/**
 * The columns the version check reads back: every written column an UPDATE may leave as
 * it is (the key, the version and the document are always written). An UPDATE then sets
 * only those whose value changed, so SQLite rewrites only the indexes on them (most
 * commands change the status and the last activity, not the tenant, kind, raised date,
 * requirement or owner that the other indexes are on).
 */
const COMPARED_COLUMNS = RECORD_WRITE_COLUMNS.filter((column) => !['tenant_id', 'id', 'version', 'document'].includes(column));

/** Whether a value read back is the parameter about to be written (bytes compared as bytes). */
function sameValue(written: unknown, stored: unknown): boolean {
  if (written === null || written === undefined) return stored === null || stored === undefined;
  if (written instanceof Uint8Array && stored instanceof Uint8Array) {
    return written.length === stored.length && written.every((byte, i) => byte === stored[i]);
  }
  return written === stored;
}

/**
 * Refuses the batch, before anything is written, if a record is not at its expected
 * version; returns the stored rows (the compared columns), by id.
 */
function* checkVersions({ dialect, tables }: CommitSettings, tenant: unknown, writes: readonly RecordWrite[]): SqlProgram<Map<string, SqlRow>> {
  const stored = new Map<string, SqlRow>();
  for (const ids of chunks([...new Set(writes.map((write) => write.record.id))])) {
    const p = parameters(dialect);
    const rows = yield p.statement(
      `SELECT id, version, ${COMPARED_COLUMNS.join(', ')} FROM ${tables.records} ` +
        `WHERE tenant_id = ${p.add(tenant)} AND id IN (${p.list(ids.map((id) => dialect.text(id)))})`,
    );
    for (const row of rows) stored.set(dialect.readText(row.id), row);
  }
  for (const write of writes) {
    const row = stored.get(write.record.id);
    const actual = row === undefined ? 0 : readInteger(row.version);
    if (actual !== write.expectedVersion) throw new ConcurrencyError(write.record.id, write.expectedVersion, actual);
  }
  return stored;
}

/** Refuses the batch if its idempotency key is already stored. */
function* checkKey({ dialect, tables }: CommitSettings, tenant: unknown, key: string): SqlProgram<void> {
  const p = parameters(dialect);
  const rows = yield p.statement(`SELECT 1 AS used FROM ${tables.idempotency} WHERE tenant_id = ${p.add(tenant)} AND key = ${p.add(dialect.text(key))}`);
  if (rows.length > 0) throw new ConcurrencyError(`idempotency:${key}`, 0, null);
}

/**
 * Refuses the batch if a record would take a reference another record of its kind holds,
 * or two of its records the same one. Only a new record, or one whose reference changes,
 * can: the others are read for nothing. The tenant's row lock (PostgreSQL) or the write
 * lock (SQLite) keeps the answer true until the commit ends; the unique index on
 * (tenant, kind, reference) stands behind it.
 */
function* checkReferences({ dialect, tables }: CommitSettings, tenant: unknown, batch: CommitBatch, stored: Map<string, SqlRow>): SqlProgram<void> {
  const wanted = new Map<RecordKind, Set<string>>();
  for (const { record } of batch.writes) {
    const reference = referenceOf(record);
    const row = stored.get(record.id);
    if (reference === null || (row !== undefined && nullableText(dialect, row.reference) === reference)) continue;
    const references = wanted.get(record.kind) ?? new Set<string>();
    references.add(reference);
    wanted.set(record.kind, references);
  }
  const holders = new Map<string, string>();
  for (const [kind, references] of wanted) {
    for (const list of chunks([...references])) {
      const p = parameters(dialect);
      const rows = yield p.statement(
        `SELECT id, reference FROM ${tables.records} WHERE tenant_id = ${p.add(tenant)} AND kind = ${p.add(kind)} ` +
          `AND reference IN (${p.list(list.map((reference) => dialect.text(reference)))})`,
      );
      for (const row of rows) holders.set(referenceKey(kind, dialect.readText(row.reference)), dialect.readText(row.id));
    }
  }
  refuseDuplicateReferences(batch, (kind, reference) => holders.get(referenceKey(kind, reference)));
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

/**
 * Writes a checked record at its new version: a new one whole, a stored one with the
 * columns that changed (`stored`: its row as the check read it). The version guard refuses
 * a writer that slipped past the check.
 */
function* writeRecord({ dialect, tables }: CommitSettings, tenantId: string, write: RecordWrite, stored: SqlRow | undefined): SqlProgram<void> {
  const version = write.expectedVersion + write.events.length;
  const values = recordParams(dialect, tenantId, write.record, version);
  const stale = () => new ConcurrencyError(write.record.id, write.expectedVersion, null);
  const p = parameters(dialect);
  if (write.expectedVersion === 0) {
    const statement = p.statement(`INSERT INTO ${tables.records} (${RECORD_WRITE_COLUMNS.join(', ')}) VALUES (${p.list(values)})`);
    yield* refusingDuplicates(dialect, statement, stale);
    return;
  }
  // tenant_id and id (the first two columns) identify the row; of the rest, what changed is replaced.
  const assignments = RECORD_WRITE_COLUMNS.flatMap((column, i) =>
    i < 2 || (COMPARED_COLUMNS.includes(column) && stored !== undefined && sameValue(values[i], stored[column])) ? [] : [`${column} = ${p.add(values[i])}`],
  );
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
  const count = batch.writes.reduce((sum, write) => sum + write.events.length, 0);
  const current = yield* takeTenantSequence(settings, tenant, count);
  const stored = yield* checkVersions(settings, tenant, batch.writes);
  if (batch.idempotency !== undefined) yield* checkKey(settings, tenant, batch.idempotency.key);
  yield* checkReferences(settings, tenant, batch, stored);

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
    yield* writeRecord(settings, batch.tenantId, write, stored.get(write.record.id));
    if (settings.outbox) outbox.push(...events);
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
