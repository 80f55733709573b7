// A deliberately small storage adapter: the whole store in memory, saved to one JSON file
// after every change (written to a temporary file, flushed, then renamed over the old
// one, so the file is always a whole snapshot). Fine for a few thousand records in one
// process; it shows everything the storage contract asks of an adapter, and
// json-file-store.test.ts runs the conformance kit against it.
//
// What the contract asks (see `CapaStore` in capa-kit/register, and src/stores/memory.ts
// for the reference adapter): keep records and their events exactly; commit a batch all
// or nothing, against the versions the register read; number every event of a tenant
// without gaps; answer the declarative filter page by page, in code point order; keep
// references unique per tenant and kind; hand out reference numbers, one sequence per kind;
// remember idempotency keys; declare the contract version it implements. The register
// does everything else.
import { open, readFile, rename } from 'node:fs/promises';
import {
  type CapaStore,
  type CommitBatch,
  ConcurrencyError,
  DuplicateReferenceError,
  type JsonValue,
  type Page,
  type PageRequest,
  type RecordFilter,
  type RecordKind,
  STORE_CONTRACT_VERSION,
  type StoredEvent,
  type StoredRecord,
} from 'capa-kit/register';

/** One tenant's data. Maps, not objects: ids and keys may be any string, `__proto__` too. */
interface Tenant {
  records: Map<string, StoredRecord>;
  /** Every event of the tenant, in tenant-sequence order. */
  log: StoredEvent[];
  /** The same events by record, in sequence order. */
  events: Map<string, StoredEvent[]>;
  idempotency: Map<string, JsonValue>;
  /** The last reference number handed out, per kind. */
  referenceSequences: Record<RecordKind, number>;
}

/** The file's content: plain JSON. */
interface Saved {
  readonly format: 'json-file-store/2';
  readonly tenants: { id: string; records: StoredRecord[]; log: StoredEvent[]; idempotency: [string, JsonValue][]; referenceSequences: Record<RecordKind, number> }[];
}

// Everything the store holds is JSON, so a JSON round trip is a deep copy: callers never
// share an object with the store.
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function fromSaved(saved: Saved): Map<string, Tenant> {
  const tenants = new Map<string, Tenant>();
  for (const tenant of saved.tenants) {
    const events = new Map<string, StoredEvent[]>();
    for (const event of tenant.log) events.set(event.recordId, [...(events.get(event.recordId) ?? []), event]);
    tenants.set(tenant.id, {
      records: new Map(tenant.records.map((record) => [record.id, record])),
      log: tenant.log,
      events,
      idempotency: new Map(tenant.idempotency),
      referenceSequences: { ...tenant.referenceSequences },
    });
  }
  return tenants;
}

function toSaved(tenants: Map<string, Tenant>): Saved {
  return {
    format: 'json-file-store/2',
    tenants: [...tenants].map(([id, tenant]) => ({
      id,
      records: [...tenant.records.values()],
      log: tenant.log,
      idempotency: [...tenant.idempotency],
      referenceSequences: { ...tenant.referenceSequences },
    })),
  };
}

/** Unicode code point order (UTF-8 byte order), as SQL databases compare; not JavaScript's `<`. */
function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a, (char) => char.codePointAt(0)!);
  const y = Array.from(b, (char) => char.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

const inList = (values: readonly string[] | undefined, value: string | null) => values === undefined || (value !== null && values.includes(value));

function matches(record: StoredRecord, filter: RecordFilter, all: readonly StoredRecord[]): boolean {
  const { index } = record;
  if (record.kind !== filter.kind || (filter.open !== undefined && index.open !== filter.open)) return false;
  if (!inList(filter.status, index.status) || !inList(filter.grade, index.grade) || !inList(filter.source, index.source)) return false;
  if (!inList(filter.ownerId, index.ownerId) || !inList(filter.requirement, index.requirement) || !inList(filter.causeCategory, index.causeCategory)) return false;
  if (filter.text !== undefined && !index.text.includes(filter.text.toLowerCase())) return false;
  if (filter.dueBefore !== undefined && (index.dueDate === null || index.dueDate >= filter.dueBefore)) return false;
  if (filter.dueOnOrBefore !== undefined && (index.dueDate === null || index.dueDate > filter.dueOnOrBefore)) return false;
  if (filter.inactiveSince !== undefined && index.lastActivityAt >= filter.inactiveSince) return false;
  const recurrence = filter.recurrence;
  if (recurrence !== undefined) {
    const value = index[recurrence.field];
    if (value === null || index.raisedAt < recurrence.raisedSince) return false;
    const count = all.filter((other) => other.kind === filter.kind && other.index.raisedAt >= recurrence.raisedSince && other.index[recurrence.field] === value).length;
    if (count <= recurrence.moreThan) return false;
  }
  return true;
}

// A page cursor: the position of the page's last record, base64url JSON. A cursor this
// store did not write is refused with a RangeError, as the contract asks.
const encodeCursor = (record: StoredRecord) => Buffer.from(JSON.stringify([record.index.raisedAt, record.id])).toString('base64url');
function decodeCursor(cursor: string): [string, string] {
  try {
    const position: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(position) && position.length === 2 && position.every((part) => typeof part === 'string')) {
      const [raisedAt, id] = position as [string, string];
      if (Buffer.from(JSON.stringify([raisedAt, id])).toString('base64url') === cursor) return [raisedAt, id];
    }
  } catch {
    // not JSON: malformed
  }
  throw new RangeError(`Malformed page cursor: ${cursor}`);
}

