import type { Actor } from '../schemas/actor.js';
import type { Correction } from '../schemas/correction.js';
import type { ActionDraft } from '../schemas/corrective-action.js';
import type { EffectivenessReview } from '../schemas/effectiveness-review.js';
import type { Evidence } from '../schemas/evidence.js';
import type { RaisedFinding } from '../schemas/finding.js';
import type { RootCauseAnalysis } from '../schemas/root-cause.js';

/**
 * What every lifecycle event carries: when it happened and who did it (the machine has
 * no clock of its own), and optionally why.
 *
 * @example
 * ```ts
 * import type { EventBase } from 'capa-kit/machine';
 *
 * const base: EventBase = {
 *   at: '2026-03-03T09:00:00Z',
 *   by: { id: 'u-9', name: 'Sam IT', roles: ['it'] },
 *   reason: 'Contained the same day',
 * };
 * ```
 */
export interface EventBase {
  /** When, as an ISO 8601 UTC instant. */
  readonly at: string;
  /** Who: the actor with their roles (approval checks the role the policy names). */
  readonly by: Actor;
  /** Why. Required by rejecting, reopening, regrading, cancelling and returning a plan. */
  readonly reason?: string;
}

/**
 * Raise a finding; the grade's lifecycle decides where it goes.
 *
 * @example
 * ```ts
 * import type { RaisedFinding, RaiseEvent } from 'capa-kit/machine';
 *
 * declare const finding: RaisedFinding; // e.g. RaisedFinding.parse(form) from capa-kit
 * const event: RaiseEvent = {
 *   type: 'RAISE',
 *   at: '2026-03-01T15:00:00Z',
 *   by: { id: 'u-3', name: 'Ines Audit', roles: ['internal-auditor'] },
 *   finding,
 * };
 * ```
 */
export interface RaiseEvent extends EventBase {
  readonly type: 'RAISE';
  readonly finding: RaisedFinding;
}
/**
 * Record the correction (or why none applies).
 *
 * @example
 * ```ts
 * import type { RecordCorrectionEvent } from 'capa-kit/machine';
 *
 * const event: RecordCorrectionEvent = {
 *   type: 'RECORD_CORRECTION',
 *   at: '2026-03-03T16:00:00Z',
 *   by: { id: 'u-9', name: 'Sam IT', roles: ['it'] },
 *   correction: { schemaVersion: 1, kind: 'not-applicable', justification: 'No consequence left to contain.' },
 * };
 * ```
 */
export interface RecordCorrectionEvent extends EventBase {
  readonly type: 'RECORD_CORRECTION';
  readonly correction: Correction;
}
/**
 * Record (or revise) the root cause analysis and extent of condition.
 *
 * @example
 * ```ts
 * import type { RecordRootCauseEvent } from 'capa-kit/machine';
 *
 * const lee = { id: 'u-4', name: 'Lee Quality' };
 * const event: RecordRootCauseEvent = {
 *   type: 'RECORD_ROOT_CAUSE', at: '2026-03-05T11:00:00Z', by: { ...lee, roles: ['quality'] },
 *   rootCause: {
 *     schemaVersion: 1, method: 'five-whys', whys: ['IT was not told', 'HR has no IT step'],
 *     statement: 'The leaver procedure has no IT confirmation step.', category: 'process',
 *     extentOfCondition: null, analysedBy: lee, analysedAt: '2026-03-05T11:00:00Z',
 *   },
 * };
 * ```
 */
export interface RecordRootCauseEvent extends EventBase {
  readonly type: 'RECORD_ROOT_CAUSE';
  readonly rootCause: RootCauseAnalysis;
}
/**
 * Link related findings (extent of condition, shared causes).
 *
 * @example
 * ```ts
 * import type { LinkFindingsEvent } from 'capa-kit/machine';
 *
 * const event: LinkFindingsEvent = {
 *   type: 'LINK_FINDINGS',
 *   at: '2026-03-05T12:00:00Z',
 *   by: { id: 'u-4', name: 'Lee Quality', roles: ['quality'] },
 *   findingIds: ['f-7', 'f-9'],
 * };
 * ```
 */
