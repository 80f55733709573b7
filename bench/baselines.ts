// The two baselines capa-kit's machine is measured against, both of its exact shape: a
// bare xstate machine (what xstate alone costs) and a plain switch reducer (what the work
// costs with no library at all). assertSameShape() proves the shape before any timing.
import { createActor, setup, transition } from 'xstate';
import { type CapaEvent, advance, capaMachine } from 'capa-kit';
import { happyPath } from '../test/fixtures/events.js';

// Baseline shape: the same states, event names and targets as capaMachine. Where ours
// picks among guarded branches, the table keeps the branch the happy path (a major
// nonconformity, no approval) takes, else the first; `null` is a targetless transition.

type StateName =
  | 'draft' | 'reported' | 'contained' | 'investigating' | 'planning' | 'awaitingApproval'
  | 'implementing' | 'verifying' | 'closed' | 'monitoring' | 'logged' | 'rejected' | 'conformity';

const EDIT = { LINK_FINDINGS: null, ATTACH_EVIDENCE: null } as const;
const SHAPE: Record<StateName, Partial<Record<CapaEvent['type'], StateName | null>>> = {
  draft: { RAISE: 'reported' },
  reported: { RECORD_CORRECTION: 'contained', REGRADE: 'monitoring', REJECT: 'rejected', ...EDIT },
  contained: { RECORD_CORRECTION: null, RECORD_ROOT_CAUSE: 'investigating', REGRADE: 'monitoring', REJECT: 'rejected', ...EDIT },
  investigating: { RECORD_ROOT_CAUSE: null, PLAN_ACTIONS: 'planning', REGRADE: 'monitoring', REJECT: 'rejected', ...EDIT },
  planning: { PLAN_ACTIONS: null, SUBMIT_PLAN: 'implementing', REGRADE: null, REJECT: 'rejected', ...EDIT },
  awaitingApproval: { APPROVE_PLAN: 'implementing', RETURN_PLAN: 'planning', REGRADE: null, REJECT: 'rejected', ...EDIT },
  implementing: {
    START_ACTION: null, COMPLETE_ACTION: null, CANCEL_ACTION: null, START_VERIFICATION: 'verifying', REGRADE: null, ...EDIT,
  },
  verifying: { RECORD_REVIEW: null, CLOSE: 'closed', ...EDIT },
  closed: { REOPEN: 'investigating' },
  monitoring: { CLOSE: 'closed', REGRADE: 'reported', REJECT: 'rejected', ...EDIT },
  logged: { CLOSE: 'closed', REGRADE: 'reported', REJECT: 'rejected', ...EDIT },
  rejected: { REOPEN: 'reported' },
  conformity: {},
};

/** Baseline A: a bare xstate machine of the same shape: string targets, no guards, no actions, no context. */
export const bareMachine = setup({ types: { events: {} as CapaEvent } }).createMachine({
  id: 'capa',
  initial: 'draft',
  states: Object.fromEntries(
    Object.entries(SHAPE).map(([state, on]) => [
      state,
      state === 'conformity'
        ? { type: 'final' as const }
        : { on: Object.fromEntries(Object.entries(on).map(([type, target]) => [type, target === null ? {} : { target }])) },
    ]),
  ),
});

/** Baseline B: a plain reducer over the same shape (what the work costs with no library at all). */
export function reduce(state: string, event: CapaEvent): string {
  const t = event.type;
  switch (state) {
    case 'draft':
      return t === 'RAISE' ? 'reported' : state;
    case 'reported':
      return t === 'RECORD_CORRECTION' ? 'contained' : t === 'REGRADE' ? 'monitoring' : t === 'REJECT' ? 'rejected' : state;
    case 'contained':
      return t === 'RECORD_ROOT_CAUSE' ? 'investigating' : t === 'REGRADE' ? 'monitoring' : t === 'REJECT' ? 'rejected' : state;
    case 'investigating':
      return t === 'PLAN_ACTIONS' ? 'planning' : t === 'REGRADE' ? 'monitoring' : t === 'REJECT' ? 'rejected' : state;
    case 'planning':
      return t === 'SUBMIT_PLAN' ? 'implementing' : t === 'REJECT' ? 'rejected' : state;
    case 'awaitingApproval':
      return t === 'APPROVE_PLAN' ? 'implementing' : t === 'RETURN_PLAN' ? 'planning' : t === 'REJECT' ? 'rejected' : state;
    case 'implementing':
      return t === 'START_VERIFICATION' ? 'verifying' : state;
    case 'verifying':
      return t === 'CLOSE' ? 'closed' : state;
    case 'closed':
      return t === 'REOPEN' ? 'investigating' : state;
    case 'monitoring':
    case 'logged':
      return t === 'CLOSE' ? 'closed' : t === 'REGRADE' ? 'reported' : t === 'REJECT' ? 'rejected' : state;
    case 'rejected':
      return t === 'REOPEN' ? 'reported' : state;
    default:
      return state;
  }
}

/**
 * Throws unless the bare machine has capaMachine's states and per-state event names, and
 * both baselines walk the happy path through the same states as advance().
 */
export function assertSameShape(): void {
  const ours = capaMachine.root.states;
  const bare = bareMachine.root.states;
  if (Object.keys(ours).sort().join() !== Object.keys(bare).sort().join()) throw new Error('bare machine states differ');
  for (const [state, node] of Object.entries(ours)) {
    const a = [...node.transitions.keys()].sort().join();
    const b = [...(bare[state]?.transitions.keys() ?? [])].sort().join();
    if (a !== b) throw new Error(`bare machine shape differs in ${state}: ${a} vs ${b}`);
  }
  let s = createActor(capaMachine).getSnapshot();
  let b = createActor(bareMachine).getSnapshot();
  let r = 'draft';
  for (const e of happyPath()) {
    s = advance(s, e);
    [b] = transition(bareMachine, b, e);
    r = reduce(r, e);
    if (b.value !== s.value || r !== s.value) throw new Error(`baseline state differs after ${e.type}: ${String(b.value)}/${r} vs ${String(s.value)}`);
  }
}
