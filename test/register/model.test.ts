// Issue point 14: model-based testing of the register. Random command sequences from
// three actors (raiser, owner, auditor) run against a real register and against a MODEL
// written here from the spec (docs/register.md, docs/lifecycle.md): its own state table
// of which status takes which command, the requirements each command must meet (with
// their codes, in the documented order), segregation of duties and signatures. After
// every command the register must agree with the model on accept or refuse (and with
// which error: ForbiddenError, CapaTransitionError with exactly the predicted unmet codes,
// or SignatureError) and on the finding's status. After every run, verifyHistory() is ok
// (every chain holds and every finding's history replays to its stored status) and every
// finding's stored status is the model's.
//
// Sequences progress because most generated commands are "advance": the next
// happy-path step for the finding's current status, with generated payload variants
// (shallow causes, one-why chains, missing signatures, wrong approver, reviewer who owns
// an action, closures without evidence or note...), so refusals stay frequent.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Actor, CapaTransitionError, type CorrectiveAction, type Finding, ForbiddenError, SignatureError } from 'capa-kit';
import { actors, sampleCorrection, sampleEvidence, sampleReview, sampleRootCause } from '../fixtures/events.js';
import { type Harness, person, planLine, raiseInput, setup, signer } from './harness.js';

// ---------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------

type Status =
  | 'reported' | 'contained' | 'investigating' | 'planning' | 'awaitingApproval' | 'implementing'
  | 'verifying' | 'closed' | 'monitoring' | 'logged' | 'rejected';
type Grade = 'major' | 'minor' | 'observation' | 'ofi';
type Lifecycle = 'ca' | 'monitor' | 'log';

const LIFECYCLE: Record<Grade, Lifecycle> = { major: 'ca', minor: 'ca', observation: 'monitor', ofi: 'log' };
const APPROVER_ROLE: Partial<Record<Grade, string>> = { minor: 'auditor' };
const INITIAL: Record<Lifecycle, Status> = { ca: 'reported', monitor: 'monitoring', log: 'logged' };

/** Which status takes which lifecycle event: the table of docs/lifecycle.md, written out again. */
const TAKES: Record<Status, readonly string[]> = {
  reported: ['RECORD_CORRECTION', 'REGRADE', 'REJECT', 'LINK_FINDINGS', 'ATTACH_EVIDENCE'],
  contained: ['RECORD_CORRECTION', 'RECORD_ROOT_CAUSE', 'REGRADE', 'REJECT', 'LINK_FINDINGS', 'ATTACH_EVIDENCE'],
  investigating: ['RECORD_ROOT_CAUSE', 'PLAN_ACTIONS', 'REGRADE', 'REJECT', 'LINK_FINDINGS', 'ATTACH_EVIDENCE'],
  planning: ['PLAN_ACTIONS', 'SUBMIT_PLAN', 'REGRADE', 'REJECT', 'LINK_FINDINGS', 'ATTACH_EVIDENCE'],
  awaitingApproval: ['APPROVE_PLAN', 'RETURN_PLAN', 'REGRADE', 'REJECT', 'LINK_FINDINGS', 'ATTACH_EVIDENCE'],
  implementing: ['START_ACTION', 'COMPLETE_ACTION', 'CANCEL_ACTION', 'START_VERIFICATION', 'REGRADE', 'LINK_FINDINGS', 'ATTACH_EVIDENCE'],
  verifying: ['RECORD_REVIEW', 'CLOSE', 'LINK_FINDINGS', 'ATTACH_EVIDENCE'],
  closed: ['REOPEN'],
  monitoring: ['CLOSE', 'REGRADE', 'REJECT', 'LINK_FINDINGS', 'ATTACH_EVIDENCE'],
  logged: ['CLOSE', 'REGRADE', 'REJECT', 'LINK_FINDINGS', 'ATTACH_EVIDENCE'],
  rejected: ['REOPEN'],
};

interface MAction {
  readonly id: string;
  readonly ownerId: string;
  status: 'planned' | 'in-progress' | 'done' | 'cancelled';
  readonly cycle: number;
  /** Still in the finding's plan (false once a revised plan dropped it). */
  inPlan: boolean;
}

