import type { KeyObject } from 'node:crypto';
import { CryptoUnavailableError, MalformedKeyError } from '../../errors/proof-errors.js';
import { equalBytes, fromBase64Url } from '../bytes.js';
import { generateSeed, keyPairOfSeed, subtle, webCryptoSign } from '../note/ed25519.js';
import { ed25519KeyId, formatSignerKey, formatVerifierKey, isPem, isValidKeyName, parseSignerKeyFields, seedOfPkcs8Pem } from '../note/keys.js';
import type { NoteSigner } from '../note/note.js';

// Signers are small objects the host builds and passes: capa-kit never stores, logs or
// returns a private key. A signer built from key material holds it only inside Web
// Crypto (a non-extractable CryptoKey) or the host's own KeyObject or KMS.

/**
 * What signs checkpoints: an Ed25519 key's signed-note name, key ID and public key, and a
 * `sign` that returns the 64-byte Ed25519 signature of a message. Build one with
 * {@link createCheckpointSigner} (any Ed25519: a KMS, @noble/ed25519), `webCryptoSigner`,
 * `nodeCryptoSigner`, or from a key file (`signerFromKeyFile`).
 *
 * @example
 * ```ts nocheck
 * import type { CheckpointSigner } from 'capa-kit/proofs';
 *
 * declare const signer: CheckpointSigner;
 * console.log(`signing as ${signer.name}`);
 * ```
 */
export interface CheckpointSigner extends NoteSigner {
  /** The raw 32-byte Ed25519 public key: what auditors verify with. */
  readonly publicKey: Uint8Array;
}

/**
 * A checkpoint signer from any Ed25519 implementation: its name (usually the log's
 * origin, or the host's domain and path), its 32-byte public key, and its `sign`. The key
 * ID is computed here.
 *
 * @example
 * ```ts nocheck
 * import { createCheckpointSigner } from 'capa-kit/proofs';
 *
 * declare const noble: { signAsync(message: Uint8Array, secretKey: Uint8Array): Promise<Uint8Array> }; // @noble/ed25519
 * declare const seed: Uint8Array, publicKey: Uint8Array;
 * const signer = createCheckpointSigner({ name: 'acme.example/capa', publicKey, sign: (message) => noble.signAsync(message, seed) });
 * ```
 */
export function createCheckpointSigner(options: { readonly name: string; readonly publicKey: Uint8Array; sign(message: Uint8Array): Promise<Uint8Array> }): CheckpointSigner {
  const { name, publicKey, sign } = options;
  if (!isValidKeyName(name)) throw new MalformedKeyError('public key', 'name', 'a signer name is non-empty, with no space and no "+"');
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) throw new MalformedKeyError('public key', 'format', 'an Ed25519 public key is 32 bytes');
  const key = publicKey.slice();
  return { name, keyId: ed25519KeyId(name, key), publicKey: key, sign: (message) => sign(message) };
}

/**
 * A checkpoint signer from a Web Crypto Ed25519 key pair (`crypto.subtle.generateKey` or
 * `importKey`; the private key may be non-extractable).
 *
 * @example
 * ```ts nocheck
 * import { webCryptoSigner } from 'capa-kit/proofs';
 *
 * const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
 * const signer = await webCryptoSigner('acme.example/capa', pair);
 * ```
 */
export async function webCryptoSigner(name: string, keys: { readonly privateKey: CryptoKey; readonly publicKey: CryptoKey }): Promise<CheckpointSigner> {
  if (keys.privateKey.algorithm.name !== 'Ed25519' || keys.publicKey.algorithm.name !== 'Ed25519') {
    throw new MalformedKeyError('public key', 'algorithm', 'the Web Crypto keys are not Ed25519');
  }
  const publicKey = new Uint8Array(await subtle().exportKey('raw', keys.publicKey));
  return createCheckpointSigner({ name, publicKey, sign: (message) => webCryptoSign(keys.privateKey, message) });
}

interface NodeCrypto {
  sign(algorithm: null, data: Uint8Array, key: KeyObject): Uint8Array;
  createPublicKey(key: KeyObject): KeyObject;
}

/**
 * A checkpoint signer from a Node `KeyObject` holding an Ed25519 private key
 * (`crypto.createPrivateKey(pem)`, `crypto.generateKeyPairSync('ed25519')`).
 *
 * @example
 * ```ts nocheck
 * import { generateKeyPairSync } from 'node:crypto';
 * import { nodeCryptoSigner } from 'capa-kit/proofs';
 *
 * const { privateKey } = generateKeyPairSync('ed25519');
 * const signer = nodeCryptoSigner('acme.example/capa', privateKey);
 * ```
 */
export function nodeCryptoSigner(name: string, privateKey: KeyObject): CheckpointSigner {
  const crypto = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
  if (crypto === undefined) throw new CryptoUnavailableError('node:crypto is not available in this runtime');
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new MalformedKeyError('public key', 'algorithm', 'the key object is not an Ed25519 private key');
  }
  const jwk = crypto.createPublicKey(privateKey).export({ format: 'jwk' }) as { x?: string };
  const publicKey = typeof jwk.x === 'string' ? fromBase64Url(jwk.x) : null;
  if (publicKey === null) throw new MalformedKeyError('public key', 'format', 'node:crypto gave no Ed25519 public key for it');
  return createCheckpointSigner({ name, publicKey, sign: async (message) => new Uint8Array(crypto.sign(null, message, privateKey)) });
}

