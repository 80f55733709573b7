import { nanoid } from 'nanoid';
import { createActor } from 'xstate';
import * as z from 'zod';
import { CapaTransitionError } from '../errors/transition-error.js';
import { ConcurrencyError, NotFoundError } from '../errors/store-errors.js';
import { CapaValidationError } from '../errors/validation-error.js';
import { sealEntry } from '../history/chain.js';
import { type CapaMachine, createCapaMachine } from '../machine/capa-machine.js';
import { currentActions } from '../machine/context.js';
import type { CapaEvent } from '../machine/events.js';
import { type CapaSnapshot, explain } from '../machine/explain.js';
import { persistSnapshot, restoreSnapshot } from '../machine/persistence.js';
import { pureTransition } from '../machine/pure-transition.js';
import { MACHINE_VERSION } from '../machine/version.js';
import { defaultReference, type ReferenceGenerator } from '../policies/reference.js';
import type { Actor, Person } from '../schemas/actor.js';
import type { ActionDraft, CorrectiveAction } from '../schemas/corrective-action.js';
import { createFindingSchemas, type Finding, RaisedFinding } from '../schemas/finding.js';
import type { HistoryEntry, Signature } from '../schemas/history-entry.js';
import { parseRecord } from '../schemas/parse.js';
import { parseCompiled } from './compiled-parse.js';
import { SCHEMA_VERSION } from '../schemas/primitives.js';
import type { SeverityPolicy } from '../schemas/severity-policy.js';
import type { CapaStore, JsonValue, StoredRecord } from '../store/contract.js';
import {
  type ActionDocument,
  actionIndex,
  asJson,
  DOCUMENT_FORMAT,
  type FindingDocument,
  findingIndex,
  projectFinding,
  readActionDocument,
  readFindingDocument,
} from './documents.js';
import { type AuthorizeHook, checkAuthorized, checkSegregation, collectSignature, type VerifySignatureHook } from './guards.js';
import { type CommandInput, type CommandName, commandInputs, type FindingQuery, type ParsedInput, RaiseFindingInput } from './inputs.js';
import { resolveQuery } from './query.js';
import { computeLogHead, type LogHead, verifyTenantHistory, type VerificationReport } from './verify.js';

/**
 * What a register hands `onCommit` after every commit: the tenant, the tenant sequence
 * the commit reached, and its sealed history entries.
 *
 * @example
 * ```ts
 * import type { CommittedBatch } from 'capa-kit/register';
 *
 * const audit = (batch: CommittedBatch) =>
 *   console.log(`${batch.tenantId} #${batch.tenantSequence}: ${batch.entries.map((entry) => entry.type).join(', ')}`);
 * ```
 */
export interface CommittedBatch {
  readonly tenantId: string;
  readonly tenantSequence: number;
  readonly entries: readonly HistoryEntry[];
}

/**
 * How to build a register. Only `store`, `policy` and `tenant` are required.
 *
 * @example
 * ```ts
 * import { iso27001 } from 'capa-kit';
 * import { createCapaRegister, memoryStore, type CapaRegisterOptions } from 'capa-kit/register';
 *
 * const options: CapaRegisterOptions = {
 *   store: memoryStore(), policy: iso27001, tenant: 'acme', clock: () => new Date('2026-03-02T10:00:00Z'),
 *   onCommit: (batch) => console.log(`committed up to ${batch.tenantSequence}`),
 * };
 * const register = createCapaRegister(options);
 * ```
 */