interface MFinding {
  readonly id: string;
  readonly raisedBy: string;
  grade: Grade;
  status: Status;
  cycle: number;
  rootCause: { cycle: number; shallow: boolean } | null;
  actions: MAction[];
  /** Whether any plan was ever made (a planned nonconformity stays one). */
  planned: boolean;
  /** The cycle of the last review, when it was effective; null otherwise. */
  effectiveIn: number | null;
}

interface Model {
  findings: MFinding[];
}

const lifecycle = (f: MFinding) => LIFECYCLE[f.grade];
const current = (f: MFinding) => f.actions.filter((a) => a.inPlan && a.cycle === f.cycle);
const isOpen = (a: MAction) => a.status === 'planned' || a.status === 'in-progress';

/** What the model predicts: accepted (with the change to make), or refused with what. */
type Prediction =
  | { readonly kind: 'ok'; readonly apply: (result: unknown) => void }
  | { readonly kind: 'forbidden'; readonly rule: string }
  | { readonly kind: 'transition'; readonly codes: readonly string[] }
  | { readonly kind: 'signature' };

const ok = (apply: (result: unknown) => void = () => {}): Prediction => ({ kind: 'ok', apply });
const refused = (codes: readonly string[]): Prediction => ({ kind: 'transition', codes });

/** The lifecycle part: refused when the status does not take the event, or a requirement is unmet. */
function lifecycleCheck(f: MFinding, event: string, unmet: readonly (string | false)[]): Prediction | null {
  if (!TAKES[f.status].includes(event)) return refused(['state.accepts']);
  const codes = unmet.filter((code): code is string => code !== false);
  return codes.length > 0 ? refused(codes) : null;
}

// ---------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------

const ACTORS: readonly Actor[] = [actors.raiser, actors.owner, actors.auditor];
const GRADES: readonly Grade[] = ['major', 'minor', 'observation', 'ofi'];

type Kind =
  | 'raise' | 'correction' | 'rootCause' | 'plan' | 'submit' | 'approve' | 'return' | 'start' | 'complete' | 'cancel'
  | 'verify' | 'review' | 'close' | 'reopen' | 'reject' | 'regrade' | 'comment' | 'evidence' | 'link';
const KINDS: readonly Kind[] = [
  'raise', 'correction', 'rootCause', 'plan', 'submit', 'approve', 'return', 'start', 'complete', 'cancel',
  'verify', 'review', 'close', 'reopen', 'reject', 'regrade', 'comment', 'evidence', 'link',
];

interface Params {
  readonly finding: number;
  readonly action: number;
  readonly other: number;
  /** Index into ACTORS; `natural` replaces it by the role-appropriate actor for an advance. */
  readonly actor: number;
  readonly natural: boolean;
  readonly grade: Grade;
  readonly sign: boolean;
  readonly effective: boolean;
  readonly shallow: boolean;
  readonly whysOk: boolean;
  readonly evidence: boolean;
  readonly note: boolean;
  /** The owner of a planned action: the finding owner, or the auditor (then a SoD conflict at review). */
  readonly auditorOwnsAction: boolean;
  readonly twoActions: boolean;
  readonly duplicate: boolean;
}

const mostly = (weight: number) => fc.oneof({ arbitrary: fc.constant(true), weight }, { arbitrary: fc.constant(false), weight: 1 });

const paramsArb: fc.Arbitrary<Params> = fc.record({
  finding: fc.nat(),
  action: fc.nat(),
  other: fc.nat(),
  actor: fc.nat({ max: ACTORS.length - 1 }),
  natural: mostly(5),
  grade: fc.oneof({ arbitrary: fc.constantFrom<Grade>('major', 'minor'), weight: 5 }, { arbitrary: fc.constantFrom<Grade>('observation', 'ofi'), weight: 1 }),
  sign: mostly(8),
  effective: mostly(3),
  shallow: fc.oneof({ arbitrary: fc.constant(false), weight: 7 }, { arbitrary: fc.constant(true), weight: 1 }),
  whysOk: mostly(9),
  evidence: mostly(8),
  note: mostly(6),
  auditorOwnsAction: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, { arbitrary: fc.constant(true), weight: 1 }),
  twoActions: fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 }),
  duplicate: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, { arbitrary: fc.constant(true), weight: 1 }),
});