export interface LinkFindingsEvent extends EventBase {
  readonly type: 'LINK_FINDINGS';
  readonly findingIds: readonly string[];
}
/**
 * Propose (or revise) the corrective actions of this investigation cycle.
 *
 * @example
 * ```ts
 * import type { PlanActionsEvent } from 'capa-kit/machine';
 *
 * const event: PlanActionsEvent = {
 *   type: 'PLAN_ACTIONS', at: '2026-03-06T09:00:00Z', by: { id: 'u-9', name: 'Sam IT', roles: ['it'] },
 *   actions: [{
 *     id: 'ca-1', description: 'Add an IT confirmation step to the leaver procedure',
 *     owner: { id: 'u-9', name: 'Sam IT' }, dueDate: '2026-05-31',
 *     measurableOutcome: 'Next 10 departures: every account disabled within 24 h',
 *   }],
 * };
 * ```
 */
export interface PlanActionsEvent extends EventBase {
  readonly type: 'PLAN_ACTIONS';
  readonly actions: readonly ActionDraft[];
}
/**
 * Submit the plan: to approval where the policy asks, else straight to implementation.
 *
 * @example
 * ```ts
 * import type { SubmitPlanEvent } from 'capa-kit/machine';
 *
 * const event: SubmitPlanEvent = { type: 'SUBMIT_PLAN', at: '2026-03-06T10:00:00Z', by: { id: 'u-9', name: 'Sam IT', roles: ['it'] }, };
 * ```
 */
export interface SubmitPlanEvent extends EventBase {
  readonly type: 'SUBMIT_PLAN';
}
/**
 * Approve the plan (needs the role the policy names).
 *
 * @example
 * ```ts
 * import type { ApprovePlanEvent } from 'capa-kit/machine';
 *
 * // iso27001 asks the `auditor` role to approve a minor nonconformity's plan.
 * const event: ApprovePlanEvent = { type: 'APPROVE_PLAN', at: '2026-03-10T09:00:00Z', by: { id: 'u-2', name: 'Jonas Berg', roles: ['auditor'] }, };
 * ```
 */
export interface ApprovePlanEvent extends EventBase {
  readonly type: 'APPROVE_PLAN';
}
/**
 * Send the plan back to planning, with a reason.
 *
 * @example
 * ```ts
 * import type { ReturnPlanEvent } from 'capa-kit/machine';
 *
 * const event: ReturnPlanEvent = {
 *   type: 'RETURN_PLAN',
 *   at: '2026-03-10T09:00:00Z',
 *   by: { id: 'u-2', name: 'Jonas Berg', roles: ['auditor'] },
 *   reason: 'The outcome is not measurable: say how many departures, checked how.',
 * };
 * ```
 */
export interface ReturnPlanEvent extends EventBase {
  readonly type: 'RETURN_PLAN';
}
/**
 * Start a planned corrective action.
 *
 * @example
 * ```ts
 * import type { StartActionEvent } from 'capa-kit/machine';
 *
 * const event: StartActionEvent = { type: 'START_ACTION', at: '2026-03-11T09:00:00Z', by: { id: 'u-9', name: 'Sam IT', roles: ['it'] }, actionId: 'ca-1' };
 * ```
 */
export interface StartActionEvent extends EventBase {
  readonly type: 'START_ACTION';
  readonly actionId: string;
}
/**
 * Complete a corrective action, with its implementation evidence.
 *
 * @example
 * ```ts
 * import type { CompleteActionEvent } from 'capa-kit/machine';
 *
 * const sam = { id: 'u-9', name: 'Sam IT' };
 * const event: CompleteActionEvent = {
 *   type: 'COMPLETE_ACTION', at: '2026-04-02T10:00:00Z', by: { ...sam, roles: ['it'] }, actionId: 'ca-1',
 *   evidence: [{ schemaVersion: 1, kind: 'document', title: 'Leaver procedure v4', location: 'DOC-ISMS-012 v4',
 *     collectedBy: sam, collectedAt: '2026-04-02T10:00:00Z' }],
 * };
 * ```
 */
