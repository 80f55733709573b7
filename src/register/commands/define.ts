import { NotFoundError } from '../../errors/store-errors.js';
import type { CapaEvent } from '../../machine/events.js';
import type { Actor, Person } from '../../schemas/actor.js';
import type { CorrectiveAction } from '../../schemas/corrective-action.js';
import type { Finding } from '../../schemas/finding.js';
import type { Signature } from '../../schemas/history-entry.js';
import type { JsonValue } from '../../store/contract.js';
import type { FindingDocument } from '../documents.js';
import { checkAuthorized, checkSegregation, collectSignature } from '../guards.js';
import type { CommandInput, CommandName, ParsedInput } from '../inputs.js';
import { type Change, eventEntry, type RegisterRuntime } from './runtime.js';

/** A signed act: the meaning the signature states, and what the actor offered to prove it is them. */
export interface SignedAct {
  readonly meaning: Signature['meaning'];
  readonly offered: { readonly credential?: unknown } | undefined;
}

/** What a command on one finding writes: a lifecycle event, or an entry outside the lifecycle (a comment). */
export type FindingEntry = { readonly event: CapaEvent } | { readonly entry: { readonly type: string; readonly payload: JsonValue } };

/**
 * A command on one finding, as data: what it checks before loading, the entry it makes,
 * the person it names for segregation of duties, and the act it signs. One pipeline
 * ({@link runFindingCommand}) runs every such definition.
 */
export interface FindingCommand<C extends CommandName> {
  /** Checks against the store before the finding is loaded (the records the input names exist). */
  readonly precheck?: (runtime: RegisterRuntime, parsed: ParsedInput<C>) => Promise<void>;
  /** The entry the command makes, at the register's time. */
  readonly makes: (parsed: ParsedInput<C>, at: string) => FindingEntry;
  /** A person the input names whom segregation of duties also checks (the reviewer a review names). */
  readonly names?: (parsed: ParsedInput<C>) => Person;
  /** The act the command signs, or `null` when this input signs nothing. */
  readonly signs?: (parsed: ParsedInput<C>) => SignedAct | null;
}

/** A command on one corrective action: the event it sends every linked finding, and the action's new state. */
export interface ActionCommand<C extends CommandName> {
  readonly makes: (parsed: ParsedInput<C>, action: CorrectiveAction, at: string) => { event: CapaEvent; action: CorrectiveAction };
}

/** Fails with `NotFoundError` unless every id names a finding of this tenant. */
export async function requireFindings(runtime: RegisterRuntime, ids: readonly string[]): Promise<void> {
  const found = await runtime.store.load(runtime.tenant, ids);
  const missing = ids.filter((id) => !found.some((record) => record.id === id && record.kind === 'finding'));
  if (missing.length > 0) throw new NotFoundError('finding', missing.join(', '));
}

/**
 * The pipeline of a command on one finding: parse, load, authorize, segregation of
 * duties, transition, signature, commit. Nothing is written when a step refuses.
 */
export async function runFindingCommand<C extends CommandName>(
  runtime: RegisterRuntime,
  command: C,
  definition: FindingCommand<C>,
  input: CommandInput<C>,
): Promise<Finding> {
  const parsed = runtime.parse(command, input);
  const { actor, findingId, idempotencyKey } = parsed as ParsedInput<C> & { actor: Actor; findingId: string; idempotencyKey?: string };
  await definition.precheck?.(runtime, parsed);
  return runtime.idempotent(idempotencyKey, async () => {
    const loaded = await runtime.loadFinding(findingId);
    const { finding } = loaded.document;
    await checkAuthorized(runtime.options.authorize, actor, command, finding);
    checkSegregation(runtime.policy, command, actor, finding, loaded.snapshot, definition.names?.(parsed));
    const at = runtime.now();
    const made = definition.makes(parsed, at);
    const next = 'event' in made ? runtime.transition(loaded, made.event) : loaded.snapshot;
    const act = definition.signs?.(parsed) ?? null;
    const signature =
      act === null
        ? null
        : await collectSignature(
            runtime.policy,
            runtime.options.verifySignature,
            actor,
            act.offered,
            act.meaning,
            { recordId: finding.id, version: loaded.record.version, hash: loaded.record.head },
            at,
          );
    const entry = 'event' in made ? eventEntry(made.event, signature) : { ...made.entry, reason: null, signature };
    const change = runtime.findingChange(loaded, next, [entry], at);
    return runtime.commit(actor, at, [change], (change.document as FindingDocument).finding, idempotencyKey);
  });
}

/** The pipeline of a command on a shared corrective action: the action and every finding it is linked to move in one commit. */
export async function runActionCommand<C extends CommandName>(
  runtime: RegisterRuntime,
  command: C,
  definition: ActionCommand<C>,
  input: CommandInput<C>,
): Promise<CorrectiveAction> {
  const parsed = runtime.parse(command, input);
  const { actor, actionId, idempotencyKey } = parsed as ParsedInput<C> & { actor: Actor; actionId: string; idempotencyKey?: string };
  return runtime.idempotent(idempotencyKey, async () => {
    const [loadedAction] = await runtime.loadActions([actionId]);
    if (loadedAction === undefined) throw new NotFoundError('corrective action', actionId);
    const findings = await Promise.all(loadedAction.action.findingIds.map((id) => runtime.loadFinding(id)));
    for (const loaded of findings) await checkAuthorized(runtime.options.authorize, actor, command, loaded.document.finding);
    const at = runtime.now();
    const { event, action } = definition.makes(parsed, loadedAction.action, at);
    const changes: Change[] = findings.map((loaded) =>
      runtime.findingChange(loaded, runtime.transition(loaded, event, loaded.document.finding.reference), [eventEntry(event)], at),
    );
    changes.push(runtime.actionChange(loadedAction, action, [eventEntry(event)]));
    return runtime.commit(actor, at, changes, action, idempotencyKey);
  });
}
