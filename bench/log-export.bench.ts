// The JSON log's export from the SQLite store: N findings (each with its corrective
// action: 2N records, 13N history entries) seeded into a better-sqlite3 database file,
// then `exportLog` streamed into a counting sink (or a file, `--export-file`) in a child
// process, whose peak memory is the export's alone: its peak RSS as the kernel counts it
// (VmHWM) and its heap, sampled every 1,000 lines. The target: 1,000,000 findings
// under 300 MB. It runs twice: with Node's defaults, and with the heap capped (see CAPPED_HEAP).
//
// The seeding is fast and the log it makes is valid: one finding and its action are
// driven through the real register (bench/log.bench.ts's template), and each copy is
// rendered from their stored texts with new ids, a new reference and new hashes. Each
// entry's hash is the SHA-256 of the template entry's RFC 8785 canonical JSON (made once,
// by `canonicalize`) with the same values put in (ids, the reference and the previous
// entries' hashes: plain ASCII, so the canonical form is the same text with the values
// changed), and the rows go in by multi-row INSERTs in one transaction, with the journal
// off. A small database seeded the same way is exported and validated first: validateLog
// must find no error in its log.
//
// Run alone: `npx tsx bench/log-export.bench.ts --export-findings 1000000`; `npm run bench`
// runs it too (`--export-findings N`, default 1,000,000; 0 skips it).
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statfsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import canonicalize from 'canonicalize';
import { iso27001 } from 'capa-kit';
import { sqliteMigrationSql, sqliteStore } from 'capa-kit/adapters/sqlite';
import { sqliteDialect } from '../src/adapters/sqlite/dialect.js';
import { sqlTables } from '../src/adapters/sql/identifiers.js';
import { RECORD_WRITE_COLUMNS, recordParams } from '../src/adapters/sql/rows.js';
import { exportLog, validateLog } from '../src/log/index.js';
import type { StoredEvent, StoredRecord } from '../src/store/contract.js';
import { type BenchResult, round } from './harness.js';
import { AS_OF, driveTemplate, TENANT } from './log.bench.js';

/** The target for the export's peak memory. */
export const EXPORT_TARGET_MB = 300;
const TABLES = sqlTables('capa_', null);

// ------------------------------------------------------------------ the template, compiled

/** A text cut at its variable values: literal, slot, literal, slot…, literal. */
type Compiled = (string | number)[];

interface Template {
  readonly findingId: string;
  /** The slot of each record's last entry's hash. */
  readonly lastHashSlot: ReadonlyMap<string, number>;
  readonly records: readonly StoredRecord[];
  /** The template's events in tenant-sequence order, with their texts compiled. */
  readonly events: readonly { readonly event: StoredEvent; readonly entry: Compiled; readonly canonical: Compiled; readonly hashSlot: number }[];
  readonly documents: readonly Compiled[];
  readonly texts: readonly Compiled[];
  /** Slots: 0 finding id, 1 action id, 2 reference, 3 its lowercase form, then one per event hash. */
  readonly slots: number;
}