export interface CapaRegisterOptions {
  readonly store: CapaStore;
  readonly policy: SeverityPolicy;
  /** The tenant (organisation) this register reads and writes; nothing crosses into another. */
  readonly tenant: string;
  /** The time of each command. Default: the system clock. */
  readonly clock?: () => Date;
  /** New record ids. Default: nanoid. */
  readonly ids?: () => string;
  /** Human references from the store's sequence. Default: `NC-2026-0001`. */
  readonly references?: ReferenceGenerator;
  /** May this actor run this command? Default: allow (segregation of duties still applies). */
  readonly authorize?: AuthorizeHook;
  /** Re-authenticates a signer before a signature is recorded. */
  readonly verifySignature?: VerifySignatureHook;
  /** Receives every committed batch, after the commit. A throw never undoes the commit. */
  readonly onCommit?: (batch: CommittedBatch) => void | Promise<void>;
  /** Where a throwing `onCommit` is reported. Default: nowhere. */
  readonly onCommitError?: (error: unknown, batch: CommittedBatch) => void;
  /** Host extension schemas, one per namespace, for findings' `extensions`. */
  readonly extensions?: Record<string, z.ZodType<Record<string, unknown>>>;
}

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
 * A page of findings from {@link CapaRegister.query}.
 *
 * @example
 * ```ts
 * import type { CapaRegister, FindingPage } from 'capa-kit/register';
 *
 * declare const register: CapaRegister;
 * const page: FindingPage = await register.query({ open: true }, { limit: 50 });
 * for (const finding of page.findings) console.log(finding.reference, finding.title);
 * const next = page.cursor === null ? null : await register.query({ open: true }, { limit: 50, cursor: page.cursor });
 * ```
 */
export interface FindingPage {
  readonly findings: readonly Finding[];
  /** Pass it back for the next page; `null` at the end. */
  readonly cursor: string | null;
}

/** What changes in one record during a command: its document and its new entries. */
interface Change {
  readonly kind: 'finding' | 'action';
  readonly id: string;
  readonly before: StoredRecord | null;
  readonly document: FindingDocument | ActionDocument;
  readonly entries: readonly { type: string; payload: JsonValue; reason: string | null; signature: Signature | null }[];
}

interface LoadedFinding {
  readonly record: StoredRecord;
  readonly document: FindingDocument;
  readonly snapshot: CapaSnapshot;
}

interface LoadedAction {
  readonly record: StoredRecord;
  readonly action: CorrectiveAction;
}

const person = (actor: Actor): Person => ({ id: actor.id, name: actor.name });

/** A page request: 1 to 1000 records (default 100), after an opaque cursor. */
const PageOptions = z.strictObject({
  limit: z.int().min(1).max(1000).default(100),
  cursor: z.string().min(1).max(2000).optional(),
});

/** Stands in for the reference while a raise is checked, before a number is taken. */
const PROVISIONAL_REFERENCE = 'NC-0000-0000';
const json = (value: unknown): JsonValue => value as JsonValue;

