import { describe, expect, it } from 'vitest';
import { postgresDialect } from '../../../src/adapters/postgres/dialect.js';
import { sqlTables } from '../../../src/adapters/sql/identifiers.js';
import { compileRecordQuery, pageFromRows } from '../../../src/adapters/sql/query.js';
import { sqliteDialect } from '../../../src/adapters/sqlite/dialect.js';
import type { PageRequest, RecordFilter, StoredRecord } from '../../../src/store/contract.js';
import { encodeCursor } from '../../../src/store/cursor.js';

// The filter compiler: one statement per query, every condition in SQL. The conformance
// kit checks what the statements return; these pin what they say, so a change to the SQL
// (and to the indexes it can use) shows up in review.

const sqlite = (filter: RecordFilter, extra: Partial<PageRequest> = {}) =>
  compileRecordQuery(sqliteDialect, sqlTables('capa_', null), 'acme', { filter, limit: 50, ...extra });
const postgres = (filter: RecordFilter, extra: Partial<PageRequest> = {}) =>
  compileRecordQuery(postgresDialect, sqlTables('capa_', 'compliance'), 'acme', { filter, limit: 50, ...extra });

/** The WHERE clause alone, for short snapshots. */
const where = (sql: string) => sql.slice(sql.indexOf(' WHERE ') + 7, sql.lastIndexOf(' ORDER BY '));

const cursorAt = (raisedAt: string, id: string) => encodeCursor({ id, index: { raisedAt } } as StoredRecord);

