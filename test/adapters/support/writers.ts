import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect } from 'vitest';
import { iso27001 } from '../../../src/policies/presets/iso27001.js';
import { createCapaRegister } from '../../../src/register/index.js';
import type { CapaStore } from '../../../src/store/contract.js';
import type { ParentMessage, WriterConfig } from './writer-child.js';
import { type CommandReport, CONTENTION_TENANT, type Phase, type RaisedReport, type Writer } from './writer.js';

// The parent side of the contention tests: builds the child writer once, starts writers in
// child processes, drives every writer through the same steps at once (each step a barrier:
// the next starts when every writer has answered), then checks the database: every command
// committed or was refused with a ConcurrencyError or a StoreBusyError, nothing committed
// was lost or duplicated, nothing refused was written, the tenant sequence has no gaps, the
// hash chains verify, and references are unique.

const root = fileURLToPath(new URL('../../../', import.meta.url));
/** Node 24, as npm scripts run it (a plain `node` may be 20, where better-sqlite3 crashes). */
const NODE = process.execPath;

/**
 * Bundles writer-child.ts once into a directory under node_modules/.cache, so that the
 * drivers it leaves out of the bundle (better-sqlite3, pg) resolve from the project.
 */
export async function buildWriterBundle(): Promise<{ bundle: string; remove(): void }> {
  const cache = join(root, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const directory = mkdtempSync(join(cache, 'capa-writers-'));
  const bundle = join(directory, 'writer-child.mjs');
  await build({
    entryPoints: [join(root, 'test/adapters/support/writer-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outfile: bundle,
    external: ['better-sqlite3', 'pg'],
    logLevel: 'error',
  });
  return { bundle, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

type ChildMessage =
  | { type: 'ready' }
  | { type: 'raised'; raised: RaisedReport[]; reports: CommandReport[] }
  | { type: 'round'; reports: CommandReport[] }
  | { type: 'failed'; message: string };

/** Starts a writer in a child process; resolves once it has opened its stores. */
export function spawnWriter(bundle: string, config: WriterConfig): Promise<Writer> {
  const child: ChildProcess = spawn(NODE, [bundle, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout!.resume();
  const waiting: { resolve(message: ChildMessage): void; reject(error: Error): void }[] = [];
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const fail = (why: string) => {
    for (const waiter of waiting.splice(0)) waiter.reject(new Error(`writer ${config.name} ${why}${stderr === '' ? '' : `:\n${stderr}`}`));
  };
  child.on('message', (message: ChildMessage) => {
    const waiter = waiting.shift();
    if (message.type === 'failed') waiter?.reject(new Error(`writer ${config.name} failed: ${message.message}`));
    else waiter?.resolve(message);
  });
  child.on('exit', (code, signal) => fail(`exited (code ${code}, signal ${signal})`));
  child.on('error', (error) => fail(`could not start: ${error.message}`));
  const next = () => new Promise<ChildMessage>((resolve, reject) => waiting.push({ resolve, reject }));
  const ask = (message: ParentMessage) => {
    const answer = next();
    child.send(message);
    return answer;
  };
  const proxy: Writer = {
    async raise(count) {
      const answer = (await ask({ type: 'raise', count })) as Extract<ChildMessage, { type: 'raised' }>;
      return { raised: answer.raised, reports: answer.reports };
    },
    async round(phase, round, findingId) {
      return ((await ask({ type: 'round', phase, round, findingId })) as Extract<ChildMessage, { type: 'round' }>).reports;
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.send({ type: 'exit' } satisfies ParentMessage);
        await exited;
      }
      expect(child.exitCode, `writer ${config.name} exit code\n${stderr}`).toBe(0);
    },
  };
  return next().then(() => proxy);
}

/** What the writers did. */
export interface ContentionReport {
  readonly raised: RaisedReport[];
  readonly reports: CommandReport[];
}

export interface ContentionPlan {
  /** Findings each writer raises, all at once. */
  readonly raises: number;
  /** Rounds in which every writer comments on the same finding, without a retry, through its impatient store. */
  readonly raceRounds: number;
  /** Rounds in which every writer comments on and records a correction of the same finding, with withRetry. */
  readonly retryRounds: number;
}

/** Drives the writers through the plan, every step at once, waiting for all before the next. */
export async function contend(writers: readonly Writer[], plan: ContentionPlan): Promise<ContentionReport> {
  const reports: CommandReport[] = [];
  const raised: RaisedReport[] = [];
  for (const result of await Promise.all(writers.map((w) => w.raise(plan.raises)))) {
    raised.push(...result.raised);
    reports.push(...result.reports);
  }
  // The same finding for every writer in a round; rounds cycle through the findings.
  const rounds = async (phase: Phase, count: number) => {
    for (let round = 0; round < count; round++) {
      const findingId = raised[round % raised.length]!.id;
      for (const list of await Promise.all(writers.map((w) => w.round(phase, round, findingId)))) reports.push(...list);
    }
  };
  await rounds('race', plan.raceRounds);
  await rounds('retry', plan.retryRounds);
  return { raised, reports };
}

/** Counts of what happened, for the test's log line. */
export function tally(report: ContentionReport): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of report.reports) {
    const key = `${r.command} ${r.outcome}`;
    counts[key] = (counts[key] ?? 0) + 1;
    if (r.attempts > 1) counts['retried'] = (counts['retried'] ?? 0) + 1;
  }
  return counts;
}

/**
 * Checks the database after the writers have stopped, through `store` (a connection of
 * the test's own) and a register over it.
 */
export async function checkContention(
  store: CapaStore,
  report: ContentionReport,
  plan: ContentionPlan,
  writerCount: number,
  tenant = CONTENTION_TENANT,
): Promise<void> {
  const others = report.reports.filter((r) => r.outcome === 'other');
  expect(others.map((r) => `${r.writer} ${r.command}: ${r.message}`), 'commands that failed for another reason than a conflict or a busy lock').toEqual([]);
  // Raises and the retried commands all commit.
  expect(report.reports.filter((r) => (r.command === 'raise' || r.text?.includes('/retry/') === true || r.command === 'recordCorrection') && r.outcome !== 'ok')).toEqual([]);
  expect(report.raised).toHaveLength(plan.raises * writerCount);

  // References: unique, and no number used up (no raise was refused).
  const numbers = report.raised.map((finding) => Number(finding.reference.split('-').at(-1)));
  expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));

  const register = createCapaRegister({ store, policy: iso27001, tenant, verifySignature: () => true });
  let events = 0;
  for (const finding of report.raised) {
    const [record] = await store.load(tenant, [finding.id]);
    expect(record, finding.id).toBeDefined();
    const history = await store.readEvents(tenant, finding.id);
    // The record's version is its number of events, numbered 1, 2, 3… without a gap.
    expect(history.map((event) => event.sequence)).toEqual(Array.from({ length: record!.version }, (_, i) => i + 1));
    events += history.length;
    const entries = history.map((event) => event.entry as { type: string; payload: { text?: unknown } | null });
    // Every comment that committed is there once; none that was refused is there at all.
    const committed = report.reports.filter((r) => r.findingId === finding.id && r.command === 'comment' && r.outcome === 'ok').map((r) => r.text);
    const comments = entries.filter((entry) => entry.type === 'COMMENT').map((entry) => entry.payload?.text);
    expect([...comments].sort(), `comments of ${finding.id}`).toEqual([...committed].sort());
    const corrections = report.reports.filter((r) => r.findingId === finding.id && r.command === 'recordCorrection' && r.outcome === 'ok');
    expect(entries.filter((entry) => entry.type === 'RECORD_CORRECTION'), `corrections of ${finding.id}`).toHaveLength(corrections.length);
    expect(entries.filter((entry) => entry.type === 'RAISE')).toHaveLength(1);
  }
  expect(events).toBe(report.raised.length + report.reports.filter((r) => r.command !== 'raise' && r.outcome === 'ok').length);

  // The tenant sequence: every event once, numbered 1 … n without a gap.
  const tenantEvents = await store.readTenantEvents(tenant, 0, Number.POSITIVE_INFINITY);
  expect(tenantEvents.map((event) => event.tenantSequence)).toEqual(Array.from({ length: events }, (_, i) => i + 1));

  const verified = await register.verifyHistory();
  expect(verified.problems).toEqual([]);
  expect(verified).toMatchObject({ ok: true, records: report.raised.length, entries: events });
}
