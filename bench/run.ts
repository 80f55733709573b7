// Entry point of `npm run bench`: `npm run bench -- --findings 20000` (or BENCH_FINDINGS);
// the stores benchmark also takes `--query-findings 100000,1000000` (or BENCH_QUERY_FINDINGS);
// the log export benchmark `--export-findings 1000000` (or BENCH_EXPORT_FINDINGS; 0 skips it).
import { cpus, loadavg } from 'node:os';
import { benchMachine } from './machine.bench.js';
import { benchRegister, registerVerdicts } from './register.bench.js';
import { benchLog, logVerdicts } from './log.bench.js';
import { benchExport, exportFindingsArg, exportVerdicts } from './log-export.bench.js';
import { benchStores, queryFindingsArg, storeVerdicts } from './stores.bench.js';
import { type BenchResult, memory, printTable, writeResults } from './harness.js';

function findingsArg(argv: readonly string[]): number {
  let raw: string | undefined = process.env.BENCH_FINDINGS;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--findings') raw = argv[i + 1];
    else if (arg.startsWith('--findings=')) raw = arg.slice('--findings='.length);
  }
  if (raw === undefined) return 100_000;
  const n = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`--findings needs a positive integer, got ${raw}`);
  return n;
}

/** The per-event (or per-command) rows as one matrix: types down, parts across. */
function printPerEvent(rows: readonly BenchResult[], prefix = 'per event: ', corner = 'event (µs)'): void {
  const parts: string[] = [];
  const byType = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const [type, part] = row.name.replace(prefix, '').split(/ (.+)/) as [string, string];
    if (!parts.includes(part)) parts.push(part);
    const m = byType.get(type) ?? new Map<string, number>();
    m.set(part, row.value);
    byType.set(type, m);
  }
  const w0 = Math.max(10, ...[...byType.keys()].map((t) => t.length));
  const widths = parts.map((p) => Math.max(p.length, 8));
  console.log([corner.padEnd(w0), ...parts.map((p, i) => p.padStart(widths[i] as number))].join('  '));
  for (const [type, m] of byType) {
    console.log([type.padEnd(w0), ...parts.map((p, i) => (m.get(p) ?? NaN).toFixed(2).padStart(widths[i] as number))].join('  '));
  }
}

async function main(): Promise<void> {
  const findings = findingsArg(process.argv.slice(2));
  const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`capa-kit bench: Node ${process.version}, ${findings.toLocaleString('en-US')} findings × 10 events`);
  console.log(`${cpus().length} cores, load average ${load()} (other load skews absolute numbers; ratios are interleaved)`);
  const started = Date.now();
  const results = [...(await benchMachine({ findings })), ...(await benchRegister({ findings })), ...(await benchLog({ findings })), ...(await benchExport({ findings: exportFindingsArg(process.argv.slice(2)) })), ...(await benchStores({ findings, queryFindings: queryFindingsArg(process.argv.slice(2)) })), ...memory.results('process: ')];
  const main = results.filter((r) => !r.name.startsWith('per event: ') && !r.name.startsWith('per command: '));
  console.log('');
  printTable(main);
  console.log('');
  printPerEvent(results.filter((r) => r.name.startsWith('per event: ')));
  console.log('');
  printPerEvent(results.filter((r) => r.name.startsWith('per command: ')), 'per command: ', 'command (µs)');
  console.log('');
  for (const line of registerVerdicts(results)) console.log(line);
  for (const line of logVerdicts(results)) console.log(line);
  for (const line of exportVerdicts(results)) console.log(line);
  for (const line of storeVerdicts(results)) console.log(line);
  const path = 'bench/results.json';
  writeResults(results, path);
  console.log(`\n${results.length} results written to ${path} in ${((Date.now() - started) / 1000).toFixed(1)} s; load average ${load()}`);
}

await main();
