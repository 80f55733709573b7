import { UTCDateMini } from '@date-fns/utc/date/mini';
import { addDays } from 'date-fns/addDays';
import { parseRecord } from '../schemas/parse.js';
import type { SeverityPolicy } from '../schemas/severity-policy.js';
import type { RecordFilter } from '../store/contract.js';
import { FindingQuery } from './inputs.js';

const DAY = 86_400_000;

function plusDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return addDays(new UTCDateMini(year, month - 1, day, 12), days).toISOString().slice(0, 10);
}

const minusDays = (instant: string, days: number) => new Date(Date.parse(instant) - days * DAY).toISOString();

/**
 * Turns a register query into the store's declarative filter: windows become dates and
 * instants (staleness from the policy), so the store only compares. Returns `null` when
 * the conditions cannot all hold (closed findings asked for as overdue).
 */
export function resolveQuery(policy: SeverityPolicy, query: FindingQuery): RecordFilter | null {
  const q = parseRecord(FindingQuery, query, 'query');
  const needsOpen = q.overdueAsOf !== undefined || q.dueWithin !== undefined || q.staleAsOf !== undefined;
  if (needsOpen && q.open === false) return null;
  const open = needsOpen ? true : q.open;
  return {
    kind: 'finding',
    ...(q.status === undefined ? {} : { status: q.status }),
    ...(open === undefined ? {} : { open }),
    ...(q.grade === undefined ? {} : { grade: q.grade }),
    ...(q.source === undefined ? {} : { source: q.source }),
    ...(q.ownerId === undefined ? {} : { ownerId: q.ownerId }),
    ...(q.requirement === undefined ? {} : { requirement: q.requirement }),
    ...(q.text === undefined ? {} : { text: q.text.toLowerCase() }),
    ...(q.overdueAsOf === undefined ? {} : { dueBefore: q.overdueAsOf }),
    ...(q.dueWithin === undefined ? {} : { dueOnOrBefore: plusDays(q.dueWithin.asOf, q.dueWithin.days) }),
    ...(q.staleAsOf === undefined ? {} : { inactiveSince: minusDays(q.staleAsOf, policy.staleAfterDays) }),
    ...(q.recurrence === undefined
      ? {}
      : {
          recurrence: {
            field: q.recurrence.by,
            moreThan: q.recurrence.moreThan,
            raisedSince: minusDays(q.recurrence.asOf, q.recurrence.withinDays),
          },
        }),
  };
}
