import { StoreError } from '../errors/store-errors.js';
import type { CapaContext } from '../machine/context.js';
import type { PersistedCapaSnapshot } from '../machine/persistence.js';
import type { CorrectiveAction } from '../schemas/corrective-action.js';
import type { Finding } from '../schemas/finding.js';
import { SCHEMA_VERSION } from '../schemas/primitives.js';
import { requirementKey } from '../schemas/requirement-ref.js';
import { OPEN_STATUSES, type FindingStatus } from '../schemas/status.js';
import type { JsonValue, RecordIndex, StoredRecord } from '../store/contract.js';

/**
 * The layout of the documents the register stores. Bump it, and add a migration, when it changes.
 *
 * @example
 * ```ts
 * import { DOCUMENT_FORMAT, type FindingDocument } from 'capa-kit/register';
 *
 * declare const document: FindingDocument;
 * if (document.format > DOCUMENT_FORMAT) console.warn('Written by a newer capa-kit: upgrade to read it');
 * ```
 */
export const DOCUMENT_FORMAT = 1;

/**
 * A finding as stored: the record (a projection of the lifecycle, what queries and
 * exports read) and the lifecycle snapshot it was projected from (what the next command
 * starts from). The two are written together, so they never disagree.
 *
 * @example
 * ```ts
 * import type { FindingDocument, StoredRecord } from 'capa-kit/register';
 *
 * declare const record: StoredRecord; // a record of kind 'finding'
 * const { finding, snapshot } = record.document as unknown as FindingDocument;
 * console.log(finding.reference, snapshot.value); // snapshot.value is the finding's status
 * ```
 */
export interface FindingDocument {
  readonly format: number;
  readonly finding: Finding;
  readonly snapshot: PersistedCapaSnapshot;
}

/**
 * A corrective action as stored.
 *
 * @example
 * ```ts
 * import type { ActionDocument, StoredRecord } from 'capa-kit/register';
 *
 * declare const record: StoredRecord; // a record of kind 'action'
 * const { action } = record.document as unknown as ActionDocument;
 * console.log(action.description, action.status);
 * ```
 */
export interface ActionDocument {
  readonly format: number;
  readonly action: CorrectiveAction;
}

/**
 * The finding record for a lifecycle context: what the register stores and returns.
 * `lastActivityAt` is the time of the finding's last history entry, whatever its type:
 * activity is read from the history, never kept by each transition (which could forget it).
 */
export function projectFinding(context: CapaContext, status: FindingStatus, lastActivityAt: string): Finding {
  const raised = context.finding;
  if (raised === null) throw new TypeError('A finding that was never raised has no record');
  return {
    ...raised,
    schemaVersion: SCHEMA_VERSION,
    // The grade as it stands now: a regrade changes it, the finding as raised keeps the first.
    grade: context.grade ?? raised.grade,
    dueDate: context.dueDate,
    status,
    correction: context.correction,
    rootCause: context.rootCause,
    correctiveActionIds: [...new Set(context.actions.map((action) => action.id))],
    planApproval: context.approval,
    effectivenessReviews: [...context.reviews],
    evidence: [...context.evidence],
    closure: context.closure,
    rejection: context.rejection,
    recurrenceCount: context.recurrenceCount,
    flags: [...context.flags],
    updatedAt: lastActivityAt,
  };
}

const searchable = (...parts: (string | undefined)[]) =>
  parts
    .filter((part): part is string => part !== undefined)
    .join(' ')
    .toLowerCase();

/** The index fields of a finding. */
export function findingIndex(finding: Finding): RecordIndex {
  return {
    reference: finding.reference,
    status: finding.status,
    open: OPEN_STATUSES.includes(finding.status),
    grade: finding.grade,
    source: finding.source.kind,
    ownerId: finding.owner.id,
    requirement: requirementKey(finding.requirement),
    causeCategory: finding.rootCause?.category ?? null,
    dueDate: finding.dueDate,
    raisedAt: finding.raisedAt,
    lastActivityAt: finding.updatedAt,
    text: searchable(finding.reference, finding.title, finding.description),
  };
}

/** The index fields of a corrective action. */
export function actionIndex(action: CorrectiveAction, lastActivityAt: string): RecordIndex {
  return {
    reference: action.reference ?? null,
    status: action.status,
    open: action.status === 'planned' || action.status === 'in-progress',
    grade: null,
    source: null,
    ownerId: action.owner?.id ?? null,
    requirement: null,
    causeCategory: null,
    dueDate: action.dueDate,
    raisedAt: action.createdAt,
    lastActivityAt,
    text: searchable(action.reference, action.description, action.measurableOutcome ?? undefined),
  };
}

// Older layouts, upgraded one step at a time on read: a record written by an older
// version is migrated, never rejected. Format 1 is the first.
const findingMigrations: Record<number, (document: Record<string, unknown>) => Record<string, unknown>> = {};

function formatOf(record: StoredRecord): number {
  const document = record.document as { format?: unknown } | null;
  const format = document?.format;
  if (typeof format !== 'number' || !Number.isInteger(format) || format < 1) {
    throw new StoreError(`Record ${record.id} has no document format`, `record ${record.id}`);
  }
  if (format > DOCUMENT_FORMAT) {
    throw new StoreError(
      `Record ${record.id} was written in document format ${format}; this version of capa-kit reads formats 1 to ${DOCUMENT_FORMAT}. Upgrade capa-kit.`,
      `record ${record.id}`,
    );
  }
  return format;
}

/** Reads a stored finding, migrating an older layout. */
export function readFindingDocument(record: StoredRecord): FindingDocument {
  if (record.kind !== 'finding') throw new StoreError(`Record ${record.id} is a ${record.kind}, not a finding`, `record ${record.id}`);
  let format = formatOf(record);
  let document = record.document as Record<string, unknown>;
  while (format < DOCUMENT_FORMAT) {
    const migrate = findingMigrations[format];
    if (migrate === undefined) throw new StoreError(`No migration from finding document format ${format}`, `record ${record.id}`);
    document = migrate(document);
    format += 1;
  }
  return document as unknown as FindingDocument;
}

/** Reads a stored corrective action. */
export function readActionDocument(record: StoredRecord): ActionDocument {
  if (record.kind !== 'action') throw new StoreError(`Record ${record.id} is a ${record.kind}, not an action`, `record ${record.id}`);
  formatOf(record);
  return record.document as unknown as ActionDocument;
}

/** A document as the JSON the store keeps. */
export const asJson = (document: FindingDocument | ActionDocument): JsonValue => document as unknown as JsonValue;
