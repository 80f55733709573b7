// Record lines checked in worker threads, on Node. A record line's own checks (JSON.parse,
// the schema, RFC 8785 canonical JSON and SHA-256 of every entry, the replay through the
// lifecycle machine, the rules) need nothing from the lines before it, and are nearly all
// of validation's cost; the LogChecker keeps what does need them (order, duplicates,
// tenant sequences, the log head, links) and applies each line's result in line order.
// So the report is the same, issue for issue, with or without workers.
//
// The module stays platform-neutral: Node's worker_threads and os are reached through
// `process.getBuiltinModule` (Node 22.3+), never imported; elsewhere, or when anything
// about the workers fails (no module to load, a refused handshake, a crash), lines are
// checked on the calling thread, lines already sent included.
//
// A worker loads the package's own `capa-kit/log` entry (resolved from this module, so
// the same files), and this module, when it finds itself loaded in a worker started with
// its mark, serves record lines. Nothing else happens when the entry is loaded anywhere else.
import { GENERATOR } from '../format/generator.js';
import type { SourceLine } from '../read/source.js';
import type { LogChecker } from './checker.js';
import { type RecordContext, RecordChecker, type RecordStep } from './record-check.js';

/** The Node APIs used here, as far as they are used. */
export interface WorkerLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  terminate(): unknown;
}
interface PortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}
interface WorkerThreads {
  readonly isMainThread: boolean;
  readonly parentPort: PortLike | null;
  readonly workerData: unknown;
  readonly Worker: new (filename: string | URL, options: { workerData: unknown }) => WorkerLike;
}

const nodeProcess = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
const builtin = <T>(id: string): T | undefined => {
  try {
    return nodeProcess?.getBuiltinModule?.(id) as T | undefined;
  } catch {
    return undefined;
  }
};

const MARK = 'capa-kit/log-record-checker';
/** Bumped whenever the messages between the checker and its workers change. */
const PROTOCOL = 2;

export interface WorkerStart {
  readonly mark: typeof MARK;
  readonly protocol: number;
  readonly version: string;
  readonly context: RecordContext;
}
/** A batch of record lines: their numbers, and their texts joined by newlines (one string is cheaper to send than many). */
interface BatchMessage {
  readonly batch: number;
  readonly numbers: readonly number[];
  readonly text: string;
}
/**
 * A batch checked: each line's steps, or `null` for a line the worker does not check (not
 * a record line), as JSON (much cheaper to send than the objects: they are plain data).
 */
interface ResultMessage {
  readonly batch: number;
  readonly results?: string;
  /** The worker cannot serve this checker: it is another version of capa-kit (this one). */
  readonly refused?: string;
  /** The worker has loaded and serves (its first message). */
  readonly ready?: true;
}

// ------------------------------------------------------------------ the worker's side

/** Serves record lines on `port` under the context the checker started the worker with. */
function serve(port: PortLike, start: WorkerStart): void {
  if (start.protocol !== PROTOCOL || start.version !== GENERATOR.version) {
    port.postMessage({ batch: -1, refused: GENERATOR.version } satisfies ResultMessage);
    return;
  }
  const checker = new RecordChecker(start.context);
  port.on('message', (message) => {
    const { batch, numbers, text } = message as BatchMessage;
    const lines = text.split('\n');
    const results = numbers.map((number, i) => checker.checkText(number, lines[i]!)?.steps ?? null);
    port.postMessage({ batch, results: JSON.stringify(results) } satisfies ResultMessage);
  });
  port.postMessage({ batch: -1, ready: true } satisfies ResultMessage);
}

{
  const threads = builtin<WorkerThreads>('node:worker_threads');
  const data = threads !== undefined && !threads.isMainThread ? (threads.workerData as Partial<WorkerStart> | null) : null;
  if (data?.mark === MARK && threads?.parentPort != null) serve(threads.parentPort, data as WorkerStart);
}

// ------------------------------------------------------------------ the checker's side

/** How record lines are spread over worker threads (internal: the options and tests set it). */
export interface ParallelOptions {
  /** Worker threads; 0 checks every line on the calling thread. */
  readonly workers: number;
  /**
   * Record lines checked on the calling thread before workers are started (a small log
   * never starts them); lines go on being checked here until a worker has loaded.
   */
  readonly after: number;
  /** Starts a worker (tests); default: a Node worker thread running the `capa-kit/log` entry. */
  readonly spawn?: (workerData: WorkerStart) => WorkerLike;
  /** Record lines per message to a worker (tests). Default 64. */
  readonly batchLines?: number;
  /** Waits for the workers to load instead of checking lines here meanwhile (tests). */
  readonly waitForWorkers?: boolean;
}

