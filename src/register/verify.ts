import { createActor } from 'xstate';
import type { UnmetRequirement } from '../errors/transition-error.js';
import { firstBrokenLink } from '../history/chain.js';
import { contentHash, LogHeadHasher } from '../history/head.js';
import type { CapaMachine } from '../machine/capa-machine.js';
import { CAPA_EVENT_TYPES, type CapaEvent } from '../machine/events.js';
import { type CapaSnapshot, explain } from '../machine/explain.js';
import { pureTransition } from '../machine/pure-transition.js';
import { HistoryEntry } from '../schemas/history-entry.js';
import type { SeverityPolicy } from '../schemas/severity-policy.js';
import { type ActRuleCode, entryActRules } from './rules/acts.js';
import type { CapaStore, StoredEvent, StoredRecord } from '../store/contract.js';

/**
 * The tenant's log head: how many events the tenant had (`tenantSequence`) and a hash
 * over the last entry of every record at that point. Saved where the store's writers
 * cannot change it, it later proves that no record committed by then was deleted,
 * truncated or rewritten.
 *
 * @example
 * ```ts
 * import type { CapaRegister, LogHead } from 'capa-kit/register';
 *
 * declare const register: CapaRegister;
 * const saved: LogHead = await register.logHead(); // keep it where the store's writers cannot change it
 * // Later: has anything committed by then been deleted or rewritten?
 * const report = await register.verifyHistory({ trustedHead: saved });
 * ```
 */
export interface LogHead {
  readonly tenantSequence: number;
  readonly hash: string;
}

/**
 * One problem `verifyHistory` found.
 *
 * @example
 * ```ts
 * import type { HistoryProblem } from 'capa-kit/register';
 *
 * const line = (problem: HistoryProblem) =>
 *   `${problem.code} in ${problem.recordId ?? 'the tenant log'} at ${problem.sequence ?? '-'}: ${problem.message}`;
 * ```
 */
export interface HistoryProblem {
  readonly code:
    | 'hash-mismatch'
    | 'chain-broken'
    | 'sequence-gap'
    | 'wrong-record'
    | 'invalid-entry'
    | 'record-head'
    | 'signature-binding'
    | 'replay'
    | 'missing-record'
    | 'head-mismatch'
    | ActRuleCode;
  readonly recordId: string | null;
  readonly sequence: number | null;
  readonly message: string;
}

/**
 * What `verifyHistory` found.
 *
 * @example
 * ```ts
 * import type { CapaRegister, VerificationReport } from 'capa-kit/register';
 *
 * declare const register: CapaRegister;
 * const report: VerificationReport = await register.verifyHistory();
 * if (!report.ok) console.error(`${report.problems.length} problems; first: ${report.firstBroken?.message}`);
 * ```
 */
export interface VerificationReport {
  /** True when nothing is wrong. */
  readonly ok: boolean;
  readonly records: number;
  readonly entries: number;
  /** The head now. */
  readonly head: LogHead;
  /** The first problem, in record order, or `null`. */
  readonly firstBroken: HistoryProblem | null;
  readonly problems: readonly HistoryProblem[];
}

const PAGE = 1000;
const lifecycleEvents: ReadonlySet<string> = new Set(CAPA_EVENT_TYPES);

async function allEvents(store: CapaStore, tenant: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (let after = 0; ; ) {
    const batch = await store.readTenantEvents(tenant, after, PAGE);
    events.push(...batch);
    if (batch.length < PAGE) return events;
    after = batch.at(-1)!.tenantSequence;
  }
}

async function allRecords(store: CapaStore, tenant: string): Promise<StoredRecord[]> {
  const records: StoredRecord[] = [];
  for (const kind of ['finding', 'action'] as const) {
    let cursor: string | undefined;
    do {
      const page = await store.query(tenant, { filter: { kind }, limit: PAGE, ...(cursor === undefined ? {} : { cursor }) });
      records.push(...page.records);
      cursor = page.cursor ?? undefined;
    } while (cursor !== undefined);
  }
  return records;
}

/** The head over the events up to `tenantSequence`. */
function headOf(tenant: string, events: readonly StoredEvent[], tenantSequence: number): LogHead {
  const tips = new Map<string, StoredEvent>();
  for (const event of events) {
    if (event.tenantSequence > tenantSequence) continue;
    const tip = tips.get(event.recordId);
    if (tip === undefined || event.sequence > tip.sequence) tips.set(event.recordId, event);
  }
  const hasher = new LogHeadHasher(tenant, tenantSequence);
  for (const recordId of [...tips.keys()].sort()) {
    const tip = tips.get(recordId)!;
    hasher.tip(recordId, tip.sequence, contentHash(tip.entry));
  }
  return hasher.digest();
}