export interface CompleteActionEvent extends EventBase {
  readonly type: 'COMPLETE_ACTION';
  readonly actionId: string;
  readonly evidence: readonly Evidence[];
}
/**
 * Cancel a corrective action, with a reason.
 *
 * @example
 * ```ts
 * import type { CancelActionEvent } from 'capa-kit/machine';
 *
 * const event: CancelActionEvent = {
 *   type: 'CANCEL_ACTION',
 *   at: '2026-04-01T09:00:00Z',
 *   by: { id: 'u-4', name: 'Lee Quality', roles: ['quality'] },
 *   actionId: 'ca-2',
 *   reason: 'Superseded by the new joiner-mover-leaver workflow',
 * };
 * ```
 */
export interface CancelActionEvent extends EventBase {
  readonly type: 'CANCEL_ACTION';
  readonly actionId: string;
}
/**
 * Move to the effectiveness review once every action is finished.
 *
 * @example
 * ```ts
 * import type { StartVerificationEvent } from 'capa-kit/machine';
 *
 * const event: StartVerificationEvent = { type: 'START_VERIFICATION', at: '2026-06-01T09:00:00Z', by: { id: 'u-4', name: 'Lee Quality', roles: ['quality'] }, };
 * ```
 */
export interface StartVerificationEvent extends EventBase {
  readonly type: 'START_VERIFICATION';
}
/**
 * Record the effectiveness review; `not-effective` reopens the investigation.
 *
 * @example
 * ```ts
 * import type { RecordReviewEvent } from 'capa-kit/machine';
 *
 * const jonas = { id: 'u-2', name: 'Jonas Berg' };
 * const event: RecordReviewEvent = {
 *   type: 'RECORD_REVIEW', at: '2026-07-01T09:00:00Z', by: { ...jonas, roles: ['auditor'] },
 *   review: { schemaVersion: 1, method: 'sample-of-next-occurrences', result: 'effective',
 *     criterion: 'The next 10 departures are all disabled within 24 hours',
 *     reviewer: jonas, reviewedAt: '2026-07-01T09:00:00Z', evidence: [] },
 * };
 * ```
 */
export interface RecordReviewEvent extends EventBase {
  readonly type: 'RECORD_REVIEW';
  readonly review: EffectivenessReview;
}
/**
 * Close: a nonconformity needs an effective review and closure evidence.
 *
 * @example
 * ```ts
 * import type { CloseEvent, Evidence } from 'capa-kit/machine';
 *
 * declare const reviewReport: Evidence;
 * const event: CloseEvent = {
 *   type: 'CLOSE',
 *   at: '2026-07-02T09:00:00Z',
 *   by: { id: 'u-2', name: 'Jonas Berg', roles: ['auditor'] },
 *   evidence: [reviewReport],
 * };
 * ```
 */
export interface CloseEvent extends EventBase {
  readonly type: 'CLOSE';
  readonly evidence: readonly Evidence[];
}
/**
 * Reject: not a nonconformity, or a duplicate of another finding.
 *
 * @example
 * ```ts
 * import type { RejectEvent } from 'capa-kit/machine';
 *
 * const event: RejectEvent = {
 *   type: 'REJECT', at: '2026-03-02T09:00:00Z', by: { id: 'u-4', name: 'Lee Quality', roles: ['quality'] },
 *   kind: 'duplicate',
 *   duplicateOf: 'f-12',
 *   reason: 'Same leaver accounts as NC-2026-0003',
 * };
 * ```
 */
export interface RejectEvent extends EventBase {
  readonly type: 'REJECT';
  readonly kind: 'not-a-nonconformity' | 'duplicate';
  readonly duplicateOf?: string;
}
/**
 * Reopen a closed or rejected finding, with a reason.
 *
 * @example
 * ```ts
 * import type { ReopenEvent } from 'capa-kit/machine';
 *
 * const event: ReopenEvent = {
 *   type: 'REOPEN',
 *   at: '2026-09-01T09:00:00Z',
 *   by: { id: 'u-4', name: 'Lee Quality', roles: ['quality'] },
 *   reason: 'Two more leavers kept access in August',
 * };
 * ```
 */
export interface ReopenEvent extends EventBase {
  readonly type: 'REOPEN';
}
/**
 * Change the grade, with a reason; the due date is recomputed.
 *
 * @example
 * ```ts
 * import type { RegradeEvent } from 'capa-kit/machine';
 *
 * const event: RegradeEvent = {
 *   type: 'REGRADE',
 *   at: '2026-03-04T09:00:00Z',
 *   by: { id: 'u-2', name: 'Jonas Berg', roles: ['auditor'] },
 *   grade: 'major',
 *   reason: 'Extent of condition found 14 more active leaver accounts',
 * };
 * ```
 */
