import { CapaValidationError, type ValidationIssue } from '../../errors/validation-error.js';
import { persistSnapshot } from '../../machine/persistence.js';
import { actionIndex, asJson, DOCUMENT_FORMAT, findingIndex } from '../../register/documents.js';
import type { LogHead } from '../../register/verify.js';
import type { CorrectiveAction } from '../../schemas/corrective-action.js';
import type { Finding } from '../../schemas/finding.js';
import type { SeverityPolicy } from '../../schemas/severity-policy.js';
import type { CapaStore, JsonValue, RecordKind, RecordWrite } from '../../store/contract.js';
import { requireStoreContract } from '../../store/contract-version.js';
import { LOG_ISSUE_CODES, type LogIssue, type LogIssueCode } from '../format/issues.js';
import type { LogSource } from '../read/source.js';
import type { CheckedRecord, LogValidationReport } from '../validate/checker.js';
import { checkerOptions, checkLog } from '../validate/validate-log.js';

/**
 * A log source that can be read twice, as {@link importLog} does (once to validate all of
 * it, once to write it): the text, its bytes, an array of chunks, or a function that
 * opens the log again each time it is called (`() => fs.createReadStream(path)`). A
 * stream on its own can be read only once, so it is refused.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import type { RereadableLogSource } from 'capa-kit/log';
 *
 * const source: RereadableLogSource = () => createReadStream('acme.capa-log.jsonl');
 * ```
 */
export type RereadableLogSource = string | Uint8Array | readonly (string | Uint8Array)[] | (() => LogSource);

/**
 * How {@link importLog} writes a log into a store.
 *
 * @example
 * ```ts
 * import type { ImportLogOptions } from 'capa-kit/log';
 *
 * const options: ImportLogOptions = { tenant: 'acme', batchSize: 200 };
 * ```
 */
export interface ImportLogOptions {
  /** The tenant to import into; it must be the log's own (entries are hashed with their tenant). Default: the log's. */
  readonly tenant?: string;
  /** Replay findings under this policy instead of the log header's (the one the importing register will use). */
  readonly policy?: SeverityPolicy;
  /** Records per commit. Default 100. */
  readonly batchSize?: number;
  /** The longest line read. Default 16 MiB. */
  readonly maxLineLength?: number;
}

/**
 * What {@link importLog} wrote.
 *
 * @example
 * ```ts
 * import type { ImportLogResult } from 'capa-kit/log';
 *
 * const summary = (result: ImportLogResult) =>
 *   `${result.findings} findings and ${result.actions} actions into ${result.tenant}; head ${result.head.hash}`;
 * ```
 */
export interface ImportLogResult {
  readonly tenant: string;
  readonly findings: number;
  readonly actions: number;
  readonly entries: number;
  /** The log head of the imported history: the log's trailer head, and `register.logHead()` of the tenant after the import. */
  readonly head: LogHead;
  /**
   * The highest reference number imported per kind (`NC-2026-0042` → 42, `CA-2026-0007` → 7),
   * or `null` for none; the store's reference sequence of each kind now continues after it.
   */
  readonly lastReference: { readonly finding: number | null; readonly action: number | null };
  /** The validation's warnings (stale, overdue, shallow causes…): they do not stop an import. */
  readonly warnings: readonly LogIssue[];
}

/**
 * Thrown by {@link importLog} when the log is not imported: the log has errors (two
 * records with one reference among them: `duplicate-reference`), the tenant is not the
 * log's, or the tenant already holds records. `issues` name the record's reference (or
 * record id, or line) and the field's path; `report` is the validation report with every
 * issue.
 *
 * @example
 * ```ts
 * import { formatCapaError } from 'capa-kit';
 * import { memoryStore } from 'capa-kit/register';
 * import { importLog, LogImportError } from 'capa-kit/log';
 *
 * declare const text: string;
 * try {
 *   await importLog(text, memoryStore());
 * } catch (error) {
 *   if (error instanceof LogImportError) console.error(formatCapaError(error), error.report.summary);
 *   else throw error;
 * }
 * ```
 */
export class LogImportError extends CapaValidationError {
  /** The validation report (for a refused tenant: a report with that one issue). */
  readonly report: LogValidationReport;
  /** Records committed before the import stopped: 0, unless the source changed between its two readings. */
  readonly committed: number;

