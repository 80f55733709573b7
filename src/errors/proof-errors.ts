import { CapaError } from './capa-error.js';
import { CAPA_ERROR_CODES } from './codes.js';

// The errors of signed notes, keys, checkpoints and Merkle proofs (issue 16). Messages name
// the rule that failed and never echo private key material.

/** A key's name and key ID, as a signature line names them: `name+0a1b2c3d`. */
const keyLabel = (name: string, keyId: number): string => `${name}+${(keyId >>> 0).toString(16).padStart(8, '0')}`;

/**
 * The rule of the signed-note format (C2SP signed-note) that a note breaks.
 *
 * @example
 * ```ts nocheck
 * import type { NoteRule } from 'capa-kit/proofs';
 *
 * const rule: NoteRule = 'too-many-signatures';
 * ```
 */
export type NoteRule =
  /** The note is not well-formed UTF-8 (a lone surrogate in a string, or invalid bytes). */
  | 'utf8'
  /** An ASCII control character other than newline. */
  | 'control-character'
  /** No blank line followed by signature lines ending in a newline. */
  | 'no-signature-block'
  /** A signature line that is not `— <name> <base64(key ID || signature)>`. */
  | 'signature-line'
  /** More than 100 signature lines (the limit Go's golang.org/x/mod/sumdb/note applies). */
  | 'too-many-signatures'
  /** The text to sign does not end in a newline, or the signer's name is not a valid key name. */
  | 'text';

/**
 * A signed note that is not well formed: refused before any signature is checked.
 *
 * @example
 * ```ts nocheck
 * import { MalformedNoteError, parseNote } from 'capa-kit/proofs';
 *
 * try {
 *   parseNote('no signatures here\n');
 * } catch (error) {
 *   if (error instanceof MalformedNoteError) console.log(error.rule); // 'no-signature-block'
 * }
 * ```
 */
export class MalformedNoteError extends CapaError {
  readonly rule: NoteRule;

  constructor(rule: NoteRule, detail: string) {
    super(CAPA_ERROR_CODES.noteMalformed, `Malformed signed note: ${detail}`);
    this.rule = rule;
  }
}

/**
 * A signature of a note, by key name and key ID (without the signature bytes).
 *
 * @example
 * ```ts nocheck
 * import type { NoteKeyRef } from 'capa-kit/proofs';
 *
 * const ref: NoteKeyRef = { name: 'PeterNeumann', keyId: 0xc74f20a3 };
 * ```
 */
export interface NoteKeyRef {
  readonly name: string;
  /** The 32-bit key ID, as an unsigned integer. */
  readonly keyId: number;
}

/**
 * No signature on the note is by a known key: its text must be ignored. Lists the
 * signatures it does carry, so a message can say which keys would be needed.
 *
 * @example
 * ```ts nocheck
 * import { openNote, UnverifiedNoteError } from 'capa-kit/proofs';
 *
 * declare const note: string;
 * try {
 *   await openNote(note, []);
 * } catch (error) {
 *   if (error instanceof UnverifiedNoteError) console.log(error.unverified.map((sig) => sig.name));
 * }
 * ```
 */
export class UnverifiedNoteError extends CapaError {
  readonly unverified: readonly NoteKeyRef[];

  constructor(unverified: readonly NoteKeyRef[]) {
    const named = unverified.map((sig) => keyLabel(sig.name, sig.keyId)).join(', ');
    super(CAPA_ERROR_CODES.noteUnverified, `The note has no signature by a known key (it is signed by ${named}).`);
    this.unverified = unverified;
  }
}

/**
 * A signature by a known key (name and key ID match) that does not verify: the note was
 * changed after signing, or the signature was forged. The whole note is refused.
 *
 * @example
 * ```ts nocheck
 * import { InvalidNoteSignatureError } from 'capa-kit/proofs';
 *
 * new InvalidNoteSignatureError('PeterNeumann', 0xc74f20a3).message;
 * // 'Invalid signature for key PeterNeumann+c74f20a3: the note was changed after it was signed, or the signature is forged.'
 * ```
 */
