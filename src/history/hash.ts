import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalJson } from './canonical.js';

/**
 * The SHA-256 of a JSON object's canonical form without one of its keys: a sealed entry's
 * content hash is `hashJsonWithout(entry, 'hash')`.
 */
export function hashJsonWithout(value: object, key: string): string {
  const { [key]: _omitted, ...rest } = value as Record<string, unknown>;
  return hashJson(rest);
}

/**
 * The lowercase hex SHA-256 of a JSON value's RFC 8785 canonical form.
 *
 * @example
 * ```ts
 * import { hashJson } from 'capa-kit/register';
 *
 * hashJson({ a: 1 }) === hashJson({ a: 1 }); // true, whatever the key order
 * ```
 */
export function hashJson(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

interface NodeHash {
  update(text: string, encoding: 'utf8'): NodeHash;
  digest(encoding: 'hex'): string;
}
type NodeCrypto = { createHash(algorithm: 'sha256'): NodeHash; hash?: (algorithm: 'sha256', data: string, encoding: 'hex') => string };

// On Node (22.3 and later) the built-in OpenSSL SHA-256 is several times faster than any
// JavaScript one. `getBuiltinModule` reaches it without an import, so this module stays
// free of Node built-ins for browsers and bundlers; elsewhere @noble/hashes (audited) does it.
const nodeCrypto = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.(
  'node:crypto',
) as NodeCrypto | undefined;

/** SHA-256 in JavaScript, for browsers and other runtimes. */
export const portableSha256Hex = (text: string): string => bytesToHex(sha256(utf8ToBytes(text)));

/** SHA-256 by Node's OpenSSL, or `undefined` outside Node. */
export const nodeSha256Hex: ((text: string) => string) | undefined =
  nodeCrypto === undefined
    ? undefined
    : typeof nodeCrypto.hash === 'function'
      ? // The one-shot crypto.hash() (Node 21.7, 20.12) skips the Hash object: about 3× faster on short text.
        (text) => nodeCrypto.hash!('sha256', text, 'hex')
      : (text) => nodeCrypto.createHash('sha256').update(text, 'utf8').digest('hex');

/** The lowercase hex SHA-256 of a string's UTF-8 bytes: the fastest of the two this runtime has. */
export const sha256Hex: (text: string) => string = nodeSha256Hex ?? portableSha256Hex;

/**
 * An incremental SHA-256: feed text in pieces, read the hex digest once. The log head is
 * hashed this way, so a log of any size is hashed without holding its tips in memory.
 */
export interface IncrementalSha256 {
  /** Adds the UTF-8 bytes of `text`. */
  update(text: string): void;
  /** The lowercase hex digest of everything added; call once. */
  digest(): string;
}

/** An incremental SHA-256: Node's OpenSSL when available, else @noble/hashes. */
export function createSha256(): IncrementalSha256 {
  if (nodeCrypto !== undefined) {
    const hash = nodeCrypto.createHash('sha256');
    return {
      update: (text) => void hash.update(text, 'utf8'),
      digest: () => hash.digest('hex'),
    };
  }
  const hash = sha256.create();
  return {
    update: (text) => void hash.update(utf8ToBytes(text)),
    digest: () => bytesToHex(hash.digest()),
  };
}
