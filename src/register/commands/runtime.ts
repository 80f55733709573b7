import { nanoid } from 'nanoid';
import { createActor } from 'xstate';
import type * as z from 'zod';
import { ConcurrencyError, DuplicateReferenceError, NotFoundError } from '../../errors/store-errors.js';
import { CapaTransitionError } from '../../errors/transition-error.js';
import { sealEntry } from '../../history/chain.js';
import { type CapaMachine, createCapaMachine } from '../../machine/capa-machine.js';
import type { CapaEvent } from '../../machine/events.js';
import { type CapaSnapshot, explain } from '../../machine/explain.js';
import { persistSnapshot, restoreSnapshot } from '../../machine/persistence.js';
import { pureTransition } from '../../machine/pure-transition.js';
import { MACHINE_VERSION } from '../../machine/version.js';
import { defaultActionReference, defaultReference, type ReferenceGenerator } from '../../policies/reference.js';
import type { Actor, Person } from '../../schemas/actor.js';
import type { CorrectiveAction } from '../../schemas/corrective-action.js';
import { createFindingSchemas, RaisedFinding } from '../../schemas/finding.js';
import type { HistoryEntry, Signature } from '../../schemas/history-entry.js';
import { parseRecord } from '../../schemas/parse.js';
import { Reference, SCHEMA_VERSION } from '../../schemas/primitives.js';
import type { SeverityPolicy } from '../../schemas/severity-policy.js';
import type { CapaStore, JsonValue, RecordKind, StoredRecord } from '../../store/contract.js';
import { requireStoreContract } from '../../store/contract-version.js';
import { parseCompiled } from '../compiled-parse.js';
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
} from '../documents.js';
import type { CapaRegisterOptions, CommittedBatch } from '../options.js';
import { checkRegisterPolicy } from '../policy-check.js';
import { type CommandInput, type CommandName, commandInputs, type ParsedInput, RaiseFindingInput } from '../inputs.js';

/** A history entry a command is about to write, before it is sealed. */
export interface PendingEntry {
  readonly type: string;
  readonly payload: JsonValue;
  readonly reason: string | null;
  readonly signature: Signature | null;
}

/** What changes in one record during a command: its document and its new entries. */
export interface Change {
  readonly kind: 'finding' | 'action';
  readonly id: string;
  readonly before: StoredRecord | null;
  readonly document: FindingDocument | ActionDocument;
  readonly entries: readonly PendingEntry[];
}

/** A finding read for a command: the stored record, its document and its lifecycle snapshot. */
export interface LoadedFinding {
  readonly record: StoredRecord;
  readonly document: FindingDocument;
  readonly snapshot: CapaSnapshot;
}

/** A corrective action read for a command. */
export interface LoadedAction {
  readonly record: StoredRecord;
  readonly action: CorrectiveAction;
}

/**
 * The register's moving parts, shared by every command: options resolved once, and the
 * steps of the command pipeline (parse, load, transition, commit). Internal: commands are
 * written against it, the public surface is `createCapaRegister`.
 */
export interface RegisterRuntime {
  readonly options: CapaRegisterOptions;
  readonly store: CapaStore;
  readonly policy: SeverityPolicy;
  readonly tenant: string;
  readonly machine: CapaMachine;
  /** The snapshot every raise starts from (snapshots are immutable: one serves all). */
  readonly initial: CapaSnapshot;
  readonly ids: () => string;
  readonly references: { readonly [K in RecordKind]: ReferenceGenerator };
  /** The raise input, with the host's extension schemas when there are any. */
  readonly raiseInput: z.ZodType;
  /** The raised finding's schema, with the host's extension schemas when there are any. */
  readonly raisedSchema: z.ZodType;
  /** The register's clock, as an ISO instant; a broken clock is a TypeError, not a bad record. */
  now(): string;
  /**
   * A new reference for a record of `kind` made at `at`: the store's next number of that
   * kind, through the kind's generator, checked (a host's generator may break the format).
   */
  newReference(kind: RecordKind, at: string): Promise<string>;
  parse<C extends CommandName>(command: C, input: CommandInput<C>): ParsedInput<C>;
  loadFinding(id: string): Promise<LoadedFinding>;
  loadActions(actionIds: readonly string[]): Promise<LoadedAction[]>;
  /** Refuses an event the finding's lifecycle does not take now; a refusal names the finding when several move together. */
  refuseUnless(loaded: LoadedFinding | null, event: CapaEvent, name?: string | null): void;
  /** Advances a finding's lifecycle (refused as {@link refuseUnless} says). */
  transition(loaded: LoadedFinding | null, event: CapaEvent, name?: string | null): CapaSnapshot;
  /**
   * The finding's new document, with its entries written at `at`: its last activity is
   * `at`, whatever the entries are (a lifecycle event, a comment, an action's move).
   */
  findingChange(loaded: LoadedFinding | null, next: CapaSnapshot, entries: readonly PendingEntry[], at: string): Change;
  actionChange(loaded: LoadedAction | null, action: CorrectiveAction, entries: readonly PendingEntry[]): Change;
  /** Seals the entries, commits every change at once, then tells `onCommit`. */
  commit<R>(actor: Actor, at: string, changes: readonly Change[], result: R, idempotencyKey: string | undefined): Promise<R>;
  /** Runs a command under its idempotency key (see {@link runIdempotent}). */
  idempotent<R>(key: string | undefined, run: () => Promise<R>): Promise<R>;
}

/** The person behind an actor, as records name them (without roles). */
export const person = (actor: Actor): Person => ({ id: actor.id, name: actor.name });

/** A value the register built from parsed input: already JSON. */
export const json = (value: unknown): JsonValue => value as JsonValue;