  constructor(report: LogValidationReport, committed = 0) {
    const errors = report.issues.filter((issue) => issue.severity === 'error');
    super('capa log', errors.map(toValidationIssue));
    this.report = report;
    this.committed = committed;
  }
}

function toValidationIssue(issue: LogIssue): ValidationIssue {
  const where = issue.reference ?? issue.recordId ?? (issue.line === null ? null : `line ${issue.line}`);
  return {
    path: where === null ? [...issue.path] : [where, ...issue.path],
    code: issue.code,
    message: issue.line === null ? issue.message : `line ${issue.line}: ${issue.message}`,
  };
}

/** A report of one import-level issue. */
function refusal(code: LogIssueCode, message: string, header: LogValidationReport['header'] = null): LogValidationReport {
  const issue: LogIssue = { code, severity: LOG_ISSUE_CODES[code].severity, line: null, recordId: null, reference: null, path: [], message };
  return {
    ok: false,
    header,
    head: null,
    summary: { lines: 0, findings: 0, actions: 0, entries: 0, errors: 1, warnings: 0, byCode: { [code]: 1 }, omittedIssues: 0 },
    issues: [issue],
  };
}

function opener(source: RereadableLogSource): () => LogSource {
  if (typeof source === 'function') return source;
  if (typeof source === 'string' || source instanceof Uint8Array || Array.isArray(source)) return () => source as LogSource;
  throw new TypeError('importLog reads the log twice (to validate all of it, then to write it): pass its text, its bytes, or a function that opens it again, such as () => fs.createReadStream(path).');
}

async function isEmptyTenant(store: CapaStore, tenant: string): Promise<boolean> {
  const [findings, actions, events] = await Promise.all([
    store.query(tenant, { filter: { kind: 'finding' }, limit: 1 }),
    store.query(tenant, { filter: { kind: 'action' }, limit: 1 }),
    store.readTenantEvents(tenant, 0, 1),
  ]);
  return findings.records.length === 0 && actions.records.length === 0 && events.length === 0;
}

/** The write for one checked record: the document rebuilt, the entries as logged. */
function writeOf(tenant: string, checked: CheckedRecord): RecordWrite {
  const history = checked.history;
  const last = history.at(-1)!.entry;
  const events = history.map((item) => ({ tenantId: tenant, recordId: checked.id, sequence: item.entry.sequence, entry: item.entry as unknown as JsonValue }));
  if (checked.kind === 'finding') {
    const finding = checked.record as Finding;
    return {
      record: {
        kind: 'finding',
        id: checked.id,
        tenantId: tenant,
        version: history.length,
        head: last.hash,
        index: findingIndex(finding),
        document: asJson({ format: DOCUMENT_FORMAT, finding, snapshot: persistSnapshot(checked.snapshot!) }),
      },
      expectedVersion: 0,
      events,
    };
  }
  const action = checked.record as CorrectiveAction;
  return {
    record: {
      kind: 'action',
      id: checked.id,
      tenantId: tenant,
      version: history.length,
      head: last.hash,
      // The register indexes an action's activity at its last commit: its last entry.
      index: actionIndex(action, last.at),
      document: asJson({ format: DOCUMENT_FORMAT, action }),
    },
    expectedVersion: 0,
    events,
  };
}

const referenceNumber = (reference: string): number | null => {
  const match = /-(\d+)$/.exec(reference);
  return match === null ? null : Number(match[1]);
};

