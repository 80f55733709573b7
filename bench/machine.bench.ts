// Lifecycle throughput: N findings, each walked draft → closed by the 10 happy-path
// events, through capa-kit's machine and through two baselines of the same shape
// (bench/baselines.ts), all in one process so the ratios are fair.
import { type AnyStateMachine, createActor, transition } from 'xstate';
import {
  type CapaEvent,
  type CapaSnapshot,
  type RaiseEvent,
  acceptsEvent,
  advance,
  capaMachine,
  explain,
  iso27001,
  unmetRequirements,
} from 'capa-kit';
import { happyPath } from '../test/fixtures/events.js';
import {
  type BenchResult,
  type Measurement,
  type SampleRun,
  collectGarbage,
  measureAll,
  median,
  memory,
  round,
  summarize,
  throughput,
} from './harness.js';
import { assertSameShape, bareMachine, reduce } from './baselines.js';

const EVENTS_PER_FINDING = 10;
const FINAL = 'closed';

// ---------------------------------------------------------------------------
// Workload: one RAISE per finding (each with its own id), the 9 later events shared; the
// findings split into `repeats` slices of `slice`, one per timed sample, and separate
// warm-up findings so no timed finding is a repeat.

type Workload = ReturnType<typeof makeWorkload>;

function makeWorkload(findings: number) {
  const [raise, ...rest] = happyPath();
  if (raise?.type !== 'RAISE' || rest.length !== EVENTS_PER_FINDING - 1) throw new Error('unexpected happy path');
  const withId = (id: string): CapaEvent => ({ ...raise, finding: { ...(raise as RaiseEvent).finding, id } });
  const repeats = Math.max(1, Math.min(5, findings));
  const slice = Math.floor(findings / repeats);
  const raises = Array.from({ length: slice * repeats }, (_, i) => withId(`f-${i + 1}`));
  const warmRaises = Array.from({ length: Math.min(slice, 5000) }, (_, i) => withId(`w-${i + 1}`));
  return { raises, warmRaises, rest, repeats, slice };
}

/** Walks one finding through its lifecycle and returns the final state value. */
type Lifecycle = (raise: CapaEvent) => unknown;

/** A sample: the warm-up findings, or slice `repeat` of the findings; every one must end closed. */
function sampler(w: Workload, lifecycle: Lifecycle) {
  return ({ repeat, warmup }: SampleRun) => {
    const list = warmup ? w.warmRaises : w.raises;
    const from = warmup ? 0 : repeat * w.slice;
    const to = warmup ? list.length : from + w.slice;
    for (let i = from; i < to; i++) {
      const final = lifecycle(list[i] as CapaEvent);
      if (final !== FINAL) throw new Error(`finding ${i} ended in ${String(final)}, not ${FINAL}`);
      if ((i & 4095) === 0) memory.sample();
    }
  };
}

/** One finding with a live actor (how an app holding findings in memory runs). */
function viaActor(machine: AnyStateMachine, rest: readonly CapaEvent[]): Lifecycle {
  return (raise) => {
    const actor = createActor(machine).start();
    actor.send(raise);
    for (const e of rest) actor.send(e);
    const value = actor.getSnapshot().value;
    actor.stop();
    return value;
  };
}

/** The timed variants: name, lifecycle, calls per sample (the reducer needs 20 to rise above timer noise). */
function variants({ rest }: Workload): Array<[string, Lifecycle, number]> {
  const initial = createActor(capaMachine).getSnapshot();
  const bareInitial = createActor(bareMachine).getSnapshot();
  return [
    ['baseline B: plain switch reducer', (raise) => {
      let s = reduce('draft', raise);
      for (const e of rest) s = reduce(s, e);
      return s;
    }, 20],
    ['baseline A: bare xstate, actor per finding', viaActor(bareMachine, rest), 1],
    ['baseline A: bare xstate, pure transition()', (raise) => {
      let [s] = transition(bareMachine, bareInitial, raise);
      for (const e of rest) [s] = transition(bareMachine, s, e);
      return s.value;
    }, 1],
    ['ours: actor per finding (send)', viaActor(capaMachine, rest), 1],
    ['ours: advance() (explain + pure transition())', (raise) => {
      let s = advance(initial, raise);
      for (const e of rest) s = advance(s, e);
      return s.value;
    }, 1],
  ];
}

// ---------------------------------------------------------------------------
// Breakdown of advance(): explain() (acceptsEvent + unmetRequirements) vs xstate's
// transition(), each timed alone over the same (snapshot, event) pairs, per event type
// too. Findings go in blocks, one event at a time: every part runs over the block's
// snapshots before event k, and transition()'s results are the snapshots before k + 1.

const LABELS = {
  advance: 'advance() itself',
  explain: 'explain() = acceptsEvent + unmetRequirements',
  acceptsEvent: 'acceptsEvent',
  unmetRequirements: 'unmetRequirements',
  transition: 'xstate transition() (pure; its guards run the requirements again)',
} as const;
type Part = keyof typeof LABELS;
const PARTS = Object.keys(LABELS) as Part[];
const BLOCK = 500;

