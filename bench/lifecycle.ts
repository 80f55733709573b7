// The register's lifecycle as the benchmarks drive it: N findings, each taken from draft to
// closed by the 10 commands of the happy path, through createCapaRegister() over any store,
// and the asynchronous sampling that times it (warm-up, then samples interleaved across
// candidates). Shared by the register benchmark (bench/register.bench.ts) and the stores
// benchmark (bench/stores.bench.ts).
import { iso27001 } from 'capa-kit';
import { type CapaRegister, type CapaRegisterOptions, type CapaStore, type CommandName, createCapaRegister } from 'capa-kit/register';
import { actors, sampleCorrection, sampleEvidence, sampleReview, sampleRootCause } from '../test/fixtures/events.js';
import { type Measurement, type SampleRun, collectGarbage, memory, summarize } from './harness.js';

export const COMMANDS_PER_FINDING = 10;
export const TENANT = 'acme';

// ---------------------------------------------------------------------------
// The lifecycle: 10 commands per finding, a major nonconformity (no approval step), the
// iso27001 preset as is (signatures required: a verifySignature hook that says yes, so the
// real signing path runs). The review and the closure are by the auditor, who owns no action.

export interface Ids {
  findingId: string;
  actionId: string;
}

const SIGNER = { credential: 'ok' };
const EVIDENCE = sampleEvidence();
const CORRECTION = sampleCorrection();
const ROOT_CAUSE = sampleRootCause();
const REVIEW = sampleReview('effective');
const PLAN_LINE = {
  description: 'Add an IT confirmation step.',
  owner: { id: actors.owner.id, name: actors.owner.name },
  dueDate: '2026-06-01',
  measurableOutcome: 'Next 10 departures disabled within 24 h',
};
const raiseInput = (i: number) => ({
  actor: actors.raiser,
  finding: {
    title: `Leavers kept active accounts (${i})`,
    description: 'Two leavers kept active accounts for weeks.',
    requirement: { kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: 'A.5.18' },
    observedEvidence: 'Directory export vs HR list',
    affected: { process: 'Joiner-mover-leaver' },
    source: { kind: 'internal-audit', reference: 'IA-1' },
    grade: 'major',
    owner: { id: actors.owner.id, name: actors.owner.name },
    detectedAt: '2026-03-01T10:00:00Z',
  },
});

export interface Step {
  readonly command: CommandName;
  readonly input: (ids: Ids, i: number) => unknown;
  /** Reads what later steps need from the command's result. */
  readonly after?: (result: unknown, ids: Ids) => void;
}

export const STEPS: readonly Step[] = [
  { command: 'raise', input: (_ids, i) => raiseInput(i), after: (r, ids) => void (ids.findingId = (r as { id: string }).id) },
  { command: 'recordCorrection', input: ({ findingId }) => ({ actor: actors.owner, findingId, correction: CORRECTION }) },
  { command: 'recordRootCause', input: ({ findingId }) => ({ actor: actors.owner, findingId, rootCause: ROOT_CAUSE }) },
  {
    command: 'planActions',
    input: ({ findingId }) => ({ actor: actors.owner, findingId, actions: [PLAN_LINE] }),
    after: (r, ids) => void (ids.actionId = (r as { correctiveActionIds: string[] }).correctiveActionIds[0] as string),
  },
  { command: 'submitPlan', input: ({ findingId }) => ({ actor: actors.owner, findingId }) },
  { command: 'startAction', input: ({ actionId }) => ({ actor: actors.owner, actionId }) },
  { command: 'completeAction', input: ({ actionId }) => ({ actor: actors.owner, actionId, evidence: [EVIDENCE] }) },
  { command: 'startVerification', input: ({ findingId }) => ({ actor: actors.owner, findingId }) },
  { command: 'reviewEffectiveness', input: ({ findingId }) => ({ actor: actors.auditor, findingId, review: REVIEW, signature: SIGNER }) },
  { command: 'close', input: ({ findingId }) => ({ actor: actors.auditor, findingId, evidence: [EVIDENCE], signature: SIGNER }) },
];
if (STEPS.length !== COMMANDS_PER_FINDING) throw new Error('the lifecycle is 10 commands');

