/**
 * The CAPA register: commands for every lifecycle step over a pluggable store, with
 * tamper-evident history, electronic signatures, segregation of duties, idempotency and
 * optimistic concurrency. Includes the storage contract and the reference memory store.
 *
 * @example
 * ```ts
 * import { createCapaRegister, memoryStore } from 'capa-kit/register';
 * import { iso27001 } from 'capa-kit';
 *
 * const register = createCapaRegister({ store: memoryStore(), policy: iso27001, tenant: 'acme' });
 * ```
 *
 * @packageDocumentation
 * @module capa-kit/register
 */
export {
  createCapaRegister,
  type CapaRegister,
  type CapaRegisterOptions,
  type CommittedBatch,
  type FindingPage,
} from './create-register.js';
export { withRetry } from './retry.js';
export type { AuthorizeHook, VerifySignatureHook } from './guards.js';
export { commandInputs, RaiseFindingInput, FindingQuery, type CommandName, type CommandInput } from './inputs.js';
export type { LogHead, HistoryProblem, VerificationReport } from './verify.js';
export type { ActRuleCode } from './rules/acts.js';
export { DOCUMENT_FORMAT, type FindingDocument, type ActionDocument } from './documents.js';
export { memoryStore } from '../stores/memory.js';
export type { CapaMachine } from '../machine/capa-machine.js';
export type { CapaSnapshot } from '../machine/explain.js';
export type {
  CapaStore,
  StoreCapabilities,
  StoredRecord,
  StoredEvent,
  NewEvent,
  RecordWrite,
  CommitBatch,
  CommitResult,
  RecordFilter,
  RecordIndex,
  RecordKind,
  PageRequest,
  Page,
  JsonValue,
} from '../store/contract.js';
export { STORE_CONTRACT_VERSION } from '../store/contract.js';
export { canonicalJson, hashJson, sealEntry, firstBrokenLink, type UnsealedEntry, type BrokenLink } from '../history/index.js';
export * from '../errors/index.js';
