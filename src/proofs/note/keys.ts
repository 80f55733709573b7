import { MalformedKeyError } from '../../errors/proof-errors.js';
import { concatBytes, fromBase64, isWellFormed, keyIdHex, readUint32, toBase64, utf8 } from '../bytes.js';
import { sha256 } from '../sha256.js';
import { seedOfPkcs8 } from './ed25519.js';

// Key names, key IDs and the text forms of keys of C2SP signed-note and Go's
// golang.org/x/mod/sumdb/note: the verifier key `<name>+<hex key ID>+<base64(0x01 || public
// key)>` and the signer key `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>`, plus
// Ed25519 keys in PEM (PKCS#8 private, SPKI public).

/**
 * The signature type byte of Ed25519 in signed notes.
 *
 * @example
 * ```ts nocheck
 * import { ED25519_TYPE } from 'capa-kit/proofs';
 *
 * declare const publicKey: Uint8Array;
 * const keyData = new Uint8Array([ED25519_TYPE, ...publicKey]); // what a verifier key's base64 holds
 * ```
 */
export const ED25519_TYPE = 0x01;

// Go's unicode.IsSpace: the Latin-1 spaces (U+0085 and U+00A0 included) and Unicode's White_Space.
const SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;

/**
 * Whether `name` is a valid key name: non-empty, well-formed, with no Unicode space and no
 * `+` (signed-note; Go's isValidName).
 *
 * @example
 * ```ts nocheck
 * import { isValidKeyName } from 'capa-kit/proofs';
 *
 * isValidKeyName('acme.example/capa'); // true
 * isValidKeyName('a+b'); // false
 * ```
 */
export function isValidKeyName(name: string): boolean {
  return name !== '' && isWellFormed(name) && !SPACE.test(name) && !name.includes('+');
}

/**
 * The key ID of an Ed25519 key: the first four bytes, big-endian, of SHA-256(name || 0x0A
 * || 0x01 || the 32-byte public key).
 *
 * @example
 * ```ts nocheck
 * import { ed25519KeyId } from 'capa-kit/proofs';
 *
 * declare const publicKey: Uint8Array;
 * ed25519KeyId('PeterNeumann', publicKey).toString(16); // 'c74f20a3' for Go's test key
 * ```
 */
export function ed25519KeyId(name: string, publicKey: Uint8Array): number {
  return readUint32(sha256(concatBytes(utf8(name), new Uint8Array([0x0a, ED25519_TYPE]), publicKey)), 0);
}

/**
 * An Ed25519 public key with its signed-note name and key ID: what verifies a signature
 * line `— <name> …` whose key ID matches.
 *
 * @example
 * ```ts nocheck
 * import { parseVerifierKey, type NotePublicKey } from 'capa-kit/proofs';
 *
 * const key: NotePublicKey = parseVerifierKey('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
 * ```
 */
export interface NotePublicKey {
  readonly name: string;
  readonly keyId: number;
  /** The raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
}

/** Splits at the first `sep`, as Go's note.chop does. */
function chop(text: string, sep: string): [string, string] {
  const at = text.indexOf(sep);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + sep.length)];
}

const HEX_ID = /^[0-9a-f]{8}$/;

/**
 * Parses a verifier key, `<name>+<key ID as 8 lowercase hex digits>+<base64(0x01 || 32-byte
 * public key)>`, as Go's note.NewVerifier does (in its order of checks), and stricter in
 * two ways: the hex must be lowercase (C2SP) and the base64 canonical. Throws a
 * {@link MalformedKeyError} (`problem`: `format`, `name`, `key-id`, `algorithm`).
 *
 * @example
 * ```ts nocheck
 * import { parseVerifierKey } from 'capa-kit/proofs';
 *
 * const key = parseVerifierKey('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
 * key.keyId === 0xc74f20a3; // true
 * ```
 */
