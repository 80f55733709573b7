import { sha256 } from '../sha256.js';

// RFC 9162 §2.1.1 (as RFC 6962 §2.1): a leaf hashes as SHA-256(0x00 || data), an interior
// node as SHA-256(0x01 || left || right). The prefixes keep a leaf from ever passing for a
// node (the second-preimage attack on plain Merkle trees).

/**
 * The size of every tree hash, in bytes.
 *
 * @example
 * ```ts nocheck
 * import { HASH_SIZE } from 'capa-kit/proofs';
 *
 * const packed = new Uint8Array(256 * HASH_SIZE); // one tile of hashes
 * ```
 */
export const HASH_SIZE = 32;

const EMPTY = sha256(new Uint8Array(0));

/**
 * The root of the empty tree: SHA-256 of nothing (RFC 9162 §2.1.1), a fresh copy.
 *
 * @example
 * ```ts nocheck
 * import { emptyRoot } from 'capa-kit/proofs';
 *
 * emptyRoot().length; // 32: e3b0c442…7852b855
 * ```
 */
export const emptyRoot = (): Uint8Array => EMPTY.slice();

// One scratch buffer per shape: the hash function copies its input, so it can be reused.
const node = new Uint8Array(1 + 2 * HASH_SIZE);
node[0] = 0x01;
let leaf = new Uint8Array(64);

/**
 * The hash of a leaf: SHA-256(0x00 || data).
 *
 * @example
 * ```ts nocheck
 * import { hashLeaf } from 'capa-kit/proofs';
 *
 * hashLeaf(new Uint8Array(0)); // 6e340b9c…afa01d, the first leaf of the RFC 6962 test tree
 * ```
 */
export function hashLeaf(data: Uint8Array): Uint8Array {
  if (leaf.length < data.length + 1) leaf = new Uint8Array(Math.max(2 * leaf.length, data.length + 1));
  leaf[0] = 0x00;
  leaf.set(data, 1);
  return sha256(leaf.subarray(0, data.length + 1));
}

/**
 * The hash of an interior node: SHA-256(0x01 || left || right).
 *
 * @example
 * ```ts nocheck
 * import { hashChildren, hashLeaf } from 'capa-kit/proofs';
 *
 * const root = hashChildren(hashLeaf(new Uint8Array([0])), hashLeaf(new Uint8Array([1])));
 * root.length; // 32
 * ```
 */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) throw new RangeError('Tree hashes are 32 bytes');
  node.set(left, 1);
  node.set(right, 1 + HASH_SIZE);
  return sha256(node);
}
