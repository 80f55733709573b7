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
 */
export interface EventBase {
  /** When, as an ISO 8601 UTC instant. */
  readonly at: string;
  /** Who: the actor with their roles (approval checks the role the policy names). */
  readonly by: Actor;
  /** Why. Required by rejecting, reopening, regrading, cancelling and returning a plan. */
  readonly reason?: string;
}

/** Raise a finding; the grade's lifecycle decides where it goes. */
export interface RaiseEvent extends EventBase {
  readonly type: 'RAISE';
  readonly finding: RaisedFinding;
}
/** Record the correction (or why none applies). */
export interface RecordCorrectionEvent extends EventBase {
  readonly type: 'RECORD_CORRECTION';
  readonly correction: Correction;
}
/** Record (or revise) the root cause analysis and extent of condition. */
export interface RecordRootCauseEvent extends EventBase {
  readonly type: 'RECORD_ROOT_CAUSE';
  readonly rootCause: RootCauseAnalysis;
}
/** Link related findings (extent of condition, shared causes). */
export interface LinkFindingsEvent extends EventBase {
  readonly type: 'LINK_FINDINGS';
  readonly findingIds: readonly string[];
}
/** Propose (or revise) the corrective actions of this investigation cycle. */
export interface PlanActionsEvent extends EventBase {
  readonly type: 'PLAN_ACTIONS';
  readonly actions: readonly ActionDraft[];
}
/** Submit the plan: to approval where the policy asks, else straight to implementation. */
export interface SubmitPlanEvent extends EventBase {
  readonly type: 'SUBMIT_PLAN';
}
/** Approve the plan (needs the role the policy names). */
export interface ApprovePlanEvent extends EventBase {
  readonly type: 'APPROVE_PLAN';
}
/** Send the plan back to planning, with a reason. */
export interface ReturnPlanEvent extends EventBase {
  readonly type: 'RETURN_PLAN';
}
/** Start a planned corrective action. */
export interface StartActionEvent extends EventBase {
  readonly type: 'START_ACTION';
  readonly actionId: string;
}
/** Complete a corrective action, with its implementation evidence. */
export interface CompleteActionEvent extends EventBase {
  readonly type: 'COMPLETE_ACTION';
  readonly actionId: string;
  readonly evidence: readonly Evidence[];
}
/** Cancel a corrective action, with a reason. */
export interface CancelActionEvent extends EventBase {
  readonly type: 'CANCEL_ACTION';
  readonly actionId: string;
}
/** Move to the effectiveness review once every action is finished. */
export interface StartVerificationEvent extends EventBase {
  readonly type: 'START_VERIFICATION';
}
/** Record the effectiveness review; `not-effective` reopens the investigation. */
export interface RecordReviewEvent extends EventBase {
  readonly type: 'RECORD_REVIEW';
  readonly review: EffectivenessReview;
}
/** Close: a nonconformity needs an effective review and closure evidence. */
export interface CloseEvent extends EventBase {
  readonly type: 'CLOSE';
  readonly evidence: readonly Evidence[];
}
/** Reject: not a nonconformity, or a duplicate of another finding. */
export interface RejectEvent extends EventBase {
  readonly type: 'REJECT';
  readonly kind: 'not-a-nonconformity' | 'duplicate';
  readonly duplicateOf?: string;
}
/** Reopen a closed or rejected finding, with a reason. */
export interface ReopenEvent extends EventBase {
  readonly type: 'REOPEN';
}
/** Change the grade, with a reason; the due date is recomputed. */
export interface RegradeEvent extends EventBase {
  readonly type: 'REGRADE';
  readonly grade: string;
}
/** Attach evidence to the finding. */
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

/** The type of a lifecycle event, e.g. `'CLOSE'`. */
export type CapaEventType = CapaEvent['type'];

/** The event of a given type. */
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
