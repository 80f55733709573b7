import type { Standing } from './timeline.js';

// One rule for what counts as a recurrence, in both reports: the management review's
// "recurring requirements and causes" and the risk feedback's groups. A rejected finding
// (not a nonconformity, or a duplicate of another) did not happen as a nonconformity, and
// a conformity is a requirement met: neither says a requirement keeps failing, so counting
// them would overstate a recurrence leadership is asked to act on. Observations and
// opportunities for improvement count: they are open findings against the requirement.

/**
 * Whether a finding counts toward a recurring requirement or root cause category: it
 * exists at the instant the report measures (the end of the management review's period,
 * or its `asOf` when earlier; the risk feedback's `asOf`), and stands neither rejected nor
 * as a conformity then.
 */
export function countsTowardRecurrence(standing: Standing | null): standing is Standing {
  return standing !== null && standing.kind !== 'rejected' && standing.kind !== 'conformity';
}