export class InvalidNoteSignatureError extends CapaError {
  readonly keyName: string;
  readonly keyId: number;

  constructor(keyName: string, keyId: number) {
    super(
      CAPA_ERROR_CODES.noteInvalidSignature,
      `Invalid signature for key ${keyLabel(keyName, keyId)}: the note was changed after it was signed, or the signature is forged.`,
    );
    this.keyName = keyName;
    this.keyId = keyId;
  }
}

/**
 * Two of the known public keys have the same name and key ID, and a signature names
 * them: which one is meant cannot be told (Go reports `ambiguous key`). Someone has
 * tampered with the key list, or two keys collide; fix the list.
 *
 * @example
 * ```ts nocheck
 * import { AmbiguousKeyError } from 'capa-kit/proofs';
 *
 * new AmbiguousKeyError('EnochRoot', 0xaf0cfe78).message; // starts with 'Ambiguous key EnochRoot+af0cfe78'
 * ```
 */
export class AmbiguousKeyError extends CapaError {
  readonly keyName: string;
  readonly keyId: number;

  constructor(keyName: string, keyId: number) {
    super(CAPA_ERROR_CODES.noteAmbiguousKey, `Ambiguous key ${keyLabel(keyName, keyId)}: two of the known public keys have this name and key ID.`);
    this.keyName = keyName;
    this.keyId = keyId;
  }
}

/**
 * What is wrong with a key.
 *
 * @example
 * ```ts nocheck
 * import type { KeyProblem } from 'capa-kit/proofs';
 *
 * const problem: KeyProblem = 'key-id';
 * ```
 */
export type KeyProblem =
  /** It does not parse (fields, hex, base64, DER, PEM armour, lengths). */
  | 'format'
  /** It names a signature algorithm other than Ed25519 (type byte 0x01). */
  | 'algorithm'
  /** Its key ID is not the first four bytes of SHA-256(name || 0x0A || 0x01 || public key). */
  | 'key-id'
  /** Its name is not a valid key name (empty, a Unicode space or a `+`), or not the name asked for. */
  | 'name'
  /** An encrypted PKCS#8 file: decrypt it first (`openssl pkcs8 -in key.pem -out plain.pem`). */
  | 'encrypted';

/**
 * A key that cannot be used: a signed-note verifier key (`<name>+<key ID>+<base64>`), a
 * signer key (`PRIVATE+KEY+…`), or a PEM file. The message says what is wrong and never
 * shows the key itself.
 *
 * @example
 * ```ts nocheck
 * import { MalformedKeyError, parseVerifierKey } from 'capa-kit/proofs';
 *
 * try {
 *   parseVerifierKey('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW');
 * } catch (error) {
 *   if (error instanceof MalformedKeyError) console.log(error.problem); // 'key-id'
 * }
 * ```
 */
export class MalformedKeyError extends CapaError {
  /** What kind of key it was read as. */
  readonly kind: 'verifier key' | 'signer key' | 'private key PEM' | 'public key PEM' | 'public key';
  readonly problem: KeyProblem;

  constructor(kind: MalformedKeyError['kind'], problem: KeyProblem, detail: string) {
    super(CAPA_ERROR_CODES.keyMalformed, `Malformed ${kind}: ${detail}`);
    this.kind = kind;
    this.problem = problem;
  }
}

/**
 * A signed note whose text is not a capa-kit checkpoint: `line` (from 1) is the line
 * that breaks `rule`, or `null` for the text as a whole.
 *
 * @example
 * ```ts nocheck
 * import { MalformedCheckpointError, parseCheckpointText } from 'capa-kit/proofs';
 *
 * try {
 *   parseCheckpointText('acme.example/capa/acme\n012\n');
 * } catch (error) {
 *   if (error instanceof MalformedCheckpointError) console.log(error.line, error.rule);
 * }
 * ```
 */