/** The role-appropriate actor of each command, used by `advance` most of the time. */
const NATURAL: Record<Kind, Actor> = {
  raise: actors.raiser, correction: actors.owner, rootCause: actors.owner, plan: actors.owner, submit: actors.owner,
  approve: actors.auditor, return: actors.auditor, start: actors.owner, complete: actors.owner, cancel: actors.owner,
  verify: actors.owner, review: actors.auditor, close: actors.auditor, reopen: actors.auditor, reject: actors.auditor,
  regrade: actors.owner, comment: actors.owner, evidence: actors.owner, link: actors.owner,
};

/** The next happy-path step for a finding, and which of its actions it is about. */
function nextStep(f: MFinding, p: Params): { kind: Kind; action?: MAction } {
  switch (f.status) {
    case 'reported': return { kind: 'correction' };
    case 'contained': return { kind: 'rootCause' };
    case 'investigating': return { kind: 'plan' };
    case 'planning': return { kind: 'submit' };
    case 'awaitingApproval': return { kind: p.other % 6 === 0 ? 'return' : 'approve' };
    case 'implementing': {
      const planned = current(f).find((a) => a.status === 'planned');
      if (planned !== undefined) return { kind: 'start', action: planned };
      const started = current(f).find((a) => a.status === 'in-progress');
      if (started !== undefined) return { kind: p.other % 8 === 0 ? 'cancel' : 'complete', action: started };
      return { kind: 'verify' };
    }
    case 'verifying': return { kind: f.effectiveIn === f.cycle ? 'close' : 'review' };
    case 'monitoring':
    case 'logged': return { kind: p.other % 3 === 0 ? 'regrade' : 'close' };
    case 'closed':
    case 'rejected': return { kind: p.other % 4 === 0 ? 'reopen' : 'comment' };
  }
}

interface Real {
  readonly h: Harness;
}

const stats = { commands: 0, ok: 0, forbidden: 0, transition: 0, signature: 0, closed: 0, recurrences: 0, runs: 0 };

class RegisterCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly kind: Kind | 'advance',
    readonly p: Params,
  ) {}

  check(model: Readonly<Model>): boolean {
    return this.kind === 'raise' || model.findings.length > 0;
  }

  async run(model: Model, real: Real): Promise<void> {
    const f = this.kind === 'raise' ? null : model.findings[this.p.finding % model.findings.length]!;
    let kind: Kind;
    let action: MAction | undefined;
    let actor = ACTORS[this.p.actor]!;
    if (this.kind === 'advance') {
      const step = nextStep(f!, this.p);
      kind = step.kind;
      action = step.action;
      if (this.p.natural) actor = NATURAL[kind];
    } else {
      kind = this.kind;
      action = f === null || f.actions.length === 0 ? undefined : f.actions[this.p.action % f.actions.length];
    }
    if ((kind === 'start' || kind === 'complete' || kind === 'cancel') && action === undefined) kind = 'comment';

    const prediction = predict(model, f, kind, action, actor, this.p);
    let result: unknown;
    let error: unknown = null;
    try {
      result = await execute(real, model, f, kind, action, actor, this.p);
    } catch (caught) {
      error = caught;
    }
    stats.commands += 1;
    const label = `${kind} by ${actor.id} on ${f === null ? 'new' : `${f.id} (${f.status})`}`;
    switch (prediction.kind) {
      case 'ok':
        if (error !== null) throw new Error(`${label}: the model accepts, the register refused: ${String(error)}`);
        stats.ok += 1;
        prediction.apply(result);
        break;
      case 'forbidden':
        expect(error, label).toBeInstanceOf(ForbiddenError);
        expect((error as ForbiddenError).rule, label).toBe(prediction.rule);
        stats.forbidden += 1;
        break;
      case 'transition':
        expect(error, `${label}: expected unmet ${prediction.codes.join(', ')}`).toBeInstanceOf(CapaTransitionError);
        expect((error as CapaTransitionError).unmet.map((u) => u.code), label).toEqual(prediction.codes);
        stats.transition += 1;
        break;
      case 'signature':
        expect(error, label).toBeInstanceOf(SignatureError);
        stats.signature += 1;
        break;
    }
    // The register agrees on the status of the finding concerned (accepted or not).
    const concerned = f ?? model.findings.at(-1)!;
    expect((await real.h.register.get(concerned.id)).status, label).toBe(concerned.status);
    if (kind === 'close' && prediction.kind === 'ok') stats.closed += 1;
  }

  toString(): string {
    return `${this.kind}(${JSON.stringify(this.p)})`;
  }
}