export function parseVerifierKey(text: string): NotePublicKey {
  const bad = (problem: MalformedKeyError['problem'], detail: string) => new MalformedKeyError('verifier key', problem, detail);
  const [name, rest] = chop(text, '+');
  const [hex, encoded] = chop(rest, '+');
  if (!isValidKeyName(name)) throw bad('name', 'the name is empty or has a space or a "+" (expected <name>+<key ID>+<base64 key>)');
  if (!HEX_ID.test(hex)) throw bad('format', 'the key ID is not 8 lowercase hex digits (expected <name>+<key ID>+<base64 key>)');
  const key = fromBase64(encoded);
  if (key === null || key.length === 0) throw bad('format', 'the key is not canonical, padded base64');
  const keyId = parseInt(hex, 16);
  if (keyId !== readUint32(sha256(concatBytes(utf8(name), new Uint8Array([0x0a]), key)), 0)) throw bad('key-id', `key ID ${hex} is not the one of this name and key`);
  if (key[0] !== ED25519_TYPE) throw bad('algorithm', `signature type 0x${key[0]!.toString(16).padStart(2, '0')} is not Ed25519 (0x01)`);
  if (key.length !== 33) throw bad('format', `an Ed25519 key is 32 bytes, not ${key.length - 1}`);
  return { name, keyId, publicKey: key.slice(1) };
}

/**
 * The verifier key text of an Ed25519 public key: `<name>+<key ID>+<base64(0x01 || key)>`,
 * what `parseVerifierKey` and Go's note.NewVerifier read.
 *
 * @example
 * ```ts nocheck
 * import { formatVerifierKey } from 'capa-kit/proofs';
 *
 * declare const publicKey: Uint8Array;
 * console.log(formatVerifierKey('acme.example/capa', publicKey)); // give this to auditors
 * ```
 */
export function formatVerifierKey(name: string, publicKey: Uint8Array): string {
  if (!isValidKeyName(name)) throw new MalformedKeyError('public key', 'name', 'the name is empty or has a space or a "+"');
  if (publicKey.length !== 32) throw new MalformedKeyError('public key', 'format', `an Ed25519 public key is 32 bytes, not ${publicKey.length}`);
  return `${name}+${keyIdHex(ed25519KeyId(name, publicKey))}+${toBase64(concatBytes(new Uint8Array([ED25519_TYPE]), publicKey))}`;
}

/**
 * The fields of a signer key, `PRIVATE+KEY+<name>+<key ID>+<base64(0x01 || seed)>`, as
 * Go's note.NewSigner reads them; the key ID is checked once the public key is derived
 * (`signerFromNoteKey`). Never logged: the seed is the private key.
 */
export function parseSignerKeyFields(text: string): { readonly name: string; readonly keyId: number; readonly seed: Uint8Array } {
  const bad = (problem: MalformedKeyError['problem'], detail: string) => new MalformedKeyError('signer key', problem, detail);
  const [private1, rest1] = chop(text, '+');
  const [private2, rest2] = chop(rest1, '+');
  const [name, rest3] = chop(rest2, '+');
  const [hex, encoded] = chop(rest3, '+');
  if (private1 !== 'PRIVATE' || private2 !== 'KEY') throw bad('format', 'it does not start with PRIVATE+KEY+ (expected PRIVATE+KEY+<name>+<key ID>+<base64 key>)');
  if (!isValidKeyName(name)) throw bad('name', 'the name is empty or has a space or a "+"');
  if (!HEX_ID.test(hex)) throw bad('format', 'the key ID is not 8 lowercase hex digits');
  const key = fromBase64(encoded);
  if (key === null || key.length === 0) throw bad('format', 'the key is not canonical, padded base64');
  if (key[0] !== ED25519_TYPE) throw bad('algorithm', 'the signature type is not Ed25519 (0x01)');
  if (key.length !== 33) throw bad('format', 'an Ed25519 seed is 32 bytes');
  return { name, keyId: parseInt(hex, 16), seed: key.slice(1) };
}

/** The signer key text of an Ed25519 seed (secret: give it only to the signer). */
export function formatSignerKey(name: string, seed: Uint8Array, publicKey: Uint8Array): string {
  return `PRIVATE+KEY+${name}+${keyIdHex(ed25519KeyId(name, publicKey))}+${toBase64(concatBytes(new Uint8Array([ED25519_TYPE]), seed))}`;
}

/** The DER inside PEM armour with this label, or `null` when there is no such block. */
function pemBody(text: string, label: string): Uint8Array | null | 'malformed' {
  const match = new RegExp(`-----BEGIN ${label}-----\\r?\\n([A-Za-z0-9+/=\\r\\n]*?)\\r?\\n?-----END ${label}-----`).exec(text);
  if (match === null) return null;
  return fromBase64(match[1]!.replace(/\r?\n/g, '')) ?? 'malformed';
}

