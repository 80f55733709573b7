// Record lines checked in worker threads give the very report the calling thread gives:
// the same issues, in the same order, the same summary and head, for valid logs and broken
// ones alike; and when the workers fail (cannot start, refuse, crash mid-way), the lines
// they held are checked on the calling thread instead.
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { validateLog } from '../../../src/log/index.js';
import { checkerOptions, checkLog } from '../../../src/log/validate/validate-log.js';
import type { ParallelOptions } from '../../../src/log/validate/parallel.js';
import { exportText, lineIndexOf, linesOf, mutate, reseal, richHistory, textOf } from '../fixtures.js';

const base = (async () => {
  const story = await richHistory();
  const text = await exportText(story.h.store);
  return { ...story, text, now: story.h.now(), head: await story.register.logHead() };
})();

type Spawn = NonNullable<ParallelOptions['spawn']>;

/** Record lines the workers checked (so a test knows they did). */
let checkedByWorkers = 0;
const count = (data: unknown) => {
  const { results } = data as { results?: string };
  for (const steps of results === undefined ? [] : (JSON.parse(results) as unknown[])) if (steps !== null) checkedByWorkers += 1;
};

/** A real worker thread, loading the log entry from source (through tsx, as the tests run it). */
const realWorker: Spawn = (workerData) => {
  const worker = new Worker(new URL('../../../src/log/index.ts', import.meta.url), { workerData, execArgv: ['--import', 'tsx'] });
  worker.on('message', count);
  return worker as never;
};

/** A worker that checks record lines on this thread, asynchronously, and can be made to fail. */
function fakeWorker(options: { failAfter?: number; refuse?: boolean; throwOnSpawn?: boolean } = {}): Spawn {
  return (workerData) => {
    if (options.throwOnSpawn === true) throw new Error('no threads here');
    const events = new EventEmitter();
    let batches = 0;
    // The worker side, in this thread: the same module's serving code, through a message port pair.
    const { port1, port2 } = new MessageChannel();
    void import('../../../src/log/validate/record-check.js').then(({ RecordChecker }) => {
      const checker = new RecordChecker(workerData.context);
      port2.onmessage = ({ data }) => {
        const { batch, numbers, text } = data as { batch: number; numbers: number[]; text: string };
        const lines = text.split('\n');
        port2.postMessage({ batch, results: JSON.stringify(numbers.map((number, i) => checker.checkText(number, lines[i]!)?.steps ?? null)) });
      };
      port2.postMessage({ batch: -1, ready: true });
    });
    port1.onmessage = ({ data }) => {
      count(data);
      events.emit('message', data);
    };
    if (options.refuse === true) setTimeout(() => events.emit('message', { batch: -1, refused: 'another version' }), 1);
    return {
      postMessage(message: unknown) {
        batches += 1;
        if (options.failAfter !== undefined && batches > options.failAfter) {
          setTimeout(() => events.emit('error', new Error('worker crashed')), 1);
          return;
        }
        port1.postMessage(message);
      },
      // biome-ignore lint: any listener
      on(event: string, listener: (...args: any[]) => void) {
        events.on(event, listener);
        return this;
      },
      terminate() {
        port1.close();
        port2.close();
      },
    } as never;
  };
}

const options = async (extra: object = {}) => ({ asOf: (await base).now, ...extra });

async function both(text: string, spawn: Spawn, extra: object = {}, workers = 2, waitForWorkers = false) {
  const sequential = await validateLog(text, { ...(await options(extra)), workers: 0 });
  // Chunks of a few lines each, so lines arrive over many reads, as from a file.
  const chunks = text.match(/[^]{1,700}/g) ?? [];
  const parallel = await checkLog(chunks, checkerOptions(await options(extra), undefined, { workers, after: 0, spawn, batchLines: 2, waitForWorkers }));
  return { sequential, parallel };
}

const BROKEN: Record<string, () => Promise<string>> = {
  valid: async () => (await base).text,
  'tampered payload, reordered lines, a duplicate, junk lines': async () => {
    const { text, ids } = await base;
    let changed = mutate(text, ids.closed, (line) => {
      line.history[2].entry.payload = { ...line.history[2].entry.payload, tampered: true };
    });
    const lines = changed.trimEnd().split('\n');
    const a = lines[3]!;
    lines[3] = lines[4]!;
    lines[4] = a;
    lines.splice(6, 0, lines[6]!, '', 'not json', '{"type":"finding",', '{"type":"action","type":"end"}', '[1,2]', '{"type":"what"}');
    changed = `${lines.join('\n')}\n`;
    return changed;
  },
  'wrong tenant, wrong kind, sequences, signature, replay and record mismatches': async () => {
    const { text, ids } = await base;
    let changed = mutate(text, ids.shared, (line) => {
      line.finding.status = 'verifying';
      line.history[1].tenantSequence = line.history[0].tenantSequence;
    });
    changed = mutate(changed, ids.closed, (line) => {
      line.history[0].entry.tenantId = 'other';
      line.history[1].entry.recordKind = 'action';
      reseal(line.history, 0, { rebind: false });
    });
    changed = mutate(changed, ids.sharedAction, (line) => {
      line.action.owner = null;
      line.action.description = 'Edited';
    });
    changed = mutate(changed, ids.monitored, (line) => {
      line.history[0].entry.payload = { deep: JSON.parse(`${'['.repeat(80)}${']'.repeat(80)}`) };
    });
    changed = mutate(changed, ids.recurred, (line) => {
      line.finding.correctiveActionIds.push('no-such-action');
      line.history.splice(3, 1);
    });
    changed = mutate(changed, ids.sharing, (line) => {
      line.history[4].entry.prevHash = line.history[2].entry.hash;
    });
    return changed;
  },
  'lone surrogate, forbidden key, empty history, no trailer': async () => {
    const { text, ids } = await base;
    let changed = mutate(text, ids.rejected, (line) => {
      line.history[0].entry.reason = 'x\uD800y';
    });
    changed = mutate(changed, ids.recurred, (line) => {
      line.finding.extensions = JSON.parse('{"x-a":{"__proto__":1}}');
    });
    changed = mutate(changed, ids.replacementAction, (line) => void (line.history = []));
    const lines = linesOf(changed);
    lines.pop();
    return textOf(lines);
  },
  'a BOM, CR LF line ends, no final newline, prototype keys in a record and the trailer, an edit': async () => {
    const { text, ids } = await base;
    const lines = text.trimEnd().split('\n');
    const index = lineIndexOf(linesOf(text), ids.closed);
    lines[index] = lines[index]!.replace('"finding":{', '"finding":{"__proto__":{"polluted":true},');
    lines[lines.length - 1] = lines.at(-1)!.replace('{', '{"constructor":{"prototype":1},');
    const edited = lineIndexOf(linesOf(text), ids.monitored);
    lines[edited] = lines[edited]!.replace('Look again at the next audit.', 'Edited after it was sealed.');
    return `\uFEFF${lines.join('\r\n')}`;
  },
  'records after the trailer, a second header, a dangling link': async () => {
    const { text, ids } = await base;
    const lines = linesOf(text);
    const moved = lines.splice(lineIndexOf(lines, ids.sharedAction), 1)[0]!;
    lines.push(moved, lines[0]!);
    return textOf(lines);
  },
};

