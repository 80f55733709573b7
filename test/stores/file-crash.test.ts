import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iso27001 } from '../../src/policies/presets/iso27001.js';
import { createCapaRegister } from '../../src/register/index.js';
import type { CapaStore, StoredEvent, StoredRecord } from '../../src/store/contract.js';
import { fileStore } from '../../src/stores/file/index.js';
import type { ChildConfig, CrashPoint } from './support/crash-child.js';

// Reliability of the file store under SIGKILL. A child process (test/stores/support/
// crash-child.ts, bundled once with esbuild so each spawn is a plain `node bundle.mjs`)
// opens a store and writes, printing a line after each acknowledged write. It is killed
// either by the parent after it has read N acknowledgements, or by itself at an exact point
// of its n-th journal append (half an entry written; written but not flushed; flushed but
// not applied). After every kill the parent opens the store and checks that it opens, holds
// every acknowledged write, and nothing partial: every batch whole, every record's version
// equal to its number of events, every sequence contiguous. Trials on one directory form a
// chain: each child starts from what the previous crash left. Coordination is only through
// the child's stdout and its exit, never through timing.

const root = fileURLToPath(new URL('../../', import.meta.url));
const NODE = join(root, 'node_modules/.bin/node');
const TENANT = 'acme';
const POINTS: readonly CrashPoint[] = ['mid-entry', 'after-write-before-fsync', 'after-fsync-before-apply'];
const DAY = 86_400_000;
const CLOCK_START = Date.parse('2026-03-02T09:00:00Z');

