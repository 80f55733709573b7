// docs/verification.md's worked example is what the library computes, and its checkpoint
// and proofs verify: the page a verifier is written from cannot drift from the code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toBase64, toHex } from '../../src/proofs/bytes.js';
import { checkpointText } from '../../src/proofs/checkpoint/body.js';
import { signCheckpoint, verifyCheckpoint } from '../../src/proofs/checkpoint/checkpoint.js';
import { encodePath, verifyCheckpointConsistency, verifyEntryProof, verifyTipProof } from '../../src/proofs/checkpoint/proofs.js';
import { signerFromNoteKey } from '../../src/proofs/checkpoint/signer.js';
import { entryLeaf, entryLeafHash } from '../../src/proofs/leaves/entry-leaf.js';
import { tipLeaf, tipLeafHash } from '../../src/proofs/leaves/tip-leaf.js';
import { tipTreeOf } from '../../src/proofs/leaves/tip-tree.js';
import { hashChildren } from '../../src/proofs/merkle/hash.js';
import { consistencyProofFromSource, inclusionProofFromSource, MemoryTreeHashes } from '../../src/proofs/merkle/tiles.js';

const page = readFileSync(new URL('../../docs/verification.md', import.meta.url), 'utf8');
const example = page.slice(page.indexOf('## A worked example'), page.indexOf('## What each check proves'));
const blocks = [...example.matchAll(/```(text|json)\n([\s\S]*?)```/g)].map((match) => match[2]!);
const [values, note, proofs] = blocks as [string, string, string];
const value = (label: string) => new RegExp(`^${label.replace(/[()]/g, '\\$&')}\\s+(\\S+)`, 'm').exec(values)?.[1];

const PETER_SIGNER = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const hashes = [1, 2, 3].map((n) => new RegExp(`^(?:entry hashes)?\\s+${n}: ([0-9a-f]{64})$`, 'm').exec(values)![1]!);

describe('the worked example of docs/verification.md', () => {
  const leaves = hashes.map((hash, i) => entryLeafHash(i + 1, hash));
  const tree = new MemoryTreeHashes();
  tree.append(leaves);
  const tips = tipTreeOf([
    { recordId: 'f-1', tenantSequence: 3, entryHash: hashes[2]! },
    { recordId: 'a-1', tenantSequence: 2, entryHash: hashes[1]! },
  ]);
  const checkpoint = { origin: 'acme.example/capa/acme', size: 3, root: tree.root(), tips: { count: 2, root: tips.tree.root() } };

  it('has three blocks: the values, the signed checkpoint, the proofs', () => {
    expect(blocks).toHaveLength(3);
  });

  it('states the bytes the library computes', () => {
    expect(value('entry_leaf(1)')).toBe(toHex(entryLeaf(1, hashes[0]!)));
    expect(value('leaf hash 1')).toBe(toHex(leaves[0]!));
    expect(value('node(1, 2)')).toBe(toHex(hashChildren(leaves[0]!, leaves[1]!)));
    expect(value('entry root')).toBe(toHex(tree.root()));
    expect(value('tip_leaf(f-1)')).toBe(toHex(tipLeaf('f-1', 3, hashes[2]!)));
    expect(value('tip leaf hash')).toBe(toHex(tipLeafHash('f-1', 3, hashes[2]!)));
    expect(tips.ids).toEqual(['a-1', 'f-1']);
  });

  it('shows the checkpoint the library signs, and it verifies', async () => {
    const signed = await signCheckpoint(checkpoint, await signerFromNoteKey(PETER_SIGNER));
    expect(`${note}`).toBe(signed);
    expect(note.startsWith(checkpointText(checkpoint))).toBe(true);
    const verified = await verifyCheckpoint(note, [PETER], { origin: 'acme.example/capa/acme' });
    expect(toBase64(verified.root)).toBe(toBase64(tree.root()));
  });

  it('shows the proofs the library makes, and they verify', async () => {
    const [entry, tip, consistency] = proofs.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entry).toEqual({ tenantSequence: 2, entryHash: hashes[1], path: encodePath(await inclusionProofFromSource(tree, 1, 3)) });
    expect(tip).toEqual({ recordId: 'f-1', tenantSequence: 3, entryHash: hashes[2], index: 1, path: encodePath(await inclusionProofFromSource(tips.tree, 1, 2)) });
    expect(consistency).toEqual({ path: encodePath(await consistencyProofFromSource(tree, 2, 3)) });
    const verified = await verifyCheckpoint(note, [PETER]);
    verifyEntryProof(verified, entry);
    verifyTipProof(verified, tip);
    verifyCheckpointConsistency({ ...verified, size: 2, root: hashChildren(leaves[0]!, leaves[1]!) }, verified, consistency);
  });
});
