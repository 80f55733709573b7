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
