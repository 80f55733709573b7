// Register throughput: N findings, each driven draft → closed by the 10 commands of the
// happy path (raise … close) through createCapaRegister() over memoryStore(), and over the
// file store when it exists, against the bare xstate machine of the core benchmark
// (bench/baselines.ts), measured in the same run with samples interleaved. Then where a
// command's time goes: validation, transition, snapshot restore, sealing, store, the rest.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActor, transition } from 'xstate';
import {
  type CapaEvent,
  type CapaSnapshot,
  type HistoryEntry,
  type PersistedCapaSnapshot,
  type RaiseEvent,
  RaisedFinding,
  advance,
  explain,
  parseRecord,
  restoreSnapshot,
} from 'capa-kit';
import {
  type CapaStore,
  type CommitBatch,
  type FindingDocument,
  type RecordKind,
  type StoredRecord,
  canonicalJson,
  commandInputs,
  memoryStore,
  sealEntry,
} from 'capa-kit/register';
import { happyPath } from '../test/fixtures/events.js';
import { assertSameShape, bareMachine } from './baselines.js';
import {
  type BenchResult,
  type Measurement,
  collectGarbage,
  memory,
  round,
  throughput,
} from './harness.js';
import {
  type AsyncCandidate,
  type Ids,
  type Run,
  type Step,
  COMMANDS_PER_FINDING,
  STEPS,
  TENANT,
  makeRegister,
  measureAllAsync,
  range,
  registerCandidate,
  runner,
} from './lifecycle.js';

/** The bare machine is ~20× faster than the register: its samples walk their slice this many times. */
const BARE_PASSES = 5;


/**
 * Baseline A of the core benchmark: the bare xstate machine driven with pure transition(),
 * one finding = 10 transitions. A sample walks its slice `passes` times, so that it lasts
 * long enough for a change in machine load to hit it as it hits the register's samples.
 */
function bareCandidate(name: string, slice: number, warm: number, passes = BARE_PASSES): AsyncCandidate {
  const [raise, ...rest] = happyPath();
  const initial = createActor(bareMachine).getSnapshot();
  const withId = (i: number): CapaEvent => ({ ...raise, finding: { ...(raise as RaiseEvent).finding, id: `f-${i}` } }) as CapaEvent;
  return {
    name,
    ops: slice * COMMANDS_PER_FINDING * passes,
    async sample(run) {
      const [from, to] = range(run, slice, warm);
      const raises = Array.from({ length: to - from }, (_, i) => withId(from + i));
      const t0 = process.hrtime.bigint();
      for (let pass = 0; pass < (run.warmup ? 1 : passes); pass++) {
        for (const e of raises) {
          let [s] = transition(bareMachine, initial, e);
          for (const next of rest) [s] = transition(bareMachine, s, next);
          if (s.value !== 'closed') throw new Error(`bare machine ended ${String(s.value)}`);
        }
      }
      return Number(process.hrtime.bigint() - t0);
    },
  };
}

// ---------------------------------------------------------------------------
// The file store, when a colleague's src/stores/file/index.ts exists: imported dynamically
// so this benchmark runs without it.

/** `fileStore(directory, { fsync })`, as src/stores/file/index.ts declares it. */
type FileStoreFactory = (directory: string, options: { fsync: boolean }) => CapaStore | Promise<CapaStore>;