/** The tenant's log head now. */
export async function computeLogHead(store: CapaStore, tenant: string): Promise<LogHead> {
  const events = await allEvents(store, tenant);
  return headOf(tenant, events, events.at(-1)?.tenantSequence ?? 0);
}

/**
 * The binding rule of electronic signatures (21 CFR Part 11 §11.50, §11.70): a signature
 * on entry `n` of a record is bound to that record at version `n - 1` and to the hash of
 * entry `n - 1`, and was made at the entry's time (`signedAt` is the entry's `at`: the
 * signature's date and time are the act's). Returns the first entry whose signature breaks
 * it, or `undefined`.
 */
export function misboundSignature(recordId: string, entries: readonly HistoryEntry[]): HistoryEntry | undefined {
  return entries.find(
    (entry) =>
      entry.signature !== null &&
      (entry.signature.boundTo.recordId !== recordId ||
        entry.signature.boundTo.version !== entry.sequence - 1 ||
        entry.signature.boundTo.hash !== entry.prevHash ||
        entry.signature.signedAt !== entry.at),
  );
}

/** Why a signature breaks the binding rule, for people. */
export function misboundMessage(recordId: string, entry: HistoryEntry): string {
  const signature = entry.signature!;
  return signature.signedAt !== entry.at
    ? `The signature on entry ${entry.sequence} of ${recordId} was made at ${signature.signedAt}, not at the entry's time ${entry.at}.`
    : `The signature on entry ${entry.sequence} of ${recordId} is not bound to this record at that point.`;
}

/** The lifecycle event a history entry records, or `null` for an entry that is not one (a comment). */
export function entryEvent(entry: HistoryEntry): CapaEvent | null {
  if (!lifecycleEvents.has(entry.type)) return null;
  return {
    ...(entry.payload as object),
    type: entry.type,
    at: entry.at,
    by: entry.actor,
    ...(entry.reason === null ? {} : { reason: entry.reason }),
  } as CapaEvent;
}

/** What replaying a finding's history gives. */
export interface FindingReplay {
  /** The snapshot after the last entry replayed (before the refused one, if any). */
  readonly snapshot: CapaSnapshot;
  /** The first entry the machine refused, and why; `null` when every entry replayed. */
  readonly refused: { readonly entry: HistoryEntry; readonly unmet: readonly UnmetRequirement[] } | null;
  /** The finding's last activity as the register sets it: the time of the last entry replayed (`null`: none). */
  readonly lastActivityAt: string | null;
}

// A machine's initial snapshot (immutable, like every snapshot): one actor per machine, not per replay.
const initialSnapshots = new WeakMap<CapaMachine, CapaSnapshot>();
function initialSnapshot(machine: CapaMachine): CapaSnapshot {
  let snapshot = initialSnapshots.get(machine);
  if (snapshot === undefined) {
    snapshot = createActor(machine).getSnapshot();
    initialSnapshots.set(machine, snapshot);
  }
  return snapshot;
}

/**
 * Told of each entry a replay reaches, before it is applied: its position, the lifecycle
 * event it records (`null` for an entry outside the lifecycle, a comment) and the snapshot
 * as it stood (what the register checked the command against).
 */
export type ReplayVisitor = (entry: HistoryEntry, index: number, event: CapaEvent | null, before: CapaSnapshot) => void;

/** Replays a finding's history through the machine (pure transitions); stops at the first refusal. */
export function replayFinding(machine: CapaMachine, entries: readonly HistoryEntry[], visit?: ReplayVisitor): FindingReplay {
  let snapshot: CapaSnapshot = initialSnapshot(machine);
  let lastActivityAt: string | null = null;
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]!;
    const event = entryEvent(entry);
    visit?.(entry, index, event, snapshot);
    if (event === null) {
      lastActivityAt = entry.at;
      continue;
    }
    // The machine's guards evaluate every requirement: a refused event leaves the snapshot
    // as it was. Only then is explain() asked why (an accepted event that changes nothing is
    // told apart by explain() returning no unmet requirement).
    const next = pureTransition(snapshot, event);
    if (next === snapshot) {
      const unmet = explain(snapshot, event);
      if (unmet.length > 0) return { snapshot, refused: { entry, unmet }, lastActivityAt };
    }
    snapshot = next;
    lastActivityAt = entry.at;
  }
  return { snapshot, refused: null, lastActivityAt };
}

/**
 * Replays a finding's lifecycle entries through the machine; the first refusal is a
 * problem, and so is every act the register would have refused (a future instant, a
 * breach of segregation of duties, a signature that does not match its act).
 */