describe('compileRecordQuery', () => {
  it('selects the record columns of a tenant and kind, in keyset order, one row over the limit', () => {
    const { sql, params } = sqlite({ kind: 'finding' });
    expect(sql).toMatchInlineSnapshot(`"SELECT r.kind, r.id, r.tenant_id, r.version, r.head, r.reference, r.status, r.open, r.grade, r.source, r.owner_id, r.requirement, r.cause_category, r.due_date, r.raised_at, r.last_activity_at, r.search_text, r.document AS document FROM "capa_records" AS r WHERE r.tenant_id = ? AND r.kind = ? ORDER BY r.raised_at, r.id LIMIT ?"`);
    expect(params).toEqual(['acme', 'finding', 51]);
    const pg = postgres({ kind: 'action' });
    expect(pg.sql).toMatchInlineSnapshot(`"SELECT r.kind, r.id, r.tenant_id, r.version, r.head, r.reference, r.status, r.open, r.grade, r.source, r.owner_id, r.requirement, r.cause_category, r.due_date, r.raised_at, r.last_activity_at, r.search_text, r.document::text AS document FROM "compliance"."capa_records" AS r WHERE r.tenant_id = $1 AND r.kind = $2 ORDER BY r.raised_at, r.id LIMIT $3"`);
    expect(pg.params).toEqual(['acme', 'action', 51]);
  });

  it('each list condition is an IN list of its column, never matching NULL', () => {
    const lists = { status: ['raised', 'closed'], grade: ['minor'], source: ['incident'], ownerId: ['u-1', 'u-2'], requirement: ['A.5.18'], causeCategory: ['process'] };
    const { sql, params } = sqlite({ kind: 'finding', ...lists });
    expect(where(sql)).toMatchInlineSnapshot(`"r.tenant_id = ? AND r.kind = ? AND r.status IN (?, ?) AND r.grade IN (?) AND r.source IN (?) AND r.owner_id IN (?, ?) AND r.requirement IN (?) AND r.cause_category IN (?)"`);
    expect(params).toEqual(['acme', 'finding', 'raised', 'closed', 'minor', 'incident', 'u-1', 'u-2', 'A.5.18', 'process', 51]);
  });

  it('an empty list matches nothing', () => {
    for (const field of ['status', 'grade', 'source', 'ownerId', 'requirement', 'causeCategory'] as const) {
      const { sql, params } = sqlite({ kind: 'finding', [field]: [] });
      expect(where(sql), field).toBe('r.tenant_id = ? AND r.kind = ? AND 1 = 0');
      expect(params, field).toEqual(['acme', 'finding', 51]);
    }
  });

  it('open is a literal, so a partial index on open records can be proven to apply', () => {
    expect(where(sqlite({ kind: 'finding', open: true }).sql)).toBe('r.tenant_id = ? AND r.kind = ? AND r.open = 1');
    expect(where(sqlite({ kind: 'finding', open: false }).sql)).toBe('r.tenant_id = ? AND r.kind = ? AND r.open = 0');
    expect(where(postgres({ kind: 'finding', open: true }).sql)).toBe('r.tenant_id = $1 AND r.kind = $2 AND r.open = TRUE');
  });

  it('text is a lowercased plain substring: instr on SQLite, position in bytea on PostgreSQL', () => {
    const lite = sqlite({ kind: 'finding', text: 'LEAVERS 50%_' });
    expect(where(lite.sql)).toBe('r.tenant_id = ? AND r.kind = ? AND instr(r.search_text, ?) > 0');
    expect(lite.params[2]).toBe('leavers 50%_');
    const pg = postgres({ kind: 'finding', text: 'CAFÉ' });
    expect(where(pg.sql)).toBe('r.tenant_id = $1 AND r.kind = $2 AND position($3 in r.search_text) > 0');
    expect(pg.params[2]).toEqual(new TextEncoder().encode('café'));
  });

  it('dueBefore is strict, dueOnOrBefore inclusive, inactiveSince strict', () => {
    const { sql, params } = sqlite({ kind: 'finding', dueBefore: '2026-03-01', dueOnOrBefore: '2026-04-01', inactiveSince: '2026-02-01T00:00:00.000Z' });
    expect(where(sql)).toBe('r.tenant_id = ? AND r.kind = ? AND r.due_date < ? AND r.due_date <= ? AND r.last_activity_at < ?');
    expect(params).toEqual(['acme', 'finding', '2026-03-01', '2026-04-01', '2026-02-01T00:00:00.000Z', 51]);
  });

  it('recurrence: the record in the window, and its value shared by more than moreThan records of the kind in the window', () => {
    const { sql, params } = postgres({ kind: 'finding', status: ['closed'], recurrence: { field: 'causeCategory', moreThan: 2, raisedSince: '2026-01-01T00:00:00.000Z' } });
    expect(where(sql)).toMatchInlineSnapshot(`"r.tenant_id = $1 AND r.kind = $2 AND r.status IN ($3) AND r.raised_at >= $4 AND r.cause_category IN (SELECT g.cause_category FROM "compliance"."capa_records" AS g WHERE g.tenant_id = $5 AND g.kind = $6 AND g.raised_at >= $7 AND g.cause_category IS NOT NULL GROUP BY g.cause_category HAVING count(*) > $8)"`);
    expect(params).toEqual(['acme', 'finding', 'closed', '2026-01-01T00:00:00.000Z', 'acme', 'finding', '2026-01-01T00:00:00.000Z', 2, 51]);
    const byRequirement = sqlite({ kind: 'action', recurrence: { field: 'requirement', moreThan: 0, raisedSince: '2026-01-01T00:00:00.000Z' } });
    expect(where(byRequirement.sql)).toContain('r.requirement IN (SELECT g.requirement FROM "capa_records" AS g');
  });

  it('recurrence compares whole counts: a fractional moreThan is its floor, NaN and Infinity match nothing', () => {
    const recurring = (moreThan: number) => postgres({ kind: 'finding', recurrence: { field: 'requirement', moreThan, raisedSince: '2026-01-01T00:00:00.000Z' } });
    expect(recurring(1.5).params.at(-2)).toBe(1);
    expect(recurring(Number.NEGATIVE_INFINITY).params.at(-2)).toBe(-1);
    expect(where(recurring(Number.NaN).sql)).toBe('r.tenant_id = $1 AND r.kind = $2 AND 1 = 0');
    expect(where(recurring(Number.POSITIVE_INFINITY).sql)).toBe('r.tenant_id = $1 AND r.kind = $2 AND 1 = 0');
  });

  it('a cursor continues after its (raised_at, id), as a row comparison an index can range over', () => {
    const { sql, params } = sqlite({ kind: 'finding' }, { cursor: cursorAt('2026-01-01T00:00:00.000Z', 'f-😀') });
    expect(where(sql)).toBe('r.tenant_id = ? AND r.kind = ? AND (r.raised_at, r.id) > (?, ?)');
    expect(params).toEqual(['acme', 'finding', '2026-01-01T00:00:00.000Z', 'f-😀', 51]);
  });

  it('on PostgreSQL, parameters are numbered in the order they appear (so SQLite’s positional ? line up too)', () => {
    const everything: RecordFilter = {
      kind: 'finding', status: ['a'], open: true, grade: ['b'], source: ['c'], ownerId: ['d'], requirement: ['e'], causeCategory: ['f'], text: 'g',
      dueBefore: '2026-01-01', dueOnOrBefore: '2026-01-02', inactiveSince: '2026-01-03T00:00:00.000Z',
      recurrence: { field: 'requirement', moreThan: 1, raisedSince: '2026-01-04T00:00:00.000Z' },
    };
    const { sql, params } = postgres(everything, { cursor: cursorAt('2026-01-05T00:00:00.000Z', 'x') });
    const numbers = [...sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]));
    expect(numbers).toEqual(params.map((_, i) => i + 1));
    const lite = sqlite(everything, { cursor: cursorAt('2026-01-05T00:00:00.000Z', 'x') });
    expect(lite.sql.split('?').length - 1).toBe(lite.params.length);
    expect(lite.params).toEqual(params.map((value) => (value instanceof Uint8Array ? new TextDecoder().decode(value) : value)));
  });

  it('PostgreSQL text parameters are escaped like the stored values (U+0000 cannot be stored)', () => {
    const { params } = postgres({ kind: 'finding', ownerId: ['a\u0000b'] });
    expect(params[2]).toBe('a\u0001\u0001b');
  });

  it('refuses a limit outside 1 to 1000 and a malformed cursor with a RangeError, before any SQL', () => {
    for (const limit of [0, 1001, 1.5, Number.NaN]) expect(() => sqlite({ kind: 'finding' }, { limit })).toThrow(RangeError);
    expect(() => sqlite({ kind: 'finding' }, { cursor: 'not a cursor' })).toThrow(RangeError);
    expect(() => sqlite({ kind: 'finding' }, { cursor: btoa('[1,2]') })).toThrow(RangeError);
  });
});

describe('pageFromRows', () => {
  const row = (id: string) => ({
    kind: 'finding', id, tenant_id: 'acme', version: 1, head: null, status: 'raised', open: 1, grade: null, source: null, owner_id: null,
    requirement: null, cause_category: null, due_date: null, raised_at: '2026-01-01T00:00:00.000Z', last_activity_at: '2026-01-01T00:00:00.000Z',
    search_text: 'x', document: '{"format":1}',
  });

  it('keeps at most the limit, with a cursor at the last kept record only when a row more came back', () => {
    const full = pageFromRows(sqliteDialect, [row('a'), row('b'), row('c')], 2);
    expect(full.records.map((record) => record.id)).toEqual(['a', 'b']);
    expect(full.cursor).toBe(encodeCursor(full.records[1]!));
    const last = pageFromRows(sqliteDialect, [row('a'), row('b')], 2);
    expect(last.cursor).toBeNull();
    expect(pageFromRows(sqliteDialect, [], 2)).toEqual({ records: [], cursor: null });
  });
});
