/**
 * The lifecycle machine alone: no zod and no Node built-ins, for browser apps that drive buttons with `can` and `explain`.
 *
 * @example
 * ```ts
 * import { capaMachine, explain } from 'capa-kit/machine';
 * ```
 *
 * @packageDocumentation
 * @module capa-kit/machine
 */
export { createCapaMachine, capaMachine, type CapaMachine } from './capa-machine.js';
export { MACHINE_VERSION } from './version.js';
export { explain, advance, acceptsEvent, STATE_ACCEPTS, type CapaSnapshot } from './explain.js';
export { EVENT_INVALID } from './event-shape.js';
export { persistSnapshot, restoreSnapshot, type PersistedCapaSnapshot } from './persistence.js';
export {
  LIFECYCLE_REQUIREMENTS,
  unmetRequirements,
  requirementsFor,
  type LifecycleRequirement,
  type RequirementArgs,
} from './requirements.js';
export {
  initialCapaContext,
  currentCycle,
  currentActions,
  type CapaContext,
  type PlannedAction,
} from './context.js';
export {
  CAPA_EVENT_TYPES,
  type CapaEvent,
  type CapaEventType,
  type CapaEventOf,
  type EventBase,
  type RaiseEvent,
  type RecordCorrectionEvent,
  type RecordRootCauseEvent,
  type LinkFindingsEvent,
  type PlanActionsEvent,
  type SubmitPlanEvent,
  type ApprovePlanEvent,
  type ReturnPlanEvent,
  type StartActionEvent,
  type CompleteActionEvent,
  type CancelActionEvent,
  type StartVerificationEvent,
  type RecordReviewEvent,
  type CloseEvent,
  type RejectEvent,
  type ReopenEvent,
  type RegradeEvent,
  type AttachEvidenceEvent,
} from './events.js';
export {
  judgeRootCause,
  type ShallowCauseVerdict,
  type ShallowCauseOptions,
  type ShallowCauseReason,
} from './shallow-cause.js';
// Policies are data: the presets and the date arithmetic need no zod.
export { iso27001 } from '../policies/presets/iso27001.js';
export { soc2 } from '../policies/presets/soc2.js';
export { DEFAULT_SHALLOW_CAUSE_PHRASES } from '../policies/shallow-cause-phrases.js';
export { computeDueDate, calendarDateIn, type DeadlineBase } from '../policies/due-date.js';
export { findGrade } from '../policies/grade.js';
export { FINDING_STATUSES, OPEN_STATUSES, type FindingStatus } from '../schemas/status.js';
export {
  CAPA_ERROR_CODES,
  CapaError,
  CapaTransitionError,
  formatCapaError,
  isCapaError,
  type CapaErrorCode,
  type UnmetRequirement,
} from '../errors/index.js';
export type {
  Actor,
  Person,
  Correction,
  RootCauseAnalysis,
  ExtentOfCondition,
  ActionDraft,
  CorrectiveAction,
  EffectivenessReview,
  Evidence,
  RaisedFinding,
  Finding,
  SeverityPolicy,
  GradePolicy,
  GradeLifecycle,
  Deadline,
} from '../schemas/index.js';