async function loadFileStore(): Promise<FileStoreFactory | string> {
  const path = new URL('../src/stores/file/index.ts', import.meta.url);
  if (!existsSync(path)) return 'src/stores/file/index.ts does not exist yet';
  try {
    // A computed specifier: the file may not exist when this is type-checked.
    const mod = (await import(path.href)) as Record<string, unknown>;
    if (typeof mod.fileStore !== 'function') return 'src/stores/file/index.ts does not export fileStore';
    return mod.fileStore as FileStoreFactory;
  } catch (error) {
    return `src/stores/file/index.ts failed to load: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function fileOpener(factory: FileStoreFactory, fsync: boolean) {
  return async () => {
    const directory = mkdtempSync(join(tmpdir(), 'capa-bench-'));
    const store = await factory(directory, { fsync });
    return {
      store,
      done: async () => {
        await store.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  };
}

// ---------------------------------------------------------------------------
// Where the time goes. Findings go in blocks: the block is driven through a register whose
// store records every store call (the capture pass, each command timed alone: the total),
// then every part is timed alone over exactly what the block's commands did, one command
// type at a time: the same inputs, the same (snapshot, event) pairs, the same history
// entries, the same store calls replayed into a fresh memoryStore().
// A part timed alone, in a hot loop over one command type, runs faster than the same work
// inside the pipeline (warm caches, monomorphic call sites, its own clean young generation):
// the remainder absorbs that difference as well as the untimed glue. The store is timed both
// ways (replayed alone, and in situ around each store call during the capture pass) to show
// the size of the effect.

const PARTS = {
  total: 'register command, timed alone',
  validate: 'validation: parseRecord(commandInputs[cmd]) = safeParse + forbidden-key walk (raise: + a RaisedFinding parse)',
  zod: 'zod alone: commandInputs[cmd].safeParse(input)',
  transition: 'transition: explain() then advance() (= explain again + xstate transition())',
  xstate: 'xstate transition() alone (its guards run the requirements a 3rd time)',
  restore: 'snapshot restore at load (restoreSnapshot / createActor per command)',
  seal: 'sealing: sealEntry() = canonicalize + sha256, every entry of the command',
  canonical: 'canonicalJson() alone',
  store: 'store: memoryStore load + commit (+ nextReference), the same calls replayed',
  clone: 'structuredClone alone (load results out, commit batch in)',
  storeInSitu: 'store calls timed in situ, inside the commands (capture pass)',
  rest: 'remainder: total - validate - transition - restore - seal - store',
} as const;
type Part = keyof typeof PARTS;
const MEASURED: readonly Exclude<Part, 'total' | 'rest'>[] = ['validate', 'zod', 'transition', 'xstate', 'restore', 'seal', 'canonical', 'store', 'clone', 'storeInSitu'];
const TOP: readonly Part[] = ['validate', 'transition', 'restore', 'seal', 'store'];
const BLOCK = 250;

type StoreOp = { kind: 'load'; ids: string[]; result: StoredRecord[] } | { kind: 'commit'; batch: CommitBatch } | { kind: 'ref'; of: RecordKind };

interface Captured {
  /** [step][finding in block] */
  inputs: unknown[][];
  ops: StoreOp[][][];
}

/** A store that records every call the register makes, in order, per (step, finding). */
function recordingStore(inner: CapaStore, sink: { ops: StoreOp[]; ns: number }): CapaStore {
  return {
    ...inner,
    async load(tenantId, ids) {
      const t0 = process.hrtime.bigint();
      const result = await inner.load(tenantId, ids);
      sink.ns += Number(process.hrtime.bigint() - t0);
      sink.ops.push({ kind: 'load', ids: [...ids], result });
      return result;
    },
    async commit(batch) {
      sink.ops.push({ kind: 'commit', batch });
      const t0 = process.hrtime.bigint();
      const result = await inner.commit(batch);
      sink.ns += Number(process.hrtime.bigint() - t0);
      return result;
    },
    async nextReference(tenantId, kind) {
      sink.ops.push({ kind: 'ref', of: kind });
      const t0 = process.hrtime.bigint();
      const result = await inner.nextReference(tenantId, kind);
      sink.ns += Number(process.hrtime.bigint() - t0);
      return result;
    },
  };
}

const eventOf = (entry: HistoryEntry): CapaEvent =>
  ({ type: entry.type, at: entry.at, by: entry.actor, ...(entry.payload as object), ...(entry.reason === null ? {} : { reason: entry.reason }) }) as CapaEvent;

const findingWrite = (ops: readonly StoreOp[]) => {
  const commits = ops.filter((op): op is Extract<StoreOp, { kind: 'commit' }> => op.kind === 'commit');
  const writes = commits.flatMap((op) => op.batch.writes).filter((w) => w.record.kind === 'finding');
  if (commits.length !== 1 || writes.length !== 1 || writes[0]?.events.length !== 1) throw new Error('breakdown: expected one finding write of one entry per command');
  return { write: writes[0], batch: (commits[0] as { batch: CommitBatch }).batch };
};

async function breakdown(findings: number, log: (line: string) => void) {
  const zero = () => Array.from({ length: COMMANDS_PER_FINDING }, () => 0);
  const ns = Object.fromEntries((['total', ...MEASURED] as Part[]).map((p) => [p, zero()])) as Record<Part, number[]>;
  let counted = 0;
  let sink = 0; // keeps results alive so nothing is optimised away

  const block = async (from: number, to: number, record: boolean) => {
    // 1. Capture: the block through a real register, each command timed alone.
    const size = to - from;
    const captured: Captured = { inputs: STEPS.map(() => []), ops: STEPS.map(() => []) };
    const current = { ops: [] as StoreOp[], ns: 0 };
    const register = makeRegister(recordingStore(memoryStore(), current));
    const runs = STEPS.map((step) => runner(register, step.command));
    const total = zero();
    const inSitu = zero();
    for (let i = from; i < to; i++) {
      const ids: Ids = { findingId: '', actionId: '' };
      let last: unknown;
      for (let k = 0; k < COMMANDS_PER_FINDING; k++) {
        const step = STEPS[k] as Step;
        const input = step.input(ids, i);
        current.ops = [];
        current.ns = 0;
        const t0 = process.hrtime.bigint();
        last = await (runs[k] as Run)(input);
        total[k] = (total[k] as number) + Number(process.hrtime.bigint() - t0);
        inSitu[k] = (inSitu[k] as number) + current.ns;
        step.after?.(last, ids);
        captured.inputs[k]?.push(input);
        captured.ops[k]?.push(current.ops);
      }
      if ((last as { status?: unknown }).status !== 'closed') throw new Error(`breakdown: finding ${i} did not close`);
    }

    // 2. Derive each part's inputs, untimed: (snapshot, event) pairs, entries to seal.
    const machine = register.machine;
    const persisted: (PersistedCapaSnapshot | null)[][] = STEPS.map(() => []);
    const events: CapaEvent[][] = STEPS.map(() => []);
    const afterValue: string[][] = STEPS.map(() => []);
    const unsealed: { content: Omit<HistoryEntry, 'hash'>; hash: string }[][][] = STEPS.map(() => []);
    for (let j = 0; j < size; j++) {
      let before: PersistedCapaSnapshot | null = null;
      for (let k = 0; k < COMMANDS_PER_FINDING; k++) {
        const ops = captured.ops[k]?.[j] as StoreOp[];
        const { write, batch } = findingWrite(ops);
        const entry = write.events[0]?.entry as unknown as HistoryEntry;
        persisted[k]?.push(before);
        events[k]?.push(eventOf(entry));
        const after = (write.record.document as unknown as FindingDocument).snapshot;
        afterValue[k]?.push(after.value);
        before = after;
        unsealed[k]?.push(
          batch.writes.flatMap((w) =>
            w.events.map((e) => {
              const { hash, ...content } = e.entry as unknown as HistoryEntry;
              return { content, hash };
            }),
          ),
        );
      }
    }
    const restoreOne = (p: PersistedCapaSnapshot | null): CapaSnapshot => (p === null ? createActor(machine).getSnapshot() : restoreSnapshot(machine, p));
    const snapshots = persisted.map((list) => list.map(restoreOne));

    // 3. Each part alone, one command type at a time over the block.
    const time = async (part: Exclude<Part, 'total' | 'rest'>, k: number, body: (j: number) => unknown) => {
      collectGarbage('minor'); // each part pays for its own garbage only
      const t0 = process.hrtime.bigint();
      for (let j = 0; j < size; j++) {
        const r = body(j);
        if (r instanceof Promise) await r;
        else if (r === undefined) sink++;
      }
      if (record) ns[part][k] = (ns[part][k] as number) + Number(process.hrtime.bigint() - t0);
    };
    const replayStore = memoryStore();
    const cloneOps = (op: StoreOp) => (op.kind === 'load' ? structuredClone(op.result) : op.kind === 'commit' ? structuredClone(op.batch) : null);
    for (let k = 0; k < COMMANDS_PER_FINDING; k++) {
      const command = (STEPS[k] as Step).command;
      const schema = commandInputs[command];
      const inputs = captured.inputs[k] as unknown[];
      const ss = snapshots[k] as CapaSnapshot[];
      const es = events[k] as CapaEvent[];
      const ps = persisted[k] as (PersistedCapaSnapshot | null)[];
      const seals = unsealed[k] as { content: Omit<HistoryEntry, 'hash'>; hash: string }[][];
      const ops = captured.ops[k] as StoreOp[][];
      await time('validate', k, (j) => {
        const parsed = parseRecord(schema, inputs[j], `${command} input`);
        if (k === 0) parseRecord(RaisedFinding, (es[j] as RaiseEvent).finding, 'raise input');
        return parsed;
      });
      await time('zod', k, (j) => schema.safeParse(inputs[j]).success);
      await time('transition', k, (j) => {
        const s = ss[j] as CapaSnapshot;
        const e = es[j] as CapaEvent;
        if (explain(s, e).length > 0) throw new Error(`breakdown: ${e.type} refused`);
        const next = advance(s, e);
        if (next.value !== afterValue[k]?.[j]) throw new Error(`breakdown: ${e.type} reached ${String(next.value)}, not ${afterValue[k]?.[j]}`);
        return next;
      });
      await time('xstate', k, (j) => transition(machine, ss[j] as CapaSnapshot, es[j] as CapaEvent)[0]);
      await time('restore', k, (j) => restoreOne(ps[j] ?? null));
      await time('seal', k, (j) => {
        for (const { content, hash } of seals[j] as { content: Omit<HistoryEntry, 'hash'>; hash: string }[]) {
          if (sealEntry(content).hash !== hash) throw new Error('breakdown: a resealed entry has another hash');
        }
        return seals[j];
      });
      await time('canonical', k, (j) => (seals[j] as { content: object }[]).map(({ content }) => canonicalJson(content)));
      await time('store', k, async (j) => {
        for (const op of ops[j] as StoreOp[]) {
          if (op.kind === 'load') await replayStore.load(TENANT, op.ids);
          else if (op.kind === 'commit') await replayStore.commit(op.batch);
          else await replayStore.nextReference(TENANT, op.of);
        }
      });
      await time('clone', k, (j) => (ops[j] as StoreOp[]).map(cloneOps));
    }
    if (record) {
      for (let k = 0; k < COMMANDS_PER_FINDING; k++) {
        ns.total[k] = (ns.total[k] as number) + (total[k] as number);
        ns.storeInSitu[k] = (ns.storeInSitu[k] as number) + (inSitu[k] as number);
      }
      counted += size;
    }
    memory.sample();
  };

  const t0 = Date.now();
  await block(-BLOCK, 0, false); // warm-up
  for (let from = 0; from < findings; from += BLOCK) await block(from, Math.min(findings, from + BLOCK), true);
  if (sink < 0) log(String(sink));
  log(`  breakdown: ${counted.toLocaleString('en-US')} findings in blocks of ${BLOCK}, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  ns.rest = ns.total.map((t, k) => t - TOP.reduce((sum, p) => sum + (ns[p][k] as number), 0));
  return { ns, findings: counted };
}

// ---------------------------------------------------------------------------

export interface RegisterBenchOptions {
  findings: number;
  /** Findings for the file store rows. Default: findings / 10. */
  fileFindings?: number;
  /** Progress lines (to stderr by default). */
  log?: (line: string) => void;
}

const NAMES = {
  bare: 'register baseline: bare xstate, pure transition()',
  memory: 'register: memoryStore (fixed clock, counter ids)',
  defaults: 'register: memoryStore (system clock, nanoid)',
  fileSync: 'register: fileStore fsync on',
  fileNoSync: 'register: fileStore fsync off',
  bareFile: 'register baseline: bare xstate (file-store run)',
} as const;

export async function benchRegister(options: RegisterBenchOptions): Promise<BenchResult[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  assertSameShape(); // untimed: otherwise the ratios mean nothing
  const repeats = Math.max(1, Math.min(5, options.findings));
  const slice = Math.floor(options.findings / repeats);
  const warm = Math.min(slice, 2000);
  const unit = 'commands/s';
  const report = (m: Measurement) =>
    log(`  ${m.name}: ${Math.round(m.opsPerSecond).toLocaleString('en-US')} ops/s, ${(m.nsPerOp / 1000).toFixed(2)} µs/op ` +
      `(spread ${(m.spread * 100).toFixed(0)}%, cpu/wall ${m.cpuPerWall?.toFixed(2) ?? '-'})`);
  const memoryOpen = async () => ({ store: memoryStore(), done: async () => {} });

  const t0 = Date.now();
  const [bare, mem, defaults] = (await measureAllAsync(
    [
      bareCandidate(NAMES.bare, slice, warm),
      registerCandidate(NAMES.memory, slice, warm, memoryOpen),
      registerCandidate(NAMES.defaults, slice, warm, memoryOpen, true),
    ],
    repeats,
    report,
  )) as [Measurement, Measurement, Measurement];
  log(`  register variants: ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const perCommand = (m: Measurement): BenchResult => ({ name: `${m.name}: time per command`, value: round(m.nsPerOp / 1000), unit: 'µs/command', baseline: null, ratio: null });
  const results: BenchResult[] = [
    throughput(mem, unit, bare),
    perCommand(mem),
    throughput(defaults, unit, bare),
    perCommand(defaults),
    throughput(defaults, unit, mem),
    { name: `${bare.name}: time per transition`, value: round(bare.nsPerOp / 1000), unit: 'µs/transition', baseline: null, ratio: null },
  ];

  // The file store, with fewer findings: fsync on and off, its own bare baseline interleaved.
  const factory = await loadFileStore();
  if (typeof factory === 'string') {
    log(`  file store skipped: ${factory}`);
    results.push({ name: `register: fileStore skipped (${factory})`, value: 0, unit: '-', baseline: null, ratio: null });
  } else {
    const fileFindings = options.fileFindings ?? Math.max(repeats, Math.floor(options.findings / 10));
    const fileSlice = Math.floor(fileFindings / repeats);
    const fileWarm = Math.min(fileSlice, 200);
    const t1 = Date.now();
    const [bareF, sync, noSync] = (await measureAllAsync(
      [
        bareCandidate(NAMES.bareFile, fileSlice, fileWarm),
        registerCandidate(NAMES.fileSync, fileSlice, fileWarm, fileOpener(factory, true)),
        registerCandidate(NAMES.fileNoSync, fileSlice, fileWarm, fileOpener(factory, false)),
      ],
      repeats,
      report,
    )) as [Measurement, Measurement, Measurement];
    log(`  file store (${(fileSlice * repeats).toLocaleString('en-US')} findings): ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    results.push(throughput(sync, unit, bareF), perCommand(sync), throughput(noSync, unit, bareF), perCommand(noSync), throughput(sync, unit, noSync));
  }

  // Where the time goes, over one slice's worth of findings.
  const { ns, findings } = await breakdown(slice, log);
  const commands = findings * COMMANDS_PER_FINDING;
  const sum = (list: readonly number[]) => list.reduce((a, b) => a + b, 0);
  const totalNs = sum(ns.total);
  for (const part of Object.keys(PARTS) as Part[]) {
    const own = part === 'total';
    results.push({
      name: `register breakdown: ${PARTS[part]}`,
      value: round(sum(ns[part]) / commands / 1000),
      unit: 'µs/command',
      baseline: own ? null : `register breakdown: ${PARTS.total}`,
      ratio: own ? null : round(sum(ns[part]) / totalNs),
    });
  }
  STEPS.forEach((step, k) => {
    for (const part of Object.keys(PARTS) as Part[]) {
      results.push({ name: `per command: ${step.command} ${part}`, value: round((ns[part][k] as number) / findings / 1000), unit: 'µs/command', baseline: null, ratio: null });
    }
  });
  return results;
}

/** Lines saying whether the memory store meets the targets: ≥ 25,000 commands/s, ≤ 4× the bare machine per step. */
export function registerVerdicts(results: readonly BenchResult[]): string[] {
  const row = results.find((r) => r.name === NAMES.memory && r.unit === 'commands/s');
  if (row === undefined) return [];
  const ok = (met: boolean) => (met ? 'MET' : 'NOT MET');
  return [
    `memory store target ≥ 25,000 commands/s: ${ok(row.value >= 25_000)} (${row.value.toLocaleString('en-US')} commands/s)`,
    `memory store target ≤ 4× the bare machine's time per step: ${ok((row.ratio ?? Infinity) <= 4)} (${row.ratio}×)`,
  ];
}
