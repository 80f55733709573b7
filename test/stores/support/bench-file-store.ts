// Quick throughput check of the file store: commits/s with fsync on and off (raw commits of
// one ~3 kB record and one event each, like a register command), nextReference/s, and how
// fast a journal replays on open. Run: npx tsx test/stores/support/bench-file-store.ts
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommitBatch, StoredRecord } from '../../../src/store/contract.js';
import { fileStore } from '../../../src/stores/file/index.js';
import { memoryStore } from '../../../src/stores/memory.js';

const TENANT = 'acme';
const document = { finding: { description: 'x'.repeat(2600), title: 'Leavers kept active accounts' } };

function batch(i: number): CommitBatch {
  const id = `f-${i}`;
  const record: StoredRecord = {
    kind: 'finding',
    id,
    tenantId: TENANT,
    version: 1,
    head: 'a'.repeat(64),
    index: {
      reference: `NC-${id}`, status: 'reported', open: true, grade: 'minor', source: 'internal-audit', ownerId: 'u-9',
      requirement: 'ISO/IEC 27001:2022 A.5.18', causeCategory: null, dueDate: '2027-03-02',
      raisedAt: '2026-03-02T10:00:00Z', lastActivityAt: '2026-03-02T10:00:00Z', text: `${id} leavers`,
    },
    document,
  };
  return { tenantId: TENANT, writes: [{ record, expectedVersion: 0, events: [{ tenantId: TENANT, recordId: id, sequence: 1, entry: { type: 'RAISE', hash: 'b'.repeat(64) } }] }] };
}

async function run(label: string, count: number, open: (dir: string) => Promise<import('../../../src/store/contract.js').CapaStore>) {
  const dir = mkdtempSync(join(tmpdir(), 'capa-bench-file-'));
  const store = await open(dir);
  const batches = Array.from({ length: count }, (_, i) => batch(i));
  const t0 = performance.now();
  for (const b of batches) await store.commit(b);
  const ms = performance.now() - t0;
  const t1 = performance.now();
  const refs = Math.min(count, 1000);
  for (let i = 0; i < refs; i += 1) await store.nextReference(TENANT, 'finding');
  const refMs = performance.now() - t1;
  await store.close();
  let replay = '';
  try {
    const size = statSync(join(dir, 'capa.journal')).size;
    const t2 = performance.now();
    const again = await fileStore(dir);
    const openMs = performance.now() - t2;
    await again.close();
    replay = `; reopen replays ${count + refs} entries (${(size / 1e6).toFixed(1)} MB) in ${openMs.toFixed(0)} ms (${Math.round(((count + refs) / openMs) * 1000)} entries/s)`;
  } catch {
    // memory store: nothing to replay
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `${label}: ${count} commits in ${ms.toFixed(0)} ms = ${Math.round((count / ms) * 1000)} commits/s (${((ms / count) * 1000).toFixed(0)} µs each); ` +
      `nextReference ${Math.round((refs / refMs) * 1000)}/s${replay}`,
  );
}

await run('memoryStore (baseline)', 20_000, async () => memoryStore());
await run('fileStore fsync off', 20_000, (dir) => fileStore(dir, { fsync: false }));
await run('fileStore fsync on', 2_000, (dir) => fileStore(dir));