/** The lifecycle event's payload, as history keeps it: the event without type, time, actor and reason. */
export function payloadOf(event: CapaEvent): JsonValue {
  const { type: _type, at: _at, by: _by, reason: _reason, ...payload } = event;
  return json(payload);
}

/** The history entry of a lifecycle event, unsigned. */
export const eventEntry = (event: CapaEvent, signature: Signature | null = null): PendingEntry => ({
  type: event.type,
  payload: payloadOf(event),
  reason: event.reason ?? null,
  signature,
});

/** Builds the runtime every command of one register shares. */
export function createRuntime(options: CapaRegisterOptions): RegisterRuntime {
  const { store, tenant } = options;
  const policy = checkRegisterPolicy(options.policy);
  requireStoreContract(store);
  if (options.references !== undefined && (typeof options.references !== 'object' || options.references === null)) {
    throw new TypeError('references takes one reference generator per kind: { finding?: ReferenceGenerator, action?: ReferenceGenerator }');
  }
  const clock = options.clock ?? (() => new Date());
  const machine: CapaMachine = createCapaMachine(policy);
  const hostSchemas = options.extensions === undefined ? null : createFindingSchemas(options.extensions);
  const madeUnder = { schema: SCHEMA_VERSION, machine: MACHINE_VERSION, policy: { id: policy.id, version: policy.version } };
  const initial = createActor(machine).getSnapshot();

  const runtime: RegisterRuntime = {
    options,
    store,
    policy,
    tenant,
    machine,
    initial,
    ids: options.ids ?? (() => nanoid()),
    references: { finding: options.references?.finding ?? defaultReference, action: options.references?.action ?? defaultActionReference },
    // Host extensions are checked as part of the command's input, so their issues carry the
    // input's path (finding.extensions.acme.riskId) like every other field's.
    raiseInput:
      hostSchemas === null
        ? commandInputs.raise
        : commandInputs.raise.extend({
            finding: RaiseFindingInput.extend({ extensions: hostSchemas.RaisedFinding.shape.extensions }),
          }),
    raisedSchema: hostSchemas === null ? RaisedFinding : hostSchemas.RaisedFinding,

    now() {
      const date = clock();
      if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new TypeError('The register clock must return a valid Date');
      return date.toISOString();
    },

    async newReference(kind, at) {
      const sequence = await store.nextReference(tenant, kind);
      return parseRecord(Reference, runtime.references[kind]({ kind, sequence, raisedAt: at, timeZone: policy.timeZone }), `${kind} reference generator output`);
    },

    parse(command, input) {
      return parseCompiled(commandInputs[command], input, `${command} input`) as ParsedInput<typeof command>;
    },

    async loadFinding(id) {
      const [record] = await store.load(tenant, [id]);
      if (record === undefined || record.kind !== 'finding') throw new NotFoundError('finding', id);
      const document = readFindingDocument(record);
      return { record, document, snapshot: restoreSnapshot(machine, document.snapshot) };
    },

    async loadActions(actionIds) {
      const records = await store.load(tenant, actionIds);
      return actionIds.map((id) => {
        const record = records.find((r) => r.id === id);
        if (record === undefined || record.kind !== 'action') throw new NotFoundError('corrective action', id);
        return { record, action: readActionDocument(record).action };
      });
    },

    refuseUnless(loaded, event, name = null) {
      const snapshot = loaded?.snapshot ?? initial;
      const unmet = explain(snapshot, event);
      if (unmet.length > 0) throw new CapaTransitionError(String(snapshot.value), event.type, unmet, name);
    },

    transition(loaded, event, name = null) {
      runtime.refuseUnless(loaded, event, name);
      // Explained once: take the transition directly (advance() would explain again).
      return pureTransition(loaded?.snapshot ?? initial, event);
    },

    findingChange(loaded, next, entries, at) {
      // Activity is the time of the last history entry: a change without entries has none.
      const lastActivityAt = entries.length > 0 ? at : (loaded?.document.finding.updatedAt ?? at);
      const finding = projectFinding(next.context, next.value, lastActivityAt);
      return {
        kind: 'finding',
        id: finding.id,
        before: loaded?.record ?? null,
        document: { format: DOCUMENT_FORMAT, finding, snapshot: persistSnapshot(next) },
        entries,
      };
    },

    actionChange(loaded, action, entries) {
      return { kind: 'action', id: action.id, before: loaded?.record ?? null, document: { format: DOCUMENT_FORMAT, action }, entries };
    },

    commit: (actor, at, changes, result, idempotencyKey) =>
      commitChanges(runtime, madeUnder, actor, at, changes, result, idempotencyKey),

    idempotent: (key, run) => runIdempotent(store, tenant, key, run),
  };
  return runtime;
}

async function commitChanges<R>(
  runtime: RegisterRuntime,
  madeUnder: HistoryEntry['madeUnder'],
  actor: Actor,
  at: string,
  changes: readonly Change[],
  result: R,
  idempotencyKey: string | undefined,
): Promise<R> {
  const { store, tenant, options } = runtime;
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
  let committed;
  try {
    committed = await store.commit({
      tenantId: tenant,
      writes,
      ...(idempotencyKey === undefined ? {} : { idempotency: { key: idempotencyKey, result: json(result) } }),
    });
  } catch (error) {
    // Only a new record takes a reference, and the store's numbers never repeat: a
    // generator that does not build on them is the cause (or data stored before references were unique).
    if (error instanceof DuplicateReferenceError) {
      throw new DuplicateReferenceError(error.duplicates, error.recordId, {
        detail: 'A reference generator must make each reference from the sequence number it is given, which the store hands out once.',
        cause: error,
      });
    }
    throw error;
  }
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
async function runIdempotent<R>(store: CapaStore, tenant: string, key: string | undefined, run: () => Promise<R>): Promise<R> {
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
