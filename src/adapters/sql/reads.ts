import type { JsonValue, RecordKind, StoredEvent, StoredRecord } from '../../store/contract.js';
import { chunks } from './chunks.js';
import type { SqlDialect } from './dialect.js';
import { referenceSequenceName, type SqlTables } from './identifiers.js';
import { parameters } from './parameters.js';
import type { SqlProgram } from './program.js';
import { EVENT_COLUMNS, eventFromRow, readInteger, readJson, recordColumns, recordFromRow } from './rows.js';

// The store's reads, and the reference counter: each one statement (loads of many ids, a
// few), run without a transaction.

/** The records with these ids, in the order of `ids` (missing ones left out). */
export function* loadProgram(dialect: SqlDialect, tables: SqlTables, tenantId: string, ids: readonly string[]): SqlProgram<StoredRecord[]> {
  const found = new Map<string, StoredRecord>();
  for (const chunk of chunks([...new Set(ids)])) {
    const p = parameters(dialect);
    const rows = yield p.statement(
      `SELECT ${recordColumns(dialect)} FROM ${tables.records} AS r ` +
        `WHERE r.tenant_id = ${p.add(dialect.text(tenantId))} AND r.id IN (${p.list(chunk.map((id) => dialect.text(id)))})`,
    );
    for (const row of rows) {
      const record = recordFromRow(dialect, row);
      found.set(record.id, record);
    }
  }
  return ids.flatMap((id) => {
    const record = found.get(id);
    return record === undefined ? [] : [record];
  });
}

export function* readEventsProgram(dialect: SqlDialect, tables: SqlTables, tenantId: string, recordId: string, afterSequence: number): SqlProgram<StoredEvent[]> {
  const p = parameters(dialect);
  const rows = yield p.statement(
    `SELECT ${EVENT_COLUMNS} FROM ${tables.events} WHERE tenant_id = ${p.add(dialect.text(tenantId))} ` +
      `AND record_id = ${p.add(dialect.text(recordId))} AND sequence > ${p.add(afterSequence)} ORDER BY sequence`,
  );
  return rows.map((row) => eventFromRow(dialect, row));
}

/** A limit as a SQL LIMIT: whole, at most the largest safe integer (`Infinity` reads everything). */
const sqlLimit = (limit: number): number => Math.min(Math.floor(limit), Number.MAX_SAFE_INTEGER);

export function* readTenantEventsProgram(dialect: SqlDialect, tables: SqlTables, tenantId: string, afterTenantSequence: number, limit: number): SqlProgram<StoredEvent[]> {
  if (!(limit >= 1)) return [];
  const p = parameters(dialect);
  const rows = yield p.statement(
    `SELECT ${EVENT_COLUMNS} FROM ${tables.events} WHERE tenant_id = ${p.add(dialect.text(tenantId))} ` +
      `AND tenant_sequence > ${p.add(afterTenantSequence)} ORDER BY tenant_sequence LIMIT ${p.add(sqlLimit(limit))}`,
  );
  return rows.map((row) => eventFromRow(dialect, row));
}

/** Counts the tenant's reference sequence of a kind up by one, in one atomic statement. */
export function* nextReferenceProgram(dialect: SqlDialect, tables: SqlTables, tenantId: string, kind: RecordKind): SqlProgram<number> {
  const p = parameters(dialect);
  const [row] = yield p.statement(
    `INSERT INTO ${tables.sequences} AS s (tenant_id, name, value) VALUES (${p.add(dialect.text(tenantId))}, ${p.add(referenceSequenceName(kind))}, 1) ` +
      `ON CONFLICT (tenant_id, name) DO UPDATE SET value = s.value + 1 RETURNING value`,
  );
  if (row === undefined) throw new Error('The reference upsert returned no row');
  return readInteger(row.value);
}

export function* idempotentResultProgram(dialect: SqlDialect, tables: SqlTables, tenantId: string, key: string): SqlProgram<JsonValue | undefined> {
  const p = parameters(dialect);
  const [row] = yield p.statement(
    `SELECT result FROM ${tables.idempotency} WHERE tenant_id = ${p.add(dialect.text(tenantId))} AND key = ${p.add(dialect.text(key))}`,
  );
  return row === undefined ? undefined : readJson(row.result);
}
