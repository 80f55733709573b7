import { MalformedCheckpointError } from '../../errors/proof-errors.js';
import { equalBytes, fromBase64, parseDecimal, toBase64 } from '../bytes.js';
import { emptyRoot, HASH_SIZE } from '../merkle/hash.js';
import { isValidKeyName } from '../note/keys.js';

// The checkpoint's text (C2SP tlog-checkpoint), four lines:
//
//   <origin>
//   <size>                                   the number of entries: the tenant's last tenant sequence
//   <base64 root>                            the entry tree's root (RFC 9162)
//   capa-kit/v1 tips <count> <base64 root>   the record-tip tree's size and root
//
// The fourth is an extension line (tlog-checkpoint allows them, opaque to other parties):
// "capa-kit/v1" names this scheme and version of both trees' leaves, so a verifier that
// meets another version refuses it rather than misreading it. The log's Ed25519 signature
// covers all four lines. (A witness vouches for the entry tree only: tlog-cosignature's
// Ed25519 co-signatures sign extension lines but state nothing about them, and its
// ML-DSA-44 ones do not sign them.)

/**
 * The start of the record-tip line: this scheme, version 1 of its leaf encodings, and `tips`.
 *
 * @example
 * ```ts nocheck
 * import { TIPS_LINE_PREFIX } from 'capa-kit/proofs';
 *
 * declare const text: string; // a checkpoint's text
 * const isCapaKitV1 = text.split('\n')[3]?.startsWith(TIPS_LINE_PREFIX) ?? false;
 * ```
 */
export const TIPS_LINE_PREFIX = 'capa-kit/v1 tips ';

/**
 * A capa-kit checkpoint: the log's identity (`origin`, chosen by the host, such as
 * `acme.example/capa/acme`), the entry tree's size and root, and the record-tip tree's
 * size and root.
 *
 * @example
 * ```ts nocheck
 * import { emptyRoot, type Checkpoint } from 'capa-kit/proofs';
 *
 * const empty: Checkpoint = { origin: 'acme.example/capa/acme', size: 0, root: emptyRoot(), tips: { count: 0, root: emptyRoot() } };
 * ```
 */
export interface Checkpoint {
  readonly origin: string;
  /** Entries in the entry tree: the tenant's last tenant sequence at the checkpoint. */
  readonly size: number;
  /** The entry tree's root (RFC 9162 MTH), 32 bytes. */
  readonly root: Uint8Array;
  /** The record-tip tree: one leaf per record with an entry in the tree. */
  readonly tips: { readonly count: number; readonly root: Uint8Array };
}

/** Throws unless the checkpoint's fields are coherent (used on both sides: writing and reading). */
function checkFields(checkpoint: Checkpoint): void {
  const { origin, size, root, tips } = checkpoint;
  if (!isValidKeyName(origin)) throw new MalformedCheckpointError(1, 'origin', 'the origin is empty or has a space or a "+" (a schema-less URL such as acme.example/capa/acme)');
  if (!Number.isSafeInteger(size) || size < 0) throw new MalformedCheckpointError(2, 'size', `the size ${size} is not a non-negative integer`);
  if (!(root instanceof Uint8Array) || root.length !== HASH_SIZE) throw new MalformedCheckpointError(3, 'root', 'the root is not a 32-byte hash');
  if (!Number.isSafeInteger(tips.count) || tips.count < 0 || !(tips.root instanceof Uint8Array) || tips.root.length !== HASH_SIZE) {
    throw new MalformedCheckpointError(4, 'tips', 'the record-tip tree needs a count and a 32-byte root');
  }
  // Every record has at least one entry, and every entry belongs to a record.
  if (tips.count > size || (tips.count === 0) !== (size === 0)) {
    throw new MalformedCheckpointError(4, 'tips', `${tips.count} record tips cannot go with ${size} entries`);
  }
  if (size === 0 && (!equalBytes(root, emptyRoot()) || !equalBytes(tips.root, emptyRoot()))) {
    throw new MalformedCheckpointError(null, 'empty-tree', 'an empty tree has the empty root, SHA-256 of nothing');
  }
}

/**
 * The checkpoint's note text: origin, size, base64 root, and the record-tip line, each
 * ending in a newline. Throws a {@link MalformedCheckpointError} for fields that cannot go
 * together.
 *
 * @example
 * ```ts nocheck
 * import { checkpointText, emptyRoot } from 'capa-kit/proofs';
 *
 * checkpointText({ origin: 'acme.example/capa/acme', size: 0, root: emptyRoot(), tips: { count: 0, root: emptyRoot() } });
 * // 'acme.example/capa/acme\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\ncapa-kit/v1 tips 0 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n'
 * ```
 */
export function checkpointText(checkpoint: Checkpoint): string {
  checkFields(checkpoint);
  const { origin, size, root, tips } = checkpoint;
  return `${origin}\n${size}\n${toBase64(root)}\n${TIPS_LINE_PREFIX}${tips.count} ${toBase64(tips.root)}\n`;
}

/**
 * Reads a checkpoint's note text strictly: exactly the four lines {@link checkpointText}
 * writes, decimals without leading zeros, canonical base64 of 32 bytes, and fields that
 * can go together. Anything else is a {@link MalformedCheckpointError} naming the line.
 * Only call it on the text of a note whose signature was verified (`verifyCheckpoint`
 * does both).
 *
 * @example
 * ```ts nocheck
 * import { parseCheckpointText } from 'capa-kit/proofs';
 *
 * declare const text: string;
 * const { origin, size, tips } = parseCheckpointText(text);
 * ```
 */
export function parseCheckpointText(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new MalformedCheckpointError(null, 'lines', 'the text does not end in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length !== 4) {
    throw new MalformedCheckpointError(null, 'lines', `a capa-kit checkpoint has 4 lines (origin, size, root, record tips), not ${lines.length}`);
  }
  const [origin, sizeLine, rootLine, tipsLine] = lines as [string, string, string, string];
  const size = parseDecimal(sizeLine);
  if (size === null) throw new MalformedCheckpointError(2, 'size', 'the size is not a decimal without leading zeros');
  const root = fromBase64(rootLine);
  if (root === null || root.length !== HASH_SIZE) throw new MalformedCheckpointError(3, 'root', 'the root is not canonical base64 of 32 bytes');
  if (!tipsLine.startsWith(TIPS_LINE_PREFIX)) {
    throw new MalformedCheckpointError(4, 'tips', `the fourth line must start with "${TIPS_LINE_PREFIX}" (another scheme or version?)`);
  }
  const [countText = '', tipsRootText = '', ...extra] = tipsLine.slice(TIPS_LINE_PREFIX.length).split(' ');
  const count = parseDecimal(countText);
  const tipsRoot = fromBase64(tipsRootText);
  if (count === null || tipsRoot === null || tipsRoot.length !== HASH_SIZE || extra.length > 0) {
    throw new MalformedCheckpointError(4, 'tips', `the record-tip line is "${TIPS_LINE_PREFIX}<count> <base64 root>"`);
  }
  const checkpoint: Checkpoint = { origin, size, root, tips: { count, root: tipsRoot } };
  checkFields(checkpoint);
  return checkpoint;
}