let work: string;
let bundle: string;
let trials = 0;
let killed = 0;
const started = Date.now();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'capa-crash-'));
  bundle = join(work, 'crash-child.mjs');
  await build({
    entryPoints: [join(root, 'test/stores/support/crash-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outfile: bundle,
    logLevel: 'error',
  });
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  console.log(`file store crash trials: ${trials} (${killed} killed mid-run) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

type Ack =
  | { kind: 'batch'; batch: number; tenantSequence: number }
  | { kind: 'ref'; reference: number }
  | { kind: 'raise'; id: string; reference: number }
  | { kind: 'comment'; id: string };

interface ChildRun {
  readonly acks: Ack[];
  readonly done: boolean;
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly stderr: string;
}

function parseAck(words: string[]): Ack {
  const [, kind, a, b] = words;
  switch (kind) {
    case 'batch':
      return { kind, batch: Number(a), tenantSequence: Number(b) };
    case 'ref':
      return { kind, reference: Number(a) };
    case 'raise':
      return { kind, id: a!, reference: Number(b!.split('-').at(-1)) };
    case 'comment':
      return { kind, id: a! };
    default:
      throw new Error(`unexpected ack line: ${words.join(' ')}`);
  }
}

/** Runs one child to its end; kills it (SIGKILL) once it has printed `killAfterAcks` acknowledgements. */
function runChild(config: ChildConfig, killAfterAcks?: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [bundle, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Ack[] = [];
    let done = false;
    let pending = '';
    let stderr = '';
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf('\n')) !== -1) {
        const words = pending.slice(0, newline).split(' ');
        pending = pending.slice(newline + 1);
        if (words[0] === 'ready') {
          if (killAfterAcks === 0) kill();
        } else if (words[0] === 'ack') {
          acks.push(parseAck(words));
          if (acks.length === killAfterAcks) kill();
        } else if (words[0] === 'done') done = true;
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    // 'close': the process has exited (and been reaped, so its pid is gone) and its output is read.
    child.on('close', (code, signal) => resolve({ acks, done, signal, code, stderr }));
  });
}

type Kill = { readonly by: 'parent'; readonly afterAcks: number } | { readonly by: 'hook'; readonly point: CrashPoint; readonly at: number };

interface Trial {
  readonly mode: 'raw' | 'register';
  readonly fsync: boolean;
  readonly kill: Kill;
  readonly seed: number;
}

/** What the parent knows about one directory across the trials of a chain. */
interface Chain {
  readonly dir: string;
  /** Raw: the last batch known to be stored. */
  batch: number;
  /** The last reference known to be handed out. */
  reference: number;
  /** Register: findings known to exist, with the comments known to be on them. */
  readonly comments: Map<string, number>;
  trial: number;
}

function newChain(): Chain {
  return { dir: mkdtempSync(join(work, 'chain-')), batch: 0, reference: 0, comments: new Map(), trial: 0 };
}

async function allRecords(store: CapaStore): Promise<StoredRecord[]> {
  const records: StoredRecord[] = [];
  for (const kind of ['finding', 'action'] as const) {
    let cursor: string | undefined;
    do {
      const page = await store.query(TENANT, { filter: { kind }, limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
      records.push(...page.records);
      cursor = page.cursor ?? undefined;
    } while (cursor !== undefined);
  }
  return records;
}

/** Nothing partial: contiguous tenant sequences, and every record's version equal to its events. */
async function checkWhole(store: CapaStore): Promise<{ records: StoredRecord[]; events: StoredEvent[] }> {
  const events = await store.readTenantEvents(TENANT, 0, Number.MAX_SAFE_INTEGER);
  expect(events.map((event) => event.tenantSequence)).toEqual(events.map((_, i) => i + 1));
  const records = await allRecords(store);
  for (const record of records) {
    const own = await store.readEvents(TENANT, record.id);
    expect(own.map((event) => event.sequence), `events of ${record.id}`).toEqual(own.map((_, i) => i + 1));
    expect(record.version, `version of ${record.id}`).toBe(own.length);
  }
  expect(records.reduce((sum, record) => sum + record.version, 0)).toBe(events.length);
  return { records, events };
}

/** How many writes beyond the acknowledged ones may be stored: the one in flight when the child died. */
function extraAllowed(kill: Kill, run: ChildRun): { min: number; max: number } {
  if (run.done) return { min: 0, max: 0 };
  if (kill.by === 'hook') return kill.point === 'mid-entry' ? { min: 0, max: 0 } : { min: 1, max: 1 };
  return { min: 0, max: 1 };
}

async function verifyRaw(chain: Chain, trial: Trial, run: ChildRun): Promise<void> {
  const ackedBatch = Math.max(chain.batch, ...run.acks.flatMap((ack) => (ack.kind === 'batch' ? [ack.batch] : [])));
  const ackedRef = Math.max(chain.reference, ...run.acks.flatMap((ack) => (ack.kind === 'ref' ? [ack.reference] : [])));
  const store = await fileStore(chain.dir);
  try {
    if (trial.kill.by === 'hook' && !run.done) {
      expect(store.recovery?.kind ?? null).toBe(trial.kill.point === 'mid-entry' ? 'torn-tail' : null);
    }
    if (store.recovery !== null) expect(store.recovery.kind).toBe('torn-tail');
    const { records, events } = await checkWhole(store);
    const meta = records.find((record) => record.id === 'meta');
    const stored = meta === undefined ? 0 : (meta.document as { batch: number }).batch;
    // Every batch whole: all its events, in every record it touched, and its record documents.
    const byBatch = new Map<number, StoredEvent[]>();
    for (const event of events) {
      const batch = (event.entry as { batch: number }).batch;
      byBatch.set(batch, [...(byBatch.get(batch) ?? []), event]);
    }
    expect([...byBatch.keys()]).toEqual(Array.from({ length: stored }, (_, i) => i + 1));
    for (const [batch, own] of byBatch) {
      expect(own.length, `events of batch ${batch}`).toBe((own[0]!.entry as { size: number }).size);
      if (batch % 3 === 0) expect(await store.idempotentResult(TENANT, `b-${batch}`)).toEqual({ batch });
    }
    for (const record of records) {
      const last = (await store.readEvents(TENANT, record.id)).at(-1)!;
      expect(record.document).toMatchObject({ batch: (last.entry as { batch: number }).batch, version: record.version });
    }
    // References: never one that was handed out before.
    const next = await store.nextReference(TENANT, 'finding');
    const extraBatches = stored - ackedBatch;
    const extraRefs = next - 1 - ackedRef;
    expect(extraBatches).toBeGreaterThanOrEqual(0);
    expect(extraRefs).toBeGreaterThanOrEqual(0);
    const { min, max } = extraAllowed(trial.kill, run);
    expect(extraBatches + extraRefs).toBeGreaterThanOrEqual(min);
    expect(extraBatches + extraRefs).toBeLessThanOrEqual(max);
    chain.batch = stored;
    chain.reference = next;
  } finally {
    await store.close();
  }
}

async function verifyRegister(chain: Chain, trial: Trial, run: ChildRun): Promise<void> {
  for (const ack of run.acks) {
    if (ack.kind === 'raise') {
      chain.comments.set(ack.id, 0);
      chain.reference = Math.max(chain.reference, ack.reference);
    }
    if (ack.kind === 'comment') chain.comments.set(ack.id, chain.comments.get(ack.id)! + 1);
  }
  const store = await fileStore(chain.dir);
  try {
    if (trial.kill.by === 'hook' && trial.kill.point === 'mid-entry' && !run.done) expect(store.recovery?.kind).toBe('torn-tail');
    if (store.recovery !== null) expect(store.recovery.kind).toBe('torn-tail');
    await checkWhole(store);
    let tick = CLOCK_START + chain.trial * DAY + DAY / 2;
    const register = createCapaRegister({ store, policy: iso27001, tenant: TENANT, clock: () => new Date((tick += 1000)) });
    const report = await register.verifyHistory();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    const findings = (await register.query({}, { limit: 1000 })).findings;
    let extra = 0;
    for (const [id, comments] of chain.comments) {
      const history = await register.history(id);
      expect(history[0]?.type, `finding ${id}`).toBe('RAISE');
      extra += history.length - 1 - comments;
      expect(history.length - 1).toBeGreaterThanOrEqual(comments);
      chain.comments.set(id, history.length - 1);
    }
    for (const finding of findings) {
      if (!chain.comments.has(finding.id)) {
        extra += (await register.history(finding.id)).length;
        chain.comments.set(finding.id, (await register.history(finding.id)).length - 1);
      }
    }
    expect(findings).toHaveLength(chain.comments.size);
    // At most the write in flight; none after a torn append. (A crash between a raise's
    // reference and its commit leaves no record, so after-write kills may show 0 extra too.)
    expect(extra).toBeGreaterThanOrEqual(0);
    expect(extra).toBeLessThanOrEqual(extraAllowed(trial.kill, run).max);
    // References are distinct, and the next one is new.
    const references = findings.map((finding) => finding.reference);
    expect(new Set(references).size).toBe(references.length);
    const raised = await register.raise({
      actor: { id: 'u-raiser', name: 'Rae Iser', roles: ['internal-auditor'] },
      finding: {
        title: 'Raised by the verifier',
        description: 'Checks that references are never handed out twice.',
        requirement: { kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: 'A.5.18' },
        observedEvidence: 'The journal',
        affected: { process: 'Crash tests' },
        source: { kind: 'internal-audit', reference: 'crash' },
        grade: 'minor',
        owner: { id: 'u-owner', name: 'Owen Ner' },
        detectedAt: '2026-03-01T10:00:00Z',
      },
    });
    const sequence = Number(raised.reference.split('-').at(-1));
    expect(sequence).toBeGreaterThan(chain.reference);
    for (const finding of findings) expect(sequence).toBeGreaterThan(Number(finding.reference.split('-').at(-1)));
    for (const finding of findings) expect(raised.reference).not.toBe(finding.reference);
    chain.reference = sequence;
    chain.comments.set(raised.id, 0);
  } finally {
    await store.close();
  }
}

/** Runs one trial on a chain: a child, its kill, then the checks. */
async function runTrial(chain: Chain, trial: Trial, label: string): Promise<void> {
  chain.trial += 1;
  const maxOps = trial.kill.by === 'hook' ? trial.kill.at + 5 : trial.kill.afterAcks + (trial.fsync ? 300 : 600);
  const config: ChildConfig = {
    dir: chain.dir,
    mode: trial.mode,
    seed: trial.seed,
    fsync: trial.fsync,
    maxOps,
    clockStart: CLOCK_START + chain.trial * DAY,
    ...(trial.kill.by === 'hook' ? { crash: { point: trial.kill.point, at: trial.kill.at } } : {}),
  };
  const run = await runChild(config, trial.kill.by === 'parent' ? trial.kill.afterAcks : undefined);
  trials += 1;
  const context = `${label}: ${JSON.stringify(trial)}, ${run.acks.length} acks, exit ${run.code ?? run.signal}${run.stderr === '' ? '' : `\n${run.stderr}`}`;
  try {
    expect(run.stderr).toBe('');
    if (run.done) expect(run.code).toBe(0);
    else {
      expect(run.signal).toBe('SIGKILL');
      killed += 1;
    }
    if (trial.kill.by === 'hook') expect(run.done).toBe(false);
    if (trial.mode === 'raw') await verifyRaw(chain, trial, run);
    else await verifyRegister(chain, trial, run);
  } catch (error) {
    if (error instanceof Error) error.message = `${context}\n${error.message}`;
    throw error;
  }
}

/** Runs chains side by side (children mostly wait on the disk), trials within a chain in order. */
async function runChains(chains: readonly (readonly Trial[])[], label: string, concurrency = 3): Promise<void> {
  let nextChain = 0;
  let failed = false;
  const worker = async () => {
    while (nextChain < chains.length && !failed) {
      const index = nextChain++;
      const chain = newChain();
      for (const [i, trial] of chains[index]!.entries()) {
        if (failed) return;
        try {
          await runTrial(chain, trial, `${label} chain ${index} trial ${i}`);
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    }
  };
  // Let every worker stop (no child left running) before reporting the first failure.
  const outcomes = await Promise.allSettled(Array.from({ length: concurrency }, worker));
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
}

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fileStore under SIGKILL', () => {
  it('raw commits: a crash at each point of the n-th append loses no acknowledged commit and leaves nothing partial', async () => {
    const ats = [1, 2, 3, 5, 8, 13, 21];
    await runChains(
      POINTS.map((point, p) => ats.map((at, i): Trial => ({ mode: 'raw', fsync: true, kill: { by: 'hook', point, at }, seed: 100 * p + i }))),
      'raw points',
    );
  }, 60_000);

  it('register raise + comment: a crash at each point of the n-th append keeps the history verifiable', async () => {
    const ats = [1, 2, 3, 4, 6, 9];
    await runChains(
      POINTS.map((point, p) => ats.map((at, i): Trial => ({ mode: 'register', fsync: true, kill: { by: 'hook', point, at }, seed: 200 * p + i }))),
      'register points',
    );
  }, 60_000);

  it('killed by the parent after N acknowledged writes', async () => {
    const counts = [0, 1, 2, 5, 10, 25];
    await runChains(
      (['raw', 'register'] as const).map((mode, m) => counts.map((afterAcks, i): Trial => ({ mode, fsync: true, kill: { by: 'parent', afterAcks }, seed: 300 * m + i }))),
      'after N acks',
      2,
    );
  }, 60_000);

  it('seeded random kills (set CAPA_CRASH_SEED to replay a run)', async () => {
    const seed = Number(process.env.CAPA_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`file store crash test seed: ${seed} (replay with CAPA_CRASH_SEED=${seed})`);
    const next = random(seed);
    const pick = (n: number) => Math.floor(next() * n);
    // One mode per chain: raw records and register documents do not mix in one store.
    const chains = Array.from({ length: 20 }, (_, c) =>
      Array.from({ length: 8 }, (): Trial => ({
        mode: c % 4 === 0 ? 'register' : 'raw',
        fsync: next() < 0.8,
        kill: next() < 0.5 ? { by: 'parent', afterAcks: pick(61) } : { by: 'hook', point: POINTS[pick(3)]!, at: 1 + pick(40) },
        seed: pick(2 ** 31),
      })),
    );
    try {
      await runChains(chains, `seed ${seed}`);
    } catch (error) {
      if (error instanceof Error) error.message = `CAPA_CRASH_SEED=${seed}: ${error.message}`;
      throw error;
    }
  }, 120_000);
});