function queryPage(records: readonly StoredRecord[], request: PageRequest): Page {
  if (!Number.isInteger(request.limit) || request.limit < 1 || request.limit > 1000) throw new RangeError(`Page limit must be 1 to 1000, not ${request.limit}`);
  const after = request.cursor === undefined ? null : decodeCursor(request.cursor);
  const position = (record: StoredRecord, [raisedAt, id]: readonly [string, string]) => compareCodePoints(record.index.raisedAt, raisedAt) || compareCodePoints(record.id, id);
  const matching = records
    .filter((record) => matches(record, request.filter, records) && (after === null || position(record, after) > 0))
    .sort((a, b) => position(a, [b.index.raisedAt, b.id]));
  const page = matching.slice(0, request.limit);
  return { records: page, cursor: matching.length > request.limit ? encodeCursor(page.at(-1)!) : null };
}

/**
 * Opens (or creates) a store kept in the JSON file at `path`. One process at a time: it
 * takes no lock.
 */
export async function jsonFileStore(path: string): Promise<CapaStore> {
  let text: string | null = null;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let tenants = text === null ? new Map<string, Tenant>() : fromSaved(JSON.parse(text) as Saved);
  let saved = JSON.stringify(toSaved(tenants));

  const tenant = (id: string): Tenant => {
    let data = tenants.get(id);
    if (data === undefined) {
      data = { records: new Map(), log: [], events: new Map(), idempotency: new Map(), referenceSequences: { finding: 0, action: 0 } };
      tenants.set(id, data);
    }
    return data;
  };

  // Changes run one at a time: check, apply in memory, save; a failed save puts the
  // memory back to the last saved state, so a commit is all or nothing on disk and in memory.
  let queue: Promise<unknown> = Promise.resolve();
  const change = <T>(work: () => T): Promise<T> => {
    const run = queue.then(async () => {
      const result = work();
      const next = JSON.stringify(toSaved(tenants));
      try {
        const file = await open(`${path}.tmp`, 'w');
        try {
          await file.writeFile(next);
          await file.sync();
        } finally {
          await file.close();
        }
        await rename(`${path}.tmp`, path);
      } catch (error) {
        tenants = fromSaved(JSON.parse(saved) as Saved);
        throw error;
      }
      saved = next;
      return result;
    });
    queue = run.catch(() => undefined);
    return run;
  };

  const commit = (batch: CommitBatch) => {
    const data = tenant(batch.tenantId);
    // Check everything first: one stale version or a used idempotency key refuses the whole batch.
    for (const write of batch.writes) {
      const current = data.records.get(write.record.id)?.version ?? 0;
      if (current !== write.expectedVersion) throw new ConcurrencyError(write.record.id, write.expectedVersion, current);
    }
    if (batch.idempotency !== undefined && data.idempotency.has(batch.idempotency.key)) {
      throw new ConcurrencyError(`idempotency:${batch.idempotency.key}`, 0, null);
    }
    // A reference is unique per tenant and kind: held by another stored record, or given to
    // two records of this batch, refuses the whole batch (a scan: this store is small).
    const given = new Map<string, string>();
    for (const { record } of batch.writes) {
      const reference = record.index.reference;
      if (reference === null) continue;
      const key = `${record.kind} ${reference}`;
      const holder =
        given.get(key) ??
        [...data.records.values()].find((other) => other.id !== record.id && other.kind === record.kind && other.index.reference === reference)?.id;
      if (holder !== undefined && holder !== record.id) {
        throw new DuplicateReferenceError([{ tenantId: batch.tenantId, kind: record.kind, reference, recordIds: [holder, record.id] }], record.id);
      }
      given.set(key, record.id);
    }
    for (const write of copy(batch.writes)) {
      const events = data.events.get(write.record.id) ?? [];
      for (const event of write.events) {
        const stored: StoredEvent = { ...event, tenantSequence: (data.log.at(-1)?.tenantSequence ?? 0) + 1 };
        data.log.push(stored);
        events.push(stored);
      }
      data.events.set(write.record.id, events);
      // The stored version is the expected one plus the new events, whatever the record says.
      data.records.set(write.record.id, { ...write.record, version: write.expectedVersion + write.events.length });
    }
    if (batch.idempotency !== undefined) data.idempotency.set(batch.idempotency.key, copy(batch.idempotency.result));
    return { tenantSequence: data.log.at(-1)?.tenantSequence ?? 0 };
  };

  return {
    contractVersion: STORE_CONTRACT_VERSION,
    capabilities: { multiProcess: false, durable: true },
    async load(tenantId, ids) {
      const records = tenant(tenantId).records;
      return copy(ids.flatMap((id) => records.get(id) ?? []));
    },
    commit: (batch) => change(() => commit(batch)),
    async readEvents(tenantId, recordId, afterSequence = 0) {
      return copy((tenant(tenantId).events.get(recordId) ?? []).filter((event) => event.sequence > afterSequence));
    },
    async readTenantEvents(tenantId, afterTenantSequence, limit) {
      return copy(tenant(tenantId).log.filter((event) => event.tenantSequence > afterTenantSequence).slice(0, limit));
    },
    async query(tenantId, request) {
      return copy(queryPage([...tenant(tenantId).records.values()], request));
    },
    async nextReference(tenantId, kind) {
      if (kind !== 'finding' && kind !== 'action') throw new RangeError(`nextReference counts findings or actions, not ${String(kind)}`);
      return change(() => (tenant(tenantId).referenceSequences[kind] += 1));
    },
    async idempotentResult(tenantId, key) {
      const data = tenant(tenantId);
      return data.idempotency.has(key) ? copy(data.idempotency.get(key)) : undefined;
    },
    async close() {
      await queue;
    },
  };
}
