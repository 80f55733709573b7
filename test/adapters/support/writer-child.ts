// A writer of the contention tests in a process of its own: opens two stores on the
// database it is told (SQLite: two connections to the file; PostgreSQL: two pools of its
// own), then runs the steps its parent sends over IPC and answers each with what happened.
// Bundled with esbuild by writers.ts and run as `node writer-child.mjs '<json config>'`.
//
// Parent → child: { type: 'raise', count } | { type: 'round', phase, round, findingId } | { type: 'exit' }
// Child → parent: { type: 'ready' } | { type: 'raised', raised, reports } | { type: 'round', reports } | { type: 'failed', message }
import { DatabaseSync } from 'node:sqlite';
import process from 'node:process';
import Database from 'better-sqlite3';
import { postgresStore } from '../../../src/adapters/postgres/index.js';
import { sqliteStore } from '../../../src/adapters/sqlite/index.js';
import type { CapaStore } from '../../../src/store/contract.js';
import { type Phase, writer } from './writer.js';

/** Where a child writes. */
export type WriterTarget =
  | { readonly kind: 'sqlite'; readonly driver: 'better-sqlite3' | 'node:sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly schema: string };

export interface WriterConfig {
  readonly name: string;
  readonly target: WriterTarget;
  /** The tenant written (default `acme`). */
  readonly tenant?: string;
}

export type ParentMessage =
  | { readonly type: 'raise'; readonly count: number }
  | { readonly type: 'round'; readonly phase: Phase; readonly round: number; readonly findingId: string }
  | { readonly type: 'exit' };

async function open(target: WriterTarget, impatient: boolean): Promise<CapaStore> {
  if (target.kind === 'postgres') {
    // A lock not granted within 1 ms is given up: a StoreBusyError.
    return postgresStore(target.url, { schema: target.schema, ...(impatient ? { lockTimeoutMs: 1 } : {}) });
  }
  const database = target.driver === 'better-sqlite3' ? new Database(target.path) : new DatabaseSync(target.path);
  return sqliteStore(database, { closeDatabase: true, ...(impatient ? { busyTimeoutMs: 0 } : {}) });
}

function send(message: unknown): void {
  process.send!(message);
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as WriterConfig;
  const self = writer(config.name, { patient: await open(config.target, false), impatient: await open(config.target, true) }, config.tenant);
  process.on('message', (message: ParentMessage) => {
    const handle = async () => {
      if (message.type === 'raise') send({ type: 'raised', ...(await self.raise(message.count)) });
      else if (message.type === 'round') send({ type: 'round', reports: await self.round(message.phase, message.round, message.findingId) });
      else {
        await self.close();
        process.disconnect();
      }
    };
    handle().catch((error: unknown) => send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
  });
  send({ type: 'ready' });
}

main().catch((error: unknown) => {
  process.stderr.write(`writer-child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