async function compileTemplate(): Promise<Template> {
  const { store, findingId, actionId } = await driveTemplate();
  const records = await store.load(TENANT, [findingId, actionId]);
  const reference = (records[0]!.document as { finding: { reference: string } }).finding.reference;
  const events = [...(await store.readEvents(TENANT, findingId)), ...(await store.readEvents(TENANT, actionId))].sort((a, b) => a.tenantSequence - b.tenantSequence);
  const values = [findingId, actionId, reference, reference.toLowerCase(), ...events.map((event) => (event.entry as { hash: string }).hash)];
  const pattern = new RegExp(values.map((value) => value.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|'), 'g');
  const compile = (text: string): Compiled => {
    const parts: Compiled = [];
    let at = 0;
    for (const match of text.matchAll(pattern)) {
      parts.push(text.slice(at, match.index), values.indexOf(match[0]));
      at = match.index + match[0].length;
    }
    parts.push(text.slice(at));
    return parts;
  };
  return {
    findingId,
    lastHashSlot: new Map(events.map((event, i) => [event.recordId, 4 + i])),
    records,
    events: events.map((event, i) => {
      const { hash: _hash, ...content } = event.entry as Record<string, unknown>;
      const canonical = compile(canonicalize(content)!);
      // An entry's canonical form names only earlier entries' hashes (its link, its signature's binding).
      for (const part of canonical) if (typeof part === 'number' && part >= 4 + i) throw new Error(`Entry ${i} names a later hash`);
      return { event, entry: compile(JSON.stringify(event.entry)), canonical, hashSlot: 4 + i };
    }),
    documents: records.map((record) => compile(JSON.stringify(record.document))),
    texts: records.map((record) => compile(record.index.text)),
    slots: values.length,
  };
}

function render(parts: Compiled, values: readonly string[]): string {
  let text = '';
  for (const part of parts) text += typeof part === 'string' ? part : values[part]!;
  return text;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

// ------------------------------------------------------------------ seeding

/** Seeds `findings` copies of the template into a new database file; returns its size. */
export async function seedExportDatabase(path: string, findings: number, onProgress?: (done: number) => void): Promise<{ bytes: number; events: number; seconds: number }> {
  const started = performance.now();
  const template = await compileTemplate();
  const db = new Database(path);
  db.exec(sqliteMigrationSql());
  // Seeding only: no journal, no syncs (a crash loses the benchmark's scratch file, nothing else).
  db.exec('PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY');
  const width = String(findings).length;
  const perCopy = template.events.length;
  const ROWS = 100;
  const recordRow = `(${RECORD_WRITE_COLUMNS.map(() => '?').join(', ')})`;
  const eventRow = '(?, ?, ?, ?, ?)';
  const insertRecords = (rows: number) => db.prepare(`INSERT INTO ${TABLES.records} (${RECORD_WRITE_COLUMNS.join(', ')}) VALUES ${Array(rows).fill(recordRow).join(', ')}`);
  const insertEvents = (rows: number) =>
    db.prepare(`INSERT INTO ${TABLES.events} (tenant_id, record_id, sequence, tenant_sequence, entry) VALUES ${Array(rows).fill(eventRow).join(', ')}`);
  const fullRecords = insertRecords(ROWS);
  const fullEvents = insertEvents(ROWS);
  const documentColumn = RECORD_WRITE_COLUMNS.indexOf('document');
  let records: unknown[] = [];
  let events: unknown[] = [];
  const flush = (all: boolean) => {
    const recordWidth = RECORD_WRITE_COLUMNS.length;
    while (records.length >= ROWS * recordWidth || (all && records.length > 0)) {
      const rows = Math.min(ROWS, records.length / recordWidth);
      (rows === ROWS ? fullRecords : insertRecords(rows)).run(records.splice(0, rows * recordWidth));
    }
    while (events.length >= ROWS * 5 || (all && events.length > 0)) {
      const rows = Math.min(ROWS, events.length / 5);
      (rows === ROWS ? fullEvents : insertEvents(rows)).run(events.splice(0, rows * 5));
    }
  };
  db.exec('BEGIN');
  const values: string[] = new Array(template.slots);
  const slotOf = (id: string) => (id === template.findingId ? 0 : 1);
  for (let i = 0; i < findings; i++) {
    const n = String(i + 1).padStart(width, '0');
    values[0] = `f${n}`;
    values[1] = `a${n}`;
    values[2] = `NC-2026-${n.padStart(4, '0')}`;
    values[3] = values[2].toLowerCase();
    const offset = i * perCopy;
    for (const { event, entry, canonical, hashSlot } of template.events) {
      values[hashSlot] = sha256(render(canonical, values));
      const recordId = values[slotOf(event.recordId)]!;
      events.push(TENANT, recordId, event.sequence, event.tenantSequence + offset, render(entry, values));
    }
    template.records.forEach((record, r) => {
      const id = values[slotOf(record.id)]!;
      const lastHash = values[template.lastHashSlot.get(record.id)!]!;
      const copy: StoredRecord = { ...record, id, head: lastHash, index: { ...record.index, text: render(template.texts[r]!, values) }, document: null };
      const params = recordParams(sqliteDialect, TENANT, copy, record.version);
      params[documentColumn] = render(template.documents[r]!, values);
      records.push(...params);
    });
    if (records.length >= ROWS * RECORD_WRITE_COLUMNS.length) flush(false);
    if ((i & 0x3fff) === 0 && i > 0) onProgress?.(i);
  }
  flush(true);
  db.prepare(`INSERT INTO ${TABLES.sequences} (tenant_id, name, value) VALUES (?, 'events', ?), (?, 'references', ?)`).run(TENANT, findings * perCopy, TENANT, findings);
  db.exec('COMMIT');
  db.close();
  return { bytes: statSync(path).size, events: findings * perCopy, seconds: (performance.now() - started) / 1000 };
}

// ------------------------------------------------------------------ the export (in the child)

interface ExportRun {
  readonly lines: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  /** The kernel's peak resident set of the child (VmHWM), MB; `null` off Linux. */
  readonly maxRssMb: number | null;
  /** Sampled peaks, MB. */
  readonly rssMb: number;
  readonly heapUsedMb: number;
  readonly externalMb: number;
  /** RSS before the export started (Node, the modules, the store open), MB. */
  readonly startRssMb: number;
}

/**
 * The process's peak RSS as Linux counts it (VmHWM), in MB. Not `resourceUsage().maxRSS`:
 * after fork and exec, that one starts at the parent's RSS at the fork.
 */
function peakRss(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match === null ? null : round(Number(match[1]) / 1024, 1);
  } catch {
    return null;
  }
}

/** Exports the database at `path` into a counting sink (or `file`); measures time and memory. */
async function exportRun(path: string, file: string | null): Promise<ExportRun> {
  const store = await sqliteStore(new Database(path), { closeDatabase: true });
  const peak = { rss: 0, heapUsed: 0, external: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > peak.rss) peak.rss = m.rss;
    if (m.heapUsed > peak.heapUsed) peak.heapUsed = m.heapUsed;
    if (m.external > peak.external) peak.external = m.external;
  };
  sample();
  const startRss = process.memoryUsage().rss;
  const out = file === null ? null : createWriteStream(file);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let lines = 0;
  let bytes = 0;
  for await (const line of exportLog(store, { tenant: TENANT, policy: iso27001, generatedAt: AS_OF })) {
    lines += 1;
    bytes += Buffer.byteLength(line);
    if (out !== null && !out.write(line)) await once(out, 'drain');
    if (lines % 1000 === 0) sample();
  }
  if (out !== null) await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  sample();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await store.close();
  const mb = (n: number) => round(n / 2 ** 20, 1);
  return {
    lines,
    bytes,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssMb: peakRss(),
    rssMb: mb(peak.rss),
    heapUsedMb: mb(peak.heapUsed),
    externalMb: mb(peak.external),
    startRssMb: mb(startRss),
  };
}

/**
 * V8 flags of the capped run: a young generation of 2 × 16 MB and an old generation of
 * 128 MB. V8 sizes both by the machine's memory (on 24 GB it lets the young generation
 * alone reach 128 MB), so with Node's defaults the peak says more about V8 than about the
 * export; capped, it shows what the export needs (it fails if it needs more).
 */
export const CAPPED_HEAP = ['--max-semi-space-size=16', '--max-old-space-size=128'];

/** Runs the export in a child process (this file, with `--export-child`), so its peak memory is its own. */
async function exportInChild(path: string, file: string | null, v8Flags: readonly string[] = []): Promise<ExportRun> {
  const child = fork(new URL(import.meta.url), ['--export-child', path, ...(file === null ? [] : [file])], {
    execArgv: [...v8Flags, ...process.execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [message] = (await once(child, 'message')) as [ExportRun | { error: string }];
  await once(child, 'exit');
  if ('error' in message) throw new Error(`The export failed: ${message.error}`);
  return message;
}

// ------------------------------------------------------------------ the benchmark

/** Checks that the seeding makes a valid log: a small database, exported and validated. */
async function checkSeeding(directory: string): Promise<void> {
  const path = join(directory, 'check.db');
  await seedExportDatabase(path, 300);
  const store = await sqliteStore(new Database(path), { closeDatabase: true });
  let text = '';
  for await (const line of exportLog(store, { tenant: TENANT, policy: iso27001, generatedAt: AS_OF })) text += line;
  await store.close();
  const report = await validateLog(text, { asOf: AS_OF, workers: 0 });
  if (!report.ok || report.summary.findings !== 300 || report.summary.actions !== 300) {
    throw new Error(`The seeded database does not export a valid log: ${JSON.stringify(report.issues.slice(0, 3))}`);
  }
  rmSync(path, { force: true });
}

/** About how many bytes a seeded finding takes on disk (records, events, indexes), with room to spare. */
const BYTES_PER_FINDING = 24_000;

/** The export benchmark: `findings` findings (and as many actions) in a SQLite file, exported. */
export async function benchExport({ findings, file = false }: { findings: number; file?: boolean }): Promise<BenchResult[]> {
  if (findings === 0) return [];
  const directory = mkdtempSync(join(tmpdir(), 'capa-export-bench-'));
  try {
    const { bavail, bsize } = statfsSync(directory);
    const free = bavail * bsize;
    const needed = findings * BYTES_PER_FINDING * (file ? 2 : 1);
    if (free < needed) {
      console.log(`export: skipped, ${(needed / 2 ** 30).toFixed(1)} GiB needed in ${tmpdir()}, ${(free / 2 ** 30).toFixed(1)} GiB free`);
      return [];
    }
    await checkSeeding(directory);
    const path = join(directory, 'export.db');
    const seeded = await seedExportDatabase(path, findings, (done) => process.stdout.write(`\rexport: seeding ${done.toLocaleString('en-US')} of ${findings.toLocaleString('en-US')} findings`));
    process.stdout.write('\r');
    console.log(
      `export: ${findings.toLocaleString('en-US')} findings, ${(2 * findings).toLocaleString('en-US')} records, ${seeded.events.toLocaleString('en-US')} events ` +
        `seeded in ${seeded.seconds.toFixed(1)} s (${(seeded.bytes / 2 ** 30).toFixed(2)} GiB of SQLite)`,
    );
    const rows: BenchResult[] = [];
    for (const [label, flags] of [
      ['Node defaults', []],
      [`heap capped (${CAPPED_HEAP.join(' ')})`, CAPPED_HEAP],
    ] as const) {
      const run = await exportInChild(path, file ? join(directory, 'log.jsonl') : null, flags);
      if (run.lines !== 2 * findings + 2) throw new Error(`The export wrote ${run.lines} lines, not ${2 * findings + 2}`);
      const peak = Math.max(run.maxRssMb ?? 0, run.rssMb);
      const name = (what: string) => `export, ${label}: ${what}`;
      rows.push(
        { name: name('exportLog from SQLite'), value: Math.round(findings / run.seconds), unit: 'findings/s', baseline: null, ratio: null },
        { name: name('time'), value: round(run.seconds, 1), unit: 's', baseline: null, ratio: null },
        { name: name('CPU time'), value: round(run.cpuSeconds, 1), unit: 's', baseline: null, ratio: null },
        { name: name(`peak RSS (child process, target < ${EXPORT_TARGET_MB} MB)`), value: peak, unit: 'MB', baseline: null, ratio: null },
        { name: name('RSS before the export'), value: run.startRssMb, unit: 'MB', baseline: null, ratio: null },
        { name: name('peak heap used (sampled)'), value: run.heapUsedMb, unit: 'MB', baseline: null, ratio: null },
        { name: name('peak external memory (sampled)'), value: run.externalMb, unit: 'MB', baseline: null, ratio: null },
      );
      if (rows.length === 7) rows.push({ name: 'export: log written', value: round(run.bytes / 2 ** 20, 0), unit: 'MiB', baseline: null, ratio: null });
    }
    return rows;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The verdict lines for `npm run bench`: one per run (Node's defaults, the capped heap). */
export function exportVerdicts(results: readonly BenchResult[]): string[] {
  return results
    .filter((r) => r.name.includes(': peak RSS'))
    .map((row) => {
      const label = row.name.slice('export, '.length, row.name.indexOf(': peak RSS'));
      return `log export peak memory < ${EXPORT_TARGET_MB} MB, ${label}: ${row.value < EXPORT_TARGET_MB ? 'MET' : 'NOT MET'} (${row.value} MB)`;
    });
}

/** `--export-findings N` (or BENCH_EXPORT_FINDINGS); default 1,000,000. */
export function exportFindingsArg(argv: readonly string[]): number {
  let raw: string | undefined = process.env.BENCH_EXPORT_FINDINGS;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--export-findings') raw = argv[i + 1];
    else if (arg.startsWith('--export-findings=')) raw = arg.slice('--export-findings='.length);
  }
  if (raw === undefined) return 1_000_000;
  const n = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 0) throw new Error(`--export-findings needs a non-negative integer, got ${raw}`);
  return n;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf('--export-child');
  if (at !== -1) {
    try {
      process.send!(await exportRun(process.argv[at + 1]!, process.argv[at + 2] ?? null));
    } catch (error) {
      process.send!({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  } else {
    const { printTable } = await import('./harness.js');
    const results = await benchExport({ findings: exportFindingsArg(process.argv), file: process.argv.includes('--export-file') });
    printTable(results);
    for (const line of exportVerdicts(results)) console.log(line);
  }
}
