import { compareCodePoints } from '../../store/code-point-order.js';
import { isWellFormed, utf8, writeUint64 } from '../bytes.js';
import { HASH_SIZE, hashLeaf } from '../merkle/hash.js';
import { entryHashBytes } from './entry-leaf.js';

// The record-tip tree (docs/verification.md, "The record-tip tree"): one leaf per record
// that has an entry in the tree, for its latest entry in the tree, ordered by record id
// compared by Unicode code point (the byte order of UTF-8, the order the stores page in;
// for the ids capa-kit writes, letters, digits, "_" and "-", that is plain ASCII order).
// An inclusion proof in the entry tree shows an entry was logged; only the tip shows that
// nothing came after it, so a pack that withholds a later entry (a REOPEN) is caught.
//
// Leaf data: uint8 length of the id's UTF-8 || the id's UTF-8 || uint64 big-endian tenant
// sequence of the latest entry || that entry's 32-byte hash. The id is in the leaf so a
// verifier can see whose tip it is without trusting the proof's position; the tenant
// sequence and hash are the entry leaf's own 40 bytes, so the same entry can be checked
// in both trees. It is at least 42 bytes: never an entry leaf (40).

/**
 * The longest record id a tip leaf holds, in UTF-8 bytes (capa-kit's ids have at most 64).
 *
 * @example
 * ```ts nocheck
 * import { MAX_RECORD_ID_BYTES } from 'capa-kit/proofs';
 *
 * const fits = (id: string) => new TextEncoder().encode(id).length <= MAX_RECORD_ID_BYTES;
 * ```
 */
export const MAX_RECORD_ID_BYTES = 255;

/**
 * The record-tip tree's leaf data: id length || id || tenant sequence || entry hash.
 *
 * @example
 * ```ts nocheck
 * import { tipLeaf } from 'capa-kit/proofs';
 *
 * tipLeaf('f-1', 57, 'c'.repeat(64)).length; // 1 + 3 + 8 + 32 = 44
 * ```
 */
export function tipLeaf(recordId: string, tenantSequence: number, entryHash: string | Uint8Array): Uint8Array {
  if (recordId === '' || !isWellFormed(recordId)) throw new RangeError('A record id is a non-empty, well-formed string');
  if (!Number.isSafeInteger(tenantSequence) || tenantSequence < 1) throw new RangeError(`A tenant sequence is an integer from 1, not ${tenantSequence}`);
  const id = utf8(recordId);
  if (id.length > MAX_RECORD_ID_BYTES) throw new RangeError(`A record id has at most ${MAX_RECORD_ID_BYTES} bytes of UTF-8`);
  const leaf = new Uint8Array(1 + id.length + 8 + HASH_SIZE);
  leaf[0] = id.length;
  leaf.set(id, 1);
  writeUint64(leaf, 1 + id.length, tenantSequence);
  leaf.set(entryHashBytes(entryHash), 1 + id.length + 8);
  return leaf;
}

/**
 * The record-tip tree's leaf hash: SHA-256(0x00 || {@link tipLeaf}).
 *
 * @example
 * ```ts nocheck
 * import { tipLeafHash } from 'capa-kit/proofs';
 *
 * declare const last: { tenantSequence: number; entry: { hash: string } };
 * const leafHash = tipLeafHash('f-1', last.tenantSequence, last.entry.hash);
 * ```
 */
export function tipLeafHash(recordId: string, tenantSequence: number, entryHash: string | Uint8Array): Uint8Array {
  return hashLeaf(tipLeaf(recordId, tenantSequence, entryHash));
}

/**
 * The order of the record-tip tree: record ids by Unicode code point (UTF-8 byte order).
 *
 * @example
 * ```ts nocheck
 * import { compareRecordIds } from 'capa-kit/proofs';
 *
 * ['f-10', 'F-2', 'f-9'].sort(compareRecordIds); // ['F-2', 'f-10', 'f-9']
 * ```
 */
export const compareRecordIds: (a: string, b: string) => number = compareCodePoints;
