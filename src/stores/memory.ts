import { ConcurrencyError } from '../errors/store-errors.js';
import {
  type CapaStore,
  type CommitBatch,
  type CommitResult,
  type JsonValue,
  type Page,
  type PageRequest,
  type RecordKind,
  STORE_CONTRACT_VERSION,
  type StoredEvent,
  type StoredRecord,
} from '../store/contract.js';
import { queryInMemory } from '../store/in-memory-query.js';
import { checkReferenceKind, referenceKey, referenceOf, refuseDuplicateReferences } from '../store/references.js';

/** One tenant's data: nothing is shared between tenants. */
interface TenantData {
  readonly records: Map<string, StoredRecord>;
  readonly events: Map<string, StoredEvent[]>;
  /** Every event of the tenant in tenant-sequence order: pages of it are slices. */
  readonly log: StoredEvent[];
  readonly idempotency: Map<string, JsonValue>;
  /** Who holds each reference, by `referenceKey(kind, reference)`: the record id. */
  readonly references: Map<string, string>;
  tenantSequence: number;
  /** The last number `nextReference` handed out, per kind. */
  readonly referenceSequences: Record<RecordKind, number>;
}

/**
 * The whole in-memory state of a store: exposed so the file store can keep the same state
 * and replay its journal into it.
 */
export class MemoryState {
  private readonly tenants = new Map<string, TenantData>();

  tenant(tenantId: string): TenantData {
    let data = this.tenants.get(tenantId);
    if (data === undefined) {
      data = {
        records: new Map(),
        events: new Map(),
        log: [],
        idempotency: new Map(),
        references: new Map(),
        tenantSequence: 0,
        referenceSequences: { finding: 0, action: 0 },
      };
      this.tenants.set(tenantId, data);
    }
    return data;
  }

  /**
   * Refuses the batch if any expected version is stale, its key is used, or a record would
   * take a reference another holds; changes nothing.
   */
  check(batch: CommitBatch): void {
    const data = this.tenant(batch.tenantId);
    for (const write of batch.writes) {
      const current = data.records.get(write.record.id)?.version ?? 0;
      if (current !== write.expectedVersion) throw new ConcurrencyError(write.record.id, write.expectedVersion, current);
    }
    if (batch.idempotency !== undefined && data.idempotency.has(batch.idempotency.key)) {
      throw new ConcurrencyError(`idempotency:${batch.idempotency.key}`, 0, null);
    }
    refuseDuplicateReferences(batch, (kind, reference) => data.references.get(referenceKey(kind, reference)));
  }

  /** Applies a checked batch. Never throws part-way: everything it does cannot fail. */
  apply(batch: CommitBatch): CommitResult {
    const data = this.tenant(batch.tenantId);
    for (const write of batch.writes) {
      const log = data.events.get(write.record.id) ?? [];
      for (const event of write.events) {
        data.tenantSequence += 1;
        const stored = { ...event, tenantSequence: data.tenantSequence };
        log.push(stored);
        data.log.push(stored);
      }
      data.events.set(write.record.id, log);
      const before = data.records.get(write.record.id);
      const previous = before === undefined ? null : referenceOf(before);
      const reference = referenceOf(write.record);
      if (previous !== null && previous !== reference) data.references.delete(referenceKey(before!.kind, previous));
      if (reference !== null) data.references.set(referenceKey(write.record.kind, reference), write.record.id);
      data.records.set(write.record.id, { ...write.record, version: write.expectedVersion + write.events.length });
    }
    if (batch.idempotency !== undefined) data.idempotency.set(batch.idempotency.key, batch.idempotency.result);
    return { tenantSequence: data.tenantSequence };
  }

  load(tenantId: string, ids: readonly string[]): StoredRecord[] {
    const records = this.tenant(tenantId).records;
    return ids.flatMap((id) => {
      const record = records.get(id);
      return record === undefined ? [] : [record];
    });
  }

  readEvents(tenantId: string, recordId: string, afterSequence = 0): StoredEvent[] {
    return (this.tenant(tenantId).events.get(recordId) ?? []).filter((event) => event.sequence > afterSequence);
  }

  readTenantEvents(tenantId: string, afterTenantSequence: number, limit: number): StoredEvent[] {
    const { log } = this.tenant(tenantId);
    // Binary search for the first event after the given sequence: the log is in order.
    let low = 0;
    let high = log.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (log[middle]!.tenantSequence > afterTenantSequence) high = middle;
      else low = middle + 1;
    }
    return log.slice(low, low + limit);
  }

  query(tenantId: string, request: PageRequest): Page {
    return queryInMemory(this.tenant(tenantId).records.values(), request);
  }

  nextReference(tenantId: string, kind: RecordKind): number {
    checkReferenceKind(kind);
    const sequences = this.tenant(tenantId).referenceSequences;
    sequences[kind] += 1;
    return sequences[kind];
  }

  idempotentResult(tenantId: string, key: string): JsonValue | undefined {
    return this.tenant(tenantId).idempotency.get(key);
  }
}

// Stored values are copied in and out, so no caller can change what the store holds.
// Everything a store keeps is JSON, so a plain recursive copy does: several times faster
// than structuredClone, which also handles what JSON cannot hold.
function copy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copy) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = copy((value as Record<string, unknown>)[key]);
    // Assigning "__proto__" would set the prototype; JSON can carry it as an own key.
    if (key === '__proto__') Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
    else out[key] = item;
  }
  return out as T;
}

/**
 * The reference store: everything in memory, gone when the process ends. Small enough to
 * read in one sitting; the worked example of the storage contract. Commits are atomic
 * because they are checked whole before anything is applied.
 *
 * @example
 * ```ts
 * import { memoryStore } from 'capa-kit/register';
 *
 * const store = memoryStore();
 * await store.nextReference('acme', 'finding'); // 1
 * await store.nextReference('acme', 'action'); // 1: each kind counts on its own
 * ```
 */
export function memoryStore(): CapaStore {
  const state = new MemoryState();
  return {
    contractVersion: STORE_CONTRACT_VERSION,
    capabilities: { multiProcess: false, durable: false },
    async load(tenantId, ids) {
      return copy(state.load(tenantId, ids));
    },
    async commit(batch) {
      state.check(batch);
      return state.apply(copy(batch));
    },
    async readEvents(tenantId, recordId, afterSequence) {
      return copy(state.readEvents(tenantId, recordId, afterSequence));
    },
    async readTenantEvents(tenantId, afterTenantSequence, limit) {
      return copy(state.readTenantEvents(tenantId, afterTenantSequence, limit));
    },
    async query(tenantId, request) {
      return copy(state.query(tenantId, request));
    },
    async nextReference(tenantId, kind) {
      return state.nextReference(tenantId, kind);
    },
    async idempotentResult(tenantId, key) {
      return copy(state.idempotentResult(tenantId, key));
    },
    async close() {},
  };
}
