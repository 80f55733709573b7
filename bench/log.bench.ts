// The JSON log: validateLog over an N-finding log (schema, hash chains, lifecycle replay,
// rules) against JSON.parse of the same lines, measured in the same run with samples
// interleaved. Both read the same file through the same line reader (the log is 12.7 KB
// a finding: 100,000 findings are 1.3 GB, more than one string can hold), so the ratio
// is what validation adds to reading and parsing. validateLog runs twice: as it runs by
// default (worker threads, one per core, at most 4) and on one thread (`workers: 0`); both
// must give the same report. The CPU time of all threads is reported next to the wall
// time. Then where validation's time goes, by stage, from one profiled one-thread run.
//
// The log is synthesised: one finding and its corrective action are driven through the
// real register (the benchmark lifecycle: 10 commands, a major nonconformity, signatures
// on), exported, and copied N times with new ids, each copy's entries resealed with
// sealEntry (new hashes, new links, signatures bound again) and given fresh tenant
// sequences; the trailer's head comes from the same incremental hasher the exporter uses.
// validateLog must find no error in it: the copy is a valid log, not just valid JSON.
//
// Run alone: `npx tsx bench/log.bench.ts --findings 100000`; `npm run bench` runs it too.
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance as nodePerformance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { type HistoryEntry, iso27001 } from 'capa-kit';
import { createCapaRegister, memoryStore, sealEntry } from 'capa-kit/register';
import { LogHeadHasher } from '../src/history/head.js';
import { exportLog, validateLog } from '../src/log/index.js';
import { readSourceLines } from '../src/log/read/source.js';
import type { StageTimes } from '../src/log/validate/checker.js';
import { defaultWorkers } from '../src/log/validate/parallel.js';
import { checkerOptions, checkLog } from '../src/log/validate/validate-log.js';
import { actors, sampleCorrection, sampleEvidence, sampleReview, sampleRootCause } from '../test/fixtures/events.js';
import { type BenchResult, collectGarbage, type Measurement, memory, printTable, round } from './harness.js';
import { type AsyncCandidate, measureAllAsync } from './lifecycle.js';

export const TENANT = 'acme';
export const AS_OF = '2026-03-11T00:00:00Z';
export const TEMPLATE_FINDING = 'TPLFINDING';
export const TEMPLATE_ACTION = 'TPLACTION';

/**
 * One finding and its corrective action driven through the real register (the benchmark
 * lifecycle: 10 commands, a major nonconformity, signatures on) into a memory store: the
 * template the log benchmarks copy. Ids are TPLFINDING and TPLACTION, the reference NC-2026-0001.
 */
export async function driveTemplate(): Promise<{ store: ReturnType<typeof memoryStore>; findingId: string; actionId: string }> {
  const store = memoryStore();
  let tick = Date.parse('2026-03-10T10:00:00Z');
  const ids = [TEMPLATE_FINDING, TEMPLATE_ACTION];
  const register = createCapaRegister({
    store,
    policy: iso27001,
    tenant: TENANT,
    clock: () => new Date((tick += 1000)),
    ids: () => ids.shift() ?? 'unexpected',
    verifySignature: () => true,
  });
  const owner = { id: actors.owner.id, name: actors.owner.name };
  const finding = await register.raise({
    actor: actors.raiser,
    finding: {
      title: 'Leavers kept active accounts',
      description: 'Two leavers kept active accounts for weeks.',
      requirement: { kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: 'A.5.18' },
      observedEvidence: 'Directory export vs HR list',
      affected: { process: 'Joiner-mover-leaver' },
      source: { kind: 'internal-audit', reference: 'IA-1' },
      grade: 'major',
      owner,
      detectedAt: '2026-03-01T10:00:00Z',
    },
  });
  const findingId = finding.id;
  await register.recordCorrection({ actor: actors.owner, findingId, correction: sampleCorrection() });
  await register.recordRootCause({ actor: actors.owner, findingId, rootCause: sampleRootCause() });
  const planned = await register.planActions({
    actor: actors.owner,
    findingId,
    actions: [{ description: 'Add an IT confirmation step.', owner, dueDate: '2026-06-01', measurableOutcome: 'Next 10 departures disabled within 24 h' }],
  });
  const actionId = planned.correctiveActionIds[0]!;
  await register.submitPlan({ actor: actors.owner, findingId });
  await register.startAction({ actor: actors.owner, actionId });
  await register.completeAction({ actor: actors.owner, actionId, evidence: [sampleEvidence()] });
  await register.startVerification({ actor: actors.owner, findingId });
  await register.reviewEffectiveness({ actor: actors.auditor, findingId, review: sampleReview('effective'), signature: { credential: 'ok' } });
  await register.close({ actor: actors.auditor, findingId, evidence: [sampleEvidence()], signature: { credential: 'ok' } });
  return { store, findingId, actionId };
}