function predict(model: Model, f: MFinding | null, kind: Kind, action: MAction | undefined, actor: Actor, p: Params): Prediction {
  if (kind === 'raise') {
    return ok((result) => {
      const raised = result as Finding;
      model.findings.push({ id: raised.id, raisedBy: actor.id, grade: p.grade, status: INITIAL[LIFECYCLE[p.grade]], cycle: 1, rootCause: null, actions: [], planned: false, effectiveIn: null });
    });
  }
  const g = f!;
  switch (kind) {
    case 'correction':
      return lifecycleCheck(g, 'RECORD_CORRECTION', []) ?? ok(() => { g.status = 'contained'; });
    case 'rootCause':
      return lifecycleCheck(g, 'RECORD_ROOT_CAUSE', [!p.whysOk && 'rootCause.whyChain']) ?? ok(() => {
        g.status = 'investigating';
        g.rootCause = { cycle: g.cycle, shallow: p.shallow };
      });
    case 'plan':
      return lifecycleCheck(g, 'PLAN_ACTIONS', [
        !(g.rootCause !== null && g.rootCause.cycle === g.cycle) && 'rootCause.recorded',
        g.rootCause !== null && g.rootCause.shallow && 'rootCause.notShallow',
      ]) ?? ok((result) => {
        const known = new Set(g.actions.map((a) => a.id));
        for (const a of current(g)) a.inPlan = false;
        const fresh = (result as Finding).correctiveActionIds.filter((id) => !known.has(id));
        const owners = [p.auditorOwnsAction ? actors.auditor.id : actors.owner.id, actors.owner.id];
        fresh.forEach((id, i) => g.actions.push({ id, ownerId: owners[i]!, status: 'planned', cycle: g.cycle, inPlan: true }));
        g.status = 'planning';
        g.planned = true;
      });
    case 'submit':
      return lifecycleCheck(g, 'SUBMIT_PLAN', []) ?? ok(() => { g.status = APPROVER_ROLE[g.grade] === undefined ? 'implementing' : 'awaitingApproval'; });
    case 'approve': {
      const role = APPROVER_ROLE[g.grade];
      return (
        lifecycleCheck(g, 'APPROVE_PLAN', [role !== undefined && !actor.roles.includes(role) && 'approval.role']) ??
        (p.sign ? ok(() => { g.status = 'implementing'; }) : { kind: 'signature' })
      );
    }
    case 'return':
      return lifecycleCheck(g, 'RETURN_PLAN', []) ?? ok(() => { g.status = 'planning'; });
    case 'start':
    case 'complete':
    case 'cancel': {
      const a = action!;
      const known = a.inPlan && a.cycle === g.cycle;
      const event = kind === 'start' ? 'START_ACTION' : kind === 'complete' ? 'COMPLETE_ACTION' : 'CANCEL_ACTION';
      const stateOk = kind === 'start' ? a.status === 'planned' : isOpen(a);
      return lifecycleCheck(g, event, [!known && 'action.known', known && !stateOk && (kind === 'start' ? 'action.planned' : 'action.open')]) ?? ok(() => {
        a.status = kind === 'start' ? 'in-progress' : kind === 'complete' ? 'done' : 'cancelled';
      });
    }
    case 'verify':
      return lifecycleCheck(g, 'START_VERIFICATION', [
        current(g).some(isOpen) && 'actions.finished',
        !current(g).some((a) => a.status === 'done') && 'actions.doneWithEvidence',
      ]) ?? ok(() => { g.status = 'verifying'; });
    case 'review':
      if (current(g).some((a) => a.ownerId === actor.id)) return { kind: 'forbidden', rule: 'sod.reviewerNotActionOwner' };
      return lifecycleCheck(g, 'RECORD_REVIEW', []) ?? (p.effective && !p.sign ? { kind: 'signature' } : ok(() => {
        if (p.effective) {
          g.effectiveIn = g.cycle;
        } else {
          g.status = 'investigating';
          g.cycle += 1;
          g.effectiveIn = null;
          stats.recurrences += 1;
        }
      }));
    case 'close': {
      if (current(g).some((a) => a.ownerId === actor.id)) return { kind: 'forbidden', rule: 'sod.closerNotActionOwner' };
      const ca = lifecycle(g) === 'ca';
      return (
        lifecycleCheck(g, 'CLOSE', [
          !ca && !p.note && 'closure.note',
          ca && g.effectiveIn !== g.cycle && 'closure.effectiveReview',
          ca && !p.evidence && 'closure.evidence',
        ]) ?? (p.sign ? ok(() => { g.status = 'closed'; }) : { kind: 'signature' })
      );
    }
    case 'reopen':
      return lifecycleCheck(g, 'REOPEN', []) ?? ok(() => {
        const lc = lifecycle(g);
        if (lc !== 'ca') g.status = INITIAL[lc];
        else if (g.status === 'closed') {
          g.status = 'investigating';
          g.cycle += 1;
          g.effectiveIn = null;
        } else g.status = 'reported';
      });
    case 'reject': {
      if (g.raisedBy === actor.id) return { kind: 'forbidden', rule: 'sod.rejecterNotRaiser' };
      const other = model.findings[p.other % model.findings.length]!;
      return lifecycleCheck(g, 'REJECT', [p.duplicate && other.id === g.id && 'rejection.duplicateOf']) ?? ok(() => { g.status = 'rejected'; });
    }
    case 'regrade': {
      const target = LIFECYCLE[p.grade];
      const from = lifecycle(g);
      const allowed = from === 'ca' && g.planned ? target === 'ca' : from === 'monitor' ? target !== 'log' : from === 'log' ? target !== 'monitor' : true;
      return lifecycleCheck(g, 'REGRADE', [p.grade === g.grade && 'grade.changed', !allowed && 'grade.lifecycleAllowed']) ?? ok(() => {
        if (g.status === 'awaitingApproval') g.status = 'planning';
        else if (['reported', 'contained', 'investigating'].includes(g.status) && target !== 'ca') g.status = INITIAL[target];
        else if ((g.status === 'monitoring' || g.status === 'logged') && target === 'ca') g.status = 'reported';
        g.grade = p.grade;
      });
    }
    case 'comment':
      return ok();
    case 'evidence':
      return lifecycleCheck(g, 'ATTACH_EVIDENCE', []) ?? ok();
    case 'link':
      return lifecycleCheck(g, 'LINK_FINDINGS', []) ?? ok();
  }
  throw new Error(`no prediction for ${kind}`);
}

