import type { JsonValue, RecordWrite, StoredRecord } from '../store/contract.js';
import { aBatch, anEntry, aRecord, aWrite, seedRecords } from './fixtures.js';
import {
  type EventView,
  eventView,
  exactJson,
  freshTenant,
  isConcurrencyError,
  type RecordView,
  recordView,
  snapshot,
  storeTest,
  type TenantSnapshot,
} from './harness.js';
import { type FastCheck, fastCheck } from './fast-check.js';
import { resolveOptions, type StoreConformanceOptions } from './options.js';

const MODEL_IDS = ['m-a', 'm-b', 'm-c', 'm-d'] as const;
const MODEL_KEYS = ['k-1', 'k-2', 'k-3'] as const;

/** One random commit: some writes (each maybe off its record's version) and maybe a key. */
interface Operation {
  readonly writes: readonly { readonly id: string; readonly events: number; readonly drift: number }[];
  readonly key: string | null;
}

const operation = (fc: FastCheck) =>
  fc.record<Operation>({
    writes: fc.uniqueArray(
      fc.record({ id: fc.constantFrom(...MODEL_IDS), events: fc.integer({ min: 0, max: 2 }), drift: fc.constantFrom(0, 0, 0, 0, -1, 1, 2) }),
      { minLength: 1, maxLength: 3, selector: (write) => write.id },
    ),
    key: fc.option(fc.constantFrom(...MODEL_KEYS), { nil: null }),
  });

/** What the store should hold: the model the random commits are checked against. */
class Model {
  readonly records = new Map<string, StoredRecord>();
  readonly events = new Map<string, EventView[]>();
  readonly keys = new Map<string, JsonValue>();
  tenantSequence = 0;

  constructor(readonly tenant: string) {}

  version(id: string): number {
    return this.records.get(id)?.version ?? 0;
  }

  /** The batch for an operation, and whether the model says it must be refused. */
  batch(op: Operation, step: number): { writes: RecordWrite[]; refused: boolean } {
    let refused = op.key !== null && this.keys.has(op.key);
    const writes = op.writes.map((write) => {
      const version = this.version(write.id);
      const expected = Math.max(0, version + write.drift);
      if (expected !== version) refused = true;
      // A creation always has an event: a record at version 0 is not a case the register makes.
      const events = version === 0 && write.events === 0 ? 1 : write.events;
      const record = aRecord(this.tenant, write.id, {
        kind: write.id === 'm-d' ? 'action' : 'finding',
        index: { status: `step-${step}` },
        document: { format: 1, step, id: write.id },
      });
      const entries = Array.from({ length: events }, (_, i) => anEntry(record, expected + i + 1, { step }));
      return aWrite(record, expected, entries);
    });
    return { writes, refused };
  }

  apply(writes: readonly RecordWrite[], key: string | null, step: number): void {
    for (const write of writes) {
      const log = this.events.get(write.record.id) ?? [];
      for (const event of write.events) {
        this.tenantSequence += 1;
        log.push(eventView({ ...event, tenantSequence: this.tenantSequence }));
      }
      this.events.set(write.record.id, log);
      this.records.set(write.record.id, write.record);
    }
    if (key !== null) this.keys.set(key, { step });
  }

