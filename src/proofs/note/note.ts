import {
  AmbiguousKeyError,
  InvalidNoteSignatureError,
  MalformedNoteError,
  type NoteKeyRef,
  UnverifiedNoteError,
} from '../../errors/proof-errors.js';
import { concatBytes, fromBase64, fromUtf8, isWellFormed, readUint32, toBase64, utf8, writeUint32 } from '../bytes.js';
import { type Ed25519Verify, webCryptoVerify } from './ed25519.js';
import { isValidKeyName, type PublicKeyInput, toPublicKeys } from './keys.js';

// C2SP signed-note (c2sp.org/signed-note), read as Go's golang.org/x/mod/sumdb/note.Open
// reads it: a text ending in a newline, a blank line, then signature lines
// `— <key name> <base64(4-byte key ID || signature)>`, each ending in a newline.

/**
 * The most signatures a note may carry, as Go's note.Open allows (C2SP asks for at least 16).
 *
 * @example
 * ```ts nocheck
 * import { MAX_NOTE_SIGNATURES, type NoteSigner } from 'capa-kit/proofs';
 *
 * declare const witnesses: NoteSigner[];
 * if (witnesses.length + 1 > MAX_NOTE_SIGNATURES) throw new RangeError('too many co-signers');
 * ```
 */
export const MAX_NOTE_SIGNATURES = 100;

const SIGNATURE_PREFIX = '\u2014 '; // em dash, space
// ASCII control characters other than newline.
const CONTROL = /[\u0000-\u0009\u000b-\u001f]/;

/**
 * One signature line of a note: the key's name and ID, the signature bytes (without the
 * key ID) and the line's base64 as written.
 *
 * @example
 * ```ts nocheck
 * import { parseNote, type NoteSignature } from 'capa-kit/proofs';
 *
 * declare const note: string;
 * const first: NoteSignature | undefined = parseNote(note).signatures[0];
 * ```
 */
export interface NoteSignature extends NoteKeyRef {
  readonly signature: Uint8Array;
  readonly base64: string;
}

/**
 * A note split into its text (with its final newline) and its signature lines, in order.
 *
 * @example
 * ```ts nocheck
 * import { parseNote, type ParsedNote } from 'capa-kit/proofs';
 *
 * declare const note: string;
 * const parsed: ParsedNote = parseNote(note);
 * ```
 */
export interface ParsedNote {
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** Refuses a string that is not well-formed or holds a control character other than newline. */
function checkCharacters(text: string): void {
  if (!isWellFormed(text)) throw new MalformedNoteError('utf8', 'the note is not well-formed Unicode (a lone surrogate)');
  const control = CONTROL.exec(text);
  if (control !== null) throw new MalformedNoteError('control-character', `control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} at offset ${control.index}`);
}

/**
 * Parses a signed note strictly, checking no signature: UTF-8 (bytes) or a well-formed
 * string, no control character but newline, a text ending in a newline, the blank line,
 * at most {@link MAX_NOTE_SIGNATURES} well-formed signature lines. Anything else is a
 * {@link MalformedNoteError} whose `rule` says what.
 *
 * @example
 * ```ts nocheck
 * import { parseNote } from 'capa-kit/proofs';
 *
 * const note = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
 * parseNote(note).signatures[0]?.name; // 'PeterNeumann'
 * ```
 */
export function parseNote(note: string | Uint8Array): ParsedNote {
  let message: string;
  if (typeof note === 'string') message = note;
  else {
    const decoded = fromUtf8(note);
    if (decoded === null) throw new MalformedNoteError('utf8', 'the note is not valid UTF-8');
    message = decoded;
  }
  checkCharacters(message);
  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw new MalformedNoteError('no-signature-block', 'no blank line before the signatures');
  const text = message.slice(0, split + 1);
  const block = message.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) throw new MalformedNoteError('no-signature-block', 'the signature lines must follow the blank line, each ending in a newline');
  const lines = block.slice(0, -1).split('\n');
  const signatures: NoteSignature[] = [];
  for (const [i, line] of lines.entries()) {
    const bad = (detail: string) => new MalformedNoteError('signature-line', `signature line ${i + 1}: ${detail}`);
    if (!line.startsWith(SIGNATURE_PREFIX)) throw bad('it does not start with an em dash and a space');
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.indexOf(' ');
    const name = space < 0 ? rest : rest.slice(0, space);
    const encoded = space < 0 ? '' : rest.slice(space + 1);
    if (!isValidKeyName(name)) throw bad('the key name is empty or has a space or a "+"');
    const bytes = fromBase64(encoded);
    if (bytes === null || encoded === '') throw bad('the signature is not canonical, padded base64');
    if (bytes.length < 5) throw bad('a signature is a 4-byte key ID and at least one byte');
    if (i + 1 > MAX_NOTE_SIGNATURES) throw new MalformedNoteError('too-many-signatures', `more than ${MAX_NOTE_SIGNATURES} signatures`);
    signatures.push({ name, keyId: readUint32(bytes, 0), signature: bytes.slice(4), base64: encoded });
  }
  return { text, signatures };
}