describe('validateLog with worker threads', () => {
  it.each(Object.keys(BROKEN))('reports the same as without them: %s (fake workers)', async (name) => {
    const text = await BROKEN[name]!();
    const { head } = await base;
    const later = { asOf: '2031-01-01T00:00:00Z' };
    for (const extra of [{}, { trustedHead: head }, { trustedHead: { ...head, tenantSequence: head.tenantSequence - 7 } }, { maxIssues: 3 }, later]) {
      checkedByWorkers = 0;
      const { sequential, parallel } = await both(text, fakeWorker(), extra);
      expect(parallel).toEqual(sequential);
      expect(checkedByWorkers).toBeGreaterThan(5);
      if (name === 'valid' && Object.keys(extra).length === 0) expect(sequential.ok).toBe(true);
      if (name !== 'valid') expect(sequential.summary.errors).toBeGreaterThan(3);
    }
  });

  it('reports the same with real worker threads', { timeout: 60_000 }, async () => {
    for (const name of Object.keys(BROKEN)) {
      checkedByWorkers = 0;
      const text = await BROKEN[name]!();
      const { sequential, parallel } = await both(text, realWorker, {}, 2, true);
      expect(parallel, name).toEqual(sequential);
      expect(checkedByWorkers, name).toBeGreaterThan(5);
    }
  });

  it.each([
    ['a worker that cannot start', { throwOnSpawn: true }],
    ['a worker of another version', { refuse: true }],
    ['a worker that crashes mid-way', { failAfter: 2 }],
    ['a worker that crashes at once', { failAfter: 0 }],
  ] as const)('checks the lines itself after %s', async (_name, failure) => {
    for (const name of Object.keys(BROKEN)) {
      const text = await BROKEN[name]!();
      const { sequential, parallel } = await both(text, fakeWorker(failure));
      expect(parallel, name).toEqual(sequential);
    }
  });

  it('reports the same with the default workers, whatever they can load here', { timeout: 60_000 }, async () => {
    // Run from source by vitest, a worker cannot load the TypeScript entry (or finds a build
    // of another version, and refuses): either way the lines end up checked, once.
    for (const name of Object.keys(BROKEN)) {
      const text = await BROKEN[name]!();
      const sequential = await validateLog(text, { ...(await options()), workers: 0 });
      const parallel = await checkLog(text.match(/[^]{1,700}/g) ?? [], checkerOptions(await options(), undefined, { workers: 2, after: 0, batchLines: 2 }));
      expect(parallel, name).toEqual(sequential);
    }
  });

  it('refuses a workers option that is not a count', async () => {
    await expect(validateLog('', { ...(await options()), workers: -1 })).rejects.toThrow(RangeError);
    await expect(validateLog('', { ...(await options()), workers: 1.5 })).rejects.toThrow(RangeError);
  });
});

it('covers many issue codes (the cases above are not trivial)', async () => {
  const codes = new Set<string>();
  for (const name of Object.keys(BROKEN)) {
    const report = await validateLog(await BROKEN[name]!(), { ...(await options()), workers: 0 });
    for (const code of Object.keys(report.summary.byCode)) codes.add(code);
  }
  expect([...codes].sort()).toMatchInlineSnapshot(`
    [
      "action-without-owner",
      "blank-line",
      "chain-broken",
      "dangling-link",
      "duplicate-record",
      "forbidden-key",
      "hash-mismatch",
      "head-mismatch",
      "history-empty",
      "line-format",
      "line-not-json",
      "line-order",
      "line-too-deep",
      "record-mismatch",
      "record-order",
      "replay-refused",
      "replay-status",
      "schema",
      "sequence-gap",
      "signature-binding",
      "tenant-sequence",
      "tenant-sequence-gap",
      "trailer-counts",
      "truncated",
      "wrong-kind",
      "wrong-tenant",
    ]
  `);
});
