import type { JsonValue, RecordKind, StoredEvent, StoredRecord } from '../../store/contract.js';
import type { SqlDialect } from './dialect.js';
import type { SqlRow } from './program.js';

// Rows to the contract's shapes and back. Every read parses its JSON afresh, so a caller
// never holds what another caller holds.

/** The columns of a record, read through the alias `r`. */
export const recordColumns = (dialect: SqlDialect): string =>
  [
    'r.kind',
    'r.id',
    'r.tenant_id',
    'r.version',
    'r.head',
    'r.reference',
    'r.status',
    'r.open',
    'r.grade',
    'r.source',
    'r.owner_id',
    'r.requirement',
    'r.cause_category',
    'r.due_date',
    'r.raised_at',
    'r.last_activity_at',
    'r.search_text',
    `${dialect.jsonText('r.document')} AS document`,
  ].join(', ');

/** The columns of an event. */
export const EVENT_COLUMNS = 'tenant_id, record_id, sequence, tenant_sequence, entry';

/** A 64-bit integer column (a number, a bigint, or a string from `pg`) as a number. */
export const readInteger = (value: unknown): number => Number(value);

export const nullableText = (dialect: SqlDialect, value: unknown): string | null => (value === null || value === undefined ? null : dialect.readText(value));

/** A JSON text column as a fresh value. */
export const readJson = (value: unknown): JsonValue => JSON.parse(String(value)) as JsonValue;

export function recordFromRow(dialect: SqlDialect, row: SqlRow): StoredRecord {
  return {
    kind: dialect.readText(row.kind) as RecordKind,
    id: dialect.readText(row.id),
    tenantId: dialect.readText(row.tenant_id),
    version: readInteger(row.version),
    head: nullableText(dialect, row.head),
    index: {
      reference: nullableText(dialect, row.reference),
      status: dialect.readText(row.status),
      open: dialect.readBool(row.open),
      grade: nullableText(dialect, row.grade),
      source: nullableText(dialect, row.source),
      ownerId: nullableText(dialect, row.owner_id),
      requirement: nullableText(dialect, row.requirement),
      causeCategory: nullableText(dialect, row.cause_category),
      dueDate: nullableText(dialect, row.due_date),
      raisedAt: dialect.readText(row.raised_at),
      lastActivityAt: dialect.readText(row.last_activity_at),
      text: dialect.readSearchText(row.search_text),
    },
    document: readJson(row.document),
  };
}

export function eventFromRow(dialect: SqlDialect, row: SqlRow): StoredEvent {
  return {
    tenantId: dialect.readText(row.tenant_id),
    recordId: dialect.readText(row.record_id),
    sequence: readInteger(row.sequence),
    tenantSequence: readInteger(row.tenant_sequence),
    entry: readJson(row.entry),
  };
}

/** A nullable contract string as a text parameter. */
export const textOrNull = (dialect: SqlDialect, value: string | null): unknown => (value === null ? null : dialect.text(value));

/** The parameters of a record's columns, in the order of {@link RECORD_WRITE_COLUMNS}. */
export function recordParams(dialect: SqlDialect, tenantId: string, record: StoredRecord, version: number): unknown[] {
  const { index } = record;
  return [
    dialect.text(tenantId),
    dialect.text(record.id),
    record.kind,
    version,
    textOrNull(dialect, record.head),
    textOrNull(dialect, index.reference ?? null),
    dialect.text(index.status),
    dialect.bool(index.open),
    textOrNull(dialect, index.grade),
    textOrNull(dialect, index.source),
    textOrNull(dialect, index.ownerId),
    textOrNull(dialect, index.requirement),
    textOrNull(dialect, index.causeCategory),
    textOrNull(dialect, index.dueDate),
    dialect.text(index.raisedAt),
    dialect.text(index.lastActivityAt),
    dialect.searchText(index.text),
    JSON.stringify(record.document),
  ];
}

/** The columns {@link recordParams} fills, in order. */
export const RECORD_WRITE_COLUMNS = [
  'tenant_id',
  'id',
  'kind',
  'version',
  'head',
  'reference',
  'status',
  'open',
  'grade',
  'source',
  'owner_id',
  'requirement',
  'cause_category',
  'due_date',
  'raised_at',
  'last_activity_at',
  'search_text',
  'document',
] as const;
