import type { Page, PageRequest, RecordFilter } from '../../store/contract.js';
import { checkPageLimit, decodeCursor, encodeCursor } from '../../store/cursor.js';
import type { SqlDialect } from './dialect.js';
import type { SqlTables } from './identifiers.js';
import { type Parameters, parameters } from './parameters.js';
import type { SqlRow, SqlStatement } from './program.js';
import { recordColumns, recordFromRow } from './rows.js';

// The declarative filter compiled to one SELECT: every condition in the database, pages
// by keyset on (raised_at, id) (the same opaque cursor as the memory store), one row more
// than the limit to know whether another page follows.

/** The list conditions of a filter and their columns. */
const LIST_COLUMNS = {
  status: 'status',
  grade: 'grade',
  source: 'source',
  ownerId: 'owner_id',
  requirement: 'requirement',
  causeCategory: 'cause_category',
} as const satisfies Partial<Record<keyof RecordFilter, string>>;

const RECURRENCE_COLUMNS = { requirement: 'requirement', causeCategory: 'cause_category' } as const;

/** Never true: what an empty list (or an impossible bound) compiles to. */
const NOTHING = '1 = 0';

/**
 * The bound of `count(*) > bound` for a whole count: moreThan's floor. `null` when no count
 * is more than it (NaN, Infinity).
 */
function countBound(moreThan: number): number | null {
  if (Number.isNaN(moreThan) || moreThan === Number.POSITIVE_INFINITY) return null;
  return moreThan === Number.NEGATIVE_INFINITY ? -1 : Math.floor(moreThan);
}

/** The WHERE conditions of a filter over records aliased `r`. */
function conditions(dialect: SqlDialect, tables: SqlTables, p: Parameters, tenantId: string, filter: RecordFilter): string[] {
  const where = [`r.tenant_id = ${p.add(dialect.text(tenantId))}`, `r.kind = ${p.add(dialect.text(filter.kind))}`];
  for (const [field, column] of Object.entries(LIST_COLUMNS) as [keyof typeof LIST_COLUMNS, string][]) {
    const values = filter[field];
    if (values === undefined) continue;
    // An empty list matches nothing; IN never matches NULL, as the contract says of lists.
    where.push(values.length === 0 ? NOTHING : `r.${column} IN (${p.list(values.map((value) => dialect.text(value)))})`);
  }
  if (filter.open !== undefined) where.push(`r.open = ${dialect.boolLiteral(filter.open)}`);
  if (filter.text !== undefined) where.push(dialect.contains('r.search_text', p.add(dialect.searchText(filter.text.toLowerCase()))));
  // NULL due dates fail every comparison, so records without one never match.
  if (filter.dueBefore !== undefined) where.push(`r.due_date < ${p.add(dialect.text(filter.dueBefore))}`);
  if (filter.dueOnOrBefore !== undefined) where.push(`r.due_date <= ${p.add(dialect.text(filter.dueOnOrBefore))}`);
  if (filter.inactiveSince !== undefined) where.push(`r.last_activity_at < ${p.add(dialect.text(filter.inactiveSince))}`);
  const recurrence = filter.recurrence;
  if (recurrence !== undefined) {
    const column = RECURRENCE_COLUMNS[recurrence.field];
    const since = dialect.text(recurrence.raisedSince);
    const bound = countBound(recurrence.moreThan);
    // Counted over the kind and the window only, not over the filter's other conditions.
    // Parameters are added in the order they appear: SQLite's `?` are positional.
    where.push(
      bound === null
        ? NOTHING
        : `r.raised_at >= ${p.add(since)} AND r.${column} IN (SELECT g.${column} FROM ${tables.records} AS g ` +
            `WHERE g.tenant_id = ${p.add(dialect.text(tenantId))} AND g.kind = ${p.add(dialect.text(filter.kind))} ` +
            `AND g.raised_at >= ${p.add(since)} AND g.${column} IS NOT NULL GROUP BY g.${column} HAVING count(*) > ${p.add(bound)})`,
    );
  }
  return where;
}

/**
 * The one statement a query runs: the records of a tenant matching the filter, after the
 * cursor, in (raised_at, id) order, `limit + 1` of them. Refuses a limit outside 1 to 1000
 * and a malformed cursor with a `RangeError`. Exposed so that tests can `EXPLAIN` it.
 */
export function compileRecordQuery(dialect: SqlDialect, tables: SqlTables, tenantId: string, request: PageRequest): SqlStatement {
  checkPageLimit(request.limit);
  const cursor = decodeCursor(request.cursor);
  const p = parameters(dialect);
  const where = conditions(dialect, tables, p, tenantId, request.filter);
  if (cursor !== null) where.push(`(r.raised_at, r.id) > (${p.add(dialect.text(cursor[0]))}, ${p.add(dialect.text(cursor[1]))})`);
  return p.statement(
    `SELECT ${recordColumns(dialect)} FROM ${tables.records} AS r WHERE ${where.join(' AND ')} ORDER BY r.raised_at, r.id LIMIT ${p.add(request.limit + 1)}`,
  );
}

/** The page of the rows of {@link compileRecordQuery}: at most `limit` records, and a cursor when more follow. */
export function pageFromRows(dialect: SqlDialect, rows: readonly SqlRow[], limit: number): Page {
  const records = rows.slice(0, limit).map((row) => recordFromRow(dialect, row));
  const last = records.at(-1);
  return { records, cursor: rows.length > limit && last !== undefined ? encodeCursor(last) : null };
}
