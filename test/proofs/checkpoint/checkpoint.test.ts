import { describe, expect, it } from 'vitest';
import { CheckpointOriginError, InvalidNoteSignatureError, InvalidProofError, MalformedCheckpointError, UnverifiedNoteError } from '../../../src/errors/proof-errors.js';
import { toBase64 } from '../../../src/proofs/bytes.js';
import { checkpointText, parseCheckpointText, type Checkpoint } from '../../../src/proofs/checkpoint/body.js';
import { signCheckpoint, verifyCheckpoint } from '../../../src/proofs/checkpoint/checkpoint.js';
import { encodePath, verifyCheckpointConsistency, verifyEntryProof, verifyTipProof } from '../../../src/proofs/checkpoint/proofs.js';
import { generateNoteKeys, signerFromNoteKey, verifierKeyOf } from '../../../src/proofs/checkpoint/signer.js';
import { entryLeafHash } from '../../../src/proofs/leaves/entry-leaf.js';
import { tipTreeOf } from '../../../src/proofs/leaves/tip-tree.js';
import { emptyRoot } from '../../../src/proofs/merkle/hash.js';
import { consistencyProofFromSource, inclusionProofFromSource, MemoryTreeHashes } from '../../../src/proofs/merkle/tiles.js';
import { signNote } from '../../../src/proofs/note/note.js';

const ORIGIN = 'acme.example/capa/acme';
const EMPTY = toBase64(emptyRoot());
const { signerKey, verifierKey } = await generateNoteKeys('acme.example/capa');
const signer = await signerFromNoteKey(signerKey);

// A small log: 12 entries over 4 records, and the trees over them.
const entries = Array.from({ length: 12 }, (_, i) => ({
  tenantSequence: i + 1,
  recordId: ['f-1', 'f-2', 'a-1', 'f-10'][i % 4]!,
  entryHash: (i + 16).toString(16).padStart(2, '0').repeat(32),
}));
const entryTree = new MemoryTreeHashes();
entryTree.append(entries.slice(0, 8).map((e) => entryLeafHash(e.tenantSequence, e.entryHash)));
const older = { size: 8, root: entryTree.root() };
entryTree.append(entries.slice(8).map((e) => entryLeafHash(e.tenantSequence, e.entryHash)));
const lastOf = new Map(entries.map((e) => [e.recordId, e]));
const tips = tipTreeOf([...lastOf.values()]);
const checkpoint: Checkpoint = { origin: ORIGIN, size: 12, root: entryTree.root(), tips: { count: tips.tree.size, root: tips.tree.root() } };

