import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ConcurrencyError, DuplicateReferenceError, StoreError, StoreMissingError } from '../../src/errors/store-errors.js';
import { iso27001 } from '../../src/policies/presets/iso27001.js';
import { createCapaRegister } from '../../src/register/index.js';
import type { CapaStore, CommitBatch, JsonValue, StoredRecord } from '../../src/store/contract.js';
import { type FileStore, fileStore } from '../../src/stores/file/index.js';
import { encodeFrame, JOURNAL_HEADER_BYTES } from '../../src/stores/file/journal.js';
import { JOURNAL_FILE, openFileStore } from '../../src/stores/file/store.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const NODE = join(root, 'node_modules/.bin/node');
const TENANT = 'acme';

const directories: string[] = [];
const open: CapaStore[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function tempDir(): string {
  const directory = mkdtempSync(join(tmpdir(), 'capa-file-'));
  directories.push(directory);
  return directory;
}

async function openStore(directory: string, options?: Parameters<typeof fileStore>[1]): Promise<FileStore> {
  const store = await fileStore(directory, options);
  open.push(store);
  return store;
}

async function closeStore(store: CapaStore): Promise<void> {
  open.splice(open.indexOf(store), 1);
  await store.close();
}

function record(id: string, version: number, document: JsonValue = { id, version }, tenantId = TENANT): StoredRecord {
  return {
    kind: 'finding',
    id,
    tenantId,
    version,
    head: `h-${id}-${version}`,
    index: {
      reference: `NC-${id}`,
      status: 'reported',
      open: true,
      grade: 'minor',
      source: 'internal-audit',
      ownerId: 'u-9',
      requirement: 'ISO/IEC 27001:2022 A.5.18',
      causeCategory: null,
      dueDate: '2027-03-02',
      raisedAt: `2026-03-0${Math.min(version, 9)}T10:00:00Z`,
      lastActivityAt: '2026-03-02T10:00:00Z',
      text: `${id} leavers kept active accounts`,
    },
    document,
  };
}

/** A commit appending `count` events to `id`, which is at version `before`. */
function append(id: string, before: number, count = 1, tenantId = TENANT, key?: string): CommitBatch {
  return {
    tenantId,
    writes: [
      {
        record: record(id, before + count, { id, version: before + count, note: 'línea\nnueva "quoted"' }, tenantId),
        expectedVersion: before,
        events: Array.from({ length: count }, (_, i) => ({ tenantId, recordId: id, sequence: before + i + 1, entry: { type: 'E', n: before + i + 1 } })),
      },
    ],
    ...(key === undefined ? {} : { idempotency: { key, result: { id, key } } }),
  };
}

const journalOf = (directory: string) => join(directory, 'capa.journal');
const sizeOf = (directory: string) => statSync(journalOf(directory)).size;
/** Byte offsets where each entry starts (entry 1 first), after the header line. */
function entryOffsets(directory: string): number[] {
  const bytes = readFileSync(journalOf(directory));
  const offsets: number[] = [];
  for (let at = bytes.indexOf(0x0a) + 1; at < bytes.length; at = bytes.indexOf(0x0a, at) + 1) offsets.push(at);
  return offsets;
}

function expectStoreError(error: unknown, pattern: RegExp): StoreError {
  expect(error).toBeInstanceOf(StoreError);
  expect((error as StoreError).message).toMatch(pattern);
  return error as StoreError;
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

/** Spawns a process that exits at once and resolves to its pid, once it is gone (reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(NODE, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

/** Spawns a process that lives until killed. */
function liveProcess(): ChildProcess {
  const child = spawn(NODE, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

function writeLock(directory: string, holder: Record<string, unknown>): string {
  const path = join(directory, 'capa.lock');
  const content = `${JSON.stringify({ token: 'foreign-token', since: '2026-11-01T08:00:00.000Z', host: hostname(), bootId: null, startTime: null, ...holder })}\n`;
  writeFileSync(path, content);
  return content;
}

const procAvailable = existsSync('/proc/self/stat') && existsSync('/proc/sys/kernel/random/boot_id');

describe('fileStore: mustExist opens only a store that is there, creating nothing', () => {
  it('refuses a missing directory, a directory without a journal and a file, with a StoreMissingError naming the place', async () => {
    const parent = tempDir();
    const cases: [string, RegExp][] = [
      [join(parent, 'typo', 'deeper'), /the directory does not exist/],
      [parent, /the directory holds no capa\.journal/],
    ];
    writeFileSync(join(parent, 'a-file'), 'x');
    cases.push([join(parent, 'a-file'), /it is not a directory/]);
    for (const [directory, reason] of cases) {
      const error = await refusal(fileStore(directory, { mustExist: true }));
      expect(error, directory).toBeInstanceOf(StoreMissingError);
      expect(error).toMatchObject({ code: 'CAPA_STORE_MISSING', where: directory });
      expect((error as Error).message).toMatch(new RegExp(`^No capa store at ${directory.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
      expect((error as Error).message).toMatch(reason);
    }
    // Nothing was created: no directory, no journal, no lock.
    expect(existsSync(join(parent, 'typo'))).toBe(false);
    expect(readdirSync(parent)).toEqual(['a-file']);
  });

  it('refuses a journal whose creation never finished (empty), and leaves it as it was', async () => {
    const directory = tempDir();
    writeFileSync(journalOf(directory), '');
    expect(await refusal(fileStore(directory, { mustExist: true }))).toMatchObject({ code: 'CAPA_STORE_MISSING', reason: expect.stringMatching(/empty/) });
    expect(statSync(journalOf(directory)).size).toBe(0);
    expect(readdirSync(directory)).toEqual(['capa.journal']);
  });

  it('opens a store that is there (an empty one too), and leaves no lock behind once closed', async () => {
    const directory = tempDir();
    await closeStore(await openStore(directory));
    const empty = await openStore(directory, { mustExist: true });
    expect(await empty.readTenantEvents(TENANT, 0, 10)).toEqual([]);
    await empty.commit(append('f-1', 0));
    await closeStore(empty);
    const again = await openStore(directory, { mustExist: true });
    expect((await again.load(TENANT, ['f-1'])).length).toBe(1);
    await closeStore(again);
    expect(readdirSync(directory)).toEqual(['capa.journal']);
  });
});

describe('fileStore: durability across close and reopen', () => {
  it('keeps records, events, references, idempotency keys and tenant sequences', async () => {
    const directory = tempDir();
    const first = await openStore(directory);
    expect(first.capabilities).toEqual({ multiProcess: false, durable: true });
    expect(await first.nextReference(TENANT, 'finding')).toBe(1);
    expect(await first.nextReference(TENANT, 'finding')).toBe(2);
    expect(await first.nextReference('globex', 'finding')).toBe(1);
    expect(await first.commit(append('f-1', 0, 2, TENANT, 'raise-1'))).toEqual({ tenantSequence: 2 });
    expect(await first.commit(append('f-2', 0, 1))).toEqual({ tenantSequence: 3 });
    expect(await first.commit(append('f-1', 2, 1))).toEqual({ tenantSequence: 4 });
    expect(await first.commit(append('g-1', 0, 1, 'globex', 'raise-1'))).toEqual({ tenantSequence: 1 });
    expect(await first.commit({ tenantId: TENANT, writes: [] })).toEqual({ tenantSequence: 4 });
    const before = {
      records: await first.load(TENANT, ['f-1', 'f-2', 'missing']),
      events: await first.readEvents(TENANT, 'f-1'),
      tenantEvents: await first.readTenantEvents(TENANT, 0, 100),
      page: await first.query(TENANT, { filter: { kind: 'finding', open: true }, limit: 1 }),
      globex: await first.load('globex', ['g-1']),
    };
    expect(before.records.map((r) => [r.id, r.version])).toEqual([
      ['f-1', 3],
      ['f-2', 1],
    ]);
    await closeStore(first);

    const second = await openStore(directory);
    expect(second.recovery).toBeNull();
    expect(await second.load(TENANT, ['f-1', 'f-2', 'missing'])).toEqual(before.records);
    expect(await second.readEvents(TENANT, 'f-1')).toEqual(before.events);
    expect(await second.readEvents(TENANT, 'f-1', 2)).toEqual(before.events.slice(2));
    expect(await second.readTenantEvents(TENANT, 0, 100)).toEqual(before.tenantEvents);
    expect(before.tenantEvents.map((e) => e.tenantSequence)).toEqual([1, 2, 3, 4]);
    expect(await second.query(TENANT, { filter: { kind: 'finding', open: true }, limit: 1 })).toEqual(before.page);
    expect(await second.load('globex', ['g-1'])).toEqual(before.globex);
    expect(await second.idempotentResult(TENANT, 'raise-1')).toEqual({ id: 'f-1', key: 'raise-1' });
    expect(await second.idempotentResult('globex', 'raise-1')).toEqual({ id: 'g-1', key: 'raise-1' });
    expect(await second.idempotentResult(TENANT, 'nope')).toBeUndefined();
    // The sequences go on from where they were: references are never handed out twice.
    expect(await second.nextReference(TENANT, 'finding')).toBe(3);
    expect(await second.nextReference('globex', 'finding')).toBe(2);
    expect(await second.commit(append('f-2', 1, 1))).toEqual({ tenantSequence: 5 });
    await expect(second.commit(append('f-3', 0, 1, TENANT, 'raise-1'))).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(second.commit(append('f-1', 2, 1))).rejects.toMatchObject({ recordId: 'f-1', expectedVersion: 2, actualVersion: 3 });
  });

  it('hands out copies: changing what a read returned changes nothing stored', async () => {
    const store = await openStore(tempDir());
    const batch = append('f-1', 0, 1);
    await store.commit(batch);
    (batch.writes[0]!.record.document as { version: number }).version = 99;
    const [loaded] = await store.load(TENANT, ['f-1']);
    (loaded!.document as { version: number }).version = 42;
    expect((await store.load(TENANT, ['f-1']))[0]!.document).toMatchObject({ version: 1 });
  });

  it('carries a register through a restart: findings, history, references', async () => {
    const directory = tempDir();
    let tick = Date.parse('2026-03-02T09:00:00Z');
    const clock = () => new Date((tick += 60_000));
    const actor = { id: 'u-raiser', name: 'Rae Iser', roles: ['internal-auditor'] };
    const finding = {
      title: 'Leavers kept active accounts',
      description: 'Two leavers kept active accounts for weeks.',
      requirement: { kind: 'standard' as const, framework: 'ISO/IEC 27001:2022', reference: 'A.5.18' },
      observedEvidence: 'Directory export vs HR list',
      affected: { process: 'Joiner-mover-leaver' },
      source: { kind: 'internal-audit' as const, reference: 'IA-1' },
      grade: 'minor',
      owner: { id: 'u-owner', name: 'Owen Ner' },
      detectedAt: '2026-03-01T10:00:00Z',
    };
    const store = await openStore(directory);
    const register = createCapaRegister({ store, policy: iso27001, tenant: TENANT, clock });
    const raised = await register.raise({ actor, finding });
    await register.comment({ actor, findingId: raised.id, text: 'First look: two accounts.' });
    const head = await register.logHead();
    const before = await register.get(raised.id);
    await closeStore(store);

    const reopened = await openStore(directory);
    const again = createCapaRegister({ store: reopened, policy: iso27001, tenant: TENANT, clock });
    expect(await again.get(raised.id)).toEqual(before);
    expect((await again.history(raised.id)).map((entry) => entry.type)).toEqual(['RAISE', 'COMMENT']);
    const report = await again.verifyHistory({ trustedHead: head });
    expect(report.ok).toBe(true);
    expect((await again.raise({ actor, finding })).reference).toBe('NC-2026-0002');
  });
});

describe('fileStore: one writer at a time', () => {
  it('refuses a second store on the same directory in this process, naming the holder, until the first closes', async () => {
    const directory = tempDir();
    const first = await openStore(directory);
    const error = expectStoreError(await refusal(fileStore(directory)), new RegExp(`locked by this process \\(${process.pid}\\) since \\d{4}-`));
    expect(error.where).toBe(join(directory, 'capa.lock'));
    await first.commit(append('f-1', 0));
    await closeStore(first);
    expect(existsSync(join(directory, 'capa.lock'))).toBe(false);
    const second = await openStore(directory);
    expect(await second.load(TENANT, ['f-1'])).toHaveLength(1);
  });

  it('refuses a store another process holds, naming its pid, and opens once it has closed', async () => {
    const directory = tempDir();
    const holder = spawn(NODE, ['--import', 'tsx', join(root, 'test/stores/support/hold-lock.ts'), directory], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    children.push(holder);
    const line = await new Promise<string>((resolve) => holder.stdout!.once('data', (data: Buffer) => resolve(data.toString())));
    expect(line).toBe(`held ${holder.pid}\n`);
    expectStoreError(await refusal(fileStore(directory)), new RegExp(`locked by process ${holder.pid} since \\d{4}-.*still running`));
    const exited = new Promise((resolve) => holder.on('exit', resolve));
    holder.stdin!.end();
    expect(await exited).toBe(0);
    await openStore(directory);
  });

  it('recovers a lock left by a process that is gone', async () => {
    const directory = tempDir();
    const pid = await deadPid();
    writeLock(directory, { pid });
    const store = await openStore(directory);
    const lock = JSON.parse(readFileSync(join(directory, 'capa.lock'), 'utf8')) as { pid: number; token: string };
    expect(lock.pid).toBe(process.pid);
    expect(lock.token).not.toBe('foreign-token');
    await store.commit(append('f-1', 0));
    expect(readdirSync(directory).sort()).toEqual(['capa.journal', 'capa.lock']);
  });

  it.runIf(procAvailable)('recovers a lock from before a reboot, or whose pid now belongs to another process', async () => {
    const directory = tempDir();
    const live = liveProcess();
    await new Promise((resolve) => live.once('spawn', resolve));
    writeLock(directory, { pid: live.pid, bootId: '00000000-0000-0000-0000-000000000000' });
    await closeStore(await openStore(directory));
    writeLock(directory, { pid: live.pid, startTime: '1' });
    await closeStore(await openStore(directory));
    // Our own pid, but another start time: an earlier process that had the same pid (a container restart).
    writeLock(directory, { pid: process.pid, startTime: '1' });
    await closeStore(await openStore(directory));
  });

  it('never overrides a live holder, on this host or another', async () => {
    const directory = tempDir();
    const live = liveProcess();
    await new Promise((resolve) => live.once('spawn', resolve));
    const content = writeLock(directory, { pid: live.pid });
    expectStoreError(await refusal(fileStore(directory)), new RegExp(`locked by process ${live.pid} since 2026-11-01T08:00:00.000Z`));
    expect(readFileSync(join(directory, 'capa.lock'), 'utf8')).toBe(content);
    const elsewhere = writeLock(directory, { pid: await deadPid(), host: 'another-host.example' });
    expectStoreError(await refusal(fileStore(directory)), /locked by process \d+ on host another-host.example/);
    expect(readFileSync(join(directory, 'capa.lock'), 'utf8')).toBe(elsewhere);
    writeFileSync(join(directory, 'capa.lock'), 'not a lock');
    expectStoreError(await refusal(fileStore(directory)), /not a capa-kit lock/);
    expect(existsSync(journalOf(directory))).toBe(false);
  });

  it('refuses every call once closed, and close is idempotent', async () => {
    const store = await fileStore(tempDir());
    await store.close();
    await store.close();
    await expect(store.load(TENANT, ['f-1'])).rejects.toBeInstanceOf(StoreError);
    await expect(store.commit(append('f-1', 0))).rejects.toThrow(/closed/);
    await expect(store.nextReference(TENANT, 'finding')).rejects.toThrow(/closed/);
  });
});

describe('fileStore: crash recovery and damage', () => {
  async function seeded(entries: number): Promise<string> {
    const directory = tempDir();
    const store = await openStore(directory);
    for (let i = 0; i < entries; i += 1) await store.commit(append(`f-${i}`, 0, 1, TENANT, `k-${i}`));
    await closeStore(store);
    return directory;
  }

  it('cuts off a torn last entry (a crash in the middle of an append) and opens with everything before it', async () => {
    const directory = await seeded(3);
    const intact = sizeOf(directory);
    const lastLine = readFileSync(journalOf(directory)).subarray(entryOffsets(directory)[2]!);
    appendFileSync(journalOf(directory), lastLine.subarray(0, Math.floor(lastLine.length / 2)));
    const store = await openStore(directory);
    expect(store.recovery).toMatchObject({ kind: 'torn-tail', entry: 4, offset: intact, droppedBytes: Math.floor(lastLine.length / 2), savedTo: null });
    expect(store.recovery!.reason).toMatch(/file ends/);
    expect(sizeOf(directory)).toBe(intact);
    expect((await store.load(TENANT, ['f-0', 'f-1', 'f-2'])).map((r) => r.version)).toEqual([1, 1, 1]);
    // Appends go on after the cut, and the next open finds a clean journal.
    await store.commit(append('f-3', 0));
    await closeStore(store);
    const again = await openStore(directory);
    expect(again.recovery).toBeNull();
    expect((await again.readTenantEvents(TENANT, 0, 10)).map((e) => e.tenantSequence)).toEqual([1, 2, 3, 4]);
  });

  it('treats a tail of zeros, or a header cut short, as torn', async () => {
    for (const tail of [Buffer.alloc(4096), Buffer.from('5'), Buffer.from('512 0123456789ab')]) {
      const directory = await seeded(2);
      const intact = sizeOf(directory);
      appendFileSync(journalOf(directory), tail);
      const store = await openStore(directory);
      expect(store.recovery).toMatchObject({ kind: 'torn-tail', entry: 3, offset: intact, droppedBytes: tail.length });
      expect(await store.load(TENANT, ['f-0', 'f-1'])).toHaveLength(2);
      await closeStore(store);
    }
  });

  it('refuses a journal damaged before its end, naming the entry and the byte offset, and keeps the lock free', async () => {
    const directory = await seeded(4);
    const offsets = entryOffsets(directory);
    const bytes = readFileSync(journalOf(directory));
    const target = offsets[1]! + 60; // inside entry 2's payload
    bytes[target] = bytes[target] === 0x61 ? 0x62 : 0x61;
    writeFileSync(journalOf(directory), bytes);
    const error = expectStoreError(await refusal(fileStore(directory)), new RegExp(`checksum mismatch.*1 entries before it are intact.*repair: 'truncate'`));
    expect(error.where).toBe(`${journalOf(directory)}: journal entry 2 at byte ${offsets[1]}`);
    expect(error.message).toContain(`journal entry 2 at byte ${offsets[1]}`);
    // Nothing was changed, and the failed open left no lock behind.
    expect(readFileSync(journalOf(directory)).equals(bytes)).toBe(true);
    expect(existsSync(join(directory, 'capa.lock'))).toBe(false);
  });

  it('reports damage to an entry length as damage, not as a torn tail', async () => {
    const directory = await seeded(3);
    const offsets = entryOffsets(directory);
    const bytes = readFileSync(journalOf(directory));
    bytes.write('9', offsets[1]!); // entry 2 now claims a length beyond the end of the file
    writeFileSync(journalOf(directory), bytes);
    const error = expectStoreError(await refusal(fileStore(directory)), /damaged/);
    expect(error.where).toContain(`journal entry 2 at byte ${offsets[1]}`);
  });

  it("keeps everything before the damage with repair: 'truncate', and saves the rest aside", async () => {
    const directory = await seeded(4);
    const offsets = entryOffsets(directory);
    const bytes = readFileSync(journalOf(directory));
    bytes[offsets[2]! + 70] = bytes[offsets[2]! + 70]! ^ 0x01;
    writeFileSync(journalOf(directory), bytes);
    const store = await openStore(directory, { repair: 'truncate' });
    expect(store.recovery).toMatchObject({ kind: 'repaired', entry: 3, offset: offsets[2], droppedBytes: bytes.length - offsets[2]!, reason: 'checksum mismatch' });
    expect(readFileSync(store.recovery!.savedTo!).equals(bytes.subarray(offsets[2]!))).toBe(true);
    expect((await store.load(TENANT, ['f-0', 'f-1', 'f-2', 'f-3'])).map((r) => r.id)).toEqual(['f-0', 'f-1']);
    expect(await store.idempotentResult(TENANT, 'k-2')).toBeUndefined();
    await store.commit(append('f-2', 0, 1, TENANT, 'k-2'));
    await closeStore(store);
    const again = await openStore(directory);
    expect(again.recovery).toBeNull();
    expect((await again.load(TENANT, ['f-0', 'f-1', 'f-2'])).map((r) => r.id)).toEqual(['f-0', 'f-1', 'f-2']);
  });

  it('refuses a journal whose entries do not follow from each other (a line lost or repeated)', async () => {
    const directory = await seeded(3);
    const offsets = entryOffsets(directory);
    const bytes = readFileSync(journalOf(directory));
    // Entry 2 repeated: its checksum is right, but its number (and its versions) are not.
    writeFileSync(journalOf(directory), Buffer.concat([bytes.subarray(0, offsets[2]!), bytes.subarray(offsets[1]!, offsets[2]!), bytes.subarray(offsets[2]!)]));
    const error = expectStoreError(await refusal(fileStore(directory)), /numbered 2/);
    expect(error.where).toContain(`journal entry 3 at byte ${offsets[2]}`);
  });

  it('refuses a file that is not a journal', async () => {
    const directory = tempDir();
    writeFileSync(journalOf(directory), 'SQLite format 3\0 and more');
    expectStoreError(await refusal(fileStore(directory)), /not a capa-kit journal/);
    expect(existsSync(join(directory, 'capa.lock'))).toBe(false);
  });

  it('writes nothing for a ConcurrencyError or a used idempotency key', async () => {
    const directory = await seeded(1);
    const store = await openStore(directory);
    await store.commit(append('f-9', 0));
    const size = sizeOf(directory);
    await expect(store.commit(append('f-9', 0))).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(store.commit({ ...append('f-10', 0), writes: [...append('f-10', 0).writes, ...append('f-9', 5).writes] })).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(store.commit(append('f-11', 0, 1, TENANT, 'k-0'))).rejects.toMatchObject({ recordId: 'idempotency:k-0' });
    expect(sizeOf(directory)).toBe(size);
    expect(await store.load(TENANT, ['f-10', 'f-11'])).toEqual([]);
  });

  it('stops writing after a failed append, keeps serving reads, and reopens without the failed write', async () => {
    const directory = await seeded(2);
    let fail = true;
    const store = openFileStore(directory, {}, {
      write(fd, bytes, position) {
        if (fail) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        writeSync(fd, bytes, 0, bytes.length, position);
      },
    });
    open.push(store);
    const size = sizeOf(directory);
    const error = expectStoreError(await refusal(store.commit(append('f-5', 0))), /append failed \(ENOSPC.*not acknowledged.*refuses further writes/);
    expect(error.where).toBe(`${journalOf(directory)}: journal entry 3 at byte ${size}`);
    fail = false;
    await expect(store.commit(append('f-6', 0))).rejects.toBe(error);
    await expect(store.nextReference(TENANT, 'finding')).rejects.toBe(error);
    expect(await store.load(TENANT, ['f-0', 'f-5'])).toHaveLength(1);
    expect(sizeOf(directory)).toBe(size);
    await closeStore(store);
    const again = await openStore(directory);
    expect(again.recovery).toBeNull();
    expect(await again.load(TENANT, ['f-5', 'f-6'])).toEqual([]);
  });
});

describe('fileStore: a journal written for storage contract 1 (before references were unique)', () => {
  /** A contract-1 commit entry: a record whose index has no reference; its document names one (or none). */
  const legacyCommit = (n: number, sequence: number, id: string, kind: 'finding' | 'action', reference: string | null) => {
    const { reference: _none, ...index } = record(id, 1).index;
    const body: JsonValue = reference === null ? { id } : { id, reference };
    const batch = {
      tenantId: TENANT,
      writes: [{ record: { ...record(id, 1, { format: 1, [kind]: body }), kind, index }, expectedVersion: 0, events: [{ tenantId: TENANT, recordId: id, sequence: 1, entry: { type: 'RAISE', at: '2026-03-02T10:00:00Z' } }] }],
    };
    return encodeFrame(JSON.stringify({ n, type: 'commit', tenantSequence: sequence, batch }));
  };
  /** A contract-1 reference entry: no kind, so a finding's number. */
  const legacyReference = (n: number, reference: number) => encodeFrame(JSON.stringify({ n, type: 'reference', tenantId: TENANT, reference }));
  const writeJournal = (directory: string, frames: readonly Buffer[]) => writeFileSync(join(directory, JOURNAL_FILE), Buffer.concat([JOURNAL_HEADER_BYTES, ...frames]));

  it('opens it: each record takes the reference its document names, the old numbers were findings', async () => {
    const directory = tempDir();
    writeJournal(directory, [legacyReference(1, 1), legacyCommit(2, 1, 'f-1', 'finding', 'NC-2026-0001'), legacyCommit(3, 2, 'a-1', 'action', null)]);
    const store = await openStore(directory);
    const loaded = await store.load(TENANT, ['f-1', 'a-1']);
    expect(Object.fromEntries(loaded.map((r) => [r.id, r.index.reference]))).toEqual({ 'f-1': 'NC-2026-0001', 'a-1': null });
    expect([await store.nextReference(TENANT, 'finding'), await store.nextReference(TENANT, 'action')]).toEqual([2, 1]);
    // The reference is held from now on, and across a reopen.
    const twin = { tenantId: TENANT, writes: [{ record: { ...record('f-2', 1), index: { ...record('f-2', 1).index, reference: 'NC-2026-0001' } }, expectedVersion: 0, events: [{ tenantId: TENANT, recordId: 'f-2', sequence: 1, entry: { type: 'RAISE' } }] }] };
    await expect(store.commit(twin)).rejects.toBeInstanceOf(DuplicateReferenceError);
    await closeStore(store);
    const again = await openStore(directory);
    await expect(again.commit(twin)).rejects.toMatchObject({ code: 'CAPA_DUPLICATE_REFERENCE', duplicates: [{ reference: 'NC-2026-0001', recordIds: ['f-1', 'f-2'] }] });
    expect(await again.nextReference(TENANT, 'finding')).toBe(3);
  });

  it('refuses to open one that holds a reference twice, naming both records and where, and changes nothing', async () => {
    const directory = tempDir();
    writeJournal(directory, [legacyCommit(1, 1, 'f-1', 'finding', 'NC-2026-0006'), legacyCommit(2, 2, 'f-2', 'finding', 'NC-2026-0006')]);
    const before = readFileSync(join(directory, JOURNAL_FILE));
    for (const repair of ['refuse', 'truncate'] as const) {
      const error = await refusal(fileStore(directory, { repair }));
      expect(error).toBeInstanceOf(DuplicateReferenceError);
      expect(error).toMatchObject({ recordId: null, duplicates: [{ tenantId: TENANT, kind: 'finding', reference: 'NC-2026-0006', recordIds: ['f-1', 'f-2'] }] });
      expect((error as Error).message).toMatch(/journal entry 2 at byte \d+\).*Nothing was changed\.$/);
      expect(readFileSync(join(directory, JOURNAL_FILE))).toEqual(before);
      expect(readdirSync(directory).sort()).toEqual([JOURNAL_FILE]);
    }
  });
});
