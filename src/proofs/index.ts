// The verification core of issue 16, in one place: Merkle trees (RFC 9162), the entry and
// record-tip leaves, tiles for stores, C2SP signed notes and checkpoints, signers and
// proofs. Not an entry point yet: the register, the log and the CLI import from here, and
// the integration step decides what becomes public (and where). The TSDoc examples name
// it 'capa-kit/proofs'; test/proofs/examples.test.ts compiles them against this file.
export { HASH_SIZE, emptyRoot, hashLeaf, hashChildren } from './merkle/hash.js';
export { CompactRange, type SubtreeVisitor } from './merkle/compact-range.js';
export { type NodeRange, splitPoint, rangeRoot, merkleRoot } from './merkle/tree.js';
export { inclusionPathRanges, inclusionProof, rootFromInclusion, verifyInclusion } from './merkle/inclusion.js';
export { consistencyPathRanges, consistencyProof, verifyConsistency } from './merkle/consistency.js';
export {
  TILE_HEIGHT,
  TILE_WIDTH,
  type HashRun,
  type TreeHashSource,
  type StoredTreeHash,
  hashRunsFor,
  readsFor,
  rangeRootsFromSource,
  inclusionProofFromSource,
  inclusionProofsFromSource,
  consistencyProofFromSource,
  frontierFromSource,
  appendLeafHashes,
  MemoryTreeHashes,
} from './merkle/tiles.js';
export { LeafHashTable } from './merkle/leaf-table.js';
export { ENTRY_LEAF_SIZE, entryLeaf, entryLeafHash } from './leaves/entry-leaf.js';
export { MAX_RECORD_ID_BYTES, tipLeaf, tipLeafHash, compareRecordIds } from './leaves/tip-leaf.js';
export { type TipTreeHead, TipTreeBuilder, type RecordTip, tipTreeOf } from './leaves/tip-tree.js';
export { type Ed25519Verify, webCryptoVerify } from './note/ed25519.js';
export {
  ED25519_TYPE,
  isValidKeyName,
  ed25519KeyId,
  type NotePublicKey,
  type PublicKeyInput,
  parseVerifierKey,
  formatVerifierKey,
  publicKeyFromPem,
} from './note/keys.js';
export {
  MAX_NOTE_SIGNATURES,
  type NoteSignature,
  type ParsedNote,
  parseNote,
  type OpenedNote,
  type OpenNoteOptions,
  openNote,
  type NoteSigner,
  signNote,
} from './note/note.js';
export { TIPS_LINE_PREFIX, type Checkpoint, checkpointText, parseCheckpointText } from './checkpoint/body.js';
export {
  type CheckpointSigner,
  createCheckpointSigner,
  webCryptoSigner,
  nodeCryptoSigner,
  signerFromNoteKey,
  signerFromPkcs8Pem,
  signerFromKeyFile,
  generateNoteKeys,
  verifierKeyOf,
} from './checkpoint/signer.js';
export { type CheckpointOptions, signCheckpoint, type VerifiedCheckpoint, verifyCheckpoint } from './checkpoint/checkpoint.js';
export {
  type EntryProof,
  type TipProof,
  type ConsistencyProof,
  encodePath,
  decodePath,
  verifyEntryProof,
  verifyTipProof,
  verifyCheckpointConsistency,
} from './checkpoint/proofs.js';
export {
  type NoteRule,
  MalformedNoteError,
  type NoteKeyRef,
  UnverifiedNoteError,
  InvalidNoteSignatureError,
  AmbiguousKeyError,
  type KeyProblem,
  MalformedKeyError,
  MalformedCheckpointError,
  CheckpointOriginError,
  CheckpointSignerError,
  InvalidProofError,
  CryptoUnavailableError,
} from '../errors/proof-errors.js';