/** The lifecycle event's payload, as history keeps it: the event without type, time, actor and reason. */
function payloadOf(event: CapaEvent): JsonValue {
  const { type: _type, at: _at, by: _by, reason: _reason, ...payload } = event;
  return json(payload);
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
  const { store, policy, tenant } = options;
  const clock = options.clock ?? (() => new Date());
  const ids = options.ids ?? (() => nanoid());
  const references = options.references ?? defaultReference;
  const machine: CapaMachine = createCapaMachine(policy);
  const hostSchemas = options.extensions === undefined ? null : createFindingSchemas(options.extensions);
  const raisedSchema = hostSchemas === null ? RaisedFinding : hostSchemas.RaisedFinding;
  // Host extensions are checked as part of the command's input, so their issues carry the
  // input's path (finding.extensions.acme.riskId) like every other field's.
  const raiseInput =
    hostSchemas === null
      ? commandInputs.raise
      : commandInputs.raise.extend({
          finding: RaiseFindingInput.extend({ extensions: hostSchemas.RaisedFinding.shape.extensions }),
        });
  const madeUnder = { schema: SCHEMA_VERSION, machine: MACHINE_VERSION, policy: { id: policy.id, version: policy.version } };
  // Snapshots are immutable: one initial snapshot serves every raise.
  const initial = createActor(machine).getSnapshot();

  const now = () => {
    const date = clock();
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new TypeError('The register clock must return a valid Date');
    return date.toISOString();
  };

  function parse<C extends CommandName>(command: C, input: CommandInput<C>): ParsedInput<C> {
    return parseCompiled(commandInputs[command], input, `${command} input`) as ParsedInput<C>;
  }

  async function loadFinding(id: string): Promise<LoadedFinding> {
    const [record] = await store.load(tenant, [id]);
    if (record === undefined || record.kind !== 'finding') throw new NotFoundError('finding', id);
    const document = readFindingDocument(record);
    return { record, document, snapshot: restoreSnapshot(machine, document.snapshot) };
  }

  async function loadActions(actionIds: readonly string[]): Promise<LoadedAction[]> {
    const records = await store.load(tenant, actionIds);
    return actionIds.map((id) => {
      const record = records.find((r) => r.id === id);
      if (record === undefined || record.kind !== 'action') throw new NotFoundError('corrective action', id);
      return { record, action: readActionDocument(record).action };
    });
  }

  /** Advances a finding's lifecycle; a refusal names the finding when several move together. */
  function transition(loaded: LoadedFinding | null, event: CapaEvent, name: string | null = null): CapaSnapshot {
    const snapshot = loaded?.snapshot ?? initial;
    const unmet = explain(snapshot, event);
    if (unmet.length > 0) throw new CapaTransitionError(String(snapshot.value), event.type, unmet, name);
    // Explained once: take the transition directly (advance() would explain again).
    return pureTransition(snapshot, event);
  }

  /** `activityAt`: an entry that is not a lifecycle event (a comment) still counts as activity. */
  function findingChange(loaded: LoadedFinding | null, next: CapaSnapshot, entries: Change['entries'], activityAt?: string): Change {
    const projected = projectFinding(next.context, next.value);
    const finding = activityAt === undefined ? projected : { ...projected, updatedAt: activityAt };
    return {
      kind: 'finding',
      id: finding.id,
      before: loaded?.record ?? null,
      document: { format: DOCUMENT_FORMAT, finding, snapshot: persistSnapshot(next) },
      entries,
    };
  }

  function actionChange(loaded: LoadedAction | null, action: CorrectiveAction, entries: Change['entries']): Change {
    return { kind: 'action', id: action.id, before: loaded?.record ?? null, document: { format: DOCUMENT_FORMAT, action }, entries };
  }

  /** Seals the entries, commits every change at once, then tells `onCommit`. */
  async function commit<R>(actor: Actor, at: string, changes: readonly Change[], result: R, idempotencyKey: string | undefined): Promise<R> {
    const entries: HistoryEntry[] = [];
    const writes = changes.map((change) => {
      let sequence = change.before?.version ?? 0;
      let head = change.before?.head ?? null;
      const events = change.entries.map((pending) => {
        sequence += 1;
        const entry = sealEntry({
          schemaVersion: SCHEMA_VERSION,
          tenantId: tenant,
          recordKind: change.kind,
          recordId: change.id,
          sequence,
          type: pending.type,
          actor,
          at,
          reason: pending.reason,
          payload: pending.payload,
          madeUnder,
          signature: pending.signature,
          prevHash: head,
        });
        head = entry.hash;
        entries.push(entry);
        return { tenantId: tenant, recordId: change.id, sequence, entry: json(entry) };
      });
      const index =
        change.kind === 'finding'
          ? findingIndex((change.document as FindingDocument).finding)
          : actionIndex((change.document as ActionDocument).action, at);
      return {
        record: { kind: change.kind, id: change.id, tenantId: tenant, version: sequence, head, index, document: asJson(change.document) },
        expectedVersion: change.before?.version ?? 0,
        events,
      };
    });
    const committed = await store.commit({
      tenantId: tenant,
      writes,
      ...(idempotencyKey === undefined ? {} : { idempotency: { key: idempotencyKey, result: json(result) } }),
    });
    if (options.onCommit !== undefined) {
      const batch: CommittedBatch = { tenantId: tenant, tenantSequence: committed.tenantSequence, entries };
      try {
        await options.onCommit(batch);
      } catch (error) {
        try {
          options.onCommitError?.(error, batch);
        } catch {
          // The commit stands: a failing error reporter must not make it look refused.
        }
      }
    }
    return result;
  }

  /**
   * Runs a command with its idempotency key: a key already used returns the stored
   * result; a race on the same key is settled by the store, and the loser reads the
   * winner's result.
   */
  async function idempotent<R>(key: string | undefined, run: () => Promise<R>): Promise<R> {
    if (key === undefined) return run();
    const stored = await store.idempotentResult(tenant, key);
    if (stored !== undefined) return stored as R;
    try {
      return await run();
    } catch (error) {
      if (error instanceof ConcurrencyError) {
        const winner = await store.idempotentResult(tenant, key);
        if (winner !== undefined) return winner as R;
      }
      throw error;
    }
  }

  /** The common shape of a command on one finding: load, authorize, transition, sign, commit. */
  async function onFinding<C extends CommandName>(
    command: C,
    input: CommandInput<C>,
    build: (parsed: ParsedInput<C>, loaded: LoadedFinding, at: string) => { event: CapaEvent | null; payload?: JsonValue; type?: string },
    signing?: (parsed: ParsedInput<C>) => { meaning: Signature['meaning']; offered: { credential?: unknown } | undefined } | null,
  ): Promise<Finding> {
    const parsed = parse(command, input);
    const { actor } = parsed as { actor: Actor };
    return idempotent(parsed.idempotencyKey, async () => {
      const loaded = await loadFinding((parsed as { findingId: string }).findingId);
      const { finding } = loaded.document;
      await checkAuthorized(options.authorize, actor, command, finding);
      checkSegregation(policy, command, actor, finding, loaded.snapshot, (parsed as { review?: { reviewer: Person } }).review?.reviewer);
      const at = now();
      const { event, payload, type } = build(parsed, loaded, at);
      const next = event === null ? loaded.snapshot : transition(loaded, event);
      const sign = signing?.(parsed) ?? null;
      const signature =
        sign === null
          ? null
          : await collectSignature(policy, options.verifySignature, actor, sign.offered, sign.meaning, {
              recordId: finding.id,
              version: loaded.record.version,
              hash: loaded.record.head,
            }, at);
      const entry = {
        type: type ?? event?.type ?? command,
        payload: payload ?? (event === null ? null : payloadOf(event)),
        reason: event?.reason ?? null,
        signature,
      };
      const change = findingChange(loaded, next, [entry], event === null ? at : undefined);
      return commit(actor, at, [change], (change.document as FindingDocument).finding, parsed.idempotencyKey);
    });
  }

  /** Moves a shared corrective action and every finding it is linked to, in one commit. */
  async function onAction<C extends 'startAction' | 'completeAction' | 'cancelAction'>(
    command: C,
    input: CommandInput<C>,
    build: (parsed: ParsedInput<C>, action: CorrectiveAction, at: string) => { event: CapaEvent; action: CorrectiveAction },
  ): Promise<CorrectiveAction> {
    const parsed = parse(command, input);
    const { actor } = parsed as { actor: Actor };
    return idempotent(parsed.idempotencyKey, async () => {
      const [loadedAction] = await loadActions([(parsed as { actionId: string }).actionId]);
      if (loadedAction === undefined) throw new NotFoundError('corrective action', (parsed as { actionId: string }).actionId);
      const findings = await Promise.all(loadedAction.action.findingIds.map((id) => loadFinding(id)));
      for (const loaded of findings) await checkAuthorized(options.authorize, actor, command, loaded.document.finding);
      const at = now();
      const { event, action } = build(parsed, loadedAction.action, at);
      const changes: Change[] = findings.map((loaded) => {
        const next = transition(loaded, event, loaded.document.finding.reference);
        return findingChange(loaded, next, [{ type: event.type, payload: payloadOf(event), reason: event.reason ?? null, signature: null }]);
      });
      changes.push(actionChange(loadedAction, action, [{ type: event.type, payload: payloadOf(event), reason: event.reason ?? null, signature: null }]));
      return commit(actor, at, changes, action, parsed.idempotencyKey);
    });
  }

  const register: CapaRegister = {
    tenant,
    policy,
    machine,

    /** Raises a finding: validates it, gives it an id and a reference, computes its due date. */
    async raise(input: CommandInput<'raise'>): Promise<Finding> {
      const parsed = parseCompiled(raiseInput, input, 'raise input') as ParsedInput<'raise'>;
      return idempotent(parsed.idempotencyKey, async () => {
        await checkAuthorized(options.authorize, parsed.actor, 'raise', null);
        const at = now();
        const facts = {
          ...parsed.finding,
          id: ids(),
          tenantId: tenant,
          raisedBy: person(parsed.actor),
          raisedAt: at,
          extensions: parsed.finding.extensions ?? {},
        };
        // Every check runs on a provisional reference first: a refused raise must not use up
        // a number of the tenant's sequence (an auditor asks about gaps).
        const provisional = parseCompiled(raisedSchema, { ...facts, reference: PROVISIONAL_REFERENCE }, 'raise input') as RaisedFinding;
        const unmet = explain(initial, { type: 'RAISE', at, by: parsed.actor, finding: provisional });
        if (unmet.length > 0) throw new CapaTransitionError(String(initial.value), 'RAISE', unmet);
        // Only the reference is new now: check it alone (a host's generator may break the format).
        const reference = parseRecord(
          RaisedFinding.shape.reference,
          references({ sequence: await store.nextReference(tenant), raisedAt: at, timeZone: policy.timeZone }),
          'reference generator output',
        );
        const raised: RaisedFinding = { ...provisional, reference };
        const event: CapaEvent = { type: 'RAISE', at, by: parsed.actor, finding: raised };
        const next = pureTransition(initial, event);
        const change = findingChange(null, next, [{ type: 'RAISE', payload: payloadOf(event), reason: null, signature: null }]);
        return commit(parsed.actor, at, [change], (change.document as FindingDocument).finding, parsed.idempotencyKey);
      });
    },

    /** Records the correction (or why none applies). */
    recordCorrection: (input: CommandInput<'recordCorrection'>) =>
      onFinding('recordCorrection', input, (p, _l, at) => ({ event: { type: 'RECORD_CORRECTION', at, by: p.actor, correction: p.correction } })),

    /** Records (or revises) the root cause analysis and extent of condition. */
    recordRootCause: (input: CommandInput<'recordRootCause'>) =>
      onFinding('recordRootCause', input, (p, _l, at) => ({ event: { type: 'RECORD_ROOT_CAUSE', at, by: p.actor, rootCause: p.rootCause } })),

    /** Links related findings of this tenant (extent of condition, shared causes). */
    async linkFindings(input: CommandInput<'linkFindings'>): Promise<Finding> {
      const others = parse('linkFindings', input).findingIds;
      const found = await store.load(tenant, others);
      const missing = others.filter((id) => !found.some((record) => record.id === id && record.kind === 'finding'));
      if (missing.length > 0) throw new NotFoundError('finding', missing.join(', '));
      return onFinding('linkFindings', input, (p, _l, at) => ({ event: { type: 'LINK_FINDINGS', at, by: p.actor, findingIds: p.findingIds } }));
    },

    /**
     * Plans the corrective actions of the current investigation: new actions get their own
     * records; `{ existingActionId }` links a planned action another finding shares. Actions
     * dropped from a revised plan are cancelled (or unlinked, when shared).
     */
    async planActions(input: CommandInput<'planActions'>): Promise<Finding> {
      const parsed = parse('planActions', input);
      return idempotent(parsed.idempotencyKey, async () => {
        const loaded = await loadFinding(parsed.findingId);
        const { finding } = loaded.document;
        await checkAuthorized(options.authorize, parsed.actor, 'planActions', finding);
        const at = now();
        const existingIds = parsed.actions.flatMap((line) => ('existingActionId' in line ? [line.existingActionId] : []));
        const previousIds = currentActions(loaded.snapshot.context).map((action) => action.id);
        const loadedActions = await loadActions([...new Set([...existingIds, ...previousIds])]);
        const byId = new Map(loadedActions.map((entry) => [entry.action.id, entry]));
        // A new line may name its id; one taken by another record is an input error, not a race.
        const named = parsed.actions.flatMap((line, index) => ('id' in line && line.id !== undefined ? [[line.id, index] as const] : []));
        const taken = await store.load(tenant, named.map(([id]) => id).filter((id) => !previousIds.includes(id)));
        if (taken.length > 0) {
          throw new CapaValidationError(
            'planActions input',
            named
              .filter(([id]) => taken.some((record) => record.id === id))
              .map(([id, index]) => ({
                path: ['actions', index, 'id'],
                code: 'id_taken',
                message: `The id ${id} is already used by another record; share an action with { existingActionId }`,
              })),
          );
        }
        const drafts: ActionDraft[] = parsed.actions.map((line, index) => {
          if ('existingActionId' in line) {
            const existing = byId.get(line.existingActionId)!;
            const shared = existing.action.findingIds.some((id) => id !== finding.id);
            if (shared && existing.action.status !== 'planned') {
              throw new CapaValidationError('planActions input', [
                { path: ['actions', index, 'existingActionId'], code: 'action_not_planned', message: `Action ${existing.action.id} is ${existing.action.status}: only a planned action can be shared` },
              ]);
            }
            const { id, description, owner, dueDate, measurableOutcome } = existing.action;
            return { id, description, owner, dueDate, measurableOutcome };
          }
          const { id, ...rest } = line;
          return { id: id ?? ids(), ...rest };
        });
        const event: CapaEvent = { type: 'PLAN_ACTIONS', at, by: parsed.actor, actions: drafts };
        const next = transition(loaded, event);
        const entry = { type: 'PLAN_ACTIONS', payload: payloadOf(event), reason: null, signature: null };
        const changes: Change[] = [findingChange(loaded, next, [entry])];
        const planned = new Set(drafts.map((d) => d.id));
        for (const d of drafts) {
          const existing = byId.get(d.id);
          if (existing === undefined) {
            const action: CorrectiveAction = {
              schemaVersion: SCHEMA_VERSION,
              ...d,
              tenantId: tenant,
              findingIds: [finding.id],
              status: 'planned',
              cancellation: null,
              implementationEvidence: [],
              createdAt: at,
              startedAt: null,
              completedAt: null,
            };
            changes.push(actionChange(null, action, [{ type: 'CREATE_ACTION', payload: json({ action }), reason: null, signature: null }]));
          } else if (!existing.action.findingIds.includes(finding.id)) {
            const action = { ...existing.action, findingIds: [...existing.action.findingIds, finding.id] };
            changes.push(actionChange(existing, action, [{ type: 'LINK_FINDING', payload: { findingId: finding.id }, reason: null, signature: null }]));
          } else {
            // This finding's own action: it takes the plan's wording (when not shared), and one
            // dropped from an earlier version of the plan is planned again.
            const shared = existing.action.findingIds.length > 1;
            const reinstated = existing.action.status === 'cancelled';
            if (!shared || reinstated) {
              const action: CorrectiveAction = {
                ...existing.action,
                ...(shared ? {} : d),
                ...(reinstated ? { status: 'planned', cancellation: null } : {}),
              };
              changes.push(actionChange(existing, action, [{ type: 'REVISE_ACTION', payload: json({ action: d, reinstated }), reason: null, signature: null }]));
            }
          }
        }
        for (const id of previousIds) {
          const dropped = byId.get(id);
          if (planned.has(id) || dropped === undefined) continue;
          const others = dropped.action.findingIds.filter((fid) => fid !== finding.id);
          const reason = `Removed from the plan of ${finding.reference}`;
          const action: CorrectiveAction =
            others.length > 0
              ? { ...dropped.action, findingIds: others }
              : { ...dropped.action, status: 'cancelled', cancellation: { reason, cancelledBy: person(parsed.actor), cancelledAt: at } };
          changes.push(actionChange(dropped, action, [{ type: others.length > 0 ? 'UNLINK_FINDING' : 'CANCEL_ACTION', payload: { findingId: finding.id }, reason, signature: null }]));
        }
        return commit(parsed.actor, at, changes, (changes[0]!.document as FindingDocument).finding, parsed.idempotencyKey);
      });
    },

    /** Submits the plan: to approval where the policy asks, else straight to implementation. */
    submitPlan: (input: CommandInput<'submitPlan'>) =>
      onFinding('submitPlan', input, (p, _l, at) => ({ event: { type: 'SUBMIT_PLAN', at, by: p.actor } })),

    /** Approves the plan (the role the policy names; signed "approved"). */
    approvePlan: (input: CommandInput<'approvePlan'>) =>
      onFinding(
        'approvePlan',
        input,
        (p, _l, at) => ({ event: { type: 'APPROVE_PLAN', at, by: p.actor } }),
        (p) => ({ meaning: 'approved', offered: p.signature }),
      ),

    /** Sends the plan back to planning, with a reason. */
    returnPlan: (input: CommandInput<'returnPlan'>) =>
      onFinding('returnPlan', input, (p, _l, at) => ({ event: { type: 'RETURN_PLAN', at, by: p.actor, reason: p.reason } })),

    /** Starts a corrective action, moving every finding it is linked to. */
    startAction: (input: CommandInput<'startAction'>) =>
      onAction('startAction', input, (p, action, at) => ({
        event: { type: 'START_ACTION', at, by: p.actor, actionId: action.id },
        action: { ...action, status: 'in-progress', startedAt: at },
      })),

    /** Completes a corrective action with its implementation evidence, for every linked finding at once. */
    completeAction: (input: CommandInput<'completeAction'>) =>
      onAction('completeAction', input, (p, action, at) => ({
        event: { type: 'COMPLETE_ACTION', at, by: p.actor, actionId: action.id, evidence: p.evidence },
        action: { ...action, status: 'done', completedAt: at, implementationEvidence: [...action.implementationEvidence, ...p.evidence] },
      })),

    /** Cancels a corrective action, with a reason, for every linked finding at once. */
    cancelAction: (input: CommandInput<'cancelAction'>) =>
      onAction('cancelAction', input, (p, action, at) => ({
        event: { type: 'CANCEL_ACTION', at, by: p.actor, actionId: action.id, reason: p.reason },
        action: { ...action, status: 'cancelled', cancellation: { reason: p.reason, cancelledBy: person(p.actor), cancelledAt: at } },
      })),

    /** Moves to the effectiveness review once every action is finished. */
    startVerification: (input: CommandInput<'startVerification'>) =>
      onFinding('startVerification', input, (p, _l, at) => ({ event: { type: 'START_VERIFICATION', at, by: p.actor } })),

    /** Records the effectiveness review (an effective verdict is signed "verified effective"). */
    reviewEffectiveness: (input: CommandInput<'reviewEffectiveness'>) =>
      onFinding(
        'reviewEffectiveness',
        input,
        (p, _l, at) => ({ event: { type: 'RECORD_REVIEW', at, by: p.actor, review: p.review } }),
        (p) => (p.review.result === 'effective' ? { meaning: 'verified effective', offered: p.signature } : null),
      ),

    /** Closes the finding with its closure evidence (signed "closed"). */
    close: (input: CommandInput<'close'>) =>
      onFinding(
        'close',
        input,
        (p, _l, at) => ({ event: { type: 'CLOSE', at, by: p.actor, evidence: p.evidence, ...(p.note === undefined ? {} : { reason: p.note }) } }),
        (p) => ({ meaning: 'closed', offered: p.signature }),
      ),

    /** Reopens a closed or rejected finding, with a reason. */
    reopen: (input: CommandInput<'reopen'>) =>
      onFinding('reopen', input, (p, _l, at) => ({ event: { type: 'REOPEN', at, by: p.actor, reason: p.reason } })),

    /** Rejects the finding: not a nonconformity, or a duplicate of another finding. */
    async reject(input: CommandInput<'reject'>): Promise<Finding> {
      const parsed = parse('reject', input);
      if (parsed.duplicateOf !== undefined) {
        const [other] = await store.load(tenant, [parsed.duplicateOf]);
        if (other === undefined || other.kind !== 'finding') throw new NotFoundError('finding', parsed.duplicateOf);
      }
      return onFinding('reject', input, (p, _l, at) => ({
        event: { type: 'REJECT', at, by: p.actor, kind: p.kind, reason: p.reason, ...(p.duplicateOf === undefined ? {} : { duplicateOf: p.duplicateOf }) },
      }));
    },

    /** Changes the grade, with a reason; the due date is recomputed and approved action dates are flagged. */
    regrade: (input: CommandInput<'regrade'>) =>
      onFinding('regrade', input, (p, _l, at) => ({ event: { type: 'REGRADE', at, by: p.actor, grade: p.grade, reason: p.reason } })),

    /** Adds a comment to the finding's history (no change of state). */
    comment: (input: CommandInput<'comment'>) =>
      onFinding('comment', input, (p) => ({ event: null, type: 'COMMENT', payload: { text: p.text } })),

    /** Attaches evidence to the finding. */
    attachEvidence: (input: CommandInput<'attachEvidence'>) =>
      onFinding('attachEvidence', input, (p, _l, at) => ({ event: { type: 'ATTACH_EVIDENCE', at, by: p.actor, evidence: p.evidence } })),

    /** One finding. */
    async get(findingId: string): Promise<Finding> {
      return (await loadFinding(findingId)).document.finding;
    },

    /** One finding's lifecycle snapshot: drive `can` and `explain` from it. */
    async snapshot(findingId: string): Promise<CapaSnapshot> {
      return (await loadFinding(findingId)).snapshot;
    },

    /** One corrective action. */
    async getAction(actionId: string): Promise<CorrectiveAction> {
      const [loaded] = await loadActions([actionId]);
      return loaded!.action;
    },

    /** A finding's or an action's history, oldest first. */
    async history(recordId: string): Promise<HistoryEntry[]> {
      const [record] = await store.load(tenant, [recordId]);
      if (record === undefined) throw new NotFoundError('record', recordId);
      return (await store.readEvents(tenant, recordId)).map((event) => event.entry as unknown as HistoryEntry);
    },

    /** A page of findings matching a declarative filter, in a stable order (raised, then id). */
    async query(filter: FindingQuery = {}, page: { limit?: number; cursor?: string } = {}): Promise<FindingPage> {
      const resolved = resolveQuery(policy, filter);
      const { limit, cursor } = parseRecord(PageOptions, page, 'page options');
      if (resolved === null) return { findings: [], cursor: null };
      let result;
      try {
        result = await store.query(tenant, { filter: resolved, limit, ...(cursor === undefined ? {} : { cursor }) });
      } catch (error) {
        // The cursor is the store's own format: a malformed one is the caller's input error.
        if (error instanceof RangeError && cursor !== undefined) {
          throw new CapaValidationError('page options', [{ path: ['cursor'], code: 'invalid_cursor', message: 'Not a cursor this store handed out' }]);
        }
        throw error;
      }
      return { findings: result.records.map((record) => readFindingDocument(record).finding), cursor: result.cursor };
    },

    /** Checks every record's hash chain, signatures and lifecycle replay, and the log head against a saved one. */
    verifyHistory: (verifyOptions: { trustedHead?: LogHead } = {}): Promise<VerificationReport> =>
      verifyTenantHistory(store, tenant, machine, verifyOptions.trustedHead),

    /** The tenant's log head now: save it somewhere the store's writers cannot change it. */
    logHead: (): Promise<LogHead> => computeLogHead(store, tenant),
  };
  return register;
}
