import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { StoreError } from '../../errors/store-errors.js';

// The single-writer lock of a file store: `capa.lock` in the store's directory, holding
// who took it. It is created atomically with its content (written to a private file, then
// hard-linked to `capa.lock`, which fails if the name exists), so a reader never sees a
// half-written lock from a live process.
//
// A lock whose holder is gone is recovered; a lock whose holder may be alive never is:
// - another host (a shared network directory): we cannot ask, so it counts as alive;
// - another boot of this machine (Linux boot id differs): gone;
// - a pid that does not exist (`process.kill(pid, 0)` throws ESRCH): gone;
// - a pid that exists but started at another time than the holder (Linux /proc start
//   time): the pid was reused, the holder is gone. Without /proc, an existing pid counts
//   as alive, and the error says how to clear the lock by hand.

/** The lock file's name in the store's directory. */
export const LOCK_FILE = 'capa.lock';

/** What `capa.lock` holds. */
export interface LockHolder {
  readonly pid: number;
  /** A random token naming this acquisition: only its taker removes the lock. */
  readonly token: string;
  /** When the lock was taken (ISO 8601). */
  readonly since: string;
  readonly host: string;
  /** Linux boot id, or null elsewhere. */
  readonly bootId: string | null;
  /** The holder's start time in clock ticks since boot (Linux /proc), or null elsewhere. */
  readonly startTime: string | null;
}

/** A lock this process holds. */
export interface HeldLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** Removes the lock if it is still ours. Never throws. */
  release(): void;
}

function readOptional(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

const currentBootId = (): string | null => readOptional('/proc/sys/kernel/random/boot_id')?.trim() || null;

/** A process's start time (field 22 of /proc/<pid>/stat), or null when unknown. */
function processStartTime(pid: number): string | null {
  const stat = readOptional(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // The command name (field 2) is in parentheses and may contain spaces: count after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null;
}

function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && Number.isInteger(value.pid) && value.pid > 0 && typeof value.token === 'string') {
      return {
        pid: value.pid,
        token: value.token,
        since: typeof value.since === 'string' ? value.since : 'an unknown time',
        host: typeof value.host === 'string' ? value.host : '',
        bootId: typeof value.bootId === 'string' ? value.bootId : null,
        startTime: typeof value.startTime === 'string' ? value.startTime : null,
      };
    }
  } catch {
    // fall through
  }
  return null;
}

/** The holder in a lock file: `missing` when there is none, `unreadable` when it is not a lock we wrote. */
function readHolder(path: string): LockHolder | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  return parseHolder(text) ?? 'unreadable';
}

/** Is the process that took this lock gone for sure? */
export function holderIsGone(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  const bootId = currentBootId();
  if (holder.bootId !== null && bootId !== null && holder.bootId !== bootId) return true;
  if (holder.pid === process.pid) {
    // Our own pid: this very process (another store in it), or an earlier process that had
    // the same pid (a container restarted). Only the start time tells them apart.
    const ours = processStartTime(process.pid);
    return holder.startTime !== null && ours !== null && holder.startTime !== ours;
  }
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
    // EPERM: the pid exists (another user's process).
  }
  const started = processStartTime(holder.pid);
  return holder.startTime !== null && started !== null && started !== holder.startTime;
}

function lockedError(directory: string, path: string, holder: LockHolder): StoreError {
  const here = holder.host === hostname();
  const message =
    here && holder.pid === process.pid
      ? `The file store in ${directory} is locked by this process (${holder.pid}) since ${holder.since}: another store on this directory is still open. Close it first.`
      : `The file store in ${directory} is locked by process ${holder.pid}${here ? '' : ` on host ${holder.host}`} since ${holder.since}, which is still running` +
        `${here ? '' : ' (or cannot be checked from here)'}. A file store has one writer at a time: close the other store or stop that process ` +
        `(a lock left by a process that is gone is recovered automatically).`;
  return new StoreError(message, path);
}

/**
 * Takes the lock of the store in `directory`, recovering it from a holder that is gone;
 * throws a `StoreError` naming the holder when it is alive.
 */
export function acquireLock(directory: string): HeldLock {
  const path = join(directory, LOCK_FILE);
  const holder: LockHolder = {
    pid: process.pid,
    token: randomBytes(12).toString('hex'),
    since: new Date().toISOString(),
    host: hostname(),
    bootId: currentBootId(),
    startTime: processStartTime(process.pid),
  };
  const content = `${JSON.stringify(holder)}\n`;
  const draft = join(directory, `${LOCK_FILE}.${holder.token}.tmp`);
  writeFileSync(draft, content, { flag: 'wx' });
  try {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      if (tryCreate(draft, path, content)) return held(path, holder);
      const current = readHolder(path);
      if (current === 'missing') continue;
      if (current === 'unreadable') {
        throw new StoreError(
          `The file store in ${directory} has a lock file that is not a capa-kit lock, or is still being written. ` +
            `If no process is using the store, delete ${LOCK_FILE}.`,
          path,
        );
      }
      if (!holderIsGone(current)) throw lockedError(directory, path, current);
      removeStale(directory, path, current, holder.token);
    }
    throw new StoreError(`The lock of the file store in ${directory} kept changing hands; try again.`, path);
  } finally {
    try {
      unlinkSync(draft);
    } catch {
      // already gone
    }
  }
}

/** Creates `capa.lock` from the draft, atomically; false when it exists. */
function tryCreate(draft: string, path: string, content: string): boolean {
  try {
    linkSync(draft, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw error;
  }
  // No hard links on this file system: exclusive create, then write (a reader may see it
  // empty for a moment, and then refuses rather than recovers it).
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes a lock whose holder is gone. Renames it aside first and checks that what it moved
 * is the lock it judged: if another opener recovered it and took the lock in between, that
 * live lock is put back and this opener gives up.
 */
function removeStale(directory: string, path: string, stale: LockHolder, token: string): void {
  const aside = join(directory, `${LOCK_FILE}.${token}.stale`);
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = readHolder(aside);
  if (typeof moved === 'object' && moved.token !== stale.token) {
    try {
      linkSync(aside, path);
    } catch {
      // someone else holds it now; either way it is not ours
    }
    unlinkSync(aside);
    throw lockedError(directory, path, moved);
  }
  unlinkSync(aside);
}

function held(path: string, holder: LockHolder): HeldLock {
  let released = false;
  return {
    path,
    holder,
    release() {
      if (released) return;
      released = true;
      try {
        const current = readHolder(path);
        if (typeof current === 'object' && current.token === holder.token) unlinkSync(path);
      } catch {
        // nothing more to do: a lock that cannot be removed is recovered by the next opener
      }
    },
  };
}
