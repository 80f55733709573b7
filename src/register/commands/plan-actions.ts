import { CapaValidationError } from '../../errors/validation-error.js';
import { currentActions } from '../../machine/context.js';
import type { CapaEvent } from '../../machine/events.js';
import { actionName } from '../../schemas/action-name.js';
import type { ActionDraft, CorrectiveAction } from '../../schemas/corrective-action.js';
import type { Finding } from '../../schemas/finding.js';
import { SCHEMA_VERSION } from '../../schemas/primitives.js';
import type { FindingDocument } from '../documents.js';
import { checkAuthorized } from '../guards.js';
import { refuseFutureInstants } from '../rules/instants.js';
import { admit } from './define.js';
import type { CommandInput, ParsedInput } from '../inputs.js';
import { type Change, eventEntry, json, type LoadedAction, type LoadedFinding, person, type RegisterRuntime } from './runtime.js';

/**
 * Plans the corrective actions of the current investigation: new actions get their own
 * records; `{ existingActionId }` links a planned action another finding shares. Actions
 * dropped from a revised plan are cancelled (or unlinked, when shared).
 */
export async function planActions(runtime: RegisterRuntime, input: CommandInput<'planActions'>): Promise<Finding> {
  const parsed = runtime.parse('planActions', input);
  return runtime.idempotent(parsed.idempotencyKey, async () => {
    const loaded = await runtime.loadFinding(parsed.findingId);
    const { finding } = loaded.document;
    await checkAuthorized(runtime.options.authorize, parsed.actor, 'planActions', finding);
    const at = runtime.now();
    const existingIds = parsed.actions.flatMap((line) => ('existingActionId' in line ? [line.existingActionId] : []));
    const previousIds = currentActions(loaded.snapshot.context).map((action) => action.id);
    const loadedActions = await runtime.loadActions([...new Set([...existingIds, ...previousIds])]);
    const byId = new Map(loadedActions.map((entry) => [entry.action.id, entry]));
    await refuseTakenIds(runtime, parsed, previousIds);
    const unnumbered = draftsOf(runtime, parsed, finding, byId);
    // The plan is checked before new actions take their references: a refused plan must not
    // use up numbers of the tenant's action sequence.
    admit(runtime, 'planActions', loaded, { type: 'PLAN_ACTIONS', at, by: parsed.actor, actions: unnumbered });
    refuseFutureInstants(runtime.policy, 'planActions', parsed, at);
    const drafts = await numbered(runtime, unnumbered, byId, at);
    const event: CapaEvent = { type: 'PLAN_ACTIONS', at, by: parsed.actor, actions: drafts };
    const changes: Change[] = [runtime.findingChange(loaded, runtime.transition(loaded, event), [eventEntry(event)], at)];
    changes.push(...plannedActionChanges(runtime, loaded, drafts, byId, at));
    changes.push(...droppedActionChanges(runtime, parsed, loaded, new Set(drafts.map((d) => d.id)), previousIds, byId, at));
    return runtime.commit(parsed.actor, at, changes, (changes[0]!.document as FindingDocument).finding, parsed.idempotencyKey);
  });
}