/** The template, exported: its header and its two record lines. */
async function templateLines(): Promise<{ header: Record<string, unknown>; records: string[] }> {
  const { store } = await driveTemplate();
  const lines: string[] = [];
  for await (const line of exportLog(store, { tenant: TENANT, policy: iso27001, generatedAt: AS_OF })) lines.push(line.trimEnd());
  return { header: JSON.parse(lines[0]!) as Record<string, unknown>, records: lines.slice(1, -1) };
}

interface LoggedItem {
  tenantSequence: number;
  entry: HistoryEntry;
}

/** Reseals a copied history: new hashes and links, signatures bound to the new previous hash. */
function reseal(history: LoggedItem[], offset: number): void {
  let previous: string | null = null;
  for (const item of history) {
    const { hash: _hash, ...content } = item.entry;
    const signature = content.signature === null ? null : { ...content.signature, boundTo: { ...content.signature.boundTo, hash: previous } };
    item.entry = sealEntry({ ...content, prevHash: previous, signature });
    item.tenantSequence += offset;
    previous = item.entry.hash;
  }
}

/** Writes an N-finding log to `path`; returns its size in bytes, and where its first ~8 MiB of whole lines end. */
export async function writeLog(path: string, findings: number): Promise<{ bytes: number; warmEnd: number }> {
  const { header, records } = await templateLines();
  const perFinding = records.reduce((sum, line) => sum + (JSON.parse(line) as { history: unknown[] }).history.length, 0);
  const width = String(findings).length;
  const out = createWriteStream(path);
  let written = 0;
  let warmEnd = 0;
  const write = async (text: string) => {
    written += Buffer.byteLength(text);
    if (warmEnd === 0 && written >= 8 << 20) warmEnd = written;
    if (!out.write(text)) await once(out, 'drain');
  };
  const cut = findings * perFinding;
  await write(`${JSON.stringify({ ...header, tenantSequence: cut })}\n`);
  const hasher = new LogHeadHasher(TENANT, cut);
  let buffer = '';
  for (let i = 0; i < findings; i++) {
    const n = String(i + 1).padStart(width, '0');
    // Ids sort as the lines must: the action (…-a) before its finding (…-f).
    const lines = records
      .map((line) =>
        line
          .replaceAll(TEMPLATE_FINDING, `r${n}-f`)
          .replaceAll(TEMPLATE_ACTION, `r${n}-a`)
          .replaceAll('NC-2026-0001', `NC-2026-${n.padStart(4, '0')}`)
          .replaceAll('Leavers kept active accounts', `Leavers kept active accounts (${i})`),
      )
      .map((line) => JSON.parse(line) as { type: string; finding?: { id: string }; action?: { id: string }; history: LoggedItem[] })
      .sort((a, b) => ((a.finding ?? a.action)!.id < (b.finding ?? b.action)!.id ? -1 : 1));
    for (const line of lines) {
      reseal(line.history, i * perFinding);
      const last = line.history.at(-1)!.entry;
      hasher.tip((line.finding ?? line.action)!.id, last.sequence, last.hash);
      buffer += `${JSON.stringify(line)}\n`;
    }
    if (buffer.length > 1 << 20) {
      await write(buffer);
      buffer = '';
    }
    if ((i & 1023) === 0) memory.sample();
  }
  const head = hasher.digest();
  await write(`${buffer}${JSON.stringify({ type: 'end', findings, actions: findings, entries: cut, head })}\n`);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  const bytes = statSync(path).size;
  return { bytes, warmEnd: warmEnd === 0 ? bytes : warmEnd };
}

const open = (path: string, end?: number) => createReadStream(path, { highWaterMark: 1 << 20, ...(end === undefined ? {} : { end }) });