describe('the checkpoint text', () => {
  it('is four lines: origin, size, root, and the record-tip line', () => {
    const text = checkpointText(checkpoint);
    expect(text.split('\n')).toEqual([ORIGIN, '12', toBase64(checkpoint.root), `capa-kit/v1 tips 4 ${toBase64(checkpoint.tips.root)}`, '']);
    expect(parseCheckpointText(text)).toEqual(checkpoint);
    expect(checkpointText({ origin: ORIGIN, size: 0, root: emptyRoot(), tips: { count: 0, root: emptyRoot() } })).toBe(`${ORIGIN}\n0\n${EMPTY}\ncapa-kit/v1 tips 0 ${EMPTY}\n`);
  });

  it('refuses every way the text can be wrong, naming the line', () => {
    const root = toBase64(checkpoint.root);
    const tipsLine = `capa-kit/v1 tips 4 ${toBase64(checkpoint.tips.root)}`;
    const cases: [string, number | null, string][] = [
      [`${ORIGIN}\n12\n${root}\n`, null, 'lines'],
      [`${ORIGIN}\n12\n${root}\n${tipsLine}\nextension\n`, null, 'lines'],
      [`${ORIGIN}\n12\n${root}\n${tipsLine}`, null, 'lines'],
      [`acme example\n12\n${root}\n${tipsLine}\n`, 1, 'origin'],
      [`acme+example\n12\n${root}\n${tipsLine}\n`, 1, 'origin'],
      [`\n12\n${root}\n${tipsLine}\n`, 1, 'origin'],
      [`${ORIGIN}\n012\n${root}\n${tipsLine}\n`, 2, 'size'],
      [`${ORIGIN}\n-1\n${root}\n${tipsLine}\n`, 2, 'size'],
      [`${ORIGIN}\n9007199254740992\n${root}\n${tipsLine}\n`, 2, 'size'],
      [`${ORIGIN}\n12\n${root.slice(0, -4)}\n${tipsLine}\n`, 3, 'root'],
      [`${ORIGIN}\n12\n${root.replace(/.=$/, 'B=')}\n${tipsLine}\n`, 3, 'root'],
      [`${ORIGIN}\n12\n${root}\ncapa-kit/v2 tips 4 ${toBase64(checkpoint.tips.root)}\n`, 4, 'tips'],
      [`${ORIGIN}\n12\n${root}\n${tipsLine} extra\n`, 4, 'tips'],
      [`${ORIGIN}\n12\n${root}\ncapa-kit/v1 tips 13 ${toBase64(checkpoint.tips.root)}\n`, 4, 'tips'],
      [`${ORIGIN}\n12\n${root}\ncapa-kit/v1 tips 0 ${EMPTY}\n`, 4, 'tips'],
      [`${ORIGIN}\n0\n${root}\ncapa-kit/v1 tips 0 ${EMPTY}\n`, null, 'empty-tree'],
    ];
    for (const [text, line, rule] of cases) {
      let error: unknown;
      try {
        parseCheckpointText(text);
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(text)).toBeInstanceOf(MalformedCheckpointError);
      expect({ line: (error as MalformedCheckpointError).line, rule: (error as MalformedCheckpointError).rule }).toEqual({ line, rule });
    }
  });
});

describe('signed checkpoints', () => {
  it('sign and verify; the verified checkpoint says who signed', async () => {
    const note = await signCheckpoint(checkpoint, signer);
    expect(note.startsWith(checkpointText(checkpoint))).toBe(true);
    const verified = await verifyCheckpoint(note, [verifierKey], { origin: ORIGIN });
    expect(verified).toMatchObject({ origin: ORIGIN, size: 12, tips: { count: 4 }, signedBy: [{ name: 'acme.example/capa', keyId: signer.keyId }], unverified: [] });
    expect(verified.root).toEqual(checkpoint.root);
  });

  it('any change to the text breaks the signature; another log\'s checkpoint is refused by origin', async () => {
    const note = await signCheckpoint(checkpoint, signer);
    const [origin, size, root, tipsLine] = note.split('\n');
    for (const changed of [
      note.replace(`${size}\n`, '11\n'),
      note.replace(root!, toBase64(older.root)),
      note.replace(tipsLine!, tipsLine!.replace(' 4 ', ' 3 ')),
      note.replace(origin!, 'acme.example/capa/globex'),
    ]) {
      await expect(verifyCheckpoint(changed, [verifierKey])).rejects.toThrow(InvalidNoteSignatureError);
    }
    await expect(verifyCheckpoint(note, [verifierKey], { origin: 'acme.example/capa/globex' })).rejects.toThrow(CheckpointOriginError);
  });

  it('an unknown key verifies nothing; a witness\'s extra signature is ignored', async () => {
    const witness = await signerFromNoteKey((await generateNoteKeys('witness.example')).signerKey);
    const note = await signCheckpoint(checkpoint, [signer, witness]);
    await expect(verifyCheckpoint(note, [verifierKeyOf(await signerFromNoteKey((await generateNoteKeys('acme.example/capa')).signerKey))])).rejects.toThrow(UnverifiedNoteError);
    const verified = await verifyCheckpoint(note, [verifierKey]);
    expect(verified.unverified).toEqual([{ name: 'witness.example', keyId: witness.keyId }]);
    expect((await verifyCheckpoint(note, [verifierKey, verifierKeyOf(witness)])).signedBy).toHaveLength(2);
  });

  it('the signature is checked before the text is read', async () => {
    // A well-signed note whose text is no checkpoint: malformed checkpoint, once verified...
    const note = await signNote('not a checkpoint\n', [signer]);
    await expect(verifyCheckpoint(note, [verifierKey])).rejects.toThrow(MalformedCheckpointError);
    // ...but by an unknown key, it is never read at all.
    await expect(verifyCheckpoint(note, [])).rejects.toThrow(UnverifiedNoteError);
  });
});

