import type { CapaMachine } from '../machine/capa-machine.js';
import type { CapaSnapshot } from '../machine/explain.js';
import type { CorrectiveAction } from '../schemas/corrective-action.js';
import type { Finding } from '../schemas/finding.js';
import type { HistoryEntry } from '../schemas/history-entry.js';
import type { SeverityPolicy } from '../schemas/severity-policy.js';
import { runActionCommand, runFindingCommand } from './commands/define.js';
import { ACTION_COMMANDS, type ActionCommandName, FINDING_COMMANDS, type FindingCommandName } from './commands/definitions.js';
import { planActions } from './commands/plan-actions.js';
import { raise } from './commands/raise.js';
import { findingSnapshot, type FindingPage, getAction, getFinding, queryFindings, recordHistory } from './commands/reads.js';
import { createRuntime } from './commands/runtime.js';
import type { CommandInput, FindingQuery } from './inputs.js';
import type { CapaRegisterOptions } from './options.js';
import { computeLogHead, type LogHead, verifyTenantHistory, type VerificationReport } from './verify.js';

export type { CapaRegisterOptions, CommittedBatch } from './options.js';
export type { FindingPage } from './commands/reads.js';

/**
 * A CAPA register bound to one tenant: a command per lifecycle step, and the reads. Each
 * command resolves to the record it changed, or rejects with a typed error
 * (`CapaValidationError`, `ForbiddenError`, `CapaTransitionError`, `SignatureError`,
 * `ConcurrencyError`, `NotFoundError`) and writes nothing.
 *
 * @example
 * ```ts
 * import type { CapaRegister } from 'capa-kit/register';
 *
 * async function openCount(register: CapaRegister): Promise<number> {
 *   return (await register.query({ open: true }, { limit: 1000 })).findings.length;
 * }
 * ```
 */
export interface CapaRegister {
  /** The tenant this register is bound to. */
  readonly tenant: string;
  /** The policy this register applies. */
  readonly policy: SeverityPolicy;
  /** The lifecycle machine findings move through. */
  readonly machine: CapaMachine;
  /** Raises a finding: validates it, gives it an id and a reference, computes its due date. */
  raise(input: CommandInput<'raise'>): Promise<Finding>;
  /** Records the correction (or why none applies). */
  recordCorrection(input: CommandInput<'recordCorrection'>): Promise<Finding>;
  /** Records (or revises) the root cause analysis and extent of condition. */
  recordRootCause(input: CommandInput<'recordRootCause'>): Promise<Finding>;
  /** Links related findings of this tenant. */
  linkFindings(input: CommandInput<'linkFindings'>): Promise<Finding>;
  /** Plans the current investigation's corrective actions (new, or shared with other findings). */
  planActions(input: CommandInput<'planActions'>): Promise<Finding>;
  /** Submits the plan: to approval where the policy asks, else to implementation. */
  submitPlan(input: CommandInput<'submitPlan'>): Promise<Finding>;
  /** Approves the plan (the role the policy names; signed "approved"). */
  approvePlan(input: CommandInput<'approvePlan'>): Promise<Finding>;
  /** Sends the plan back to planning, with a reason. */
  returnPlan(input: CommandInput<'returnPlan'>): Promise<Finding>;
  /** Starts a corrective action, for every finding it is linked to. */
  startAction(input: CommandInput<'startAction'>): Promise<CorrectiveAction>;
  /** Completes a corrective action with its implementation evidence, for every linked finding at once. */
  completeAction(input: CommandInput<'completeAction'>): Promise<CorrectiveAction>;
  /** Cancels a corrective action, with a reason, for every linked finding at once. */
  cancelAction(input: CommandInput<'cancelAction'>): Promise<CorrectiveAction>;
  /** Moves to the effectiveness review once every action is finished. */
  startVerification(input: CommandInput<'startVerification'>): Promise<Finding>;
  /** Records the effectiveness review (an effective verdict is signed "verified effective"). */
  reviewEffectiveness(input: CommandInput<'reviewEffectiveness'>): Promise<Finding>;
  /** Closes the finding with its closure evidence (signed "closed"). */
  close(input: CommandInput<'close'>): Promise<Finding>;
  /** Reopens a closed or rejected finding, with a reason. */
  reopen(input: CommandInput<'reopen'>): Promise<Finding>;
  /** Rejects the finding: not a nonconformity, or a duplicate of another finding. */
  reject(input: CommandInput<'reject'>): Promise<Finding>;
  /** Changes the grade, with a reason; the due date is recomputed and approved action dates are flagged. */
  regrade(input: CommandInput<'regrade'>): Promise<Finding>;
  /** Adds a comment to the finding's history. */
  comment(input: CommandInput<'comment'>): Promise<Finding>;
  /** Attaches evidence to the finding. */
  attachEvidence(input: CommandInput<'attachEvidence'>): Promise<Finding>;
  /** One finding. */
  get(findingId: string): Promise<Finding>;
  /** One finding's lifecycle snapshot: drive `can` and `explain` from it. */
  snapshot(findingId: string): Promise<CapaSnapshot>;
  /** One corrective action. */
  getAction(actionId: string): Promise<CorrectiveAction>;
  /** A finding's or an action's history, oldest first. */
  history(recordId: string): Promise<HistoryEntry[]>;
  /** A page of findings matching a declarative filter, in a stable order (raised, then id). */
  query(filter?: FindingQuery, page?: { limit?: number; cursor?: string }): Promise<FindingPage>;
  /** Checks every chain, signature binding and lifecycle replay, and the history against a saved head. */
  verifyHistory(options?: { trustedHead?: LogHead }): Promise<VerificationReport>;
  /** The tenant's log head now: save it where the store's writers cannot change it. */
  logHead(): Promise<LogHead>;
}