/** Record lines checked on the calling thread before workers start (about 1 s of work): starting one costs about as much (loading the package, warming up its code), so a smaller log is checked faster without. */
export const PARALLEL_AFTER = 4000;
/** Lines per message to a worker, and the most text per message. */
const BATCH_LINES = 64;
const BATCH_CHARS = 1 << 19;
/** Batches a worker may hold at once (so reading never runs far ahead of checking). */
const BATCHES_PER_WORKER = 4;

/** Worker threads by default: one per core, at most 4; none on one core (or off Node). */
export function defaultWorkers(): number {
  const cores = builtin<WorkerThreads>('node:worker_threads') && builtin<{ availableParallelism(): number }>('node:os')?.availableParallelism();
  return !cores || cores < 2 ? 0 : Math.min(cores, 4);
}

/** Where the worker finds this package's log entry: the same files this module came from. */
function logEntry(): string | URL | null {
  try {
    // CommonJS (dist/log.cjs): the package resolves itself by name.
    if (typeof require === 'function' && typeof require.resolve === 'function') return require.resolve('capa-kit/log');
  } catch {
    // not CommonJS, or not resolvable
  }
  try {
    const resolve = (import.meta as { resolve?: (specifier: string) => string }).resolve;
    if (typeof resolve === 'function') return new URL(resolve('capa-kit/log'));
  } catch {
    // not resolvable (a bundle without the package installed)
  }
  return null;
}

function nodeSpawn(): ((workerData: WorkerStart) => WorkerLike) | null {
  const threads = builtin<WorkerThreads>('node:worker_threads');
  if (threads === undefined) return null;
  const entry = logEntry();
  if (entry === null) return null;
  return (workerData) => new threads.Worker(entry, { workerData });
}

interface Batch {
  readonly id: number;
  readonly lines: SourceLine[];
  readonly worker: Handle;
  /** The worker's answer (JSON of each line's steps or `null`), until applied. */
  results: string | null;
  /** Its worker failed: its lines are checked here. */
  failed: boolean;
}
interface Handle {
  readonly worker: WorkerLike;
  readonly inFlight: Map<number, Batch>;
  alive: boolean;
  /** It has loaded: batches sent now are checked at once. */
  ready: boolean;
}
type Slot = { readonly line: SourceLine } | Batch;

/** Would a worker check this line? Only record lines (the exporter's, or any that start like them) after line 1. */
function isRecordText(line: SourceLine): line is Extract<SourceLine, { kind: 'text' }> {
  return line.kind === 'text' && line.number > 1 && (line.text.startsWith('{"type":"finding"') || line.text.startsWith('{"type":"action"'));
}

/**
 * Feeds `lines` to `checker`, record lines through worker threads once `after` record
 * lines have been checked here. The checker sees every line in order, as `line()` would.
 */
