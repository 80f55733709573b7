import type { JsonValue } from '../../store/contract.js';
import { chunks } from './chunks.js';
import type { SqlDialect } from './dialect.js';
import type { SqlTables } from './identifiers.js';
import { parameters } from './parameters.js';
import type { SqlProgram } from './program.js';
import { readInteger, readJson } from './rows.js';

/**
 * One committed event waiting in the outbox: written in the same transaction as its
 * commit, so it survives a crash between the commit and the notification it stands for.
 *
 * @example
 * ```ts
 * import type { OutboxMessage } from 'capa-kit/adapters/sqlite';
 *
 * const describe = (message: OutboxMessage) =>
 *   `${message.tenantId} #${message.tenantSequence}: ${message.recordId} event ${message.sequence}`;
 * ```
 */
export interface OutboxMessage {
  /** The outbox row's id: acknowledge it once the message is handled. Increasing, never reused. */
  readonly id: number;
  readonly tenantId: string;
  /** The event's tenant sequence. */
  readonly tenantSequence: number;
  readonly recordId: string;
  /** The event's sequence in its record. */
  readonly sequence: number;
  /** The sealed history entry, as committed. */
  readonly entry: JsonValue;
}

/**
 * The outbox of a SQL store: one row per committed event (when the store was opened with
 * `outbox: true`), read oldest first and deleted when acknowledged. Delivery is at least
 * once: a crash after sending and before `acknowledge` sends again, so make the handler
 * idempotent (the tenant sequence identifies an event). Read it from one consumer at a
 * time.
 *
 * @example
 * ```ts
 * import { sqliteStore, type SqlStore } from 'capa-kit/adapters/sqlite';
 *
 * declare const store: SqlStore;
 * declare function notify(entry: unknown): Promise<void>;
 * for (;;) {
 *   const messages = await store.outbox.read({ limit: 100 });
 *   if (messages.length === 0) break;
 *   for (const message of messages) await notify(message.entry);
 *   await store.outbox.acknowledge(messages.map((message) => message.id));
 * }
 * ```
 */
export interface SqlStoreOutbox {
  /** The oldest messages not yet acknowledged, every tenant's, at most `limit` (1 to 1000, default 100). */
  read(options?: { readonly limit?: number }): Promise<OutboxMessage[]>;
  /** Deletes the messages with these ids; resolves to how many there were (ids already gone are skipped). */
  acknowledge(ids: readonly number[]): Promise<number>;
}

export function* readOutboxProgram(dialect: SqlDialect, tables: SqlTables, limit: number): SqlProgram<OutboxMessage[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new RangeError(`Outbox read limit must be 1 to 1000, not ${limit}`);
  const p = parameters(dialect);
  const rows = yield p.statement(
    `SELECT id, tenant_id, tenant_sequence, record_id, sequence, entry FROM ${tables.outbox} ORDER BY id LIMIT ${p.add(limit)}`,
  );
  return rows.map((row) => ({
    id: readInteger(row.id),
    tenantId: dialect.readText(row.tenant_id),
    tenantSequence: readInteger(row.tenant_sequence),
    recordId: dialect.readText(row.record_id),
    sequence: readInteger(row.sequence),
    entry: readJson(row.entry),
  }));
}

export function* acknowledgeOutboxProgram(dialect: SqlDialect, tables: SqlTables, ids: readonly number[]): SqlProgram<number> {
  const bad = ids.find((id) => !Number.isSafeInteger(id));
  if (bad !== undefined) throw new RangeError(`Outbox ids are whole numbers from OutboxMessage.id, not ${String(bad)}`);
  let deleted = 0;
  for (const chunk of chunks([...new Set(ids)])) {
    const p = parameters(dialect);
    const rows = yield p.statement(`DELETE FROM ${tables.outbox} WHERE id IN (${p.list(chunk)}) RETURNING id`);
    deleted += rows.length;
  }
  return deleted;
}