/**
 * Creates the CAPA register for one tenant: one command per lifecycle step, and the
 * reads. Every command validates its input, asks `authorize` and the policy's segregation
 * of duties, runs the lifecycle machine without side effects (a refusal carries every
 * unmet requirement), collects a signature where one is needed, and commits every record
 * it changes, with their chained history entries, in one atomic commit against the
 * versions it read. Nothing is written when any step refuses.
 *
 * @example
 * ```ts
 * import { iso27001 } from 'capa-kit';
 * import { createCapaRegister, memoryStore } from 'capa-kit/register';
 *
 * const register = createCapaRegister({ store: memoryStore(), policy: iso27001, tenant: 'acme' });
 * const finding = await register.raise({
 *   actor: { id: 'u-3', name: 'Ines Moreau', roles: ['internal-auditor'] },
 *   finding: {
 *     title: 'Leavers kept active accounts for weeks',
 *     description: 'Two leavers kept active accounts for 3 and 5 weeks.',
 *     requirement: { kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: 'A.5.18' },
 *     observedEvidence: 'HR leaver list vs. directory export',
 *     affected: { process: 'Joiner-mover-leaver' },
 *     source: { kind: 'internal-audit', reference: 'IA-2026-03' },
 *     grade: 'minor',
 *     owner: { id: 'u-9', name: 'Sam Okafor' },
 *     detectedAt: '2026-03-02T10:00:00Z',
 *   },
 * });
 * finding.reference; // 'NC-2026-0001'
 * ```
 */
export function createCapaRegister(options: CapaRegisterOptions): CapaRegister {
  const runtime = createRuntime(options);
  const onFinding =
    <C extends FindingCommandName>(command: C) =>
    (input: CommandInput<C>): Promise<Finding> =>
      runFindingCommand(runtime, command, FINDING_COMMANDS[command], input);
  const onAction =
    <C extends ActionCommandName>(command: C) =>
    (input: CommandInput<C>): Promise<CorrectiveAction> =>
      runActionCommand(runtime, command, ACTION_COMMANDS[command], input);
  return {
    tenant: runtime.tenant,
    policy: runtime.policy,
    machine: runtime.machine,
    raise: (input) => raise(runtime, input),
    recordCorrection: onFinding('recordCorrection'),
    recordRootCause: onFinding('recordRootCause'),
    linkFindings: onFinding('linkFindings'),
    planActions: (input) => planActions(runtime, input),
    submitPlan: onFinding('submitPlan'),
    approvePlan: onFinding('approvePlan'),
    returnPlan: onFinding('returnPlan'),
    startAction: onAction('startAction'),
    completeAction: onAction('completeAction'),
    cancelAction: onAction('cancelAction'),
    startVerification: onFinding('startVerification'),
    reviewEffectiveness: onFinding('reviewEffectiveness'),
    close: onFinding('close'),
    reopen: onFinding('reopen'),
    reject: onFinding('reject'),
    regrade: onFinding('regrade'),
    comment: onFinding('comment'),
    attachEvidence: onFinding('attachEvidence'),
    get: (findingId) => getFinding(runtime, findingId),
    snapshot: (findingId) => findingSnapshot(runtime, findingId),
    getAction: (actionId) => getAction(runtime, actionId),
    history: (recordId) => recordHistory(runtime, recordId),
    query: (filter, page) => queryFindings(runtime, filter, page),
    verifyHistory: (verifyOptions = {}) => verifyTenantHistory(runtime.store, runtime.tenant, runtime.machine, runtime.policy, verifyOptions.trustedHead),
    logHead: () => computeLogHead(runtime.store, runtime.tenant),
  };
}