export interface RegradeEvent extends EventBase {
  readonly type: 'REGRADE';
  readonly grade: string;
}
/**
 * Attach evidence to the finding.
 *
 * @example
 * ```ts
 * import type { AttachEvidenceEvent } from 'capa-kit/machine';
 *
 * const priya = { id: 'u-17', name: 'Priya Shah' };
 * const event: AttachEvidenceEvent = {
 *   type: 'ATTACH_EVIDENCE', at: '2026-03-02T11:00:00Z', by: { ...priya, roles: [] },
 *   evidence: { schemaVersion: 1, kind: 'record', title: 'Directory export 2026-03-01',
 *     location: 'https://intranet.example/exports/2026-03-01', collectedBy: priya, collectedAt: '2026-03-02T11:00:00Z' },
 * };
 * ```
 */
export interface AttachEvidenceEvent extends EventBase {
  readonly type: 'ATTACH_EVIDENCE';
  readonly evidence: Evidence;
}

/**
 * Every event the lifecycle machine accepts.
 *
 * @example
 * ```ts
 * import type { CapaEvent } from 'capa-kit/machine';
 *
 * const event: CapaEvent = {
 *   type: 'REOPEN',
 *   at: '2026-09-01T09:00:00Z',
 *   by: { id: 'u-4', name: 'Lee Quality', roles: ['quality'] },
 *   reason: 'Two more leavers kept access in August',
 * };
 * ```
 */
export type CapaEvent =
  | RaiseEvent
  | RecordCorrectionEvent
  | RecordRootCauseEvent
  | LinkFindingsEvent
  | PlanActionsEvent
  | SubmitPlanEvent
  | ApprovePlanEvent
  | ReturnPlanEvent
  | StartActionEvent
  | CompleteActionEvent
  | CancelActionEvent
  | StartVerificationEvent
  | RecordReviewEvent
  | CloseEvent
  | RejectEvent
  | ReopenEvent
  | RegradeEvent
  | AttachEvidenceEvent;

/**
 * The type of a lifecycle event, e.g. `'CLOSE'`.
 *
 * @example
 * ```ts
 * import { CAPA_EVENT_TYPES, type CapaEventType } from 'capa-kit/machine';
 *
 * const needsReason: CapaEventType[] = ['REJECT', 'REOPEN', 'REGRADE', 'RETURN_PLAN', 'CANCEL_ACTION'];
 * const others = CAPA_EVENT_TYPES.filter((type) => !needsReason.includes(type));
 * ```
 */
export type CapaEventType = CapaEvent['type'];

/**
 * The event of a given type: `CapaEventOf<'CLOSE'>` is {@link CloseEvent}.
 *
 * @example
 * ```ts
 * import type { CapaEventOf } from 'capa-kit/machine';
 *
 * function closeNow(evidence: CapaEventOf<'CLOSE'>['evidence']): CapaEventOf<'CLOSE'> {
 *   return { type: 'CLOSE', at: new Date().toISOString(), by: { id: 'u-2', name: 'Jonas Berg', roles: ['auditor'] }, evidence };
 * }
 * ```
 */
export type CapaEventOf<T extends CapaEventType> = Extract<CapaEvent, { type: T }>;

/**
 * Every event type, in lifecycle order.
 *
 * @example
 * ```ts
 * import { CAPA_EVENT_TYPES } from 'capa-kit/machine';
 *
 * CAPA_EVENT_TYPES.length; // 18
 * ```
 */
export const CAPA_EVENT_TYPES = [
  'RAISE',
  'RECORD_CORRECTION',
  'RECORD_ROOT_CAUSE',
  'LINK_FINDINGS',
  'PLAN_ACTIONS',
  'SUBMIT_PLAN',
  'APPROVE_PLAN',
  'RETURN_PLAN',
  'START_ACTION',
  'COMPLETE_ACTION',
  'CANCEL_ACTION',
  'START_VERIFICATION',
  'RECORD_REVIEW',
  'CLOSE',
  'REJECT',
  'REOPEN',
  'REGRADE',
  'ATTACH_EVIDENCE',
] as const satisfies readonly CapaEventType[];