/** A new line may name its id; one taken by another record is an input error, not a race. */
async function refuseTakenIds(runtime: RegisterRuntime, parsed: ParsedInput<'planActions'>, previousIds: readonly string[]): Promise<void> {
  const named = parsed.actions.flatMap((line, index) => ('id' in line && line.id !== undefined ? [[line.id, index] as const] : []));
  const taken = await runtime.store.load(runtime.tenant, named.map(([id]) => id).filter((id) => !previousIds.includes(id)));
  if (taken.length === 0) return;
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

/**
 * The drafts with their references: an action already stored keeps its own (an action
 * planned before actions had references has none), a new one takes the next of the
 * tenant's action sequence, in plan order.
 */
async function numbered(runtime: RegisterRuntime, drafts: readonly ActionDraft[], byId: ReadonlyMap<string, LoadedAction>, at: string): Promise<ActionDraft[]> {
  const out: ActionDraft[] = [];
  for (const draft of drafts) {
    const existing = byId.get(draft.id);
    const reference = existing === undefined ? await runtime.newReference('action', at) : existing.action.reference;
    // The reference right after the id, as the action record lists its fields.
    const { id, ...rest } = draft;
    out.push(reference === undefined ? { id, ...rest } : { id, reference, ...rest });
  }
  return out;
}

/** The plan's lines as drafts: a shared action keeps its own wording, and only a planned one can be shared. */
function draftsOf(
  runtime: RegisterRuntime,
  parsed: ParsedInput<'planActions'>,
  finding: Finding,
  byId: ReadonlyMap<string, LoadedAction>,
): ActionDraft[] {
  return parsed.actions.map((line, index) => {
    if ('existingActionId' in line) {
      const existing = byId.get(line.existingActionId)!;
      const shared = existing.action.findingIds.some((id) => id !== finding.id);
      if (shared && existing.action.status !== 'planned') {
        throw new CapaValidationError('planActions input', [
          { path: ['actions', index, 'existingActionId'], code: 'action_not_planned', message: `Action ${actionName(existing.action)} is ${existing.action.status}: only a planned action can be shared` },
        ]);
      }
      const { id, description, owner, dueDate, measurableOutcome } = existing.action;
      return { id, description, owner, dueDate, measurableOutcome };
    }
    const { id, ...rest } = line;
    return { id: id ?? runtime.ids(), ...rest };
  });
}

/** Each planned action's record: created, linked to this finding, or revised in place. */
function plannedActionChanges(
  runtime: RegisterRuntime,
  loaded: LoadedFinding,
  drafts: readonly ActionDraft[],
  byId: ReadonlyMap<string, LoadedAction>,
  at: string,
): Change[] {
  const { finding } = loaded.document;
  return drafts.flatMap((d): Change[] => {
    const existing = byId.get(d.id);
    if (existing === undefined) {
      const action: CorrectiveAction = {
        schemaVersion: SCHEMA_VERSION,
        ...d,
        tenantId: runtime.tenant,
        findingIds: [finding.id],
        status: 'planned',
        cancellation: null,
        implementationEvidence: [],
        createdAt: at,
        startedAt: null,
        completedAt: null,
      };
      return [runtime.actionChange(null, action, [{ type: 'CREATE_ACTION', payload: json({ action }), reason: null, signature: null }])];
    }
    if (!existing.action.findingIds.includes(finding.id)) {
      const action = { ...existing.action, findingIds: [...existing.action.findingIds, finding.id] };
      return [runtime.actionChange(existing, action, [{ type: 'LINK_FINDING', payload: { findingId: finding.id }, reason: null, signature: null }])];
    }
    // This finding's own action: it takes the plan's wording (when not shared), and one
    // dropped from an earlier version of the plan is planned again.
    const shared = existing.action.findingIds.length > 1;
    const reinstated = existing.action.status === 'cancelled';
    if (shared && !reinstated) return [];
    const action: CorrectiveAction = {
      ...existing.action,
      ...(shared ? {} : d),
      ...(reinstated ? { status: 'planned', cancellation: null } : {}),
    };
    return [runtime.actionChange(existing, action, [{ type: 'REVISE_ACTION', payload: json({ action: d, reinstated }), reason: null, signature: null }])];
  });
}

/** Actions of an earlier version of the plan that this one drops: cancelled, or unlinked when another finding shares them. */
function droppedActionChanges(
  runtime: RegisterRuntime,
  parsed: ParsedInput<'planActions'>,
  loaded: LoadedFinding,
  planned: ReadonlySet<string>,
  previousIds: readonly string[],
  byId: ReadonlyMap<string, LoadedAction>,
  at: string,
): Change[] {
  const { finding } = loaded.document;
  return previousIds.flatMap((id): Change[] => {
    const dropped = byId.get(id);
    if (planned.has(id) || dropped === undefined) return [];
    const others = dropped.action.findingIds.filter((fid) => fid !== finding.id);
    const reason = `Removed from the plan of ${finding.reference}`;
    const action: CorrectiveAction =
      others.length > 0
        ? { ...dropped.action, findingIds: others }
        : { ...dropped.action, status: 'cancelled', cancellation: { reason, cancelledBy: person(parsed.actor), cancelledAt: at } };
    return [runtime.actionChange(dropped, action, [{ type: others.length > 0 ? 'UNLINK_FINDING' : 'CANCEL_ACTION', payload: { findingId: finding.id }, reason, signature: null }])];
  });
}
