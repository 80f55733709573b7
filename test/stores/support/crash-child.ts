// The child process of the file store's crash tests. It opens a file store and writes,
// printing one line per acknowledged write, until it is killed (by the parent, or by
// itself at an exact point of an append when `crash` is given). Run as a bundle:
//   node crash-child.mjs '<json config>'
//
// Lines it prints (each with one synchronous write, so a line is out before the next write starts):
//   ready <journal entries at open>
//   ack batch <batch number> <tenant sequence>     raw mode: a multi-record commit
//   ack ref <reference>                            either mode: nextReference (raw), raise (register)
//   ack raise <finding id> <reference sequence>    register mode
//   ack comment <finding id>                       register mode
//   done                                           ran out of operations without being killed
import { writeSync } from 'node:fs';
import process from 'node:process';
import { iso27001 } from '../../../src/policies/presets/iso27001.js';
import { createCapaRegister } from '../../../src/register/index.js';
import type { CommitBatch, JsonValue, NewEvent, RecordWrite, StoredRecord } from '../../../src/store/contract.js';
import { type JournalHooks, openFileStore } from '../../../src/stores/file/store.js';

export type CrashPoint = 'mid-entry' | 'after-write-before-fsync' | 'after-fsync-before-apply';

export interface ChildConfig {
  readonly dir: string;
  readonly mode: 'raw' | 'register';
  readonly seed: number;
  readonly fsync: boolean;
  /** Operations before exiting normally (a safety stop when no one kills the child). */
  readonly maxOps: number;
  /** Kill itself at this point of its `at`-th journal append (counting from 1 in this process). */
  readonly crash?: { readonly point: CrashPoint; readonly at: number };
  /** Register mode: where the clock starts (so later children in a chain move forward). */
  readonly clockStart?: number;
}

const TENANT = 'acme';
const RAW_RECORDS = 6;

/** Writes a line to stdout synchronously (the pipe is non-blocking: wait while the parent catches up). */
function print(line: string): void {
  const bytes = Buffer.from(`${line}\n`);
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(1, bytes, written, bytes.length - written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/** mulberry32: a small seeded generator. */
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

function crashHooks(crash: ChildConfig['crash']): JournalHooks {
  let appends = 0;
  const die = (): never => {
    process.kill(process.pid, 'SIGKILL');
    throw new Error('unreachable: SIGKILL did not stop the process');
  };
  return {
    write(fd, bytes, position) {
      appends += 1;
      if (crash?.point === 'mid-entry' && crash.at === appends) {
        const half = Math.max(1, Math.floor(bytes.length / 2));
        writeSync(fd, bytes, 0, half, position);
        die();
      }
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written, position + written);
    },
    afterWrite() {
      if (crash?.point === 'after-write-before-fsync' && crash.at === appends) die();
    },
    afterSync() {
      if (crash?.point === 'after-fsync-before-apply' && crash.at === appends) die();
    },
  };
}

function rawRecord(id: string, version: number, batch: number, pad: string): StoredRecord {
  return {
    kind: 'finding',
    id,
    tenantId: TENANT,
    version,
    head: null,
    index: {
      reference: `NC-${id}`,
      status: 'reported',
      open: true,
      grade: 'minor',
      source: 'internal-audit',
      ownerId: 'u-1',
      requirement: 'ISO/IEC 27001:2022 A.5.18',
      causeCategory: null,
      dueDate: '2027-01-01',
      raisedAt: '2026-03-02T10:00:00.000Z',
      lastActivityAt: '2026-03-02T10:00:00.000Z',
      text: `${id} batch ${batch}`,
    },
    document: { batch, version, pad },
  };
}

async function runRaw(config: ChildConfig, next: () => number): Promise<void> {
  const store = openFileStore(config.dir, { fsync: config.fsync }, crashHooks(config.crash));
  const [meta] = await store.load(TENANT, ['meta']);
  let batch = meta === undefined ? 0 : ((meta.document as { batch: number }).batch ?? 0);
  print(`ready ${batch}`);
  for (let op = 0; op < config.maxOps; op += 1) {
    if (next() < 0.15) {
      print(`ack ref ${await store.nextReference(TENANT, 'finding')}`);
      continue;
    }
    batch += 1;
    const ids = ['meta', ...Array.from({ length: RAW_RECORDS }, (_, i) => `r-${i}`).filter(() => next() < 0.35)];
    const current = await store.load(TENANT, ids);
    const plans = ids.map((id) => ({ id, before: current.find((r) => r.id === id)?.version ?? 0, count: id === 'meta' ? 1 : 1 + Math.floor(next() * 2) }));
    const size = plans.reduce((sum, plan) => sum + plan.count, 0);
    const writes: RecordWrite[] = plans.map(({ id, before, count }) => {
      const events: NewEvent[] = Array.from({ length: count }, (_, i) => ({
        tenantId: TENANT,
        recordId: id,
        sequence: before + i + 1,
        entry: { batch, size, record: id, sequence: before + i + 1 } as JsonValue,
      }));
      const pad = 'x'.repeat(Math.floor(next() * 3000));
      return { record: rawRecord(id, before + count, batch, pad), expectedVersion: before, events };
    });
    const commit: CommitBatch = {
      tenantId: TENANT,
      writes,
      ...(batch % 3 === 0 ? { idempotency: { key: `b-${batch}`, result: { batch } } } : {}),
    };
    const result = await store.commit(commit);
    print(`ack batch ${batch} ${result.tenantSequence}`);
  }
  await store.close();
  print('done');
}

const actor = { id: 'u-raiser', name: 'Rae Iser', roles: ['internal-auditor'] };

async function runRegister(config: ChildConfig, next: () => number): Promise<void> {
  const store = openFileStore(config.dir, { fsync: config.fsync }, crashHooks(config.crash));
  let tick = config.clockStart ?? Date.parse('2026-03-02T09:00:00Z');
  const register = createCapaRegister({ store, policy: iso27001, tenant: TENANT, clock: () => new Date((tick += 1000)) });
  const findings = (await register.query({}, { limit: 1000 })).findings.map((finding) => finding.id);
  print(`ready ${findings.length}`);
  for (let op = 0; op < config.maxOps; op += 1) {
    if (findings.length === 0 || next() < 0.3) {
      const raised = await register.raise({
        actor,
        finding: {
          title: `Leavers kept active accounts (${config.seed}/${op})`,
          description: 'Two leavers kept active accounts for weeks after leaving.',
          requirement: { kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: 'A.5.18' },
          observedEvidence: 'Directory export vs HR list',
          affected: { process: 'Joiner-mover-leaver' },
          source: { kind: 'internal-audit', reference: `IA-${config.seed}` },
          grade: next() < 0.5 ? 'minor' : 'major',
          owner: { id: 'u-owner', name: 'Owen Ner' },
          detectedAt: '2026-03-01T10:00:00Z',
        },
      });
      findings.push(raised.id);
      print(`ack raise ${raised.id} ${raised.reference}`);
    } else {
      const findingId = findings[Math.floor(next() * findings.length)]!;
      await register.comment({ actor, findingId, text: `comment ${config.seed}/${op}` });
      print(`ack comment ${findingId}`);
    }
  }
  await store.close();
  print('done');
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
  const next = random(config.seed);
  if (config.mode === 'register') await runRegister(config, next);
  else await runRaw(config, next);
}

main().catch((error: unknown) => {
  process.stderr.write(`crash-child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
