import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

// SHA-256 of bytes, for tree hashes and key IDs. A Merkle tree of n leaves costs 2n − 1
// hashes of 41 to 65 bytes, so the per-call cost is what counts: Node's one-shot
// crypto.hash() (OpenSSL) takes about 1.4 µs a call here, @noble/hashes (audited, pure
// JavaScript) 1.5 to 2 µs. `getBuiltinModule` reaches node:crypto without an import, so
// this module stays free of Node built-ins for browsers and bundlers.

type NodeHash = (algorithm: 'sha256', data: Uint8Array, encoding: 'buffer') => Uint8Array;

const nodeHash = (() => {
  const crypto = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:crypto') as
    | { hash?: NodeHash }
    | undefined;
  return typeof crypto?.hash === 'function' ? crypto.hash : undefined;
})();

/** SHA-256 in JavaScript (@noble/hashes), for browsers and other runtimes. */
export const portableSha256 = (data: Uint8Array): Uint8Array => nobleSha256(data);

/** SHA-256 by Node's OpenSSL, or `undefined` outside Node (or before Node 21.7). */
export const nodeSha256: ((data: Uint8Array) => Uint8Array) | undefined =
  nodeHash === undefined
    ? undefined
    : (data) => {
        // A plain Uint8Array over the Buffer's bytes: Buffer#slice makes a view, not a copy,
        // and callers copy hashes with slice().
        const digest = nodeHash('sha256', data, 'buffer');
        return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
      };

/** The SHA-256 digest of `data` (32 bytes): the fastest implementation this runtime has. */
export const sha256: (data: Uint8Array) => Uint8Array = nodeSha256 ?? portableSha256;
