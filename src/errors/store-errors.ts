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
