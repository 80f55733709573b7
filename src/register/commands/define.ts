import { NotFoundError } from '../../errors/store-errors.js';
import type { CapaEvent, CapaEventOf, CapaEventType } from '../../machine/events.js';
import type { CapaSnapshot } from '../../machine/explain.js';
import type { Actor } from '../../schemas/actor.js';
import type { CorrectiveAction } from '../../schemas/corrective-action.js';
import type { Finding } from '../../schemas/finding.js';
import type { FindingDocument } from '../documents.js';
import { checkAuthorized, checkSegregation, collectSignature } from '../guards.js';
import type { CommandInput, CommandName, ParsedInput } from '../inputs.js';
import { refuseFutureInstants } from '../rules/instants.js';
import { signedActOf } from '../rules/signed-acts.js';
import type { EntryTypeOf, FindingEntry } from './entry-types.js';
import { type Change, eventEntry, type LoadedFinding, type PendingEntry, type RegisterRuntime } from './runtime.js';

/**
 * A command on one finding, as data: what it checks before loading, and the entry it makes.
 * One pipeline ({@link runFindingCommand}) runs every such definition; what the entry
 * means for segregation of duties and signatures is read from the event itself (the rules
 * in `src/register/rules`, which the log validator applies to logs as well).
 */
export interface FindingCommand<C extends CommandName> {
  /** Checks against the store before the finding is loaded (the records the input names exist). */
  readonly precheck?: (runtime: RegisterRuntime, parsed: ParsedInput<C>) => Promise<void>;
  /** The entry the command makes, at the register's time (of the type `COMMAND_ENTRY_TYPES` names). */
  readonly makes: (parsed: ParsedInput<C>, at: string) => FindingEntry<EntryTypeOf<C>>;
}

/** A command on one corrective action: the event it sends every linked finding, and the action's new state. */
export interface ActionCommand<C extends CommandName> {
  readonly makes: (
    parsed: ParsedInput<C>,
    action: CorrectiveAction,
    at: string,
  ) => { event: CapaEventOf<EntryTypeOf<C> & CapaEventType>; action: CorrectiveAction };
}

/** Fails with `NotFoundError` unless every id names a finding of this tenant. */
export async function requireFindings(runtime: RegisterRuntime, ids: readonly string[]): Promise<void> {
  const found = await runtime.store.load(runtime.tenant, ids);
  const missing = ids.filter((id) => !found.some((record) => record.id === id && record.kind === 'finding'));
  if (missing.length > 0) throw new NotFoundError('finding', missing.join(', '));
}

/**
 * A lifecycle event a command makes, checked as the register checks every one: the
 * policy's segregation of duties on the finding as it stands, then the transition. Returns
 * the next snapshot. (The command then checks the instants its input reports: after the
 * transition, so that the lifecycle's own, more specific rules on them, such as "detected
 * after it was raised", speak first.)
 */
export function admit(runtime: RegisterRuntime, command: CommandName, loaded: LoadedFinding, event: CapaEvent, name?: string | null): CapaSnapshot {
  checkSegregation(runtime.policy, command, event, loaded.snapshot.context);
  return runtime.transition(loaded, event, name);
}

/**
 * The history entry of a lifecycle event on one finding, signed when it is a signed act:
 * the signature offered with the input (`signature: { credential }`) is collected (see
 * `collectSignature`), bound to the finding as it was read.
 */
async function signedEntry(runtime: RegisterRuntime, actor: Actor, loaded: LoadedFinding, event: CapaEvent, offered: { credential?: unknown } | undefined): Promise<PendingEntry> {
  const act = signedActOf(event);
  if (act === null) return eventEntry(event);
  const { record } = loaded;
  const boundTo = { recordId: record.id, version: record.version, hash: record.head };
  const signature = await collectSignature(runtime.policy, runtime.options.verifySignature, actor, offered, act, boundTo, event.at);
  return eventEntry(event, signature);
}

/**
 * The pipeline of a command on one finding: parse, load, authorize, segregation of duties,
 * transition, the instants the input reports, signature, commit. Nothing is written when
 * a step refuses.
 */
export async function runFindingCommand<C extends CommandName>(
  runtime: RegisterRuntime,
  command: C,
  definition: FindingCommand<C>,
  input: CommandInput<C>,
): Promise<Finding> {
  const parsed = runtime.parse(command, input);
  const { actor, findingId, idempotencyKey, signature } = parsed as ParsedInput<C> & {
    actor: Actor;
    findingId: string;
    idempotencyKey?: string;
    signature?: { credential?: unknown };
  };
  await definition.precheck?.(runtime, parsed);
  return runtime.idempotent(idempotencyKey, async () => {
    const loaded = await runtime.loadFinding(findingId);
    await checkAuthorized(runtime.options.authorize, actor, command, loaded.document.finding);
    const at = runtime.now();
    const made = definition.makes(parsed, at) as FindingEntry;
    // A comment is not a lifecycle event: the finding's lifecycle stays as it is.
    const next = 'event' in made ? admit(runtime, command, loaded, made.event) : loaded.snapshot;
    refuseFutureInstants(runtime.policy, command, parsed, at);
    const entry = 'event' in made ? await signedEntry(runtime, actor, loaded, made.event, signature) : { ...made.entry, reason: null, signature: null };
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
      runtime.findingChange(loaded, admit(runtime, command, loaded, event, loaded.document.finding.reference), [eventEntry(event)], at),
    );
    refuseFutureInstants(runtime.policy, command, parsed, at);
    changes.push(runtime.actionChange(loadedAction, action, [eventEntry(event)]));
    return runtime.commit(actor, at, changes, action, idempotencyKey);
  });
}
