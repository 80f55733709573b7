import type * as z from 'zod';
import type { ReferenceGenerators } from '../policies/reference.js';
import type { HistoryEntry } from '../schemas/history-entry.js';
import type { SeverityPolicy } from '../schemas/severity-policy.js';
import type { CapaStore } from '../store/contract.js';
import type { AuthorizeHook, VerifySignatureHook } from './guards.js';

/**
 * What a register hands `onCommit` after every commit: the tenant, the tenant sequence
 * the commit reached, and its sealed history entries.
 *
 * @example
 * ```ts
 * import type { CommittedBatch } from 'capa-kit/register';
 *
 * const audit = (batch: CommittedBatch) =>
 *   console.log(`${batch.tenantId} #${batch.tenantSequence}: ${batch.entries.map((entry) => entry.type).join(', ')}`);
 * ```
 */
export interface CommittedBatch {
  readonly tenantId: string;
  readonly tenantSequence: number;
  readonly entries: readonly HistoryEntry[];
}

/**
 * How to build a register. Only `store`, `policy` and `tenant` are required.
 *
 * @example
 * ```ts
 * import { iso27001 } from 'capa-kit';
 * import { createCapaRegister, memoryStore, type CapaRegisterOptions } from 'capa-kit/register';
 *
 * const options: CapaRegisterOptions = {
 *   store: memoryStore(), policy: iso27001, tenant: 'acme', clock: () => new Date('2026-03-02T10:00:00Z'),
 *   onCommit: (batch) => console.log(`committed up to ${batch.tenantSequence}`),
 * };
 * const register = createCapaRegister(options);
 * ```
 */
export interface CapaRegisterOptions {
  readonly store: CapaStore;
  readonly policy: SeverityPolicy;
  /** The tenant (organisation) this register reads and writes; nothing crosses into another. */
  readonly tenant: string;
  /** The time of each command. Default: the system clock. */
  readonly clock?: () => Date;
  /** New record ids. Default: nanoid. */
  readonly ids?: () => string;
  /**
   * Human references from the store's sequences, one generator per kind: findings get
   * theirs when raised (default `NC-2026-0001`), corrective actions when the plan that
   * creates them is recorded (default `CA-2026-0001`).
   */
  readonly references?: ReferenceGenerators;
  /** May this actor run this command? Default: allow (segregation of duties still applies). */
  readonly authorize?: AuthorizeHook;
  /** Re-authenticates a signer before a signature is recorded. */
  readonly verifySignature?: VerifySignatureHook;
  /** Receives every committed batch, after the commit. A throw never undoes the commit. */
  readonly onCommit?: (batch: CommittedBatch) => void | Promise<void>;
  /** Where a throwing `onCommit` is reported. Default: nowhere. */
  readonly onCommitError?: (error: unknown, batch: CommittedBatch) => void;
  /** Host extension schemas, one per namespace, for findings' `extensions`. */
  readonly extensions?: Record<string, z.ZodType<Record<string, unknown>>>;
}
