import {
  closeSync,
  constants as fsConstants,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { isCapaError } from '../../errors/capa-error.js';
import { DuplicateReferenceError, StoreError, StoreMissingError } from '../../errors/store-errors.js';
import { type CapaStore, type CommitBatch, type CommitResult, STORE_CONTRACT_VERSION } from '../../store/contract.js';
import { checkReferenceKind, referenceInDocument } from '../../store/references.js';
import { MemoryState } from '../memory.js';
import {
  ChunkedReader,
  decodeEntry,
  encodeCommit,
  encodeReference,
  JOURNAL_HEADER,
  JOURNAL_HEADER_BYTES,
  type JournalEntry,
  readFrame,
} from './journal.js';
import { acquireLock, type HeldLock } from './lock.js';

/** The journal's file name in the store's directory. */
export const JOURNAL_FILE = 'capa.journal';

/**
 * How to open a file store: both options are for special cases; the defaults are safe.
 *
 * @example
 * ```ts
 * import { fileStore, type FileStoreOptions } from 'capa-kit/stores/file';
 *
 * // A throwaway store for a demo: faster commits, survives a crash of the process only.
 * const options: FileStoreOptions = { fsync: false };
 * const store = await fileStore('./demo-data', options);
 * ```
 */
export interface FileStoreOptions {
  /**
   * Flush every commit to the disk (`fdatasync`) before acknowledging it. Default `true`.
   * With `false`, an acknowledged commit survives the process crashing (it is in the
   * operating system's cache) but not the machine losing power.
   */
  readonly fsync?: boolean;
  /**
   * What to do when the journal is damaged before its last entry (a checksum mismatch, an
   * unreadable or out-of-order entry). `'refuse'` (default): do not open, and say where.
   * `'truncate'`: keep every entry before the damage, move the rest to a side file
   * (`capa.journal.damaged-<time>`) and open. A torn last entry (a crash in the middle of
   * an append) is always cut off: that entry was never acknowledged.
   */
  readonly repair?: 'refuse' | 'truncate';
  /**
   * Open only a store that is there, and create nothing: a missing directory, a directory
   * without `capa.journal`, or a journal whose creation never finished is refused with a
   * `StoreMissingError` (code `CAPA_STORE_MISSING`). Default `false`: the directory and
   * the journal are created when missing. Use it wherever a mistyped path must not become
   * a new, empty store (a report, an export, a check).
   */
  readonly mustExist?: boolean;
}

/**
 * What opening the store had to cut from the end of its journal: a torn last entry (a
 * crash in the middle of an append, never acknowledged), or damage cut off on request.
 *
 * @example
 * ```ts
 * import { fileStore } from 'capa-kit/stores/file';
 *
 * const store = await fileStore('./capa-data');
 * if (store.recovery !== null) {
 *   const { kind, entry, offset, reason } = store.recovery;
 *   console.warn(`journal ${kind}: entry ${entry} at byte ${offset} dropped (${reason})`);
 * }
 * ```
 */
export interface FileStoreRecovery {
  /** `torn-tail`: an append cut short by a crash; `repaired`: damage cut off by `repair: 'truncate'`. */
  readonly kind: 'torn-tail' | 'repaired';
  /** Byte offset in the journal where the cut was made. */
  readonly offset: number;
  /** The number of the first entry that was dropped (entries count from 1). */
  readonly entry: number;
  /** How many bytes were cut. */
  readonly droppedBytes: number;
  /** What was wrong at that position. */
  readonly reason: string;
  /** Where the dropped bytes were saved (`repaired` only), or `null`. */
  readonly savedTo: string | null;
}

/**
 * A file store: a `CapaStore`, plus where it lives and what opening it recovered.
 *
 * @example
 * ```ts
 * import { fileStore, type FileStore } from 'capa-kit/stores/file';
 *
 * const store: FileStore = await fileStore('./capa-data');
 * console.log(`journal at ${store.journalPath}`);
 * await store.close();
 * ```
 */
export interface FileStore extends CapaStore {
  /** The store's directory (absolute). */
  readonly directory: string;
  /** The journal's path. */
  readonly journalPath: string;
  /** What opening recovered from the end of the journal, or `null` when it was intact. */
  readonly recovery: FileStoreRecovery | null;
}

/**
 * Test-only hooks around each journal append, so a crash test can stop the process at an
 * exact point. `write` replaces the write itself (it may write part of the bytes).
 *
 * @internal
 */
export interface JournalHooks {
  write?(fd: number, bytes: Buffer, position: number, entry: number): void;
  afterWrite?(entry: number): void;
  afterSync?(entry: number): void;
}

const copy = <T>(value: T): T => structuredClone(value);

function writeAll(fd: number, bytes: Buffer, position: number): void {
  let written = 0;
  while (written < bytes.length) {
    written += writeSync(fd, bytes, written, bytes.length - written, position + written);
  }
}

/** Flushes a directory's entries (a new file's name) to the disk; not possible everywhere. */
function syncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(directory, fsConstants.O_RDONLY);
    fsyncSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Windows cannot open or flush a directory; some file systems refuse.
    if (process.platform !== 'win32' && code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM') throw error;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const position = (offset: number, entry: number) => `journal entry ${entry} at byte ${offset}`;

/** Refuses, before anything is touched, a directory that holds no file store (`mustExist`). */
function requireExisting(root: string, journalPath: string): void {
  const kind = (path: string): 'file' | 'directory' | 'other' | null => {
    try {
      const stat = statSync(path);
      return stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
      throw new StoreError(`Cannot open the file store in ${root}: ${(error as Error).message}`, root, { cause: error });
    }
  };
  const directory = kind(root);
  if (directory === null) throw new StoreMissingError(root, 'the directory does not exist');
  if (directory !== 'directory') throw new StoreMissingError(root, 'it is not a directory');
  if (kind(journalPath) !== 'file') throw new StoreMissingError(root, `the directory holds no ${JOURNAL_FILE}, so no file store`);
}

/**
 * Opens the journal, creating it when missing (unless `mustExist`), and checks its header;
 * returns the open fd.
 */
function openJournal(directory: string, path: string, sync: boolean, mustExist: boolean): number {
  let created = false;
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (mustExist) throw new StoreMissingError(directory, `the directory holds no ${JOURNAL_FILE}, so no file store`);
    fd = openSync(path, 'wx+');
    created = true;
  }
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, JOURNAL_HEADER_BYTES.length));
    if (head.length > 0) readSync(fd, head, 0, head.length, 0);
    const complete = size >= JOURNAL_HEADER_BYTES.length && head.equals(JOURNAL_HEADER_BYTES);
    if (!complete) {
      // Empty, or a header cut short while the journal was being created: write it again.
      if (!JOURNAL_HEADER_BYTES.subarray(0, head.length).equals(head) || size > JOURNAL_HEADER_BYTES.length) {
        const found = head.toString('utf8').split('\n')[0] ?? '';
        throw new StoreError(
          `${path} is not a capa-kit journal of a version this library reads (it starts with ${JSON.stringify(found.slice(0, 40))}, expected ${JSON.stringify(JOURNAL_HEADER.trim())})`,
          path,
        );
      }
      if (mustExist) throw new StoreMissingError(directory, `its ${JOURNAL_FILE} is empty: the store's creation never finished`);
      ftruncateSync(fd, 0);
      writeAll(fd, JOURNAL_HEADER_BYTES, 0);
      fsyncSync(fd);
      created = true;
    }
    if (created && sync) syncDirectory(directory);
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Copies the journal's bytes from `offset` to the end into a new file, flushed. */
function saveTail(reader: ChunkedReader, offset: number, target: string): void {
  const out = openSync(target, 'wx');
  try {
    let at = offset;
    while (at < reader.size) {
      const chunk = reader.bytes(at, 1 << 20);
      writeAll(out, chunk, at - offset);
      at += chunk.length;
    }
    fsyncSync(out);
  } finally {
    closeSync(out);
  }
}

