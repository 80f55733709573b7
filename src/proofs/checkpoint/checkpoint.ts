import { CheckpointOriginError, CheckpointSignerError, CryptoUnavailableError, type NoteKeyRef } from '../../errors/proof-errors.js';
import { keyIdHex, utf8 } from '../bytes.js';
import { type Ed25519Verify, webCryptoVerify } from '../note/ed25519.js';
import { ed25519KeyId, type PublicKeyInput } from '../note/keys.js';
import { type NoteSigner, openNote, signNote } from '../note/note.js';
import { type Checkpoint, checkpointText, parseCheckpointText } from './body.js';
import type { CheckpointSigner } from './signer.js';

/**
 * Options of {@link signCheckpoint} and {@link verifyCheckpoint}.
 *
 * @example
 * ```ts nocheck
 * import type { CheckpointOptions } from 'capa-kit/proofs';
 *
 * const options: CheckpointOptions = { origin: 'acme.example/capa/acme' };
 * ```
 */
export interface CheckpointOptions {
  /** Ed25519 verification, where Web Crypto has none. Default: Web Crypto's. */
  readonly verify?: Ed25519Verify;
  /** For `verifyCheckpoint`: the origin the checkpoint must carry (recommended: tenant ids repeat across deployments). */
  readonly origin?: string;
}

/**
 * Signs a checkpoint as a C2SP signed note: its text ({@link checkpointText}), a blank
 * line, one signature line per signer. Each signature is checked against the signer's
 * own public key before it is used, so a misconfigured signer (a KMS with another key, a
 * wrong key ID) is a {@link CheckpointSignerError}, never a checkpoint nobody can verify.
 *
 * @example
 * ```ts nocheck
 * import { signCheckpoint, type Checkpoint, type CheckpointSigner } from 'capa-kit/proofs';
 *
 * declare const checkpoint: Checkpoint, signer: CheckpointSigner;
 * const note = await signCheckpoint(checkpoint, signer);
 * ```
 */
export async function signCheckpoint(checkpoint: Checkpoint, signers: CheckpointSigner | readonly CheckpointSigner[], options: CheckpointOptions = {}): Promise<string> {
  const text = checkpointText(checkpoint);
  const message = utf8(text);
  const verify = options.verify ?? webCryptoVerify;
  const checked: NoteSigner[] = (Array.isArray(signers) ? signers : [signers as CheckpointSigner]).map((signer) => {
    const label = `${signer.name}+${keyIdHex(signer.keyId)}`;
    if (!(signer.publicKey instanceof Uint8Array) || signer.publicKey.length !== 32 || ed25519KeyId(signer.name, signer.publicKey) !== signer.keyId) {
      throw new CheckpointSignerError(label, 'its key ID is not the one of its name and public key');
    }
    return {
      name: signer.name,
      keyId: signer.keyId,
      sign: async (signed: Uint8Array) => {
        let signature: Uint8Array;
        try {
          signature = await signer.sign(signed.slice());
        } catch (error) {
          throw new CheckpointSignerError(label, `sign() failed (${error instanceof Error ? error.message : String(error)})`, { cause: error });
        }
        if (!(signature instanceof Uint8Array) || signature.length !== 64) throw new CheckpointSignerError(label, 'sign() did not return a 64-byte Ed25519 signature');
        let valid: boolean;
        try {
          valid = await verify(signer.publicKey, message, signature);
        } catch (error) {
          if (error instanceof CryptoUnavailableError) throw error;
          valid = false;
        }
        if (!valid) throw new CheckpointSignerError(label, 'its signature does not verify under its own public key (another key?)');
        return signature;
      },
    };
  });
  return signNote(text, checked);
}

/**
 * A checkpoint whose note verified: the checkpoint, the note as given, and which known
 * keys signed it (and which unknown ones).
 *
 * @example
 * ```ts nocheck
 * import { verifyCheckpoint, type VerifiedCheckpoint } from 'capa-kit/proofs';
 *
 * declare const note: string, keys: string[];
 * const checkpoint: VerifiedCheckpoint = await verifyCheckpoint(note, keys);
 * console.log(checkpoint.size, checkpoint.signedBy.map((key) => key.name));
 * ```
 */
export interface VerifiedCheckpoint extends Checkpoint {
  readonly note: string;
  readonly signedBy: readonly NoteKeyRef[];
  readonly unverified: readonly NoteKeyRef[];
}

/**
 * Verifies a signed checkpoint against the public keys the auditor trusts (verifier keys
 * `<name>+<key ID>+<base64>`, or parsed ones), then reads its text: first the note
 * (malformed: `CAPA_NOTE_MALFORMED`; no known signature: `CAPA_NOTE_UNVERIFIED`; a known
 * key's signature fails: `CAPA_NOTE_INVALID_SIGNATURE`; two known keys alike:
 * `CAPA_NOTE_AMBIGUOUS_KEY`), only then the checkpoint (`CAPA_CHECKPOINT_MALFORMED`), and
 * with `origin`, that it is this log's (`CAPA_CHECKPOINT_ORIGIN`). Unknown signatures
 * (witnesses, rotated keys) are ignored, as signed-note requires.
 *
 * @example
 * ```ts nocheck
 * import { verifyCheckpoint } from 'capa-kit/proofs';
 *
 * declare const note: string; // from the export's trailer, or capa checkpoint
 * const checkpoint = await verifyCheckpoint(note, ['acme.example/capa+1a2b3c4d+AbC…'], { origin: 'acme.example/capa/acme' });
 * checkpoint.size; // entries committed
 * ```
 */
export async function verifyCheckpoint(note: string, publicKeys: readonly PublicKeyInput[], options: CheckpointOptions = {}): Promise<VerifiedCheckpoint> {
  const opened = await openNote(note, publicKeys, options.verify === undefined ? {} : { verify: options.verify });
  const checkpoint = parseCheckpointText(opened.text);
  if (options.origin !== undefined && checkpoint.origin !== options.origin) throw new CheckpointOriginError(options.origin, checkpoint.origin);
  const ref = ({ name, keyId }: NoteKeyRef): NoteKeyRef => ({ name, keyId });
  return { ...checkpoint, note, signedBy: opened.verified.map(ref), unverified: opened.unverified.map(ref) };
}