/** Whether the text holds PEM armour at all. */
export const isPem = (text: string): boolean => /-----BEGIN [A-Z0-9 ]+-----/.test(text);

/**
 * The Ed25519 seed of a PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`, RFC 8410:
 * what `openssl genpkey -algorithm ed25519` writes). An encrypted key, another algorithm
 * or a malformed file is a {@link MalformedKeyError}; the message never shows the key.
 */
export function seedOfPkcs8Pem(text: string): { readonly seed: Uint8Array; readonly publicKey: Uint8Array | null } {
  const bad = (problem: MalformedKeyError['problem'], detail: string) => new MalformedKeyError('private key PEM', problem, detail);
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text)) throw bad('encrypted', 'the key is encrypted; decrypt it first (openssl pkcs8 -in key.pem -out plain.pem)');
  const der = pemBody(text, 'PRIVATE KEY');
  if (der === null) throw bad('format', 'no -----BEGIN PRIVATE KEY----- block (PKCS#8)');
  if (der === 'malformed') throw bad('format', 'the PEM body is not base64');
  const found = seedOfPkcs8(der);
  if (found === null) throw bad('algorithm', 'not an Ed25519 PKCS#8 key (RFC 8410; openssl genpkey -algorithm ed25519)');
  return found;
}

// RFC 8410 §4: SubjectPublicKeyInfo { AlgorithmIdentifier { id-Ed25519 }, BIT STRING key }.
const SPKI_PREFIX = new Uint8Array([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

/**
 * An Ed25519 public key from SPKI PEM (`-----BEGIN PUBLIC KEY-----`, as `openssl pkey
 * -pubout` writes it), named: a PEM key has no name, so say the one its signatures use
 * (usually the log's origin).
 *
 * @example
 * ```ts nocheck
 * import { publicKeyFromPem } from 'capa-kit/proofs';
 *
 * declare const pem: string; // -----BEGIN PUBLIC KEY----- …
 * const key = publicKeyFromPem(pem, 'acme.example/capa/acme');
 * ```
 */
export function publicKeyFromPem(text: string, name: string): NotePublicKey {
  const bad = (problem: MalformedKeyError['problem'], detail: string) => new MalformedKeyError('public key PEM', problem, detail);
  if (!isValidKeyName(name)) throw bad('name', 'the name is empty or has a space or a "+"');
  const der = pemBody(text, 'PUBLIC KEY');
  if (der === null) throw bad('format', 'no -----BEGIN PUBLIC KEY----- block (SPKI)');
  if (der === 'malformed') throw bad('format', 'the PEM body is not base64');
  if (der.length !== 44 || !SPKI_PREFIX.every((byte, i) => der[i] === byte)) throw bad('algorithm', 'not an Ed25519 public key (RFC 8410)');
  const publicKey = der.slice(12);
  return { name, keyId: ed25519KeyId(name, publicKey), publicKey };
}

/**
 * A public key given as a verifier key (`<name>+<key ID>+<base64>`), or already parsed.
 *
 * @example
 * ```ts nocheck
 * import type { PublicKeyInput } from 'capa-kit/proofs';
 *
 * const keys: PublicKeyInput[] = ['PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'];
 * ```
 */
export type PublicKeyInput = string | NotePublicKey;

/** Parses verifier key strings; checks parsed keys' shape and key ID. */
export function toPublicKeys(keys: readonly PublicKeyInput[]): NotePublicKey[] {
  return keys.map((key) => {
    if (typeof key === 'string') return parseVerifierKey(key);
    if (!isValidKeyName(key.name)) throw new MalformedKeyError('public key', 'name', 'the name is empty or has a space or a "+"');
    if (!(key.publicKey instanceof Uint8Array) || key.publicKey.length !== 32) throw new MalformedKeyError('public key', 'format', 'an Ed25519 public key is 32 bytes');
    if (key.keyId !== ed25519KeyId(key.name, key.publicKey)) throw new MalformedKeyError('public key', 'key-id', `key ID ${keyIdHex(key.keyId)} is not the one of this name and key`);
    return { name: key.name, keyId: key.keyId, publicKey: key.publicKey.slice() };
  });
}