interface Replayed {
  readonly state: MemoryState;
  readonly entries: number;
  readonly size: number;
  readonly recovery: FileStoreRecovery | null;
}

/**
 * Replays the journal into a fresh state. Stops at the first entry it cannot use: a torn
 * tail is cut off; damage before the end is refused, or cut off with `repair: 'truncate'`.
 */
function replay(fd: number, path: string, options: FileStoreOptions): Replayed {
  const reader = new ChunkedReader(fd, fstatSync(fd).size);
  const state = new MemoryState();
  let offset = JOURNAL_HEADER_BYTES.length;
  let entries = 0;
  let problem: string | null = null;
  while (offset < reader.size) {
    const number = entries + 1;
    const frame = readFrame(reader, offset);
    if ('problem' in frame) {
      problem = frame.problem;
      break;
    }
    try {
      const entry = decodeEntry(frame.payload);
      if (entry.n !== number) throw new Error(`it is numbered ${entry.n}`);
      replayEntry(state, entry);
    } catch (error) {
      // Not damage: two records the journal holds share a reference (written before references
      // were unique). Refused whole, never cut off by a repair.
      if (error instanceof DuplicateReferenceError) {
        throw new DuplicateReferenceError(error.duplicates, null, {
          detail: `The journal holds them (${path}: ${position(offset, number)}): this capa-kit refuses a reference held twice, so the store does not open. Nothing was changed.`,
        });
      }
      problem = error instanceof Error ? error.message : String(error);
      break;
    }
    entries = number;
    offset = frame.next;
  }
  if (problem === null) return { state, entries, size: offset, recovery: null };

  const entry = entries + 1;
  const droppedBytes = reader.size - offset;
  // An append cut short leaves no newline after its start: the newline is its last byte,
  // and every damaged region before the end still has the newlines of the entries after it.
  const torn = !reader.hasNewlineFrom(offset);
  let savedTo: string | null = null;
  if (!torn) {
    if (options.repair !== 'truncate') {
      throw new StoreError(
        `The journal is damaged: ${problem}. The ${entries} entries before it are intact; ` +
          `open with { repair: 'truncate' } to keep them and set the rest (${droppedBytes} bytes) aside`,
        `${path}: ${position(offset, entry)}`,
      );
    }
    savedTo = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    saveTail(reader, offset, savedTo);
  }
  ftruncateSync(fd, offset);
  fsyncSync(fd);
  return {
    state,
    entries,
    size: offset,
    recovery: { kind: torn ? 'torn-tail' : 'repaired', offset, entry, droppedBytes, reason: problem, savedTo },
  };
}

