import { CheckpointOriginError, InvalidProofError } from '../../errors/proof-errors.js';
import { fromBase64, fromHex, toBase64 } from '../bytes.js';
import { entryLeafHash } from '../leaves/entry-leaf.js';
import { tipLeafHash } from '../leaves/tip-leaf.js';
import { verifyConsistency } from '../merkle/consistency.js';
import { HASH_SIZE } from '../merkle/hash.js';
import { verifyInclusion } from '../merkle/inclusion.js';
import type { Checkpoint } from './body.js';

// The JSON forms of proofs against a checkpoint (docs/verification.md, "Proofs as JSON").
// Sizes and indexes a verifier can derive are left out, so none can disagree: an entry's
// leaf index is its tenant sequence − 1, and every tree size is the checkpoint's.

/**
 * That the entry at `tenantSequence`, whose hash is `entryHash`, is in the checkpoint's
 * entry tree: the inclusion path (base64 hashes, the leaf's sibling first).
 *
 * @example
 * ```ts nocheck
 * import type { EntryProof } from 'capa-kit/proofs';
 *
 * const proof: EntryProof = { tenantSequence: 5, entryHash: 'b'.repeat(64), path: ['…'] };
 * ```
 */
export interface EntryProof {
  readonly tenantSequence: number;
  /** The entry's hash: 64 lowercase hex digits (a verifier recomputes it from the entry). */
  readonly entryHash: string;
  readonly path: readonly string[];
}

/**
 * That record `recordId`'s latest entry in the checkpoint's entry tree is the one at
 * `tenantSequence` with hash `entryHash`: its leaf at `index` of the record-tip tree.
 *
 * @example
 * ```ts nocheck
 * import type { TipProof } from 'capa-kit/proofs';
 *
 * const proof: TipProof = { recordId: 'f-1', tenantSequence: 9, entryHash: 'c'.repeat(64), index: 0, path: [] };
 * ```
 */
export interface TipProof {
  readonly recordId: string;
  readonly tenantSequence: number;
  readonly entryHash: string;
  readonly index: number;
  readonly path: readonly string[];
}

/**
 * That an older checkpoint's entry tree is a prefix of a newer one's: the RFC 9162
 * consistency path between their sizes.
 *
 * @example
 * ```ts nocheck
 * import type { ConsistencyProof } from 'capa-kit/proofs';
 *
 * const proof: ConsistencyProof = { path: ['…', '…'] };
 * ```
 */
export interface ConsistencyProof {
  readonly path: readonly string[];
}

/**
 * Base64 hashes, for a proof's `path`.
 *
 * @example
 * ```ts nocheck
 * import { encodePath, inclusionProofFromSource, type EntryProof, type TreeHashSource } from 'capa-kit/proofs';
 *
 * declare const source: TreeHashSource;
 * const proof: EntryProof = { tenantSequence: 42, entryHash: 'b'.repeat(64), path: encodePath(await inclusionProofFromSource(source, 41, 1200)) };
 * ```
 */
export const encodePath = (hashes: readonly Uint8Array[]): string[] => hashes.map(toBase64);

/**
 * Reads a proof's `path`: an array of canonical base64 strings of 32 bytes, or an
 * `InvalidProofError`.
 *
 * @example
 * ```ts nocheck
 * import { decodePath } from 'capa-kit/proofs';
 *
 * declare const proof: { path: unknown };
 * const hashes: Uint8Array[] = decodePath('inclusion', proof.path);
 * ```
 */
export function decodePath(proof: 'inclusion' | 'consistency', path: unknown): Uint8Array[] {
  if (!Array.isArray(path)) throw new InvalidProofError(proof, 'malformed', 'path is not an array');
  return path.map((item, i) => {
    const hash = typeof item === 'string' ? fromBase64(item) : null;
    if (hash === null || hash.length !== HASH_SIZE) throw new InvalidProofError(proof, 'malformed', `path[${i}] is not canonical base64 of 32 bytes`);
    return hash;
  });
}

/** Throws unless `value` is a plain object with exactly these keys. */
function checkShape(proof: 'inclusion' | 'consistency', value: unknown, keys: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidProofError(proof, 'malformed', 'the proof is not an object');
  const found = Object.keys(value).sort();
  if (found.join() !== [...keys].sort().join()) throw new InvalidProofError(proof, 'malformed', `the proof has keys ${found.join(', ')}, not ${[...keys].sort().join(', ')}`);
  return value as Record<string, unknown>;
}

