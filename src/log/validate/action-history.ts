// A corrective action's record rebuilt from its history, as the register writes it: the
// action a plan created, then each link, revision, start, completion and cancellation.
// The validator compares it with the action the log states, as it compares a finding with
// the replay of its lifecycle.
import type { HistoryEntry } from '../../schemas/history-entry.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What folding an action's history gives: the action, or the first entry that cannot be applied. */
export type FoldedAction = { readonly action: Json; readonly refused: null } | { readonly action: Json | null; readonly refused: { readonly index: number; readonly message: string } };

/** The register's entries on an action record, and what each does to it. */
export function foldActionHistory(entries: readonly HistoryEntry[]): FoldedAction {
  let action: Json | null = null;
  for (const [index, entry] of entries.entries()) {
    const payload = isObject(entry.payload) ? entry.payload : {};
    const refuse = (message: string): FoldedAction => ({ action, refused: { index, message } });
    if (entry.type === 'CREATE_ACTION') {
      if (action !== null) return refuse('The action is created twice.');
      if (!isObject(payload.action)) return refuse('CREATE_ACTION carries no action.');
      action = payload.action;
      continue;
    }
    if (action === null) return refuse(`${entry.type} comes before the action was created.`);
    const findingIds: unknown[] = Array.isArray(action.findingIds) ? (action.findingIds as unknown[]) : [];
    const by = { id: entry.actor.id, name: entry.actor.name };
    switch (entry.type) {
      case 'LINK_FINDING':
        action = { ...action, findingIds: [...findingIds, payload.findingId] };
        break;
      case 'UNLINK_FINDING':
        action = { ...action, findingIds: findingIds.filter((linked) => linked !== payload.findingId) };
        break;
      case 'REVISE_ACTION': {
        // The plan's wording applies to an action of this finding alone; a shared one keeps its own.
        const shared = findingIds.length > 1;
        const draft = isObject(payload.action) ? payload.action : {};
        action = { ...action, ...(shared ? {} : draft), ...(payload.reinstated === true ? { status: 'planned', cancellation: null } : {}) };
        break;
      }
      case 'START_ACTION':
        action = { ...action, status: 'in-progress', startedAt: entry.at };
        break;
      case 'COMPLETE_ACTION': {
        const done: unknown[] = Array.isArray(action.implementationEvidence) ? (action.implementationEvidence as unknown[]) : [];
        const evidence = Array.isArray(payload.evidence) ? payload.evidence : [];
        action = { ...action, status: 'done', completedAt: entry.at, implementationEvidence: [...done, ...evidence] };
        break;
      }
      case 'CANCEL_ACTION':
        action = { ...action, status: 'cancelled', cancellation: { reason: entry.reason, cancelledBy: by, cancelledAt: entry.at } };
        break;
      default:
        return refuse(`${entry.type} is not an entry of a corrective action.`);
    }
  }
  if (action === null) return { action: null, refused: { index: 0, message: 'The history never creates the action.' } };
  return { action, refused: null };
}