/**
 * Imports a Nonconformity and Corrective Action Log into a store, all or nothing: the
 * whole log is validated first (as `validateLog` does) and nothing is written if it has
 * any error; then each record is written with its history byte for byte (the same
 * entries, so the same hashes), each finding's lifecycle snapshot rebuilt by replaying its
 * history through the machine. Afterwards `register.verifyHistory()` passes and
 * `register.logHead()` equals the log's trailer head.
 *
 * - **Read twice**: pass the text, the bytes, or a function that opens the log again.
 * - **Only into an empty tenant**: a tenant that already holds records or events is
 *   refused (`import-tenant-not-empty`): merging two histories would interleave their
 *   tenant sequences, and ids or references could collide. The tenant must be the log's.
 * - **References**: a log where two findings (or two actions) share a reference is
 *   refused (`duplicate-reference`), as every store would refuse the second. Each kind's
 *   reference sequence in the store is advanced past the highest imported number, so the
 *   next finding raised, or action planned, does not reuse one.
 * - **Tenant sequences** are given by the store in log order (records by id), so the
 *   final head is the log's; a head saved at an earlier point is checked against the log
 *   itself (`validateLog(..., { trustedHead })`), not against the imported store.
 * - Records are committed in batches of `batchSize`: a store failure, or a source that
 *   reads differently the second time, can leave the batches before it written
 *   (`LogImportError.committed` says how many records); retry into a fresh tenant.
 * - Idempotency keys are not part of a log, and are not imported.
 *
 * @throws LogImportError when the log has errors or the tenant is refused (nothing written).
 * @throws TypeError when the source cannot be read twice.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { iso27001 } from 'capa-kit';
 * import { createCapaRegister } from 'capa-kit/register';
 * import { fileStore } from 'capa-kit/stores/file';
 * import { importLog } from 'capa-kit/log';
 *
 * const store = await fileStore('./capa-data');
 * const result = await importLog(() => createReadStream('acme.capa-log.jsonl'), store);
 * const register = createCapaRegister({ store, policy: iso27001, tenant: result.tenant });
 * console.log((await register.verifyHistory()).ok, (await register.logHead()).hash === result.head.hash);
 * await store.close();
 * ```
 */
export async function importLog(source: RereadableLogSource, store: CapaStore, options: ImportLogOptions = {}): Promise<ImportLogResult> {
  requireStoreContract(store);
  const open = opener(source);
  const batchSize = options.batchSize ?? 100;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, not ${batchSize}`);
  const prepared = checkerOptions({
    asOf: null,
    maxIssues: 1000,
    ...(options.policy === undefined ? {} : { policy: options.policy }),
    ...(options.maxLineLength === undefined ? {} : { maxLineLength: options.maxLineLength }),
  });

  // Pass 1: validate everything; write nothing unless the whole log holds.
  const first = await checkLog(open(), prepared);
  if (!first.ok || first.header === null || first.head === null) throw new LogImportError(first);
  const tenant = first.header.tenant.id;
  if (options.tenant !== undefined && options.tenant !== tenant) {
    throw new LogImportError(
      refusal('import-tenant-mismatch', `The log is tenant ${tenant}'s; it cannot be imported into ${options.tenant}: its entries are hashed with their tenant.`, first.header),
    );
  }
  if (!(await isEmptyTenant(store, tenant))) {
    throw new LogImportError(refusal('import-tenant-not-empty', `Tenant ${tenant} already holds records or events: a log is imported only into an empty tenant.`, first.header));
  }

  // Pass 2: the same checks again (the source may have changed), writing batch by batch.
  let committed = 0;
  let pending: RecordWrite[] = [];
  let findings = 0;
  let actions = 0;
  let entries = 0;
  const lastReference: Record<RecordKind, number | null> = { finding: null, action: null };
  const flush = async () => {
    if (pending.length === 0) return;
    await store.commit({ tenantId: tenant, writes: pending });
    committed += pending.length;
    pending = [];
  };
  const changed = (message: string) => new LogImportError(refusal('import-source-changed', message, first.header), committed);
  const second = await checkLog(open(), prepared, async (checked, checker) => {
    if (checker.errorCount > 0 || !checked.clean) throw changed(`The log read differently the second time (line ${checked.line}): it changed while it was imported.`);
    pending.push(writeOf(tenant, checked));
    entries += checked.history.length;
    if (checked.kind === 'finding') findings += 1;
    else actions += 1;
    const reference = checked.record.reference;
    const number = reference === undefined ? null : referenceNumber(reference);
    const last = lastReference[checked.kind];
    if (number !== null && (last === null || number > last)) lastReference[checked.kind] = number;
    if (pending.length >= batchSize) await flush();
  });
  if (!second.ok || second.head?.hash !== first.head.hash) throw changed('The log read differently the second time: it changed while it was imported.');
  await flush();

  for (const kind of ['finding', 'action'] as const) {
    const last = lastReference[kind];
    if (last === null) continue;
    // The contract has no "set the sequence": take numbers until past the highest imported one.
    while ((await store.nextReference(tenant, kind)) < last) {
      // taken
    }
  }
  return {
    tenant,
    findings,
    actions,
    entries,
    head: first.head,
    lastReference,
    warnings: first.issues.filter((issue) => issue.severity === 'warning'),
  };
}
