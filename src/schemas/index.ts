export { SCHEMA_VERSION, Id, Instant, CalendarDate, Reference } from './primitives.js';
export { Person, Actor } from './actor.js';
export { Evidence, EVIDENCE_KINDS } from './evidence.js';
export { RequirementRef, requirementKey } from './requirement-ref.js';
export { Correction } from './correction.js';
export { RootCauseAnalysis, ExtentOfCondition, RCA_METHODS, CAUSE_CATEGORIES } from './root-cause.js';
export {
  ActionDraft,
  CorrectiveAction,
  Cancellation,
  ACTION_STATUSES,
  type ActionStatus,
} from './corrective-action.js';
export { EffectivenessReview, REVIEW_METHODS, REVIEW_RESULTS } from './effectiveness-review.js';
export { FINDING_STATUSES, OPEN_STATUSES, type FindingStatus } from './status.js';
export {
  Finding,
  RaisedFinding,
  FindingSource,
  FINDING_SOURCES,
  Affected,
  Extensions,
  EXTENSION_NAMESPACE,
  Closure,
  Rejection,
  PlanApproval,
  AttentionFlag,
  createFindingSchemas,
} from './finding.js';
export {
  SeverityPolicy,
  GradePolicy,
  Deadline,
  GRADE_LIFECYCLES,
  RELAXABLE_REQUIREMENTS,
  type GradeLifecycle,
  type RelaxableRequirement,
} from './severity-policy.js';
export { HistoryEntry, MadeUnder, Signature, SIGNATURE_MEANINGS } from './history-entry.js';
export { parseRecord, toValidationIssues } from './parse.js';