export class MalformedCheckpointError extends CapaError {
  readonly line: number | null;
  readonly rule: 'lines' | 'origin' | 'size' | 'root' | 'tips' | 'empty-tree';

  constructor(line: number | null, rule: MalformedCheckpointError['rule'], detail: string) {
    super(CAPA_ERROR_CODES.checkpointMalformed, `Malformed checkpoint${line === null ? '' : ` (line ${line})`}: ${detail}`);
    this.line = line;
    this.rule = rule;
  }
}

/**
 * A checkpoint for another log: its origin is not the one the verifier expects.
 *
 * @example
 * ```ts nocheck
 * import { CheckpointOriginError } from 'capa-kit/proofs';
 *
 * new CheckpointOriginError('acme.example/capa/acme', 'acme.example/capa/globex').found; // 'acme.example/capa/globex'
 * ```
 */
export class CheckpointOriginError extends CapaError {
  readonly expected: string;
  readonly found: string;

  constructor(expected: string, found: string) {
    super(CAPA_ERROR_CODES.checkpointOrigin, `The checkpoint is for ${JSON.stringify(found)}, not ${JSON.stringify(expected)}: it belongs to another log.`);
    this.expected = expected;
    this.found = found;
  }
}

/**
 * The checkpoint signer failed, or its signature does not verify under its own public
 * key (a misconfigured KMS, say). Nothing was signed.
 *
 * @example
 * ```ts nocheck
 * import { CheckpointSignerError } from 'capa-kit/proofs';
 *
 * new CheckpointSignerError('acme.example/capa', 'its signature does not verify').code; // 'CAPA_CHECKPOINT_SIGNER'
 * ```
 */
export class CheckpointSignerError extends CapaError {
  readonly signer: string;

  constructor(signer: string, detail: string, options?: { cause?: unknown }) {
    super(CAPA_ERROR_CODES.checkpointSigner, `Checkpoint signer ${signer}: ${detail}. Nothing was signed.`, options);
    this.signer = signer;
  }
}

/**
 * A Merkle proof that does not hold: malformed (a hash that is not 32 bytes, bad JSON),
 * for an index or size out of range, of the wrong length, or leading to another root.
 *
 * @example
 * ```ts nocheck
 * import { InvalidProofError, verifyInclusion } from 'capa-kit/proofs';
 *
 * declare const leafHash: Uint8Array, root: Uint8Array, path: Uint8Array[];
 * try {
 *   verifyInclusion(leafHash, 3, 8, path, root);
 * } catch (error) {
 *   if (error instanceof InvalidProofError) console.log(error.proof, error.problem);
 * }
 * ```
 */
export class InvalidProofError extends CapaError {
  readonly proof: 'inclusion' | 'consistency';
  readonly problem: 'malformed' | 'out-of-range' | 'length' | 'root-mismatch';

  constructor(proof: InvalidProofError['proof'], problem: InvalidProofError['problem'], detail: string) {
    super(CAPA_ERROR_CODES.proofInvalid, `Invalid ${proof} proof: ${detail}`);
    this.proof = proof;
    this.problem = problem;
  }
}

/**
 * This runtime has no Ed25519 where capa-kit looks for one (Web Crypto's `crypto.subtle`
 * with Ed25519; `node:crypto` for a Node key object), and none was passed in.
 *
 * @example
 * ```ts nocheck
 * import { CryptoUnavailableError } from 'capa-kit/proofs';
 *
 * new CryptoUnavailableError('Web Crypto has no Ed25519 here').code; // 'CAPA_CRYPTO_UNAVAILABLE'
 * ```
 */
export class CryptoUnavailableError extends CapaError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(CAPA_ERROR_CODES.cryptoUnavailable, `No Ed25519 in this runtime: ${detail}. Pass an implementation (for instance one built on @noble/ed25519).`, options);
  }
}