export type Run = (input: unknown) => Promise<unknown>;
export const runner = (register: CapaRegister, command: CommandName): Run => {
  const method = (register as unknown as Record<string, Run>)[command];
  if (typeof method !== 'function') throw new Error(`the register has no ${command} command`);
  return method;
};

/** Walks findings `from` … `to - 1` through the lifecycle; every one must end closed. */
export async function drive(register: CapaRegister, from: number, to: number): Promise<void> {
  const runs = STEPS.map((step) => runner(register, step.command));
  for (let i = from; i < to; i++) {
    const ids: Ids = { findingId: '', actionId: '' };
    let last: unknown;
    for (let k = 0; k < COMMANDS_PER_FINDING; k++) {
      const step = STEPS[k] as Step;
      last = await (runs[k] as Run)(step.input(ids, i));
      step.after?.(last, ids);
    }
    const status = (last as { status?: unknown }).status;
    if (status !== 'closed') throw new Error(`finding ${i} ended ${String(status)}, not closed`);
    if ((i & 1023) === 0) memory.sample();
  }
}

/** A register as the benchmark runs it: a fixed advancing clock and counter ids, unless `defaults`. */
export function makeRegister(store: CapaStore, defaults = false): CapaRegister {
  const base: CapaRegisterOptions = { store, policy: iso27001, tenant: TENANT, verifySignature: () => true };
  if (defaults) return createCapaRegister(base);
  let tick = Date.parse('2026-03-10T10:00:00Z');
  let id = 0;
  return createCapaRegister({ ...base, clock: () => new Date((tick += 1000)), ids: () => `r-${(++id).toString(36)}` });
}

// ---------------------------------------------------------------------------
// Async sampling: the harness's measureAll() is synchronous, so this mirrors it (warm-up,
// then samples interleaved across candidates, a full GC before each) for awaited work.

export interface AsyncCandidate {
  readonly name: string;
  /** Units of work (commands or transitions) per sample. */
  readonly ops: number;
  /** Runs one sample and returns the nanoseconds of its timed part (set-up and clean-up excluded). */
  readonly sample: (run: SampleRun) => Promise<number>;
}

export async function measureAllAsync(candidates: readonly AsyncCandidate[], repeats: number, onDone: (m: Measurement) => void): Promise<Measurement[]> {
  for (const c of candidates) await c.sample({ repeat: 0, warmup: true });
  const walls = candidates.map(() => [] as number[]);
  const cpus = candidates.map(() => [] as number[]);
  for (let r = 0; r < repeats; r++) {
    for (const [i, c] of candidates.entries()) {
      collectGarbage();
      memory.sample();
      const cpu0 = process.cpuUsage();
      const ns = await c.sample({ repeat: r, warmup: false });
      const cpu = process.cpuUsage(cpu0);
      memory.sample();
      walls[i]?.push(ns);
      cpus[i]?.push((cpu.user + cpu.system) * 1000);
    }
  }
  return candidates.map((c, i) => {
    const m = summarize(c.name, walls[i] as number[], c.ops, cpus[i]);
    onDone(m);
    return m;
  });
}

/** The findings of one sample: a warm-up block, or slice `repeat`. */
export function range(run: SampleRun, slice: number, warm: number): [number, number] {
  return run.warmup ? [-warm, 0] : [run.repeat * slice, (run.repeat + 1) * slice];
}

export function registerCandidate(name: string, slice: number, warm: number, open: () => Promise<{ store: CapaStore; done: () => Promise<void> }>, defaults = false): AsyncCandidate {
  return {
    name,
    ops: slice * COMMANDS_PER_FINDING,
    async sample(run) {
      const { store, done } = await open();
      const register = makeRegister(store, defaults);
      const [from, to] = range(run, slice, warm);
      const t0 = process.hrtime.bigint();
      await drive(register, from, to);
      const ns = Number(process.hrtime.bigint() - t0);
      await done();
      return ns;
    },
  };
}
