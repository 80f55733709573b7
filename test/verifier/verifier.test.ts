// The second, independent verifier (test/verifier/verify.py: Python 3, standard library
// only, written from docs/verification.md) checks checkpoints and proofs the library makes,
// and refuses each kind of tampering. Needs python3: skipped without it, failed under CI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { type Checkpoint } from '../../src/proofs/checkpoint/body.js';
import { signCheckpoint } from '../../src/proofs/checkpoint/checkpoint.js';
import { type EntryProof, encodePath, type TipProof } from '../../src/proofs/checkpoint/proofs.js';
import { generateNoteKeys, signerFromNoteKey } from '../../src/proofs/checkpoint/signer.js';
import { entryLeafHash } from '../../src/proofs/leaves/entry-leaf.js';
import { tipTreeOf } from '../../src/proofs/leaves/tip-tree.js';
import { consistencyProofFromSource, inclusionProofFromSource, MemoryTreeHashes } from '../../src/proofs/merkle/tiles.js';
import { describeWithTool } from '../support/outside-tool.js';

const PYTHON = process.env.PYTHON ?? 'python3';
const script = new URL('./verify.py', import.meta.url).pathname;
const available = spawnSync(PYTHON, ['--version'], { encoding: 'utf8' }).status === 0;
const scratch = mkdtempSync(join(tmpdir(), 'capa-verify-py-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Bundle {
  publicKeys: string[];
  origin?: string;
  checkpoint: string;
  entries?: unknown[];
  tips?: unknown[];
  consistency?: { older: string; proof: unknown }[];
}

let runs = 0;
/** Runs verify.py on a bundle: its exit code, and what it printed. */
function python(bundle: Bundle): { status: number | null; stdout: string; stderr: string } {
  const file = join(scratch, `bundle-${runs++}.json`);
  writeFileSync(file, JSON.stringify(bundle));
  const run = spawnSync(PYTHON, [script, file], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const ORIGIN = 'acme.example/capa/acme';
const { signerKey, verifierKey } = await generateNoteKeys('acme.example/capa');
const signer = await signerFromNoteKey(signerKey);
const witness = await signerFromNoteKey((await generateNoteKeys('witness.example')).signerKey);

/** A tenant's history: `records` records, `entries` entries dealt to them at random, with made-up entry hashes. */
function history(seed: number, records: number, entries: number) {
  const random = fc.sample(fc.integer({ min: 0, max: records - 1 }), { numRuns: entries, seed });
  const ids = Array.from({ length: records }, (_, i) => (i % 3 === 0 ? `CA-${i}` : `f-${i}`));
  return random.map((record, i) => ({
    tenantSequence: i + 1,
    recordId: ids[record]!,
    entryHash: Buffer.from(Array.from({ length: 32 }, (_, b) => (seed * 31 + i * 7 + b * 13) & 0xff)).toString('hex'),
  }));
}

/** The trees, a signed checkpoint at the end and at `olderSizes`, and every proof, as the bundle holds them. */
async function bundleOf(entries: ReturnType<typeof history>, olderSizes: readonly number[]) {
  const tree = new MemoryTreeHashes();
  const older: { older: string; proof: unknown }[] = [];
  const tipsAt = (size: number) => tipTreeOf([...new Map(entries.slice(0, size).map((e) => [e.recordId, e])).values()]);
  // The checkpoint of the tree as it stands (call it once the tree has `size` leaves).
  const checkpointNow = (size: number): Checkpoint => {
    const tips = tipsAt(size);
    return { origin: ORIGIN, size, root: tree.root(), tips: { count: tips.tree.size, root: tips.tree.root() } };
  };
  const grow = (size: number) => tree.append(entries.slice(tree.size, size).map((e) => entryLeafHash(e.tenantSequence, e.entryHash)));
  const olderNotes = new Map<number, string>();
  for (const size of [...olderSizes].sort((a, b) => a - b)) {
    grow(size);
    olderNotes.set(size, await signCheckpoint(checkpointNow(size), signer));
  }
  const size = entries.length;
  grow(size);
  const checkpoint = checkpointNow(size);
  const note = await signCheckpoint(checkpoint, [signer, witness]);
  for (const [oldSize, oldNote] of olderNotes) {
    older.push({ older: oldNote, proof: { path: encodePath(await consistencyProofFromSource(tree, oldSize, size)) } });
  }
  const proofs: EntryProof[] = [];
  for (const e of entries) {
    proofs.push({ tenantSequence: e.tenantSequence, entryHash: e.entryHash, path: encodePath(await inclusionProofFromSource(tree, e.tenantSequence - 1, size)) });
  }
  const tips = tipsAt(size);
  const tipProofs: TipProof[] = [];
  for (const [index, id] of tips.ids.entries()) {
    const last = entries.filter((e) => e.recordId === id).at(-1)!;
    tipProofs.push({ recordId: id, tenantSequence: last.tenantSequence, entryHash: last.entryHash, index, path: encodePath(await inclusionProofFromSource(tips.tree, index, tips.tree.size)) });
  }
  const bundle: Bundle = { publicKeys: [verifierKey], origin: ORIGIN, checkpoint: note, entries: proofs, tips: tipProofs, consistency: older };
  return { bundle, checkpoint, proofs, tipProofs };
}

describeWithTool({ name: 'Python 3 (python3)', available, install: 'apt-get install -y python3' }, 'the independent Python verifier', () => {
  it('accepts the worked example of docs/verification.md', () => {
    const page = readFileSync(new URL('../../docs/verification.md', import.meta.url), 'utf8');
    const example = page.slice(page.indexOf('## A worked example'));
    const [, note, proofs] = [...example.matchAll(/```(?:text|json)\n([\s\S]*?)```/g)].map((match) => match[1]!);
    // The entry and tip proofs (the consistency proof's older checkpoint is not signed there).
    const [entry, tip] = proofs!.trim().split('\n').map((line) => JSON.parse(line) as unknown);
    const run = python({ publicKeys: ['PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'], origin: ORIGIN, checkpoint: note!, entries: [entry], tips: [tip] });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('accepts every entry, tip and consistency proof of random tenants (property)', async () => {
    for (const seed of [1, 2, 3]) {
      const entries = history(seed, 12 + seed * 5, 60 + seed * 37);
      const olderSizes = [1, Math.floor(entries.length / 3), 64, entries.length - 1].filter((s) => s >= 1 && s < entries.length);
      const { bundle } = await bundleOf(entries, olderSizes);
      const run = python(bundle);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, origin: ORIGIN, size: entries.length, signedBy: ['acme.example/capa'], entries: entries.length, consistency: olderSizes.length });
    }
  });

  it('refuses each single change: swapped tenant sequences, an edited entry, a withheld later entry, a changed checkpoint, an untrusted key', async () => {
    const entries = history(9, 10, 50);
    const { bundle, proofs, tipProofs } = await bundleOf(entries, [20]);
    const a = proofs.find((p) => entries[p.tenantSequence - 1]!.recordId !== entries[0]!.recordId)!;
    const b = proofs[0]!;
    // f's latest entry and the one before it: a pack that withholds the latest shows the earlier as the tip.
    const tip = tipProofs.find((t) => entries.filter((e) => e.recordId === t.recordId).length > 1)!;
    const earlier = entries.filter((e) => e.recordId === tip.recordId).at(-2)!;
    const [origin, size] = bundle.checkpoint.split('\n');
    // The checkpoint at 20 of a history whose entry 5 was rewritten, checked with the real tree's proof.
    const rewritten = entries.slice(0, 20).map((e, i) => (i === 4 ? { ...e, entryHash: 'cd'.repeat(32) } : e));
    const rewrittenOlder = (await bundleOf(rewritten, [])).bundle.checkpoint;
    const cases: [string, Bundle][] = [
      ['two tenant sequences swapped across records', { ...bundle, entries: [{ ...a, tenantSequence: b.tenantSequence }, { ...b, tenantSequence: a.tenantSequence }] }],
      ['an edited entry', { ...bundle, entries: [{ ...b, entryHash: 'ab'.repeat(32) }] }],
      ['a later entry withheld (a stale tip)', { ...bundle, tips: [{ ...tip, tenantSequence: earlier.tenantSequence, entryHash: earlier.entryHash }] }],
      ['a tip claimed for another record', { ...bundle, tips: [{ ...tip, recordId: `${tip.recordId}x` }] }],
      ['an entry removed from the path', { ...bundle, entries: [{ ...b, path: b.path.slice(1) }] }],
      ['a changed size in the checkpoint', { ...bundle, checkpoint: bundle.checkpoint.replace(`${origin}\n${size}\n`, `${origin}\n${Number(size) - 1}\n`) }],
      ['no trusted key', { ...bundle, publicKeys: [(await generateNoteKeys('acme.example/capa')).verifierKey] }],
      ['another origin expected', { ...bundle, origin: 'acme.example/capa/globex' }],
      ['an older checkpoint of a rewritten history', { ...bundle, consistency: [{ older: rewrittenOlder, proof: bundle.consistency![0]!.proof }] }],
      ['a consistency path changed', { ...bundle, consistency: [{ ...bundle.consistency![0]!, proof: { path: encodePath([new Uint8Array(32)]) } }] }],
      ['non-canonical base64 in a path', { ...bundle, entries: [{ ...b, path: [b.path[0]!.replace(/(.)=$/, (_, c: string) => `${String.fromCharCode(c.charCodeAt(0) ^ 1)}=`), ...b.path.slice(1)] }] }],
      ['an extra member in a proof', { ...bundle, entries: [{ ...b, leafIndex: b.tenantSequence - 1 }] }],
    ];
    for (const [what, tampered] of cases) {
      const run = python(tampered);
      expect(run.status, `${what}: ${run.stdout}`).toBe(1);
      expect(run.stderr, what).toMatch(/^FAIL: /);
    }
  });

  it('a bundle it cannot read is exit 2', () => {
    const file = join(scratch, 'broken.json');
    writeFileSync(file, '{ not json');
    expect(spawnSync(PYTHON, [script, file], { encoding: 'utf8' }).status).toBe(2);
  });
});