async function execute(real: Real, model: Model, f: MFinding | null, kind: Kind, action: MAction | undefined, actor: Actor, p: Params): Promise<unknown> {
  const r = real.h.register;
  const findingId = f?.id ?? '';
  const signature = p.sign ? signer : undefined;
  const other = model.findings[p.other % Math.max(1, model.findings.length)]?.id ?? findingId;
  switch (kind) {
    case 'raise': return r.raise(raiseInput({ grade: p.grade }, actor));
    case 'correction': return r.recordCorrection({ actor, findingId, correction: sampleCorrection() });
    case 'rootCause':
      return r.recordRootCause({
        actor,
        findingId,
        rootCause: sampleRootCause({ ...(p.shallow ? { statement: 'Human error' } : {}), ...(p.whysOk ? {} : { whys: ['Because'] }) }),
      });
    case 'plan': {
      const first = planLine(p.auditorOwnsAction ? actors.auditor : actors.owner, 'Add an IT confirmation step');
      const lines = p.twoActions ? [first, planLine(actors.owner, 'Train HR on the leaver form')] : [first];
      return r.planActions({ actor, findingId, actions: lines });
    }
    case 'submit': return r.submitPlan({ actor, findingId });
    case 'approve': return r.approvePlan({ actor, findingId, ...(signature === undefined ? {} : { signature }) });
    case 'return': return r.returnPlan({ actor, findingId, reason: 'The outcome is not measurable' });
    case 'start': return r.startAction({ actor, actionId: action!.id });
    case 'complete': return r.completeAction({ actor, actionId: action!.id, evidence: [sampleEvidence()] });
    case 'cancel': return r.cancelAction({ actor, actionId: action!.id, reason: 'Superseded' });
    case 'verify': return r.startVerification({ actor, findingId });
    case 'review':
      return r.reviewEffectiveness({
        actor,
        findingId,
        review: { ...sampleReview(p.effective ? 'effective' : 'not-effective'), reviewer: person(actor) },
        ...(signature === undefined ? {} : { signature }),
      });
    case 'close':
      return r.close({
        actor,
        findingId,
        evidence: p.evidence ? [sampleEvidence()] : [],
        ...(p.note ? { note: 'Monitored for a quarter; no recurrence' } : {}),
        ...(signature === undefined ? {} : { signature }),
      });
    case 'reopen': return r.reopen({ actor, findingId, reason: 'It happened again' });
    case 'reject':
      return r.reject({ actor, findingId, reason: 'Not a nonconformity after all', ...(p.duplicate ? { kind: 'duplicate', duplicateOf: other } : { kind: 'not-a-nonconformity' }) });
    case 'regrade': return r.regrade({ actor, findingId, grade: p.grade, reason: 'The facts changed' });
    case 'comment': return r.comment({ actor, findingId, text: 'Noted' });
    case 'evidence': return r.attachEvidence({ actor, findingId, evidence: sampleEvidence() });
    case 'link': return r.linkFindings({ actor, findingId, findingIds: [other] });
  }
}

