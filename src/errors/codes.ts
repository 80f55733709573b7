/**
 * Every error code capa-kit throws, in one place. Codes are stable: hosts may
 * switch on them, log them and translate them. Never rename one; add a new one.
 *
 * @example
 * ```ts
 * import { CapaError, CAPA_ERROR_CODES } from 'capa-kit';
 *
 * try {
 *   // ... a capa-kit call
 * } catch (error) {
 *   if (error instanceof CapaError && error.code === CAPA_ERROR_CODES.validation) {
 *     // show the issues next to the form fields
 *   }
 * }
 * ```
 */
export const CAPA_ERROR_CODES = {
  /** Input or a record did not match its schema. */
  validation: 'CAPA_VALIDATION',
  /** A severity policy is not valid data. */
  invalidPolicy: 'CAPA_INVALID_POLICY',
  /** The lifecycle refused an event: requirements are unmet or the state does not accept it. */
  transitionRefused: 'CAPA_TRANSITION_REFUSED',
  /** A persisted snapshot cannot be restored by this version of the machine. */
  unsupportedSnapshot: 'CAPA_UNSUPPORTED_SNAPSHOT',
  /** A record changed since it was read: another writer won. Nothing was written. */
  concurrency: 'CAPA_CONCURRENCY',
  /** The actor may not run this command (the host's authorize hook or segregation of duties). */
  forbidden: 'CAPA_FORBIDDEN',
  /** A signing command was refused: no verifier, or the signer was not re-authenticated. */
  signature: 'CAPA_SIGNATURE',
  /** A signing command was refused: the record names someone other than the signer for the signed act. */
  signerMismatch: 'CAPA_SIGNER_MISMATCH',
  /** No record with that id in this tenant. */
  notFound: 'CAPA_NOT_FOUND',
  /** The store failed or holds data it cannot read; the message says where. */
  store: 'CAPA_STORE',
  /** The database stayed locked by another writer longer than the store's timeout. Nothing was written; retry. */
  storeBusy: 'CAPA_STORE_BUSY',
  /** The database's capa-kit tables are missing, or at a schema version this capa-kit does not support. */
  storeSchema: 'CAPA_STORE_SCHEMA',
  /** No capa store where one was named (a directory without a journal, a missing database file, a database without capa-kit tables), and the store was opened with `mustExist`. Nothing was created. */
  storeMissing: 'CAPA_STORE_MISSING',
  /** An optional package capa-kit needs for this call (a database driver, fast-check) is not installed; the message gives the install command. */
  missingPackage: 'CAPA_MISSING_PACKAGE',
  /** A record would take a reference (`NC-2026-0006`, `CA-2026-0001`) another record of its kind already holds. Nothing was written. */
  duplicateReference: 'CAPA_DUPLICATE_REFERENCE',
  /** The store implements another version of the storage contract than this capa-kit needs. */
  storeContract: 'CAPA_STORE_CONTRACT',
  /** A signed note (C2SP signed-note) is not well formed: not UTF-8, a control character, no signature block, a bad signature line, or more than 100 signatures. */
  noteMalformed: 'CAPA_NOTE_MALFORMED',
  /** No signature on a signed note is by a key the verifier knows (the note's text must then be ignored). */
  noteUnverified: 'CAPA_NOTE_UNVERIFIED',
  /** A signature on a signed note names a known key (name and key ID) but does not verify: the note was changed, or forged. */
  noteInvalidSignature: 'CAPA_NOTE_INVALID_SIGNATURE',
  /** Two of the public keys given share a name and key ID, and a signature names them: which key is meant cannot be told. */
  noteAmbiguousKey: 'CAPA_NOTE_AMBIGUOUS_KEY',
  /** A key is malformed: a verifier key, a signer key or a PEM file that does not parse, names an unknown algorithm, or whose key ID does not match. The message never shows private key material. */
  keyMalformed: 'CAPA_KEY_MALFORMED',
  /** A signed checkpoint's text is not a capa-kit checkpoint (origin, size, root hash, the record-tip line), or its numbers disagree. */
  checkpointMalformed: 'CAPA_CHECKPOINT_MALFORMED',
  /** A checkpoint is for another log: its origin is not the one expected. */
  checkpointOrigin: 'CAPA_CHECKPOINT_ORIGIN',
  /** A checkpoint signer failed, or returned a signature that does not verify under its own public key. Nothing was signed. */
  checkpointSigner: 'CAPA_CHECKPOINT_SIGNER',
  /** A Merkle inclusion or consistency proof is malformed or does not lead to the checkpoint's root. */
  proofInvalid: 'CAPA_PROOF_INVALID',
  /** This JavaScript runtime has no Ed25519 (Web Crypto without it, no node:crypto) and no implementation was passed. */
  cryptoUnavailable: 'CAPA_CRYPTO_UNAVAILABLE',
} as const;

/**
 * One of the stable codes in {@link CAPA_ERROR_CODES}.
 *
 * @example
 * ```ts
 * import type { CapaErrorCode } from 'capa-kit';
 *
 * const code: CapaErrorCode = 'CAPA_VALIDATION';
 * ```
 */
export type CapaErrorCode = (typeof CAPA_ERROR_CODES)[keyof typeof CAPA_ERROR_CODES];