/** The baseline: the same file, the same line reader, JSON.parse of every line. */
async function parseAll(path: string, end?: number): Promise<number> {
  let lines = 0;
  for await (const line of readSourceLines(open(path, end))) {
    if (line.kind === 'text' && line.text !== '') {
      JSON.parse(line.text);
      lines += 1;
    }
  }
  return lines;
}

/** A candidate timed whole: one sample (or the warm-up) of `run`, for the shared interleaved sampler. */
function timedCandidate(name: string, ops: number, run: (warmup: boolean) => Promise<void>): AsyncCandidate {
  return {
    name,
    ops,
    sample: async ({ warmup }) => {
      const t0 = process.hrtime.bigint();
      await run(warmup);
      return Number(process.hrtime.bigint() - t0);
    },
  };
}

const NAMES = {
  parse: 'log: JSON.parse of every line (baseline)',
  validate: 'log: validateLog (schema, chains, replay, rules)',
  single: 'log: validateLog on one thread (workers: 0)',
} as const;

type Report = Awaited<ReturnType<typeof validateLog>>;

/** The log benchmark: `findings` findings (and as many actions) in one log. */
export async function benchLog({ findings, repeats = 3 }: { findings: number; repeats?: number }): Promise<BenchResult[]> {
  const directory = mkdtempSync(join(tmpdir(), 'capa-log-bench-'));
  const path = join(directory, 'log.jsonl');
  try {
    const t0 = process.hrtime.bigint();
    const { bytes, warmEnd } = await writeLog(path, findings);
    const generated = Number(process.hrtime.bigint() - t0) / 1e9;
    const workers = defaultWorkers();
    console.log(
      `log: ${findings.toLocaleString('en-US')} findings, ${(bytes / 2 ** 20).toFixed(0)} MiB, synthesised in ${generated.toFixed(1)} s; ` +
        `validateLog uses ${workers} worker thread${workers === 1 ? '' : 's'} here (${availableParallelism()} cores)`,
    );
    // Warm-up on the first ~8 MiB of whole lines (a log without its trailer: "truncated"), not the whole file.
    const lines = 2 + 2 * findings;
    const reports: Partial<Record<'validate' | 'single', Report>> = {};
    const validateRun = (key: 'validate' | 'single', options: { workers?: number }) => async (warmup: boolean) => {
      const result = await validateLog(open(path, warmup ? warmEnd - 1 : undefined), { asOf: AS_OF, ...options });
      if (!warmup) reports[key] = result;
    };
    // Event-loop utilisation of the calling thread while validateLog runs with workers: how
    // much of the wall time it was busy (reading, splitting, applying the workers' results).
    let elu: number | null = null;
    const [parsed, validated, single] = await measureAllAsync(
      [
        timedCandidate(NAMES.parse, lines, async (warmup) => void (await parseAll(path, warmup ? warmEnd - 1 : undefined))),
        timedCandidate(NAMES.validate, lines, async (warmup) => {
          const before = nodePerformance.eventLoopUtilization();
          await validateRun('validate', {})(warmup);
          if (!warmup) elu = nodePerformance.eventLoopUtilization(before).utilization;
        }),
        timedCandidate(NAMES.single, lines, validateRun('single', { workers: 0 })),
      ],
      repeats,
      () => {},
    );
    for (const [key, report] of Object.entries(reports)) {
      if (report === undefined || !report.ok || report.summary.findings !== findings) {
        throw new Error(`validateLog (${key}) did not accept the synthesised log: ${JSON.stringify(report?.issues.slice(0, 3))}`);
      }
    }
    if (JSON.stringify(reports.validate) !== JSON.stringify(reports.single)) throw new Error('validateLog reported otherwise with workers than without');

    // One profiled run, on one thread: where the time goes, by stage (a clock read per stage and line: a little slower).
    const stages: StageTimes = { parse: 0, schema: 0, chains: 0, replay: 0, rules: 0 };
    collectGarbage();
    const p0 = process.hrtime.bigint();
    await checkLog(open(path), checkerOptions({ asOf: AS_OF }, stages));
    const profiled = Number(process.hrtime.bigint() - p0);
    const base = parsed!.medianNs;
    // The profiled run is slower (a clock read per stage and line): each stage is reported as
    // its share of that run, applied to the median unprofiled one-thread time.
    const rest = Math.max(0, profiled - Object.values(stages).reduce((sum, ns) => sum + ns, 0));
    const scale = single!.medianNs / profiled;
    const stageRow = (label: string, ns: number): BenchResult => ({
      name: `log stage (one thread): ${label}`,
      value: round((ns * scale) / 1e6, 0),
      unit: 'ms',
      baseline: NAMES.parse,
      ratio: round((ns * scale) / base, 2),
    });
    const stageRows: BenchResult[] = [
      ...(Object.entries(stages) as [keyof StageTimes, number][]).map(([stage, ns]) => stageRow(STAGES[stage], ns)),
      stageRow('reading, splitting, UTF-8, the rest', rest),
    ];
    const cpuSeconds = (m: Measurement) => ((m.cpuPerWall ?? Number.NaN) * m.medianNs) / 1e9;
    const cpuRow = (m: Measurement, label: string): BenchResult => ({
      name: `${label}, CPU time of all threads (ratio: to the baseline's CPU time)`,
      value: round(cpuSeconds(m), 2),
      unit: 's',
      baseline: NAMES.parse,
      ratio: round(cpuSeconds(m) / cpuSeconds(parsed!), 2),
    });
    return [
      { name: NAMES.parse, value: Math.round(parsed!.opsPerSecond), unit: 'lines/s', baseline: null, ratio: null },
      { name: 'log: JSON.parse of every line, CPU time', value: round(cpuSeconds(parsed!), 2), unit: 's', baseline: null, ratio: null },
      { name: NAMES.validate, value: Math.round(validated!.opsPerSecond), unit: 'lines/s', baseline: NAMES.parse, ratio: round(validated!.medianNs / base, 2) },
      cpuRow(validated!, 'log: validateLog'),
      { name: `log: validateLog, worker threads`, value: workers, unit: 'threads', baseline: null, ratio: null },
      { name: 'log: validateLog, calling thread busy (event-loop utilisation)', value: round((elu ?? Number.NaN) * 100, 0), unit: '%', baseline: null, ratio: null },
      { name: NAMES.single, value: Math.round(single!.opsPerSecond), unit: 'lines/s', baseline: NAMES.parse, ratio: round(single!.medianNs / base, 2) },
      cpuRow(single!, 'log: validateLog on one thread'),
      { name: 'log: throughput of validateLog', value: round(bytes / 2 ** 20 / (validated!.medianNs / 1e9), 1), unit: 'MiB/s', baseline: null, ratio: null },
      ...stageRows,
    ];
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const STAGES: Record<keyof StageTimes, string> = {
  parse: 'parse (JSON.parse + depth/key guard)',
  schema: 'schema (zod, compiled)',
  chains: 'chains (canonical JSON + SHA-256, links, signatures, head)',
  replay: 'replay (lifecycle machine, record rebuilt and compared)',
  rules: 'rules (closure, causes, stale, overdue…)',
};

/** The verdict lines for `npm run bench`: the target is on wall time; CPU time and one thread are said too. */
export function logVerdicts(results: readonly BenchResult[]): string[] {
  const row = results.find((r) => r.name === NAMES.validate);
  if (row === undefined || row.ratio === null) return [];
  const ratio = (name: string) => results.find((r) => r.name.startsWith(name))?.ratio ?? Number.NaN;
  const threads = results.find((r) => r.name === 'log: validateLog, worker threads')?.value ?? 0;
  return [
    `log validation target ≤ 4× JSON.parse (goal 3×): ${row.ratio <= 4 ? 'MET' : 'NOT MET'} (${row.ratio}× in wall time` +
      `${threads > 0 ? ` with ${threads} worker threads` : ''}${row.ratio <= 3 ? ', goal met' : ''}; ` +
      `CPU time ${ratio('log: validateLog, CPU')}×; one thread ${ratio(NAMES.single)}× wall, ${ratio('log: validateLog on one thread, CPU')}× CPU)`,
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf('--findings');
  const findings = Number((at === -1 ? undefined : process.argv[at + 1])?.replaceAll('_', '') ?? process.env.BENCH_FINDINGS ?? 100_000);
  const results = [...(await benchLog({ findings })), ...memory.results('process: ')];
  printTable(results);
  for (const line of logVerdicts(results)) console.log(line);
}