// ---------------------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------------------

const advance = paramsArb.map((p) => new RegisterCommand('advance', p));
const anyKind = fc.tuple(fc.constantFrom(...KINDS), paramsArb).map(([kind, p]) => new RegisterCommand(kind, p));
const raise = paramsArb.map((p) => new RegisterCommand('raise', p));

const commands = fc.commands(
  [
    // Weights by repetition: mostly advance, some arbitrary commands, a few raises.
    advance, advance, advance, advance, advance, advance, advance, advance,
    anyKind, anyKind, anyKind,
    raise,
  ],
  { maxCommands: 80, size: 'max' },
);

describe('the register against a model of the spec', () => {
  it('agrees on accept/refuse, the error and the status of every command; history verifies after every run', async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        stats.runs += 1;
        const h = setup();
        const real: Real = { h };
        const model: Model = { findings: [] };
        await fc.asyncModelRun(() => ({ model, real }), cmds);
        const report = await h.register.verifyHistory();
        expect(report.problems).toEqual([]);
        for (const f of model.findings) expect((await h.register.get(f.id)).status, f.id).toBe(f.status);
        // The actions the model knows agree with the register's records where the plan still has them.
        for (const f of model.findings) {
          for (const a of f.actions.filter((x) => x.inPlan)) {
            const stored: CorrectiveAction = await h.register.getAction(a.id);
            expect(stored.status, `${a.id} of ${f.id}`).toBe(a.status);
          }
        }
      }),
      { numRuns: 100 },
    );
    // Not vacuous: the runs went deep and met every kind of refusal.
    expect(stats.runs).toBeGreaterThanOrEqual(100);
    expect(stats.closed).toBeGreaterThan(10);
    expect(stats.recurrences).toBeGreaterThan(0);
    expect(stats.forbidden).toBeGreaterThan(0);
    expect(stats.signature).toBeGreaterThan(0);
    expect(stats.transition).toBeGreaterThan(stats.commands / 20);
  }, 60_000);
});