describe('proofs against a checkpoint', () => {
  it('an entry proof: the entry\'s leaf at tenantSequence − 1 leads to the root', async () => {
    const entry = entries[6]!;
    const proof = { tenantSequence: entry.tenantSequence, entryHash: entry.entryHash, path: encodePath(await inclusionProofFromSource(entryTree, 6, 12)) };
    verifyEntryProof(checkpoint, proof);
    // The same entry at another tenant sequence (two events swapped across records), another hash, a wrong path:
    expect(() => verifyEntryProof(checkpoint, { ...proof, tenantSequence: 8 })).toThrow(InvalidProofError);
    expect(() => verifyEntryProof(checkpoint, { ...proof, entryHash: entries[7]!.entryHash })).toThrow(InvalidProofError);
    expect(() => verifyEntryProof(checkpoint, { ...proof, path: proof.path.slice(1) })).toThrow(InvalidProofError);
    expect(() => verifyEntryProof(checkpoint, { ...proof, tenantSequence: 13 })).toThrow(/after the checkpoint/);
    expect(() => verifyEntryProof(checkpoint, { ...proof, extra: 1 })).toThrow(/keys/);
    expect(() => verifyEntryProof(checkpoint, { ...proof, path: ['AAAA'] })).toThrow(/32 bytes/);
  });

  it('a tip proof: the record\'s latest entry is the tip the checkpoint commits; an earlier one is not', async () => {
    const last = lastOf.get('f-2')!; // tenant sequence 10
    const index = tips.indexOf('f-2');
    const proof = { recordId: 'f-2', tenantSequence: last.tenantSequence, entryHash: last.entryHash, index, path: encodePath(await inclusionProofFromSource(tips.tree, index, tips.tree.size)) };
    verifyTipProof(checkpoint, proof);
    // A pack that withholds f-2's last entry would show entry 6 as the tip: refused.
    const earlier = entries[5]!;
    expect(earlier.recordId).toBe('f-2');
    expect(() => verifyTipProof(checkpoint, { ...proof, tenantSequence: earlier.tenantSequence, entryHash: earlier.entryHash })).toThrow(InvalidProofError);
    expect(() => verifyTipProof(checkpoint, { ...proof, recordId: 'f-3' })).toThrow(InvalidProofError);
    expect(() => verifyTipProof(checkpoint, { ...proof, index: index + 1 })).toThrow(InvalidProofError);
    expect(() => verifyTipProof(checkpoint, { ...proof, recordId: '' })).toThrow(/recordId/);
  });

  it('a consistency proof: the older checkpoint\'s tree is a prefix of the newer one\'s', async () => {
    const olderCheckpoint: Checkpoint = { ...checkpoint, size: older.size, root: older.root };
    const proof = { path: encodePath(await consistencyProofFromSource(entryTree, 8, 12)) };
    verifyCheckpointConsistency(olderCheckpoint, checkpoint, proof);
    expect(() => verifyCheckpointConsistency(checkpoint, olderCheckpoint, proof)).toThrow(InvalidProofError);
    expect(() => verifyCheckpointConsistency({ ...olderCheckpoint, root: checkpoint.root }, checkpoint, proof)).toThrow(InvalidProofError);
    expect(() => verifyCheckpointConsistency({ ...olderCheckpoint, origin: 'acme.example/capa/globex' }, checkpoint, proof)).toThrow(CheckpointOriginError);
    expect(() => verifyCheckpointConsistency(olderCheckpoint, checkpoint, { path: proof.path, size: 8 })).toThrow(/keys/);
  });
});
