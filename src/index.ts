/**
 * The core: record schemas (zod), severity policies, the CAPA lifecycle machine and errors. Pure: no I/O, no clock, no randomness.
 *
 * @example
 * ```ts
 * import { capaMachine, explain, iso27001, parseRecord, RaisedFinding } from 'capa-kit';
 * ```
 *
 * @packageDocumentation
 * @module capa-kit
 */
export * from './schemas/index.js';
export * from './policies/index.js';
export * from './errors/index.js';
export {
  createCapaMachine,
  capaMachine,
  type CapaMachine,
  MACHINE_VERSION,
  explain,
  advance,
  acceptsEvent,
  STATE_ACCEPTS,
  EVENT_INVALID,
  type CapaSnapshot,
  persistSnapshot,
  restoreSnapshot,
  type PersistedCapaSnapshot,
  LIFECYCLE_REQUIREMENTS,
  unmetRequirements,
  requirementsFor,
  type LifecycleRequirement,
  type RequirementArgs,
  initialCapaContext,
  currentCycle,
  currentActions,
  type CapaContext,
  type PlannedAction,
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
  judgeRootCause,
  type ShallowCauseVerdict,
  type ShallowCauseOptions,
  type ShallowCauseReason,
} from './machine/index.js';
