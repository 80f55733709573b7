// RFC 9162 §2.1 written as the RFC writes it (recursive, from the leaf hashes), to check
// the iterative code, the compact range and the tiles against. Slow on purpose: test only.
import { createHash } from 'node:crypto';

const sha = (...parts: Uint8Array[]) => new Uint8Array(createHash('sha256').update(Buffer.concat(parts)).digest());
const NODE = new Uint8Array([1]);

/** The largest power of two smaller than n (n ≥ 2). */
const split = (n: number) => 2 ** Math.floor(Math.log2(n - 1));

/** MTH(D[n]) over leaf hashes (§2.1.1). */
export function referenceRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return sha(NODE, referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

/** PATH(m, D[n]) (§2.1.3.1). */
export function referenceInclusion(leaves: readonly Uint8Array[], m: number): Uint8Array[] {
  if (leaves.length <= 1) return [];
  const k = split(leaves.length);
  return m < k
    ? [...referenceInclusion(leaves.slice(0, k), m), referenceRoot(leaves.slice(k))]
    : [...referenceInclusion(leaves.slice(k), m - k), referenceRoot(leaves.slice(0, k))];
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (§2.1.4.1). */
export function referenceConsistency(leaves: readonly Uint8Array[], m: number): Uint8Array[] {
  const subproof = (d: readonly Uint8Array[], m: number, b: boolean): Uint8Array[] => {
    if (m === d.length) return b ? [] : [referenceRoot(d)];
    const k = split(d.length);
    return m <= k ? [...subproof(d.slice(0, k), m, b), referenceRoot(d.slice(k))] : [...subproof(d.slice(k), m - k, false), referenceRoot(d.slice(0, k))];
  };
  return m === 0 || m === leaves.length ? [] : subproof(leaves, m, true);
}

/** n distinct leaf hashes (SHA-256 of 0x00 || i as 4 bytes), deterministic. */
export function someLeaves(n: number, salt = 0): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => {
    const data = new Uint8Array(9);
    new DataView(data.buffer).setUint32(1, i);
    new DataView(data.buffer).setUint32(5, salt);
    return sha(data);
  });
}