/**
 * A commit written for storage contract 1 has records without `index.reference`: they get
 * the reference their document names, as the SQL stores' migration 3 backfills it.
 */
function withReferences(batch: CommitBatch): CommitBatch {
  if (batch.writes.every((write) => write.record.index.reference !== undefined)) return batch;
  return {
    ...batch,
    writes: batch.writes.map((write) =>
      write.record.index.reference !== undefined
        ? write
        : { ...write, record: { ...write.record, index: { ...write.record.index, reference: referenceInDocument(write.record) } } },
    ),
  };
}

/** Applies one journal entry, checking that it follows from the entries before it. */
function replayEntry(state: MemoryState, entry: JournalEntry): void {
  if (entry.type === 'reference') {
    const kind = entry.kind ?? 'finding';
    const expected = state.tenant(entry.tenantId).referenceSequences[kind] + 1;
    if (entry.reference !== expected) throw new Error(`it hands out ${kind} reference ${entry.reference} where ${expected} was next`);
    state.nextReference(entry.tenantId, kind);
    return;
  }
  const batch = withReferences(entry.batch);
  try {
    state.check(batch);
  } catch (error) {
    if (error instanceof DuplicateReferenceError) throw error;
    throw new Error(`it does not follow from the entries before it: ${error instanceof Error ? error.message : String(error)}`);
  }
  const expected = state.tenant(batch.tenantId).tenantSequence + batch.writes.reduce((sum, write) => sum + write.events.length, 0);
  if (entry.tenantSequence !== expected) throw new Error(`it records tenant sequence ${entry.tenantSequence} where ${expected} was next`);
  state.apply(batch);
}

/**
 * Opens (creating when missing, unless `mustExist`) the file store in `directory`: takes
 * the lock, replays the journal, and returns the store. `hooks` are for crash tests only.
 *
 * @internal
 */