function breakdown(w: Workload) {
  const byPart = <T>(f: () => T) => Object.fromEntries(PARTS.map((p) => [p, f()])) as Record<Part, T>;
  const blockNsPerCall = byPart(() => Array.from({ length: EVENTS_PER_FINDING }, () => [] as number[]));
  const samples = byPart(() => [] as number[]);
  const initial = createActor(capaMachine).getSnapshot();
  let refused = 0;

  const run = (list: readonly CapaEvent[], from: number, to: number, record: boolean) => {
    const total = byPart(() => 0);
    for (let start = from; start < to; start += BLOCK) {
      const end = Math.min(to, start + BLOCK);
      let current: CapaSnapshot[] = new Array<CapaSnapshot>(end - start).fill(initial);
      for (let k = 0; k < EVENTS_PER_FINDING; k++) {
        const ss = current;
        const events = k === 0 ? list.slice(start, end) : new Array<CapaEvent>(end - start).fill(w.rest[k - 1] as CapaEvent);
        const timeIt = (part: Part, body: (s: CapaSnapshot, e: CapaEvent) => number) => {
          // An empty young generation for each part, so it pays for its own garbage only:
          // otherwise the fixed order of parts lands scavenges on the same part every block.
          collectGarbage('minor');
          const t0 = process.hrtime.bigint();
          for (let j = 0; j < ss.length; j++) refused += body(ss[j] as CapaSnapshot, events[j] as CapaEvent);
          const ns = Number(process.hrtime.bigint() - t0);
          total[part] += ns;
          if (record) blockNsPerCall[part][k]?.push(ns / ss.length);
        };
        timeIt('advance', (s, e) => (advance(s, e) === s ? 1 : 0));
        timeIt('explain', (s, e) => explain(s, e).length);
        timeIt('acceptsEvent', (s, e) => (acceptsEvent(s, e.type) ? 0 : 1));
        timeIt('unmetRequirements', (s, e) => unmetRequirements(iso27001, s.context, e).length);
        const next: CapaSnapshot[] = [];
        timeIt('transition', (s, e) => {
          const [n] = transition(capaMachine, s, e);
          next.push(n);
          return n === s ? 1 : 0; // xstate returns the very same snapshot when it takes nothing
        });
        current = next;
      }
      for (const s of current) if (s.value !== FINAL) throw new Error(`breakdown: a finding ended in ${String(s.value)}`);
      memory.sample();
    }
    return total;
  };

  run(w.warmRaises, 0, w.warmRaises.length, false);
  for (let r = 0; r < w.repeats; r++) {
    collectGarbage();
    const total = run(w.raises, r * w.slice, (r + 1) * w.slice, true);
    for (const p of PARTS) samples[p].push(total[p]);
  }
  if (refused !== 0) throw new Error(`breakdown: ${refused} refusals on the happy path`);
  const ops = w.slice * EVENTS_PER_FINDING;
  // Totals are sums over a sample, GC included (comparable with advance()); per-event values
  // are medians over blocks, so one GC pause does not land on one event type.
  const totals = Object.fromEntries(PARTS.map((p) => [p, summarize(p, samples[p], ops)])) as Record<Part, Measurement>;
  const perEventUs = Object.fromEntries(
    PARTS.map((p) => [p, blockNsPerCall[p].map((perBlock) => median(perBlock) / 1000)]),
  ) as Record<Part, number[]>;
  return { totals, perEventUs };
}

// ---------------------------------------------------------------------------

export interface MachineBenchOptions {
  findings: number;
  /** Progress lines (to stderr by default). */
  log?: (line: string) => void;
}

export async function benchMachine(options: MachineBenchOptions): Promise<BenchResult[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const w = makeWorkload(options.findings);
  assertSameShape(); // untimed: otherwise the ratios mean nothing
  const ops = w.slice * EVENTS_PER_FINDING;
  const t0 = Date.now();
  const [reducer, bareActor, barePure, oursActor, oursPure] = measureAll(
    variants(w).map(([name, lifecycle, iterations]) => ({ name, fn: sampler(w, lifecycle), options: { ops, iterations } })),
    w.repeats,
    (m) =>
      log(`  ${m.name}: ${Math.round(m.opsPerSecond).toLocaleString('en-US')} transitions/s ` +
        `(spread ${(m.spread * 100).toFixed(0)}%, cpu/wall ${m.cpuPerWall?.toFixed(2) ?? '-'})`),
  ) as [Measurement, Measurement, Measurement, Measurement, Measurement];
  log(`  variants: ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const t1 = Date.now();
  const { totals, perEventUs } = breakdown(w);
  log(`  breakdown: ${((Date.now() - t1) / 1000).toFixed(1)} s`);

  // Like with like (pure vs pure, actor vs actor), and everything against the reducer.
  const unit = 'transitions/s';
  const results: BenchResult[] = [
    throughput(oursPure, unit, barePure),
    throughput(oursPure, unit, reducer),
    throughput(oursActor, unit, bareActor),
    throughput(oursActor, unit, reducer),
    throughput(barePure, unit, reducer),
    throughput(bareActor, unit, reducer),
    throughput(reducer, unit),
  ];

  // Where advance()'s time goes: µs per transition over the same pairs, ratio = share of advance().
  for (const part of PARTS) {
    const own = part === 'advance';
    results.push({
      name: `breakdown: ${LABELS[part]}`,
      value: round(totals[part].nsPerOp / 1000),
      unit: 'µs/transition',
      baseline: own ? null : `breakdown: ${LABELS.advance}`,
      ratio: own ? null : round(totals[part].nsPerOp / totals.advance.nsPerOp),
    });
  }

  const types = [w.raises[0] as CapaEvent, ...w.rest].map((e) => e.type);
  for (const part of ['advance', 'explain', 'unmetRequirements', 'transition'] as const) {
    types.forEach((type, k) => {
      results.push({ name: `per event: ${type} ${part}`, value: round(perEventUs[part][k] as number), unit: 'µs/event', baseline: null, ratio: null });
    });
  }
  return results;
}
