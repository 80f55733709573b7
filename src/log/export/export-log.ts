import * as z from 'zod';
import { ConcurrencyError } from '../../errors/store-errors.js';
import { contentHash, LogHeadHasher } from '../../history/head.js';
import { readActionDocument, readFindingDocument } from '../../register/documents.js';
import type { LogHead } from '../../register/verify.js';
import { atInput } from '../../schemas/input.js';
import { parseRecord } from '../../schemas/parse.js';
import { SeverityPolicy } from '../../schemas/severity-policy.js';
import type { CapaStore, StoredEvent, StoredRecord } from '../../store/contract.js';
import { LOG_FORMAT, LogHeader, type LogTrailer } from '../format/lines.js';
import { GENERATOR } from '../format/generator.js';
import { RecordIds } from './record-ids.js';

/**
 * What {@link exportLog} needs: the tenant, the policy its findings were handled under
 * (written into the header as data), and optionally the organisation's name, the time
 * the log says it was generated, and who generated it.
 *
 * @example
 * ```ts
 * import { iso27001 } from 'capa-kit';
 * import type { ExportLogOptions } from 'capa-kit/log';
 *
 * const options: ExportLogOptions = {
 *   tenant: 'acme', organisation: 'Acme Ltd', policy: iso27001, clock: () => new Date('2026-11-22T09:00:00Z'),
 * };
 * ```
 */
export interface ExportLogOptions {
  readonly tenant: string;
  /** The organisation's name, for the header. Default: `null`. */
  readonly organisation?: string | null;
  readonly policy: SeverityPolicy;
  /** When the log is generated (ISO 8601 UTC). Default: `clock()`. */
  readonly generatedAt?: string;
  /** The clock, read once for `generatedAt`. Default: the system clock. */
  readonly clock?: () => Date;
  /** Who wrote the log. Default: `{ name: 'capa-kit', version: <this version> }`. */
  readonly generator?: { readonly name: string; readonly version: string };
  /** Records loaded per store call. Default 500. */
  readonly batchSize?: number;
}

// What the header takes from the options, checked as the header is, after a trim: an
// organisation given as " Acme Ltd " is written "Acme Ltd" (a log refuses untrimmed text).
const HeaderOptions = atInput(
  z.strictObject({ policy: SeverityPolicy, organisation: LogHeader.shape.tenant.shape.organisation, generator: LogHeader.shape.generator }),
);

/** Records per page when the ids are listed (the store reads whole records: small pages hold less). */
const PAGE = 250;
/** Histories read at once (each its own store call): enough to keep a connection pool busy. */
const EVENT_READS = 16;

/**
 * The tenant's last tenant sequence, by a galloping then binary search over
 * `readTenantEvents(after, 1)`: about 2·log2(N) small reads instead of paging through
 * every event.
 */
export async function lastTenantSequence(store: CapaStore, tenant: string): Promise<number> {
  const after = async (sequence: number): Promise<number | undefined> =>
    (await store.readTenantEvents(tenant, sequence, 1))[0]?.tenantSequence;
  // low: 0 or a sequence that exists (so the answer is at least low).
  let low = (await after(0)) ?? 0;
  if (low === 0) return 0;
  let step = 1;
  let high: number;
  for (;;) {
    const found = await after(low + step - 1);
    if (found === undefined) {
      high = low + step - 1; // nothing after it: the answer is at most high
      break;
    }
    low = found;
    step *= 2;
  }
  // Now low exists, and nothing is after high.
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    const found = await after(middle);
    if (found === undefined) high = middle;
    else low = found;
  }
  return low;
}

/** Every record id of the tenant (both kinds), sorted by UTF-16 code units: packed strings only, never records. */
async function allRecordIds(store: CapaStore, tenant: string): Promise<RecordIds> {
  const ids = new RecordIds();
  for (const kind of ['finding', 'action'] as const) {
    let cursor: string | undefined;
    do {
      const page = await store.query(tenant, { filter: { kind }, limit: PAGE, ...(cursor === undefined ? {} : { cursor }) });
      for (const record of page.records) ids.add(record.id);
      cursor = page.cursor ?? undefined;
    } while (cursor !== undefined);
  }
  ids.sort();
  return ids;
}

/** The history of a record up to the cut; throws when the record moved on after it. */
function historyAtCut(record: StoredRecord, events: readonly StoredEvent[], cut: number): StoredEvent[] | null {
  const kept = events.filter((event) => event.tenantSequence <= cut);
  if (kept.length === 0) return null; // created after the cut: not in this log
  if (kept.length !== events.length || record.version !== kept.length) {
    // Changed after the cut: its document no longer matches the history the log can carry.
    throw new ConcurrencyError(record.id, kept.length, record.version);
  }
  return kept;
}

