/**
 * The file store: a durable, single-process CAPA store in a directory, for the demo, the
 * CLI and small deployments. Every commit is one checksummed line appended to
 * `capa.journal` and flushed to the disk before it is acknowledged; opening the store
 * replays the journal into memory, and every read is answered from memory.
 *
 * Files in the directory:
 * - `capa.journal`: the header line `capa-kit journal 1`, then one entry per line,
 *   `<length> <checksum> <payload>`: `length` is the payload's size in bytes, `checksum`
 *   the first 16 hex digits of its SHA-256, `payload` a JSON object numbered `n` from 1:
 *   a commit (the whole batch, with its idempotency key and the tenant sequence it
 *   reached) or a reference handed out by `nextReference`.
 * - `capa.lock`: the writer's pid, host, start time and a random token.
 *
 * @example
 * ```ts
 * import { fileStore } from 'capa-kit/stores/file';
 *
 * const store = await fileStore('./capa-data');
 * ```
 *
 * @packageDocumentation
 * @module capa-kit/stores/file
 */
import { type FileStore, type FileStoreOptions, type FileStoreRecovery, openFileStore } from './store.js';

export type { FileStore, FileStoreOptions, FileStoreRecovery };

/**
 * Opens the file store in `directory` (created when missing, unless `mustExist`): takes
 * the directory's lock, replays the journal, and resolves to the store. Close it to
 * release the lock.
 *
 * - **Only what exists** (`mustExist: true`): only a store that is there is opened, and
 *   nothing is created; a missing directory or one without `capa.journal` is refused with
 *   a `StoreMissingError` (code `CAPA_STORE_MISSING`), so a mistyped path never becomes a
 *   new, empty store. The lock file is still taken while the store is open, and removed
 *   when it is closed.
 *
 * - **Durable**: a commit (or a reference from `nextReference`) is acknowledged only once
 *   its journal entry is written and flushed (`fdatasync`; the directory is flushed when
 *   the journal is created). It is checked against the versions in memory first, so a
 *   `ConcurrencyError` writes nothing. An append that fails is cut back and the store
 *   refuses further writes with a `StoreError` until it is reopened; reads go on.
 * - **One writer**: a second store on the same directory, in this process or another,
 *   is refused with a `StoreError` naming the holder (`locked by process 1234 since …`).
 *   A lock whose process is gone (killed, or from before a reboot) is recovered; a live
 *   holder is never overridden.
 * - **Crash recovery**: a torn last entry (the process or machine stopped in the middle
 *   of an append, so it was never acknowledged) is cut off, and the store opens with
 *   everything before it (see `store.recovery`). Damage before the end (a checksum
 *   mismatch, an unreadable or out-of-order entry) is refused with a `StoreError` naming
 *   the entry number and byte offset, unless `repair: 'truncate'` is passed: everything
 *   before the damage is kept and the rest is saved to a side file.
 *
 * Commits cost O(batch): one append and one flush. Calls are synchronous underneath (the
 * flush blocks the event loop for its duration, about a millisecond on an SSD).
 *
 * @param directory - Where the store lives; created when missing, unless `mustExist`.
 * @param options - `fsync` (default `true`), `repair` (default `'refuse'`) and `mustExist` (default `false`).
 * @returns The open store: `capabilities` is `{ multiProcess: false, durable: true }`.
 * @throws StoreError when the directory is locked by a live process, or the journal is damaged.
 * @throws StoreMissingError with `mustExist` when there is no store in the directory.
 *
 * @example
 * ```ts
 * import { iso27001 } from 'capa-kit';
 * import { createCapaRegister } from 'capa-kit/register';
 * import { fileStore } from 'capa-kit/stores/file';
 *
 * const store = await fileStore('./capa-data');
 * try {
 *   const register = createCapaRegister({ store, policy: iso27001, tenant: 'acme' });
 *   const open = await register.query({ open: true });
 *   console.log(`${open.findings.length} open findings`);
 * } finally {
 *   await store.close();
 * }
 *
 * // Read only what is there: a mistyped path is an error, not a new empty store.
 * const existing = await fileStore('./capa-data', { mustExist: true });
 * await existing.close();
 * ```
 */
export async function fileStore(directory: string, options: FileStoreOptions = {}): Promise<FileStore> {
  return openFileStore(directory, options);
}
