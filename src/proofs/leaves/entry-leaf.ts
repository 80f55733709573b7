import { fromHex, writeHex, writeUint64 } from '../bytes.js';
import { HASH_SIZE } from '../merkle/hash.js';
import { sha256 } from '../sha256.js';

// The entry tree's leaf (docs/verification.md, "The entry tree"): the tenant sequence as
// 8 bytes big-endian, then the entry's hash as 32 bytes.
//
// Why these bytes: the entry's hash (SHA-256 of its RFC 8785 canonical JSON without
// `hash`) already commits to everything in the entry, its tenant, record, record sequence
// and previous hash included; the tenant sequence is the one fact outside it, the order of
// events across records, so the leaf binds the two. Fixed widths need no separators and
// cannot be parsed two ways; 40 bytes plus the 0x00 prefix fit one SHA-256 block, so a
// leaf costs one compression. Binary rather than hex halves the bytes hashed and is what
// every language has at hand. A record-tip leaf (tip-leaf.ts) is never 40 bytes long, so
// the two kinds of leaf cannot be taken for each other.

/**
 * The length of an entry leaf: 8 + 32 bytes.
 *
 * @example
 * ```ts nocheck
 * import { ENTRY_LEAF_SIZE, entryLeaf } from 'capa-kit/proofs';
 *
 * entryLeaf(7, 'a'.repeat(64)).length === ENTRY_LEAF_SIZE; // true
 * ```
 */
export const ENTRY_LEAF_SIZE = 8 + HASH_SIZE;

/** An entry's hash as bytes: 64 lowercase hex digits, or 32 bytes (copied). */
export function entryHashBytes(entryHash: string | Uint8Array): Uint8Array {
  const bytes = typeof entryHash === 'string' ? fromHex(entryHash) : entryHash.slice();
  if (bytes === null || bytes.length !== HASH_SIZE) throw new RangeError('An entry hash is 64 lowercase hex digits (32 bytes)');
  return bytes;
}

function checkTenantSequence(tenantSequence: number): void {
  if (!Number.isSafeInteger(tenantSequence) || tenantSequence < 1) throw new RangeError(`A tenant sequence is an integer from 1, not ${tenantSequence}`);
}

/**
 * The entry tree's leaf data for the entry at `tenantSequence`: uint64 big-endian tenant
 * sequence || the entry's 32-byte hash. The leaf sits at index tenantSequence − 1.
 *
 * @example
 * ```ts nocheck
 * import { entryLeaf } from 'capa-kit/proofs';
 *
 * entryLeaf(1, 'b'.repeat(64)).length; // 40
 * ```
 */
export function entryLeaf(tenantSequence: number, entryHash: string | Uint8Array): Uint8Array {
  checkTenantSequence(tenantSequence);
  const leaf = new Uint8Array(ENTRY_LEAF_SIZE);
  writeUint64(leaf, 0, tenantSequence);
  leaf.set(entryHashBytes(entryHash), 8);
  return leaf;
}

// The validator hashes one leaf per entry: written straight into one scratch buffer
// (0x00 || leaf), no intermediate arrays.
const scratch = new Uint8Array(1 + ENTRY_LEAF_SIZE);

/**
 * The entry tree's leaf hash: SHA-256(0x00 || {@link entryLeaf}).
 *
 * @example
 * ```ts nocheck
 * import { entryLeafHash } from 'capa-kit/proofs';
 *
 * declare const entry: { hash: string };
 * const leafHash = entryLeafHash(42, entry.hash); // the 42nd event of the tenant
 * ```
 */
export function entryLeafHash(tenantSequence: number, entryHash: string | Uint8Array): Uint8Array {
  checkTenantSequence(tenantSequence);
  scratch[0] = 0x00;
  writeUint64(scratch, 1, tenantSequence);
  const ok = typeof entryHash === 'string' ? entryHash.length === 2 * HASH_SIZE && writeHex(scratch, 9, entryHash) : entryHash.length === HASH_SIZE;
  if (!ok) throw new RangeError('An entry hash is 64 lowercase hex digits (32 bytes)');
  if (typeof entryHash !== 'string') scratch.set(entryHash, 9);
  return sha256(scratch);
}