/**
 * A checkpoint signer from a signed-note signer key, `PRIVATE+KEY+<name>+<key ID>+<base64(0x01
 * || seed)>` (Go's note.GenerateKey writes them; so does {@link generateNoteKeys}). The key
 * ID is checked against the derived public key.
 *
 * @example
 * ```ts nocheck
 * import { signerFromNoteKey } from 'capa-kit/proofs';
 *
 * const signer = await signerFromNoteKey('PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz');
 * signer.keyId.toString(16); // 'c74f20a3'
 * ```
 */
export async function signerFromNoteKey(signerKey: string): Promise<CheckpointSigner> {
  const { name, keyId, seed } = parseSignerKeyFields(signerKey);
  const { publicKey, privateKey } = await keyPairOfSeed(seed, 'signer key');
  seed.fill(0);
  if (ed25519KeyId(name, publicKey) !== keyId) throw new MalformedKeyError('signer key', 'key-id', 'the key ID is not the one of this name and key');
  return createCheckpointSigner({ name, publicKey, sign: (message) => webCryptoSign(privateKey, message) });
}

/**
 * A checkpoint signer from an Ed25519 private key in PKCS#8 PEM (`openssl genpkey
 * -algorithm ed25519`), with the name its signatures will carry.
 *
 * @example
 * ```ts nocheck
 * import { readFileSync } from 'node:fs';
 * import { signerFromPkcs8Pem } from 'capa-kit/proofs';
 *
 * const signer = await signerFromPkcs8Pem(readFileSync('checkpoint-key.pem', 'utf8'), 'acme.example/capa');
 * ```
 */
export async function signerFromPkcs8Pem(pem: string, name: string): Promise<CheckpointSigner> {
  if (!isValidKeyName(name)) throw new MalformedKeyError('private key PEM', 'name', 'a signer name is non-empty, with no space and no "+"');
  const { seed, publicKey: stated } = seedOfPkcs8Pem(pem);
  const { publicKey, privateKey } = await keyPairOfSeed(seed, 'private key PEM');
  seed.fill(0);
  if (stated !== null && !equalBytes(stated, publicKey)) throw new MalformedKeyError('private key PEM', 'format', 'the public key in the file is not the private key\'s');
  return createCheckpointSigner({ name, publicKey, sign: (message) => webCryptoSign(privateKey, message) });
}

/**
 * A checkpoint signer from a key file's text, whichever of the two forms it holds: PKCS#8
 * PEM (then `name` is required: a PEM key has none) or a signed-note signer key (then
 * `name`, if given, must be the key's). What `capa checkpoint --key FILE` reads.
 *
 * @example
 * ```ts nocheck
 * import { readFileSync } from 'node:fs';
 * import { signerFromKeyFile } from 'capa-kit/proofs';
 *
 * const signer = await signerFromKeyFile(readFileSync('checkpoint.key', 'utf8'), { name: 'acme.example/capa/acme' });
 * ```
 */
export async function signerFromKeyFile(text: string, options: { readonly name?: string } = {}): Promise<CheckpointSigner> {
  if (isPem(text)) {
    if (options.name === undefined) throw new MalformedKeyError('private key PEM', 'name', 'a PEM key has no name: give the name its signatures carry (the origin)');
    return signerFromPkcs8Pem(text, options.name);
  }
  const signer = await signerFromNoteKey(text.replace(/\r?\n$/, ''));
  if (options.name !== undefined && options.name !== signer.name) {
    throw new MalformedKeyError('signer key', 'name', `the key is named ${JSON.stringify(signer.name)}, not ${JSON.stringify(options.name)}`);
  }
  return signer;
}

/**
 * A new Ed25519 key pair in signed-note form, as Go's note.GenerateKey makes it: the
 * signer key (secret: store it where the signer runs, never with the log) and the
 * verifier key (public: give it to auditors).
 *
 * @example
 * ```ts nocheck
 * import { generateNoteKeys } from 'capa-kit/proofs';
 *
 * const { signerKey, verifierKey } = await generateNoteKeys('acme.example/capa');
 * verifierKey.startsWith('acme.example/capa+'); // true
 * ```
 */
export async function generateNoteKeys(name: string): Promise<{ readonly signerKey: string; readonly verifierKey: string }> {
  if (!isValidKeyName(name)) throw new MalformedKeyError('signer key', 'name', 'a key name is non-empty, with no space and no "+"');
  const { seed, publicKey } = await generateSeed();
  const signerKey = formatSignerKey(name, seed, publicKey);
  seed.fill(0);
  return { signerKey, verifierKey: formatVerifierKey(name, publicKey) };
}

/**
 * The verifier key of a signer: `<name>+<key ID>+<base64(0x01 || public key)>`, for auditors.
 *
 * @example
 * ```ts nocheck
 * import { verifierKeyOf, type CheckpointSigner } from 'capa-kit/proofs';
 *
 * declare const signer: CheckpointSigner;
 * console.log(verifierKeyOf(signer));
 * ```
 */
export const verifierKeyOf = (signer: CheckpointSigner): string => formatVerifierKey(signer.name, signer.publicKey);
