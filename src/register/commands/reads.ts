import * as z from 'zod';
import { NotFoundError } from '../../errors/store-errors.js';
import { CapaValidationError } from '../../errors/validation-error.js';
import type { CapaSnapshot } from '../../machine/explain.js';
import type { CorrectiveAction } from '../../schemas/corrective-action.js';
import type { Finding } from '../../schemas/finding.js';
import type { HistoryEntry } from '../../schemas/history-entry.js';
import { parseRecord } from '../../schemas/parse.js';
import { readFindingDocument } from '../documents.js';
import type { FindingQuery } from '../inputs.js';
import { resolveQuery } from '../query.js';
import type { RegisterRuntime } from './runtime.js';

/**
 * A page of findings from {@link CapaRegister.query}.
 *
 * @example
 * ```ts
 * import type { CapaRegister, FindingPage } from 'capa-kit/register';
 *
 * declare const register: CapaRegister;
 * const page: FindingPage = await register.query({ open: true }, { limit: 50 });
 * for (const finding of page.findings) console.log(finding.reference, finding.title);
 * const next = page.cursor === null ? null : await register.query({ open: true }, { limit: 50, cursor: page.cursor });
 * ```
 */
export interface FindingPage {
  readonly findings: readonly Finding[];
  /** Pass it back for the next page; `null` at the end. */
  readonly cursor: string | null;
}

/** A page request: 1 to 1000 records (default 100), after an opaque cursor. */
const PageOptions = z.strictObject({
  limit: z.int().min(1).max(1000).default(100),
  cursor: z.string().min(1).max(2000).optional(),
});

/** One finding. */
export async function getFinding(runtime: RegisterRuntime, findingId: string): Promise<Finding> {
  return (await runtime.loadFinding(findingId)).document.finding;
}

/** One finding's lifecycle snapshot. */
export async function findingSnapshot(runtime: RegisterRuntime, findingId: string): Promise<CapaSnapshot> {
  return (await runtime.loadFinding(findingId)).snapshot;
}

/** One corrective action. */
export async function getAction(runtime: RegisterRuntime, actionId: string): Promise<CorrectiveAction> {
  const [loaded] = await runtime.loadActions([actionId]);
  return loaded!.action;
}

/** A finding's or an action's history, oldest first. */
export async function recordHistory(runtime: RegisterRuntime, recordId: string): Promise<HistoryEntry[]> {
  const [record] = await runtime.store.load(runtime.tenant, [recordId]);
  if (record === undefined) throw new NotFoundError('record', recordId);
  return (await runtime.store.readEvents(runtime.tenant, recordId)).map((event) => event.entry as unknown as HistoryEntry);
}

/** A page of findings matching a declarative filter, in a stable order (raised, then id). */
export async function queryFindings(
  runtime: RegisterRuntime,
  filter: FindingQuery = {},
  page: { limit?: number; cursor?: string } = {},
): Promise<FindingPage> {
  const resolved = resolveQuery(runtime.policy, filter);
  const { limit, cursor } = parseRecord(PageOptions, page, 'page options');
  if (resolved === null) return { findings: [], cursor: null };
  let result;
  try {
    result = await runtime.store.query(runtime.tenant, { filter: resolved, limit, ...(cursor === undefined ? {} : { cursor }) });
  } catch (error) {
    // The cursor is the store's own format: a malformed one is the caller's input error.
    if (error instanceof RangeError && cursor !== undefined) {
      throw new CapaValidationError('page options', [{ path: ['cursor'], code: 'invalid_cursor', message: 'Not a cursor this store handed out' }]);
    }
    throw error;
  }
  return { findings: result.records.map((record) => readFindingDocument(record).finding), cursor: result.cursor };
}