/**
 * A note whose signatures were checked: its text, the signatures by known keys (each
 * verified), and those by unknown keys (ignored, as signed-note requires).
 *
 * @example
 * ```ts nocheck
 * import { openNote, type OpenedNote } from 'capa-kit/proofs';
 *
 * declare const note: string, keys: string[];
 * const opened: OpenedNote = await openNote(note, keys);
 * console.log(opened.verified.map((sig) => sig.name));
 * ```
 */
export interface OpenedNote {
  readonly text: string;
  readonly verified: readonly NoteSignature[];
  readonly unverified: readonly NoteSignature[];
}

/**
 * Options of {@link openNote}.
 *
 * @example
 * ```ts nocheck
 * import type { OpenNoteOptions } from 'capa-kit/proofs';
 *
 * declare const noble: { verifyAsync(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Promise<boolean> };
 * const options: OpenNoteOptions = { verify: (publicKey, message, signature) => noble.verifyAsync(signature, message, publicKey) };
 * ```
 */
export interface OpenNoteOptions {
  /** Ed25519 verification. Default: Web Crypto's. */
  readonly verify?: Ed25519Verify;
}

const keyOf = (name: string, keyId: number) => `${name}\u0000${keyId >>> 0}`;

/**
 * Opens a signed note against known public keys, as Go's note.Open does: a signature whose
 * name and key ID match no known key is set aside (unverified); one that matches exactly
 * one key must verify, or the whole note is refused ({@link InvalidNoteSignatureError});
 * one that matches two known keys is an {@link AmbiguousKeyError}. A repeated signature by
 * a known key is checked once; repeated identical unknown lines are listed once. With no
 * verified signature the note is an {@link UnverifiedNoteError}. Malformed notes are
 * refused first ({@link parseNote}).
 *
 * @example
 * ```ts nocheck
 * import { openNote } from 'capa-kit/proofs';
 *
 * declare const note: string;
 * const opened = await openNote(note, ['PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW']);
 * opened.text; // the signed text, now trusted
 * ```
 */
export async function openNote(note: string | Uint8Array, keys: readonly PublicKeyInput[], options: OpenNoteOptions = {}): Promise<OpenedNote> {
  const known = new Map<string, ReturnType<typeof toPublicKeys>>();
  for (const key of toPublicKeys(keys)) {
    const id = keyOf(key.name, key.keyId);
    known.set(id, [...(known.get(id) ?? []), key]);
  }
  const { text, signatures } = parseNote(note);
  const message = utf8(text);
  const verify = options.verify ?? webCryptoVerify;
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seen = new Set<string>();
  const seenUnknown = new Set<string>();
  for (const signature of signatures) {
    const id = keyOf(signature.name, signature.keyId);
    const matches = known.get(id);
    if (matches === undefined) {
      const line = `${signature.name} ${signature.base64}`;
      if (!seenUnknown.has(line)) unverified.push(signature);
      seenUnknown.add(line);
      continue;
    }
    if (matches.length > 1) throw new AmbiguousKeyError(signature.name, signature.keyId);
    if (seen.has(id)) continue;
    seen.add(id);
    const ok = signature.signature.length === 64 && (await verify(matches[0]!.publicKey, message, signature.signature));
    if (!ok) throw new InvalidNoteSignatureError(signature.name, signature.keyId);
    verified.push(signature);
  }
  if (verified.length === 0) throw new UnverifiedNoteError(unverified.map(({ name, keyId }) => ({ name, keyId })));
  return { text, verified, unverified };
}

/**
 * What signs a note: a key's name and 32-bit key ID, and its signature over a message
 * (the note's text as UTF-8).
 *
 * @example
 * ```ts nocheck
 * import type { NoteSigner } from 'capa-kit/proofs';
 *
 * declare function kmsSign(message: Uint8Array): Promise<Uint8Array>; // Ed25519 in a KMS
 * const signer: NoteSigner = { name: 'acme.example/capa', keyId: 0x1a2b3c4d, sign: kmsSign };
 * ```
 */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/**
 * Signs a text as a note: the text (which must end in a newline and be a valid note text),
 * a blank line, one signature line per signer, in order.
 *
 * @example
 * ```ts nocheck
 * import { signNote, type NoteSigner } from 'capa-kit/proofs';
 *
 * declare const signer: NoteSigner;
 * const note = await signNote('acme.example/capa/acme\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n', [signer]);
 * ```
 */
export async function signNote(text: string, signers: readonly NoteSigner[]): Promise<string> {
  if (!text.endsWith('\n')) throw new MalformedNoteError('text', 'the text to sign must end in a newline');
  checkCharacters(text);
  if (signers.length < 1 || signers.length > MAX_NOTE_SIGNATURES) throw new MalformedNoteError('text', `a note carries 1 to ${MAX_NOTE_SIGNATURES} signatures, not ${signers.length}`);
  const message = utf8(text);
  let lines = '';
  for (const signer of signers) {
    if (!isValidKeyName(signer.name)) throw new MalformedNoteError('text', 'a signer\'s name is empty or has a space or a "+"');
    const signature = await signer.sign(message);
    const keyId = new Uint8Array(4);
    writeUint32(keyId, 0, signer.keyId);
    lines += `${SIGNATURE_PREFIX}${signer.name} ${toBase64(concatBytes(keyId, signature))}\n`;
  }
  return `${text}\n${lines}`;
}