export async function checkInParallel(lines: AsyncIterable<SourceLine>, checker: LogChecker, options: ParallelOptions): Promise<void> {
  const batchLines = options.batchLines ?? BATCH_LINES;
  let workers: Handle[] | null = null;
  let disabled = options.workers < 1;
  let recordLines = 0;
  let nextBatch = 0;
  const queue: Slot[] = [];
  let head = 0;
  let open: SourceLine[] = [];
  let openChars = 0;
  let wake: (() => void) | null = null;
  const signal = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  const next = () => new Promise<void>((resolve) => (wake = resolve));

  const fail = (handle: Handle) => {
    if (!handle.alive) return;
    handle.alive = false;
    disabled = true;
    for (const batch of handle.inFlight.values()) batch.failed = true;
    handle.inFlight.clear();
    signal();
  };

  const start = (): Handle[] => {
    const data: WorkerStart = { mark: MARK, protocol: PROTOCOL, version: GENERATOR.version, context: checker.recordContext };
    const spawn = options.spawn ?? nodeSpawn();
    const handles: Handle[] = [];
    for (let i = 0; spawn !== null && i < options.workers; i++) {
      let worker: WorkerLike;
      try {
        worker = spawn(data);
      } catch {
        break;
      }
      const handle: Handle = { worker, inFlight: new Map(), alive: true, ready: false };
      worker.on('message', (message) => {
        const { batch: id, results, refused, ready } = (message ?? {}) as ResultMessage;
        if (ready === true) {
          handle.ready = true;
          signal();
          return;
        }
        const batch = handle.inFlight.get(id);
        if (refused !== undefined || typeof results !== 'string' || batch === undefined) return fail(handle);
        handle.inFlight.delete(id);
        batch.results = results;
        signal();
      });
      worker.on('error', () => fail(handle));
      worker.on('exit', () => fail(handle));
      handles.push(handle);
    }
    if (handles.length === 0) disabled = true;
    return handles;
  };

  /** Applies every slot at the head of the queue that is ready, in order. */
  const drain = () => {
    while (head < queue.length) {
      const slot = queue[head]!;
      if ('line' in slot) {
        checker.line(slot.line);
      } else if (slot.failed) {
        for (const line of slot.lines) checker.line(line);
      } else if (slot.results !== null) {
        let results: (RecordStep[] | null)[];
        try {
          results = JSON.parse(slot.results) as (RecordStep[] | null)[];
        } catch {
          results = [];
        }
        for (let i = 0; i < slot.lines.length; i++) {
          const steps = results[i];
          const line = slot.lines[i]!;
          if (steps == null) checker.line(line);
          else checker.recordLine(line as Extract<SourceLine, { kind: 'text' }>, { steps, id: null, values: null });
        }
      } else {
        break;
      }
      queue[head] = undefined as unknown as Slot;
      head += 1;
    }
    if (head > 1024 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
  };

  /** Sends the open batch to the least busy worker, waiting for room; while none has loaded, its lines are checked here. */
  const dispatch = async () => {
    const lines = open;
    open = [];
    openChars = 0;
    for (;;) {
      const loaded = workers?.filter((handle) => handle.alive && handle.ready) ?? [];
      if (disabled || (loaded.length === 0 && options.waitForWorkers !== true)) {
        for (const line of lines) queue.push({ line });
        return;
      }
      let best: Handle | null = null;
      for (const handle of loaded) if (best === null || handle.inFlight.size < best.inFlight.size) best = handle;
      if (best !== null && best.inFlight.size < BATCHES_PER_WORKER) {
        const batch: Batch = { id: nextBatch++, lines, worker: best, results: null, failed: false };
        try {
          const texts = lines as Extract<SourceLine, { kind: 'text' }>[];
          best.worker.postMessage({ batch: batch.id, numbers: texts.map((line) => line.number), text: texts.map((line) => line.text).join('\n') } satisfies BatchMessage);
        } catch {
          fail(best);
          continue;
        }
        best.inFlight.set(batch.id, batch);
        queue.push(batch);
        return;
      }
      const waiting = next();
      drain();
      await waiting;
      drain();
    }
  };

  // While the workers load, lines are checked here; a turn of the event loop now and then
  // lets their "ready" in (a source in memory is read without one).
  let loading = 0;
  const turn = () => new Promise<void>((resolve) => (globalThis.setImmediate ?? setTimeout)(resolve));
  try {
    for await (const line of lines) {
      const record = isRecordText(line);
      if (workers === null && !disabled && record && recordLines >= options.after && !checker.isStopped) {
        workers = start();
      }
      if (record) recordLines += 1;
      if (record && workers !== null && !disabled && ++loading >= batchLines && !workers.some((handle) => handle.ready)) {
        loading = 0;
        await turn();
      }
      if (record && workers !== null && !disabled) {
        open.push(line);
        openChars += line.text.length;
        if (open.length >= batchLines || openChars >= BATCH_CHARS) await dispatch();
        drain();
        continue;
      }
      if (open.length > 0) await dispatch();
      if (head === queue.length) checker.line(line);
      else queue.push({ line });
      drain();
    }
    if (open.length > 0) await dispatch();
    for (drain(); head < queue.length; drain()) {
      const waiting = next();
      drain();
      if (head === queue.length) break;
      await waiting;
    }
  } finally {
    for (const handle of workers ?? []) {
      handle.alive = false;
      try {
        void handle.worker.terminate();
      } catch {
        // already gone
      }
    }
  }
}