/**
 * Writes a tenant's Nonconformity and Corrective Action Log as JSON Lines, one line at a
 * time (each ends with `"\n"`): the header (format, generation, tenant, the tenant
 * sequence of the cut, the policy as data), one line per finding or corrective action in
 * ascending id order with its whole history (each entry with its tenant sequence), and
 * the trailer (counts and the log head, equal to `register.logHead()` at the cut).
 *
 * Streaming: it keeps the record ids (packed in one string) and one batch of records at a
 * time, never the whole register, so 1,000,000 findings export in bounded memory. Pipe the lines to a
 * file with `stream.Readable.from(exportLog(...))`.
 *
 * The log is one consistent cut of the store at the tenant's last tenant sequence when
 * the export starts: records created after it are left out; a record changed after it
 * stops the export with a `ConcurrencyError` (export from a quiet store, or retry).
 *
 * @throws ConcurrencyError when a record changes during the export.
 * @throws CapaValidationError when the policy is not valid data.
 *
 * @example
 * ```ts
 * import { createWriteStream } from 'node:fs';
 * import { Readable } from 'node:stream';
 * import { pipeline } from 'node:stream/promises';
 * import { iso27001 } from 'capa-kit';
 * import { memoryStore } from 'capa-kit/register';
 * import { exportLog } from 'capa-kit/log';
 *
 * const store = memoryStore();
 * const lines = exportLog(store, { tenant: 'acme', organisation: 'Acme Ltd', policy: iso27001 });
 * await pipeline(Readable.from(lines), createWriteStream('acme.capa-log.jsonl'));
 * ```
 */
export async function* exportLog(store: CapaStore, options: ExportLogOptions): AsyncGenerator<string, LogHead, undefined> {
  const { tenant } = options;
  const { policy, organisation, generator } = parseRecord(
    HeaderOptions,
    { policy: options.policy, organisation: options.organisation ?? null, generator: options.generator ?? GENERATOR },
    'log export options',
  );
  const generatedAt = options.generatedAt ?? (options.clock ?? (() => new Date()))().toISOString();
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) throw new RangeError(`batchSize must be 1 to 1000, not ${batchSize}`);

  const cut = await lastTenantSequence(store, tenant);
  const ids = await allRecordIds(store, tenant);
  const header: LogHeader = {
    type: 'capa-log',
    format: LOG_FORMAT,
    generatedAt,
    generator,
    tenant: { id: tenant, organisation },
    tenantSequence: cut,
    policy,
  };
  yield `${JSON.stringify(header)}\n`;

  const hasher = new LogHeadHasher(tenant, cut);
  let findings = 0;
  let actions = 0;
  let entries = 0;
  for (let start = 0; start < ids.size; start += batchSize) {
    const batch = ids.slice(start, start + batchSize);
    const records = new Map((await store.load(tenant, batch)).map((record) => [record.id, record]));
    // Histories are read a few ahead of the line being written, not the whole batch at once,
    // and each is let go once its line is out.
    const reads: (Promise<StoredEvent[]> | undefined)[] = [];
    let ahead = 0;
    for (const [index, id] of batch.entries()) {
      for (; ahead < batch.length && ahead <= index + EVENT_READS; ahead++) {
        const read = records.has(batch[ahead]!) ? store.readEvents(tenant, batch[ahead]!) : Promise.resolve([]);
        read.catch(() => {}); // awaited in its turn; a failure meanwhile is not "unhandled"
        reads[ahead] = read;
      }
      const events = await reads[index]!;
      reads[index] = undefined;
      const record = records.get(id);
      records.delete(id);
      if (record === undefined) continue; // gone since the ids were listed: a store does not delete, so never in practice
      const history = historyAtCut(record, events, cut);
      if (history === null) continue;
      const logged = history.map((event) => ({ tenantSequence: event.tenantSequence, entry: event.entry }));
      const last = history.at(-1)!;
      hasher.tip(id, last.sequence, contentHash(last.entry));
      entries += history.length;
      if (record.kind === 'finding') {
        findings += 1;
        yield `${JSON.stringify({ type: 'finding', finding: readFindingDocument(record).finding, history: logged })}\n`;
      } else {
        actions += 1;
        yield `${JSON.stringify({ type: 'action', action: readActionDocument(record).action, history: logged })}\n`;
      }
    }
  }
  const head = hasher.digest();
  const trailer: LogTrailer = { type: 'end', findings, actions, entries, head };
  yield `${JSON.stringify(trailer)}\n`;
  return head;
}
