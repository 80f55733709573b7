// Shared helpers of the register tests: a deterministic register (advancing clock, ids),
// an instrumented store (counts calls, can delay commits so that reads interleave), a
// dump of everything a tenant holds (to prove that a refused command wrote nothing), and
// steps that bring a finding to a given state through the real commands.
import { expect } from 'vitest';
import { iso27001, type Actor, type Finding, type SeverityPolicy } from 'capa-kit';
import {
  type CapaRegister,
  type CapaRegisterOptions,
  type CapaStore,
  type CommandInput,
  type StoredEvent,
  type StoredRecord,
  createCapaRegister,
  memoryStore,
} from 'capa-kit/register';
import { actors, sampleCorrection, sampleEvidence, sampleReview, sampleRootCause } from '../fixtures/events.js';

export const TENANT = 'acme';
export const START = Date.parse('2026-03-02T09:00:00Z');
/** The credential the default `verifySignature` hook accepts. */
export const signer = { credential: 'ok' } as const;

export const person = (actor: Actor) => ({ id: actor.id, name: actor.name });

/** What an instrumented store counted. */
export interface StoreCalls {
  commit: number;
  /** Commits the inner store accepted. */
  committed: number;
  nextReference: number;
  load: number;
}

/** A store wrapper that counts calls and can hold every commit until `beforeCommit` resolves. */
export interface InstrumentedStore extends CapaStore {
  readonly calls: StoreCalls;
  readonly inner: CapaStore;
}

export function instrument(
  inner: CapaStore = memoryStore(),
  hooks: { beforeCommit?: (batch: Parameters<CapaStore['commit']>[0]) => Promise<void> | void } = {},
): InstrumentedStore {
  const calls: StoreCalls = { commit: 0, committed: 0, nextReference: 0, load: 0 };
  return {
    inner,
    calls,
    contractVersion: inner.contractVersion,
    capabilities: inner.capabilities,
    async load(tenantId, ids) {
      calls.load += 1;
      return inner.load(tenantId, ids);
    },
    async commit(batch) {
      calls.commit += 1;
      await hooks.beforeCommit?.(batch);
      const result = await inner.commit(batch);
      calls.committed += 1;
      return result;
    },
    readEvents: (tenantId, recordId, after) => inner.readEvents(tenantId, recordId, after),
    readTenantEvents: (tenantId, after, limit) => inner.readTenantEvents(tenantId, after, limit),
    query: (tenantId, page) => inner.query(tenantId, page),
    async nextReference(tenantId, kind) {
      calls.nextReference += 1;
      return inner.nextReference(tenantId, kind);
    },
    idempotentResult: (tenantId, key) => inner.idempotentResult(tenantId, key),
    close: () => inner.close(),
  };
}

export interface Harness {
  readonly register: CapaRegister;
  readonly store: InstrumentedStore;
  /** The instant the clock returned last. */
  now(): string;
  /** Moves the clock on (the next command happens `ms` later than it would have). */
  advance(ms: number): void;
}

/**
 * A register on an instrumented memory store, with a clock that advances a minute per
 * command, deterministic ids, and a `verifySignature` hook that accepts `signer`.
 */
export function setup(
  options: Partial<Omit<CapaRegisterOptions, 'store'>> & { store?: CapaStore; idPrefix?: string; start?: number } = {},
): Harness {
  const { store: given, idPrefix = 'id', start = START, ...rest } = options;
  const store = given === undefined ? instrument() : 'calls' in given ? (given as InstrumentedStore) : instrument(given);
  let tick = start;
  let n = 0;
  const register = createCapaRegister({
    policy: iso27001,
    tenant: TENANT,
    clock: () => new Date((tick += 60_000)),
    ids: () => `${idPrefix}-${(n += 1)}`,
    verifySignature: (_actor, credential) => credential === 'ok',
    ...rest,
    store,
  });
  return {
    register,
    store,
    now: () => new Date(tick).toISOString(),
    advance: (ms) => {
      tick += ms;
    },
  };
}

/** A valid `raise` input (minor by default), with overrides of the finding's fields. */
export function raiseInput(
  finding: Partial<CommandInput<'raise'>['finding']> = {},
  actor: Actor = actors.raiser,
): CommandInput<'raise'> {
  return {
    actor,
    finding: {
      title: 'Leavers kept active accounts',
      description: 'Two leavers kept active accounts for weeks.',
      requirement: { kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: 'A.5.18' },
      observedEvidence: 'Directory export vs HR list',
      affected: { process: 'Joiner-mover-leaver' },
      source: { kind: 'internal-audit', reference: 'IA-1' },
      grade: 'minor',
      owner: person(actors.owner),
      detectedAt: '2026-03-01T10:00:00Z',
      ...finding,
    },
  };
}

/** A plan line owned by `owner` (the finding owner by default). */
export function planLine(owner: Actor = actors.owner, description = 'Add an IT confirmation step') {
  return { description, owner: person(owner), dueDate: '2026-05-01', measurableOutcome: 'Next 10 departures within 24 h' };
}

export const STAGES = [
  'reported',
  'contained',
  'investigating',
  'planning',
  'awaitingApproval',
  'implementing',
  'actionsDone',
  'verifying',
  'reviewed',
  'closed',
] as const;
export type Stage = (typeof STAGES)[number];

