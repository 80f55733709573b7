import { CryptoUnavailableError, MalformedKeyError } from '../../errors/proof-errors.js';
import { concatBytes, fromBase64Url } from '../bytes.js';

// Ed25519 through Web Crypto (`crypto.subtle`, which has Ed25519 in Node 22+, Deno, Bun,
// and current Chrome, Firefox and Safari). capa-kit implements no curve arithmetic: where
// a runtime lacks Ed25519 the host passes an implementation (say one on @noble/ed25519).

/**
 * Ed25519 verification: true when `signature` is `publicKey`'s RFC 8032 signature of
 * `message`. Pass one to `verifyCheckpoint` where Web Crypto has no Ed25519.
 *
 * @example
 * ```ts nocheck
 * import type { Ed25519Verify } from 'capa-kit/proofs';
 *
 * declare const noble: { verifyAsync(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Promise<boolean> }; // @noble/ed25519
 * const verify: Ed25519Verify = (publicKey, message, signature) => noble.verifyAsync(signature, message, publicKey);
 * ```
 */
export type Ed25519Verify = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => Promise<boolean>;

/** The Web Crypto `SubtleCrypto` of this runtime, or a typed error. */
export function subtle(): SubtleCrypto {
  const found = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (found === undefined) throw new CryptoUnavailableError('this runtime has no Web Crypto (crypto.subtle)');
  return found;
}

// Web Crypto takes BufferSource; a copy keeps views of shared or larger buffers out.
const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);

/**
 * Ed25519 verification by Web Crypto. A runtime without Ed25519 gets a `CryptoUnavailableError`.
 *
 * @example
 * ```ts nocheck
 * import { webCryptoVerify } from 'capa-kit/proofs';
 *
 * declare const publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array;
 * const valid: boolean = await webCryptoVerify(publicKey, message, signature);
 * ```
 */
export const webCryptoVerify: Ed25519Verify = async (publicKey, message, signature) => {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  let key: CryptoKey;
  try {
    key = await subtle().importKey('raw', own(publicKey), { name: 'Ed25519' }, false, ['verify']);
  } catch (error) {
    if (error instanceof CryptoUnavailableError) throw error;
    if ((error as { name?: string }).name === 'NotSupportedError') throw new CryptoUnavailableError('Web Crypto has no Ed25519 here', { cause: error });
    return false; // a public key that is not a point: nothing verifies under it
  }
  return subtle().verify({ name: 'Ed25519' }, key, own(signature), own(message));
};

// RFC 8410 §7: PrivateKeyInfo { version 0, AlgorithmIdentifier { id-Ed25519 }, OCTET STRING { OCTET STRING seed } }.
const PKCS8_PREFIX = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);

/** The PKCS#8 DER of an Ed25519 seed (RFC 8410, without the optional public key). */
export const pkcs8OfSeed = (seed: Uint8Array): Uint8Array => concatBytes(PKCS8_PREFIX, seed);

/** The 32-byte seed of an RFC 8410 PKCS#8 DER (version 0, or version 1 with the public key), or `null`. */
export function seedOfPkcs8(der: Uint8Array): { readonly seed: Uint8Array; readonly publicKey: Uint8Array | null } | null {
  const prefixMatches = (prefix: Uint8Array) => prefix.every((byte, i) => der[i] === byte);
  if (der.length === 48 && prefixMatches(PKCS8_PREFIX)) return { seed: der.slice(16), publicKey: null };
  // OneAsymmetricKey v2 (RFC 5958): version 1, then [1] IMPLICIT publicKey BIT STRING (0 unused bits).
  const v2 = new Uint8Array([0x30, 0x51, 0x02, 0x01, 0x01, ...PKCS8_PREFIX.subarray(5)]);
  if (der.length === 83 && prefixMatches(v2) && der[48] === 0x81 && der[49] === 0x21 && der[50] === 0x00) {
    return { seed: der.slice(16, 48), publicKey: der.slice(51) };
  }
  return null;
}

/**
 * An Ed25519 key pair from its 32-byte seed, by Web Crypto: the public key (raw 32
 * bytes) and a non-extractable private `CryptoKey` for signing.
 */
export async function keyPairOfSeed(seed: Uint8Array, kind: 'signer key' | 'private key PEM'): Promise<{ readonly publicKey: Uint8Array; readonly privateKey: CryptoKey }> {
  const der = own(pkcs8OfSeed(seed));
  let publicKey: Uint8Array | null;
  try {
    // Imported once extractable only to read the public key (JWK `x`); signing uses a
    // second, non-extractable import.
    const readable = await subtle().importKey('pkcs8', der, { name: 'Ed25519' }, true, ['sign']);
    const jwk = await subtle().exportKey('jwk', readable);
    publicKey = typeof jwk.x === 'string' ? fromBase64Url(jwk.x) : null;
  } catch (error) {
    if (error instanceof CryptoUnavailableError) throw error;
    if ((error as { name?: string }).name === 'NotSupportedError') throw new CryptoUnavailableError('Web Crypto has no Ed25519 here', { cause: error });
    throw new MalformedKeyError(kind, 'format', 'Web Crypto refused the Ed25519 private key');
  }
  if (publicKey === null || publicKey.length !== 32) throw new MalformedKeyError(kind, 'format', 'Web Crypto gave no Ed25519 public key for it');
  const privateKey = await subtle().importKey('pkcs8', der, { name: 'Ed25519' }, false, ['sign']);
  return { publicKey, privateKey };
}

/** Signs with a Web Crypto Ed25519 private key. */
export async function webCryptoSign(privateKey: CryptoKey, message: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().sign({ name: 'Ed25519' }, privateKey, own(message)));
}

/** A fresh Ed25519 seed and its public key, by Web Crypto (the seed is extracted once, for the caller to keep). */
export async function generateSeed(): Promise<{ readonly seed: Uint8Array; readonly publicKey: Uint8Array }> {
  const pair = (await subtle().generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const jwk = await subtle().exportKey('jwk', pair.privateKey);
  const seed = typeof jwk.d === 'string' ? fromBase64Url(jwk.d) : null;
  const publicKey = typeof jwk.x === 'string' ? fromBase64Url(jwk.x) : null;
  if (seed === null || publicKey === null || seed.length !== 32 || publicKey.length !== 32) throw new CryptoUnavailableError('Web Crypto generated no usable Ed25519 key');
  return { seed, publicKey };
}