function replay(
  machine: CapaMachine,
  policy: SeverityPolicy,
  recordId: string,
  name: string,
  entries: readonly HistoryEntry[],
  problems: HistoryProblem[],
): CapaSnapshot | null {
  const { snapshot, refused } = replayFinding(machine, entries, (entry, _index, event, before) =>
    entryActRules(policy, name, entry, event, before.context, actProblem(problems, recordId, entry)),
  );
  if (refused === null) return snapshot;
  const { entry, unmet } = refused;
  problems.push({ code: 'replay', recordId, sequence: entry.sequence, message: `Entry ${entry.sequence} (${entry.type}) does not replay: ${unmet.map((u) => u.code).join(', ')}.` });
  return null;
}

/** Records an act rule's finding on one entry as a problem of the record. */
const actProblem =
  (problems: HistoryProblem[], recordId: string, entry: HistoryEntry) =>
  (code: ActRuleCode, _path: readonly (string | number)[], message: string): void =>
    void problems.push({ code, recordId, sequence: entry.sequence, message });

/**
 * Verifies a tenant's whole history: every record's chain (sequence, links and hashes),
 * every signature's binding, that each finding's history replays through the machine to
 * its stored status, that each record's version and head match its history, that no
 * history belongs to a missing record, and, given a saved head, that the history up to
 * it is unchanged.
 */
export async function verifyTenantHistory(
  store: CapaStore,
  tenant: string,
  machine: CapaMachine,
  policy: SeverityPolicy,
  trustedHead?: LogHead,
): Promise<VerificationReport> {
  const [events, records] = await Promise.all([allEvents(store, tenant), allRecords(store, tenant)]);
  const problems: HistoryProblem[] = [];
  const byRecord = new Map<string, StoredEvent[]>();
  for (const event of events) {
    const list = byRecord.get(event.recordId);
    if (list === undefined) byRecord.set(event.recordId, [event]);
    else list.push(event);
  }

  for (const record of records.sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const stored = (byRecord.get(record.id) ?? []).sort((a, b) => a.sequence - b.sequence);
    byRecord.delete(record.id);
    // People read records by their reference (NC-2026-0001, CA-2026-0001); `recordId` keeps the id.
    const name = record.index.reference ?? record.id;
    const entries: HistoryEntry[] = [];
    let invalid = false;
    for (const event of stored) {
      const parsed = HistoryEntry.safeParse(event.entry);
      if (!parsed.success) {
        problems.push({ code: 'invalid-entry', recordId: record.id, sequence: event.sequence, message: `Entry ${event.sequence} of ${name} is not a valid history entry.` });
        invalid = true;
        break;
      }
      entries.push(parsed.data);
    }
    if (invalid) continue;
    const broken = firstBrokenLink(record.id, entries, name);
    if (broken !== null) {
      problems.push({ code: broken.reason, recordId: record.id, sequence: broken.sequence, message: broken.message });
      continue;
    }
    if (record.version !== entries.length || record.head !== (entries.at(-1)?.hash ?? null)) {
      problems.push({ code: 'record-head', recordId: record.id, sequence: null, message: `Record ${name} (version ${record.version}) does not match its history of ${entries.length} entries.` });
      continue;
    }
    const misbound = misboundSignature(record.id, entries);
    if (misbound !== undefined) {
      problems.push({ code: 'signature-binding', recordId: record.id, sequence: misbound.sequence, message: misboundMessage(name, misbound) });
      continue;
    }
    if (record.kind === 'action') {
      for (const entry of entries) entryActRules(policy, name, entry, entryEvent(entry), null, actProblem(problems, record.id, entry));
    } else {
      const snapshot = replay(machine, policy, record.id, name, entries, problems);
      if (snapshot !== null && String(snapshot.value) !== record.index.status) {
        problems.push({ code: 'replay', recordId: record.id, sequence: null, message: `The history of ${name} replays to "${String(snapshot.value)}", but the record says "${record.index.status}".` });
      }
    }
  }
  for (const recordId of byRecord.keys()) {
    problems.push({ code: 'missing-record', recordId, sequence: null, message: `History exists for ${recordId}, but the record is gone.` });
  }
  const head = headOf(tenant, events, events.at(-1)?.tenantSequence ?? 0);
  if (trustedHead !== undefined) {
    const then = headOf(tenant, events, trustedHead.tenantSequence);
    if (trustedHead.tenantSequence > head.tenantSequence || then.hash !== trustedHead.hash) {
      problems.push({
        code: 'head-mismatch',
        recordId: null,
        sequence: trustedHead.tenantSequence,
        message: `The history up to tenant sequence ${trustedHead.tenantSequence} no longer matches the saved head: something committed by then was deleted or rewritten.`,
      });
    }
  }
  return { ok: problems.length === 0, records: records.length, entries: events.length, head, firstBroken: problems[0] ?? null, problems };
}