export interface Driven {
  readonly finding: Finding;
  readonly actionIds: readonly string[];
}

/**
 * Raises a finding and walks it through the real commands up to `stage`
 * (`actionsDone`: implementing with every action done; `reviewed`: verifying with an
 * effective review). A major finding skips `awaitingApproval`.
 */
export async function driveTo(
  register: CapaRegister,
  stage: Stage,
  options: { grade?: 'major' | 'minor'; actionOwner?: Actor; finding?: Partial<CommandInput<'raise'>['finding']> } = {},
): Promise<Driven> {
  const upTo = STAGES.indexOf(stage);
  const reached = (s: Stage) => STAGES.indexOf(s) <= upTo;
  const grade = options.grade ?? 'minor';
  let finding = await register.raise(raiseInput({ grade, ...options.finding }));
  const findingId = finding.id;
  let actionIds: readonly string[] = [];
  if (reached('contained')) finding = await register.recordCorrection({ actor: actors.owner, findingId, correction: sampleCorrection() });
  if (reached('investigating')) finding = await register.recordRootCause({ actor: actors.owner, findingId, rootCause: sampleRootCause() });
  if (reached('planning')) {
    finding = await register.planActions({ actor: actors.owner, findingId, actions: [planLine(options.actionOwner)] });
    actionIds = finding.correctiveActionIds;
  }
  if (reached('awaitingApproval')) finding = await register.submitPlan({ actor: actors.owner, findingId });
  if (reached('implementing') && finding.status === 'awaitingApproval') {
    finding = await register.approvePlan({ actor: actors.auditor, findingId, signature: signer });
  }
  if (reached('actionsDone')) {
    for (const actionId of actionIds) {
      await register.startAction({ actor: actors.owner, actionId });
      await register.completeAction({ actor: actors.owner, actionId, evidence: [sampleEvidence()] });
    }
    finding = await register.get(findingId);
  }
  if (reached('verifying')) finding = await register.startVerification({ actor: actors.owner, findingId });
  if (reached('reviewed')) {
    finding = await register.reviewEffectiveness({ actor: actors.auditor, findingId, review: sampleReview('effective'), signature: signer });
  }
  if (reached('closed')) finding = await register.close({ actor: actors.auditor, findingId, evidence: [sampleEvidence()], signature: signer });
  const expected: Record<Stage, string> = {
    reported: 'reported',
    contained: 'contained',
    investigating: 'investigating',
    planning: 'planning',
    awaitingApproval: grade === 'minor' ? 'awaitingApproval' : 'implementing',
    implementing: 'implementing',
    actionsDone: 'implementing',
    verifying: 'verifying',
    reviewed: 'verifying',
    closed: 'closed',
  };
  expect(finding.status).toBe(expected[stage]);
  return { finding, actionIds };
}

/** Everything a tenant holds that a command could change: every record and every event. */
export interface TenantDump {
  readonly records: StoredRecord[];
  readonly events: StoredEvent[];
}

export async function dumpTenant(store: CapaStore, tenant: string = TENANT): Promise<TenantDump> {
  const records: StoredRecord[] = [];
  for (const kind of ['finding', 'action'] as const) {
    let cursor: string | undefined;
    do {
      const page = await store.query(tenant, { filter: { kind }, limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
      records.push(...page.records);
      cursor = page.cursor ?? undefined;
    } while (cursor !== undefined);
  }
  const events = await store.readTenantEvents(tenant, 0, 1_000_000);
  return { records, events };
}

/** The tenant's last tenant sequence (0 before any event). */
export async function tenantSequence(store: CapaStore, tenant: string = TENANT): Promise<number> {
  const events = await store.readTenantEvents(tenant, 0, 1_000_000);
  return events.at(-1)?.tenantSequence ?? 0;
}

/**
 * Runs `attempt`, expects it to reject, and checks that the store is exactly as before:
 * same records, same events, no commit accepted and no reference consumed. Returns the error.
 */
export async function expectNothingWritten(store: InstrumentedStore, attempt: () => Promise<unknown>, tenant: string = TENANT): Promise<unknown> {
  const before = await dumpTenant(store, tenant);
  const calls = { ...store.calls };
  let error: unknown;
  let resolved = false;
  try {
    await attempt();
    resolved = true;
  } catch (caught) {
    error = caught;
  }
  expect(resolved, 'the command should have been refused').toBe(false);
  expect(await dumpTenant(store, tenant)).toEqual(before);
  expect(store.calls.committed).toBe(calls.committed);
  expect(store.calls.nextReference).toBe(calls.nextReference);
  return error;
}

/** A policy like iso27001 under another id (a register's machine refuses findings of another policy id). */
export function policyLike(overrides: Partial<SeverityPolicy> & { id: string }): SeverityPolicy {
  return { ...iso27001, ...overrides };
}

/** Calls a register command by name, for table-driven tests. */
export function runCommand(register: CapaRegister, command: string, input: unknown): Promise<unknown> {
  const method = (register as unknown as Record<string, unknown>)[command];
  if (typeof method !== 'function') throw new TypeError(`The register has no command ${command}`);
  return (method as (input: unknown) => Promise<unknown>).call(register, input);
}
