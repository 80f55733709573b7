// A tiny benchmark harness: median of N timed samples after a warm-up, results as a
// table and as JSON. Shared by the machine, store and log benchmarks.
import { writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** One reported number. `ratio` is our time divided by the baseline's time (same run): > 1 is slower. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: string | null;
  ratio: number | null;
}

/** What one sample call sees: which repeat it is (0-based), or that it is the warm-up. */
export interface SampleRun {
  readonly repeat: number;
  readonly warmup: boolean;
}

/**
 * The function under test. It does `ops` units of work per call. It may return the
 * nanoseconds it measured itself (a bigint), for work that needs untimed preparation
 * inside the call; otherwise the whole call is timed.
 */
export type SampleFn = (run: SampleRun) => void | bigint;

export interface MeasureOptions {
  /** Units of work (e.g. transitions) one call of `fn` performs. Default 1. */
  ops?: number;
  /** Calls of `fn` per timed sample. Default 1. */
  iterations?: number;
  /** Untimed calls before the samples. Default 1. */
  warmup?: number;
  /** Timed samples; the median is reported. Default 5. */
  repeats?: number;
}

export interface Measurement {
  readonly name: string;
  /** Units of work per sample. */
  readonly ops: number;
  /** Nanoseconds of each sample, in run order. */
  readonly samplesNs: readonly number[];
  readonly medianNs: number;
  readonly nsPerOp: number;
  readonly opsPerSecond: number;
  /** Relative spread of the samples: (max - min) / median. */
  readonly spread: number;
  /**
   * Median process CPU time over median wall time (GC threads included), or null. Well
   * below 1 means the process waited for a core: other load on the machine.
   */
  readonly cpuPerWall: number | null;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

// Best effort: a full GC before each sample keeps one variant's garbage out of the next one's time.
type GcFn = (options?: { type?: 'major' | 'minor'; execution?: 'sync' }) => void;
let gcFn: GcFn | undefined;
try {
  setFlagsFromString('--expose-gc');
  gcFn = runInNewContext('gc') as GcFn;
} catch {
  gcFn = undefined;
}
/** A full (or minor) garbage collection, when the runtime allows it; otherwise nothing. */
export function collectGarbage(type: 'major' | 'minor' = 'major'): void {
  gcFn?.({ type, execution: 'sync' });
}

/** Builds a Measurement from samples taken elsewhere. */
export function summarize(name: string, samplesNs: readonly number[], ops: number, cpuNs: readonly number[] = []): Measurement {
  const med = median(samplesNs);
  const min = Math.min(...samplesNs);
  const max = Math.max(...samplesNs);
  return {
    name,
    ops,
    samplesNs,
    medianNs: med,
    nsPerOp: med / ops,
    opsPerSecond: (ops * 1e9) / med,
    spread: (max - min) / med,
    cpuPerWall: cpuNs.length === 0 ? null : median(cpuNs) / med,
  };
}

/** One sample of `fn`: wall and CPU nanoseconds (CPU is `null` when `fn` timed itself). */
function sampleOnce(fn: SampleFn, repeat: number, iterations: number): { wall: number; cpu: number | null } {
  collectGarbage();
  memory.sample();
  let own = 0n;
  let ownTimed = false;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const t = fn({ repeat, warmup: false });
    if (typeof t === 'bigint') {
      own += t;
      ownTimed = true;
    }
  }
  const wall = process.hrtime.bigint() - start;
  const cpu = process.cpuUsage(cpu0);
  memory.sample();
  return { wall: Number(ownTimed ? own : wall), cpu: ownTimed ? null : (cpu.user + cpu.system) * 1000 };
}

/** Times `fn`: `warmup` untimed calls, then `repeats` samples of `iterations` calls each; reports the median. */
export function measure(name: string, fn: SampleFn, options: MeasureOptions = {}): Measurement {
  return measureAll([{ name, fn, options }], options.repeats)[0] as Measurement;
}

export interface Candidate {
  readonly name: string;
  readonly fn: SampleFn;
  /** `repeats` is shared by all candidates; the rest is per candidate. */
  readonly options?: Omit<MeasureOptions, 'repeats'>;
}

/**
 * Times several candidates with their samples interleaved (sample 1 of each, then sample
 * 2 of each...), so a change in machine load during the run hits all of them alike and
 * their ratios stay fair. Each is warmed up first.
 */
export function measureAll(candidates: readonly Candidate[], repeats = 5, onDone?: (m: Measurement) => void): Measurement[] {
  for (const c of candidates) {
    for (let i = 0; i < (c.options?.warmup ?? 1); i++) c.fn({ repeat: i, warmup: true });
  }
  const walls = candidates.map(() => [] as number[]);
  const cpus = candidates.map(() => [] as number[]);
  for (let r = 0; r < repeats; r++) {
    candidates.forEach((c, i) => {
      const { wall, cpu } = sampleOnce(c.fn, r, c.options?.iterations ?? 1);
      walls[i]?.push(wall);
      if (cpu !== null) cpus[i]?.push(cpu);
    });
  }
  return candidates.map((c, i) => {
    const m = summarize(c.name, walls[i] as number[], (c.options?.ops ?? 1) * (c.options?.iterations ?? 1), cpus[i]);
    onDone?.(m);
    return m;
  });
}

/** Peak process memory, sampled when `sample()` is called (the harness samples around every timed sample). */
export class MemoryPeak {
  rss = 0;
  heapUsed = 0;
  sample(): void {
    const { rss, heapUsed } = process.memoryUsage();
    if (rss > this.rss) this.rss = rss;
    if (heapUsed > this.heapUsed) this.heapUsed = heapUsed;
  }
  results(prefix: string): BenchResult[] {
    this.sample();
    return [
      { name: `${prefix}peak RSS`, value: round(this.rss / 2 ** 20, 1), unit: 'MB', baseline: null, ratio: null },
      { name: `${prefix}peak heap used`, value: round(this.heapUsed / 2 ** 20, 1), unit: 'MB', baseline: null, ratio: null },
    ];
  }
}

/** The process-wide sampler the harness feeds. Benchmarks may call `memory.sample()` inside long loops. */
export const memory = new MemoryPeak();

export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Throughput result, with `ratio` = time per op of `m` / time per op of `baseline`. */
export function throughput(m: Measurement, unit = 'ops/s', baseline?: Measurement): BenchResult {
  return {
    name: m.name,
    value: Math.round(m.opsPerSecond),
    unit,
    baseline: baseline?.name ?? null,
    ratio: baseline === undefined ? null : round(m.nsPerOp / baseline.nsPerOp),
  };
}

const fmt = (value: number) => (Number.isInteger(value) ? value.toLocaleString('en-US') : String(value));

export function printTable(results: readonly BenchResult[], out: (line: string) => void = console.log): void {
  const header = ['benchmark', 'value', 'unit', 'baseline', 'ratio'];
  const rows = results.map((r) => [r.name, fmt(r.value), r.unit, r.baseline ?? '', r.ratio === null ? '' : `${r.ratio}×`]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 1 || i === 4 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  ');
  out(line(header));
  out(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) out(line(row));
}

export function writeResults(results: readonly BenchResult[], path: string): void {
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}