function integer(value: unknown, min: number, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw new InvalidProofError('inclusion', 'malformed', `${name} is not an integer from ${min}`);
  return value;
}

function entryHash(value: unknown): string {
  if (typeof value !== 'string' || fromHex(value)?.length !== HASH_SIZE) throw new InvalidProofError('inclusion', 'malformed', 'entryHash is not 64 lowercase hex digits');
  return value;
}

/**
 * Checks an entry proof against a (verified) checkpoint: the entry's leaf, at index
 * tenantSequence − 1, leads to the checkpoint's root. Throws an `InvalidProofError`.
 *
 * @example
 * ```ts nocheck
 * import { verifyEntryProof, type EntryProof, type VerifiedCheckpoint } from 'capa-kit/proofs';
 *
 * declare const checkpoint: VerifiedCheckpoint, proof: EntryProof;
 * verifyEntryProof(checkpoint, proof); // returns when the entry is in the checkpoint's tree
 * ```
 */
export function verifyEntryProof(checkpoint: Checkpoint, proof: unknown): void {
  const value = checkShape('inclusion', proof, ['tenantSequence', 'entryHash', 'path']);
  const tenantSequence = integer(value['tenantSequence'], 1, 'tenantSequence');
  if (tenantSequence > checkpoint.size) throw new InvalidProofError('inclusion', 'out-of-range', `tenant sequence ${tenantSequence} is after the checkpoint (${checkpoint.size})`);
  const path = decodePath('inclusion', value['path']);
  verifyInclusion(entryLeafHash(tenantSequence, entryHash(value['entryHash'])), tenantSequence - 1, checkpoint.size, path, checkpoint.root);
}

/**
 * Checks a record-tip proof against a (verified) checkpoint: the record's tip leaf, at
 * `index`, leads to the checkpoint's record-tip root. Throws an `InvalidProofError`.
 *
 * @example
 * ```ts nocheck
 * import { verifyTipProof, type TipProof, type VerifiedCheckpoint } from 'capa-kit/proofs';
 *
 * declare const checkpoint: VerifiedCheckpoint, proof: TipProof;
 * verifyTipProof(checkpoint, proof); // the record had no entry after this one, as of the checkpoint
 * ```
 */
export function verifyTipProof(checkpoint: Checkpoint, proof: unknown): void {
  const value = checkShape('inclusion', proof, ['recordId', 'tenantSequence', 'entryHash', 'index', 'path']);
  const recordId = value['recordId'];
  if (typeof recordId !== 'string' || recordId === '') throw new InvalidProofError('inclusion', 'malformed', 'recordId is not a non-empty string');
  const tenantSequence = integer(value['tenantSequence'], 1, 'tenantSequence');
  if (tenantSequence > checkpoint.size) throw new InvalidProofError('inclusion', 'out-of-range', `tenant sequence ${tenantSequence} is after the checkpoint (${checkpoint.size})`);
  const index = integer(value['index'], 0, 'index');
  const path = decodePath('inclusion', value['path']);
  let leafHash: Uint8Array;
  try {
    leafHash = tipLeafHash(recordId, tenantSequence, entryHash(value['entryHash']));
  } catch (error) {
    if (error instanceof RangeError) throw new InvalidProofError('inclusion', 'malformed', error.message);
    throw error;
  }
  verifyInclusion(leafHash, index, checkpoint.tips.count, path, checkpoint.tips.root);
}

/**
 * Checks that an older checkpoint's entry tree is a prefix of a newer one's (both
 * verified, of the same origin): nothing committed by the older one was changed, removed
 * or reordered. Throws a `CheckpointOriginError` for two logs, an `InvalidProofError` else.
 *
 * @example
 * ```ts nocheck
 * import { verifyCheckpointConsistency, type ConsistencyProof, type VerifiedCheckpoint } from 'capa-kit/proofs';
 *
 * declare const lastYear: VerifiedCheckpoint, now: VerifiedCheckpoint, proof: ConsistencyProof;
 * verifyCheckpointConsistency(lastYear, now, proof);
 * ```
 */
export function verifyCheckpointConsistency(older: Checkpoint, newer: Checkpoint, proof: unknown): void {
  if (older.origin !== newer.origin) throw new CheckpointOriginError(older.origin, newer.origin);
  const value = checkShape('consistency', proof, ['path']);
  verifyConsistency(older.size, newer.size, older.root, newer.root, decodePath('consistency', value['path']));
}
