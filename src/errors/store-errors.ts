import { CapaError } from './capa-error.js';
import { CAPA_ERROR_CODES } from './codes.js';

/**
 * A record changed since it was read: its stored version is not the one the commit
 * expected. The whole commit was refused and nothing was written; read again and retry
 * (see `withRetry`).
 *
 * @example
 * ```ts
 * import { ConcurrencyError } from 'capa-kit';
 *
 * const error = new ConcurrencyError('f-1', 3, 4);
 * error.code; // 'CAPA_CONCURRENCY'
 * ```
 */
export class ConcurrencyError extends CapaError {
  /** The record whose version moved. */
  readonly recordId: string;
  /** The version the commit expected. */
  readonly expectedVersion: number;
  /** The version the store holds, when it knows it. */
  readonly actualVersion: number | null;

  constructor(recordId: string, expectedVersion: number, actualVersion: number | null) {
    super(
      CAPA_ERROR_CODES.concurrency,
      `Record ${recordId} is at version ${actualVersion ?? 'unknown'}, not ${expectedVersion}: another writer changed it. Nothing was written.`,
    );
    this.recordId = recordId;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

/**
 * No record with that id in the register's tenant.
 *
 * @example
 * ```ts
 * import { NotFoundError } from 'capa-kit';
 *
 * new NotFoundError('finding', 'f-404').message; // 'No finding "f-404" in this tenant.'
 * ```
 */
export class NotFoundError extends CapaError {
  /** What was looked for. */
  readonly kind: string;
  /** The id that was not found. */
  readonly id: string;

  constructor(kind: string, id: string) {
    super(CAPA_ERROR_CODES.notFound, `No ${kind} "${id}" in this tenant.`);
    this.kind = kind;
    this.id = id;
  }
}

/**
 * The actor may not run the command: the host's `authorize` hook refused it, or a
 * segregation-of-duties rule of the policy did. `rule` names which.
 *
 * @example
 * ```ts
 * import { ForbiddenError } from 'capa-kit';
 *
 * const error = new ForbiddenError('reject', 'sod.rejecterNotRaiser', 'Whoever raised a finding cannot also reject it.');
 * error.rule; // 'sod.rejecterNotRaiser'
 * ```
 */
export class ForbiddenError extends CapaError {
  /** The command refused. */
  readonly command: string;
  /** The rule that refused it: `host` for the host's authorize hook, or a `sod.*` code. */
  readonly rule: string;

  constructor(command: string, rule: string, message: string) {
    super(CAPA_ERROR_CODES.forbidden, `${command} refused: ${message} [${rule}]`);
    this.command = command;
    this.rule = rule;
  }
}

/**
 * A signing command was refused: there is no `verifySignature` hook while the policy
 * requires signatures, or the hook did not confirm the signer.
 *
 * @example
 * ```ts
 * import { SignatureError } from 'capa-kit';
 *
 * new SignatureError('approved', 'The signer could not be re-authenticated.').code; // 'CAPA_SIGNATURE'
 * ```
 */
export class SignatureError extends CapaError {
  /** The meaning of the refused signature, e.g. `approved`. */
  readonly meaning: string;

  constructor(meaning: string, message: string) {
    super(CAPA_ERROR_CODES.signature, `Signature "${meaning}" refused: ${message}`);
    this.meaning = meaning;
  }
}

/**
 * A signing command was refused because the record names someone other than the signer
 * for the signed act: an effective review whose `review.reviewer` is not the actor who
 * signs it (21 CFR Part 11 §11.50: a signed record shows who signed it). The person a
 * record names for a signed act is the signer; unsigned fields may name someone else.
 * Nothing was written, and the host was not asked to re-authenticate anyone. A subclass of
 * {@link SignatureError} with its own code.
 *
 * @example
 * ```ts
 * import { SignerMismatchError } from 'capa-kit';
 *
 * const error = new SignerMismatchError('verified effective', ['review', 'reviewer'], { id: 'u-jonas', name: 'Jonas Berg' }, { id: 'u-omar', name: 'Omar Haddad' });
 * error.code; // 'CAPA_SIGNER_MISMATCH'
 * error.field; // ['review', 'reviewer']
 * ```
 */
export class SignerMismatchError extends SignatureError {
  override readonly code: typeof CAPA_ERROR_CODES.signerMismatch = CAPA_ERROR_CODES.signerMismatch;
  /** Where the input names the person for the act, e.g. `['review', 'reviewer']`. */
  readonly field: readonly string[];
  /** The person the record names for the act. */
  readonly named: { readonly id: string; readonly name: string } | null;
  /** Who signs: the actor. */
  readonly signer: { readonly id: string; readonly name: string };

  constructor(
    meaning: string,
    field: readonly string[],
    named: { readonly id: string; readonly name: string } | null,
    signer: { readonly id: string; readonly name: string },
    message?: string,
  ) {
    super(
      meaning,
      message ??
        (named === null
          ? `the record names no one at ${field.join('.')} for the act.`
          : `the record names ${named.name} (${named.id}) at ${field.join('.')}, but ${signer.name} (${signer.id}) signs: the person a record names for a signed act is the signer.`),
    );
    this.field = field;
    this.named = named;
    this.signer = signer;
  }
}

/**
 * The store failed, or holds data it cannot read. `where` says which record, file or
 * position, so an operator can find it.
 *
 * @example
 * ```ts
 * import { StoreError } from 'capa-kit';
 *
 * new StoreError('journal entry 12 at byte 4096 is damaged', 'capa.journal').code; // 'CAPA_STORE'
 * ```
 */
export class StoreError extends CapaError {
  /** Where the problem is: a path, a record id, a position. */
  readonly where: string | null;

  constructor(message: string, where: string | null = null, options?: { cause?: unknown }) {
    super(CAPA_ERROR_CODES.store, where === null ? message : `${message} (${where})`, options);
    this.where = where;
  }
}

/**
 * The database stayed locked by another writer for longer than the store waits (SQLite's
 * busy timeout, PostgreSQL's lock timeout). Nothing was written: retry later, or give the
 * store a longer timeout. A subclass of {@link StoreError} with its own code.
 *
 * @example
 * ```ts
 * import { isCapaError, StoreBusyError } from 'capa-kit';
 *
 * const error = new StoreBusyError('The database stayed locked by another writer for 5000 ms.', 'capa.db');
 * error.code; // 'CAPA_STORE_BUSY'
 * isCapaError(error, 'CAPA_STORE_BUSY'); // true
 * ```
 */
export class StoreBusyError extends StoreError {
  // Declared again so the subclass carries its own stable code (set after StoreError's).
  override readonly code: typeof CAPA_ERROR_CODES.storeBusy = CAPA_ERROR_CODES.storeBusy;
}

/**
 * The database's capa-kit tables are not there (`found` is `null`: call `migrate()` on the
 * store, or apply the migration SQL), older than this capa-kit needs (migrate), or newer
 * than it supports (`found > supported`: upgrade capa-kit; nothing was changed). A
 * subclass of {@link StoreError} with its own code.
 *
 * @example
 * ```ts
 * import { StoreSchemaError } from 'capa-kit';
 *
 * const error = new StoreSchemaError(3, 1, 'capa_schema_migrations');
 * error.code; // 'CAPA_STORE_SCHEMA'
 * error.message; // 'The capa-kit tables are at schema version 3, newer than version 1, the newest this capa-kit supports: upgrade capa-kit. Nothing was changed. (capa_schema_migrations)'
 * ```
 */
export class StoreSchemaError extends StoreError {
  override readonly code: typeof CAPA_ERROR_CODES.storeSchema = CAPA_ERROR_CODES.storeSchema;
  /** The schema version the database is at, or `null` when its capa-kit tables are missing. */
  readonly found: number | null;
  /** The newest schema version this capa-kit supports (and needs). */
  readonly supported: number;

  constructor(found: number | null, supported: number, where: string | null = null, options?: { cause?: unknown }) {
    super(schemaMessage(found, supported), where, options);
    this.found = found;
    this.supported = supported;
  }
}

function schemaMessage(found: number | null, supported: number): string {
  if (found === null) {
    return 'The capa-kit tables are not in this database: call migrate() on the store (or apply the SQL of the migration function) first.';
  }
  if (found > supported) {
    return `The capa-kit tables are at schema version ${found}, newer than version ${supported}, the newest this capa-kit supports: upgrade capa-kit. Nothing was changed.`;
  }
  return `The capa-kit tables are at schema version ${found}; this capa-kit needs version ${supported}: call migrate() on the store (or apply the SQL of the migration function).`;
}

/**
 * No capa store where one was named, and the store was opened with `mustExist: true` (the
 * read-only way to open a store, which never creates anything): a directory without a
 * journal, a missing database file, a database without capa-kit tables. `where` is the
 * place named; `reason` says what is missing there. A subclass of {@link StoreError} with
 * its own code.
 *
 * @example
 * ```ts
 * import { isCapaError, StoreMissingError } from 'capa-kit';
 *
 * const error = new StoreMissingError('/srv/capa-data', 'the directory does not exist');
 * error.code; // 'CAPA_STORE_MISSING'
 * error.message; // 'No capa store at /srv/capa-data: the directory does not exist.'
 * isCapaError(error, 'CAPA_STORE_MISSING'); // true
 * ```
 */
export class StoreMissingError extends StoreError {
  override readonly code: typeof CAPA_ERROR_CODES.storeMissing = CAPA_ERROR_CODES.storeMissing;
  /** The place named: a directory, a database file, or a database and its tables. */
  override readonly where: string;
  /** What is missing there, e.g. `the directory holds no capa.journal`. */
  readonly reason: string;

  /** `hint`, when given, says how to make one (`migrate() creates them`), after the reason. */
  constructor(where: string, reason: string, options: { hint?: string; cause?: unknown } = {}) {
    super(`No capa store at ${where}: ${reason}${options.hint === undefined ? '' : `: ${options.hint}`}.`, null, options.cause === undefined ? undefined : { cause: options.cause });
    this.where = where;
    this.reason = reason;
  }
}

/**
 * One reference that more than one record of a kind holds (or would hold) in a tenant.
 *
 * @example
 * ```ts
 * import type { DuplicateReference } from 'capa-kit';
 *
 * const twice: DuplicateReference = { tenantId: 'acme', kind: 'finding', reference: 'NC-2026-0006', recordIds: ['f-1', 'f-2'] };
 * ```
 */
export interface DuplicateReference {
  readonly tenantId: string;
  readonly kind: 'finding' | 'action';
  readonly reference: string;
  /** The records: for a refused commit, the one that holds the reference, then the one refused. */
  readonly recordIds: readonly string[];
}

/** At most this many duplicates are spelled out in a message (all are in `duplicates`). */
const LISTED_DUPLICATES = 20;

function duplicateMessage(duplicates: readonly DuplicateReference[], recordId: string | null): string {
  const [first] = duplicates;
  if (recordId !== null && first !== undefined && duplicates.length === 1) {
    const holder = first.recordIds.find((id) => id !== recordId) ?? first.recordIds[0];
    return `The ${first.kind} reference ${first.reference} of tenant ${first.tenantId} is held by record ${holder}; record ${recordId} cannot take it too. Nothing was written.`;
  }
  const listed = duplicates
    .slice(0, LISTED_DUPLICATES)
    .map((d) => `${d.kind} ${d.reference} of tenant ${d.tenantId}: records ${d.recordIds.join(', ')}`)
    .join('; ');
  const more = duplicates.length > LISTED_DUPLICATES ? `; and ${duplicates.length - LISTED_DUPLICATES} more` : '';
  return `${duplicates.length === 1 ? 'A reference is' : `${duplicates.length} references are`} held by more than one record (${listed}${more}).`;
}

/**
 * A reference is unique per tenant and kind: a store refuses a commit that would give a
 * second record a reference another record of its kind holds (`recordId` is the refused
 * record; nothing was written), and a migration refuses stored data where two records
 * already share one (`recordId` is `null`; nothing was changed). Every duplicate is in
 * `duplicates`, naming the reference and the records.
 *
 * @example
 * ```ts
 * import { DuplicateReferenceError, isCapaError } from 'capa-kit';
 *
 * const error = new DuplicateReferenceError([{ tenantId: 'acme', kind: 'finding', reference: 'NC-2026-0006', recordIds: ['f-1', 'f-2'] }], 'f-2');
 * error.code; // 'CAPA_DUPLICATE_REFERENCE'
 * error.message; // 'The finding reference NC-2026-0006 of tenant acme is held by record f-1; record f-2 cannot take it too. Nothing was written.'
 * isCapaError(error, 'CAPA_DUPLICATE_REFERENCE'); // true
 * ```
 */
export class DuplicateReferenceError extends CapaError {
  /** Every reference held twice, with its records. One for a refused commit. */
  readonly duplicates: readonly DuplicateReference[];
  /** The record a commit was refused for, or `null` when the duplicates are already stored. */
  readonly recordId: string | null;

  /** `detail`, when given, follows the message: what the caller should do about it. */
  constructor(duplicates: readonly DuplicateReference[], recordId: string | null = null, options?: { detail?: string; cause?: unknown }) {
    const detail = options?.detail === undefined ? '' : ` ${options.detail}`;
    super(CAPA_ERROR_CODES.duplicateReference, `${duplicateMessage(duplicates, recordId)}${detail}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.duplicates = duplicates;
    this.recordId = recordId;
  }
}

/**
 * The store implements another version of the storage contract than this capa-kit needs
 * (`STORE_CONTRACT_VERSION` in `capa-kit/register`): `found` is what its `contractVersion`
 * says (`undefined` for a store written before stores declared one, for contract 1).
 * Nothing was read or written. A subclass of {@link StoreError} with its own code.
 *
 * @example
 * ```ts
 * import { StoreContractError } from 'capa-kit';
 *
 * const error = new StoreContractError(undefined, 2);
 * error.code; // 'CAPA_STORE_CONTRACT'
 * ```
 */
export class StoreContractError extends StoreError {
  override readonly code: typeof CAPA_ERROR_CODES.storeContract = CAPA_ERROR_CODES.storeContract;
  /** The store's `contractVersion`, as it was found. */
  readonly found: unknown;
  /** The contract version this capa-kit needs. */
  readonly supported: number;

  constructor(found: unknown, supported: number, where: string | null = null) {
    super(contractMessage(found, supported), where);
    this.found = found;
    this.supported = supported;
  }
}

function contractMessage(found: unknown, supported: number): string {
  const needs =
    `this capa-kit needs storage contract ${supported}: a record's index carries its reference, the store refuses a second record with the same reference, ` +
    `and nextReference(tenantId, kind) keeps one sequence per kind. Update the store, then declare contractVersion: ${supported} (docs/guides/storage-adapter.md, "Contract versions").`;
  if (found === undefined) return `The store declares no contractVersion: it was written for storage contract 1; ${needs}`;
  return `The store declares contractVersion ${JSON.stringify(found)}; ${needs}`;
}
