import type { Person } from '../schemas/actor.js';
import type { Correction } from '../schemas/correction.js';
import type { ActionStatus, Cancellation } from '../schemas/corrective-action.js';
import type { EffectivenessReview } from '../schemas/effectiveness-review.js';
import type { Evidence } from '../schemas/evidence.js';
import type { AttentionFlag, Closure, PlanApproval, RaisedFinding, Rejection } from '../schemas/finding.js';
import type { RootCauseAnalysis } from '../schemas/root-cause.js';
import type { GradeLifecycle, SeverityPolicy } from '../schemas/severity-policy.js';
import { MACHINE_VERSION } from './version.js';

/**
 * A corrective action as the finding's lifecycle sees it. `cycle` is the investigation
 * cycle that planned it: a not-effective review starts a new cycle, and only the current
 * cycle's actions gate verification.
 *
 * @example
 * ```ts
 * import { currentActions, type CapaSnapshot, type PlannedAction } from 'capa-kit/machine';
 *
 * declare const snapshot: CapaSnapshot;
 * const overdue: PlannedAction[] = currentActions(snapshot.context).filter(
 *   (action) => action.status === 'planned' || action.status === 'in-progress' ? (action.dueDate ?? '9999') < '2026-06-01' : false,
 * );
 * ```
 */
export interface PlannedAction {
  readonly id: string;
  /** The action's reference (`CA-2026-0001`), as the plan gave it; absent in plans made before actions had references. */
  readonly reference?: string;
  readonly description: string;
  readonly owner: Person | null;
  readonly dueDate: string | null;
  readonly measurableOutcome: string | null;
  readonly status: ActionStatus;
  readonly cycle: number;
  readonly implementationEvidence: readonly Evidence[];
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  readonly cancellation: Cancellation | null;
}

/**
 * Everything the lifecycle knows about one finding. Plain JSON: a persisted snapshot
 * survives `JSON.stringify` and `JSON.parse` unchanged.
 *
 * @example
 * ```ts
 * import { initialCapaContext, iso27001, type CapaContext } from 'capa-kit/machine';
 *
 * const context: CapaContext = initialCapaContext(iso27001);
 * context.policy; // { id: 'iso27001', version: '2022.1' }
 * context.finding; // null until RAISE
 * ```
 */
export interface CapaContext {
  /** The machine version that made this context, when the finding was first snapshotted; each history entry records the version of its own move (`madeUnder.machine`). */
  readonly machineVersion: number;
  /** The policy the machine applies. */
  readonly policy: { readonly id: string; readonly version: string };
  /** The finding as raised; `null` before `RAISE`. */
  readonly finding: RaisedFinding | null;
  /** The current grade id. */
  readonly grade: string | null;
  /** The current grade's lifecycle. */
  readonly lifecycle: GradeLifecycle | null;
  /** Computed from the grade's deadline in the policy's time zone. */
  readonly dueDate: string | null;
  readonly correction: Correction | null;
  readonly rootCause: RootCauseAnalysis | null;
  /** The investigation cycle the root cause was recorded in (0: never). */
  readonly rootCauseCycle: number;
  readonly actions: readonly PlannedAction[];
  readonly planSubmittedAt: string | null;
  readonly approval: PlanApproval | null;
  readonly reviews: readonly EffectivenessReview[];
  /** The investigation cycle the last review was recorded in (0: never): closing needs one from this cycle. */
  readonly reviewCycle: number;
  readonly evidence: readonly Evidence[];
  readonly relatedFindingIds: readonly string[];
  /** Not-effective reviews and reopenings of a closed finding. The cycle is this plus one. */
  readonly recurrenceCount: number;
  readonly closure: Closure | null;
  readonly rejection: Rejection | null;
  readonly flags: readonly AttentionFlag[];
}

/**
 * The current investigation cycle: 1, plus one for each recurrence.
 *
 * @example
 * ```ts
 * import { currentCycle, initialCapaContext, iso27001 } from 'capa-kit/machine';
 *
 * currentCycle(initialCapaContext(iso27001)); // 1
 * ```
 */
export function currentCycle(context: Pick<CapaContext, 'recurrenceCount'>): number {
  return context.recurrenceCount + 1;
}

/**
 * The corrective actions of the current investigation cycle.
 *
 * @example
 * ```ts
 * import { currentActions, initialCapaContext, iso27001 } from 'capa-kit/machine';
 *
 * currentActions(initialCapaContext(iso27001)); // []
 * ```
 */
export function currentActions(context: CapaContext): readonly PlannedAction[] {
  const cycle = currentCycle(context);
  return context.actions.filter((action) => action.cycle === cycle);
}

/**
 * The context of a finding not raised yet. It needs no input, so xstate's pure
 * `transition()` (which builds context without input) costs nothing extra.
 *
 * @example
 * ```ts
 * import { initialCapaContext, iso27001 } from 'capa-kit/machine';
 *
 * initialCapaContext(iso27001).finding; // null
 * ```
 */
export function initialCapaContext(policy: Pick<SeverityPolicy, 'id' | 'version'>): CapaContext {
  return {
    machineVersion: MACHINE_VERSION,
    policy: { id: policy.id, version: policy.version },
    finding: null,
    grade: null,
    lifecycle: null,
    dueDate: null,
    correction: null,
    rootCause: null,
    rootCauseCycle: 0,
    actions: [],
    planSubmittedAt: null,
    approval: null,
    reviews: [],
    reviewCycle: 0,
    evidence: [],
    relatedFindingIds: [],
    recurrenceCount: 0,
    closure: null,
    rejection: null,
    flags: [],
  };
}