export function openFileStore(directory: string, options: FileStoreOptions = {}, hooks: JournalHooks = {}): FileStore {
  const sync = options.fsync ?? true;
  const root = resolve(directory);
  const journalPath = join(root, JOURNAL_FILE);
  const mustExist = options.mustExist === true;
  let lock: HeldLock;
  try {
    if (mustExist) requireExisting(root, journalPath);
    else mkdirSync(root, { recursive: true });
    lock = acquireLock(root);
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError(`Cannot open the file store in ${root}: ${(error as Error).message}`, root, { cause: error });
  }

  let fd: number;
  let replayed: Replayed;
  try {
    fd = openJournal(root, journalPath, sync, mustExist);
    try {
      replayed = replay(fd, journalPath, options);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  } catch (error) {
    lock.release();
    if (isCapaError(error)) throw error;
    throw new StoreError(`Cannot open the journal of the file store in ${root}: ${(error as Error).message}`, journalPath, { cause: error });
  }

  const { state } = replayed;
  let size = replayed.size;
  let entries = replayed.entries;
  let closed = false;
  /** Set when an append failed: the tail of the file is suspect, so no more writes. */
  let failure: StoreError | null = null;

  function usable(): void {
    if (closed) throw new StoreError('The file store is closed.', root);
  }

  function writable(): void {
    usable();
    if (failure !== null) throw failure;
  }

  /** Appends one entry and flushes it; on any error nothing is acknowledged and the store stops writing. */
  function append(bytes: Buffer, entry: number): void {
    try {
      if (hooks.write !== undefined) hooks.write(fd, bytes, size, entry);
      else writeAll(fd, bytes, size);
      hooks.afterWrite?.(entry);
      if (sync) fdatasyncSync(fd);
      hooks.afterSync?.(entry);
    } catch (cause) {
      // Cut back to the last acknowledged entry (best effort: replay cuts a torn tail anyway).
      try {
        ftruncateSync(fd, size);
      } catch {
        // the next open finds and cuts the torn tail
      }
      failure = new StoreError(
        `A journal append failed (${(cause as Error).message}); that write was not acknowledged. ` +
          `The store refuses further writes: close it and open it again.`,
        `${journalPath}: ${position(size, entry)}`,
        { cause },
      );
      throw failure;
    }
    size += bytes.length;
    entries = entry;
  }

  return {
    contractVersion: STORE_CONTRACT_VERSION,
    capabilities: { multiProcess: false, durable: true },
    directory: root,
    journalPath,
    recovery: replayed.recovery,

    async load(tenantId, ids) {
      usable();
      return copy(state.load(tenantId, ids));
    },

    async commit(batch: CommitBatch): Promise<CommitResult> {
      writable();
      state.check(batch);
      const data = state.tenant(batch.tenantId);
      const tenantSequence = data.tenantSequence + batch.writes.reduce((sum, write) => sum + write.events.length, 0);
      const batchJson = JSON.stringify(batch);
      const entry = entries + 1;
      append(encodeCommit(entry, tenantSequence, batchJson), entry);
      // Apply exactly what a replay will read back: the journal's JSON, which is also a copy.
      return state.apply(JSON.parse(batchJson) as CommitBatch);
    },

    async readEvents(tenantId, recordId, afterSequence) {
      usable();
      return copy(state.readEvents(tenantId, recordId, afterSequence));
    },

    async readTenantEvents(tenantId, afterTenantSequence, limit) {
      usable();
      return copy(state.readTenantEvents(tenantId, afterTenantSequence, limit));
    },

    async query(tenantId, request) {
      usable();
      return copy(state.query(tenantId, request));
    },

    async nextReference(tenantId, kind) {
      checkReferenceKind(kind);
      writable();
      const reference = state.tenant(tenantId).referenceSequences[kind] + 1;
      const entry = entries + 1;
      append(encodeReference(entry, tenantId, kind, reference), entry);
      return state.nextReference(tenantId, kind);
    },

    async idempotentResult(tenantId, key) {
      usable();
      return copy(state.idempotentResult(tenantId, key));
    },

    async close() {
      if (closed) return;
      closed = true;
      try {
        closeSync(fd);
      } finally {
        lock.release();
      }
    },
  };
}