  view(): TenantSnapshot {
    const present = [...this.records.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    const byKind = (kind: string) => present.filter((record) => record.kind === kind).sort((a, b) => (a.index.raisedAt === b.index.raisedAt ? (a.id < b.id ? -1 : 1) : a.index.raisedAt < b.index.raisedAt ? -1 : 1)).map((record) => record.id);
    const events: Record<string, EventView[]> = {};
    for (const id of MODEL_IDS) events[id] = this.events.get(id) ?? [];
    const idempotency: Record<string, string> = {};
    for (const key of MODEL_KEYS) idempotency[key] = this.keys.has(key) ? exactJson(this.keys.get(key)) : '(none)';
    return {
      records: present.map((record): RecordView => recordView(record)),
      events,
      tenantEvents: [...this.events.values()].flat().sort((a, b) => a.tenantSequence! - b.tenantSequence!),
      findings: byKind('finding'),
      actions: byKind('action'),
      idempotency,
    };
  }
}

/**
 * The atomicity group: a refused commit leaves nothing behind (records, events, tenant
 * events, query results and idempotency keys are as before, and the next commit takes the
 * next tenant sequence, with no gap); and a random sequence of commits, some of them
 * stale or reusing a key, leaves the store equal to a model that applies only the
 * commits it accepts.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { memoryStore } from 'capa-kit/register';
 * import { atomicitySuite } from 'capa-kit/testing';
 *
 * atomicitySuite({ name: 'memory', describe, it, expect, createStore: async () => memoryStore() });
 * ```
 */
export function atomicitySuite(input: StoreConformanceOptions): void {
  const options = resolveOptions(input);
  options.describe('atomicity', () => {
    storeTest(options, 'a refused commit leaves nothing behind, and the tenant sequence goes on without a gap', async (store, t) => {
      const tenant = t.tenant();
      const [a, b] = await seedRecords(store, tenant, [aRecord(tenant, 'a'), aRecord(tenant, 'b', { kind: 'action' })]);
      await store.commit(aBatch(tenant, [aWrite(a!, 1, 1)], { key: 'used', result: 'first' }));
      const ids = ['a', 'b', 'new'];
      const keys = ['used', 'fresh'];
      const before = await snapshot(store, tenant, ids, keys);
      const writes = [aWrite(aRecord(tenant, 'new', { kind: 'action' }), 0, 2), aWrite({ ...a!, version: 2 }, 2, 1), aWrite(b!, 0, 1)];
      await t.refused('a batch with a stale write', store.commit(aBatch(tenant, writes, { key: 'fresh', result: 'lost' })), 'b');
      t.equal('the tenant after the refused batch', await snapshot(store, tenant, ids, keys), before);
      const retry = [aWrite(aRecord(tenant, 'new', { kind: 'action' }), 0, 2), aWrite({ ...a!, version: 2 }, 2, 1), aWrite(b!, 1, 1)];
      t.equal('the same batch, made fresh', await store.commit(aBatch(tenant, retry, { key: 'fresh', result: 'kept' })), { tenantSequence: 7 });
      t.equal('the key of the retry', await store.idempotentResult(tenant, 'fresh'), 'kept');
      t.equal('the new record', (await store.readEvents(tenant, 'new')).map((event) => [event.sequence, event.tenantSequence]), [[1, 4], [2, 5]]);
    });

    storeTest(options, 'a commit refused for its idempotency key leaves nothing behind', async (store, t) => {
      const tenant = t.tenant();
      const [a] = await seedRecords(store, tenant, [aRecord(tenant, 'a')]);
      await store.commit(aBatch(tenant, [aWrite(a!, 1, 1)], { key: 'used', result: 1 }));
      const before = await snapshot(store, tenant, ['a', 'new'], ['used']);
      const writes = [aWrite(aRecord(tenant, 'new'), 0, 1), aWrite({ ...a!, version: 2 }, 2, 1)];
      await t.refused('a batch with a used key', store.commit(aBatch(tenant, writes, { key: 'used', result: 2 })), 'idempotency:used');
      t.equal('the tenant after the refused batch', await snapshot(store, tenant, ['a', 'new'], ['used']), before);
      t.equal('the next commit', await store.commit(aBatch(tenant, writes)), { tenantSequence: 4 });
    });

    storeTest(options, 'random commits, some stale or reusing a key, leave the store equal to a model (property)', async (store, t) => {
      const fc = await fastCheck();
      await fc.assert(
        fc.asyncProperty(fc.array(operation(fc), { minLength: 1, maxLength: 12 }), async (operations) => {
          const model = new Model(freshTenant('model'));
          for (const [step, op] of operations.entries()) {
            const { writes, refused } = model.batch(op, step);
            const batch = aBatch(model.tenant, writes, op.key === null ? undefined : { key: op.key, result: { step } });
            let outcome: string;
            try {
              const result = await store.commit(batch);
              outcome = `committed at ${result.tenantSequence}`;
            } catch (error) {
              if (!isConcurrencyError(error)) throw error;
              outcome = 'refused';
            }
            if (!refused) model.apply(writes, op.key, step);
            t.equal(`step ${step}: ${JSON.stringify(op)}`, outcome, refused ? 'refused' : `committed at ${model.tenantSequence}`);
          }
          t.equal('the store after every step', await snapshot(store, model.tenant, MODEL_IDS, MODEL_KEYS), model.view());
        }),
        { numRuns: options.runs, ...(options.seed === undefined ? {} : { seed: options.seed }) },
      );
    });
  });
}
