// A register with a year of findings whose figures are known by hand, and the log lines it
// exports. Every command runs at a stated time (09:00 UTC), so durations are whole days.
import type { Actor, RequirementRef, SeverityPolicy } from '../../../../src/index.js';
import { iso27001 } from '../../../../src/index.js';
import type { LogHeader, LogLine, LoggedAction, LoggedFinding } from '../../../../src/log/format/lines.js';
import { readActionDocument, readFindingDocument } from '../../../../src/register/documents.js';
import { type CapaRegister, type CapaStore, createCapaRegister, memoryStore } from '../../../../src/register/index.js';

export const TENANT = 'acme';
export const ORGANISATION = 'Acme <Ltd> & Co';
export const XSS_TITLE = '<img src=x onerror=alert(1)><script>alert("xss")</script> Incident tickets not linked';

export const people = {
  ines: { id: 'u-ines', name: 'Ines Moreau', roles: ['internal-auditor'] },
  sam: { id: 'u-sam', name: 'Sam Okafor', roles: ['it-operations'] },
  lee: { id: 'u-lee', name: 'Lee Park', roles: ['isms-manager'] },
  jonas: { id: 'u-jonas', name: 'Jonas Berg', roles: ['auditor'] },
} satisfies Record<string, Actor>;
const person = (actor: Actor) => ({ id: actor.id, name: actor.name });
const signature = { credential: 'ok' };

const iso = (reference: string, title?: string): RequirementRef => ({
  kind: 'standard',
  framework: 'ISO/IEC 27001:2022',
  reference,
  ...(title === undefined ? {} : { title }),
});

/** What happens to one synthetic finding, by date (each at 09:00 UTC). */
export interface Spec {
  readonly key: string;
  readonly title: string;
  readonly grade: 'major' | 'minor' | 'observation' | 'ofi' | 'conformity';
  readonly source: 'internal-audit' | 'external-audit' | 'kpi-measurement' | 'management-review' | 'incident-review' | 'monitoring' | 'other';
  readonly requirement: RequirementRef;
  readonly raised: string;
  readonly category?: 'process' | 'training' | 'system-or-tooling';
  /** Contain (correction) on this date. */
  readonly contain?: string;
  /** Root cause on this date. */
  readonly rootCause?: string;
  /** Plan, submit (and approve) on this date; an action id may be given. */
  readonly plan?: { readonly at: string; readonly actionId?: string };
  /** Start and complete the action on this date. */
  readonly complete?: string;
  /** Reviews: date and result (each after a verification started that day). */
  readonly reviews?: readonly { readonly at: string; readonly result: 'effective' | 'not-effective'; readonly replan?: { readonly at: string; readonly actionId?: string } }[];
  readonly close?: string;
  readonly reject?: string;
}

/** The year of findings: see test/log/reports/reports.test.ts for the figures they give. */
export const SPECS: readonly Spec[] = [
  {
    key: 'F1', title: 'Leavers kept active accounts for weeks', grade: 'major', source: 'internal-audit', requirement: iso('A.5.18', 'Access rights'), raised: '2026-01-10',
    category: 'process', contain: '2026-01-11', rootCause: '2026-01-20', plan: { at: '2026-01-25', actionId: 'a-leavers' }, complete: '2026-03-01',
    reviews: [{ at: '2026-03-15', result: 'effective' }], close: '2026-03-20',
  },
  {
    key: 'F2', title: 'Access review of the finance system skipped', grade: 'minor', source: 'internal-audit', requirement: iso('A.5.18', 'Access rights'), raised: '2026-02-05',
    category: 'process', contain: '2026-02-06', rootCause: '2026-02-10', plan: { at: '2026-02-12' }, complete: '2026-04-01',
    reviews: [
      { at: '2026-04-10', result: 'not-effective', replan: { at: '2026-04-15' } },
      { at: '2026-05-20', result: 'effective' },
    ],
    close: '2026-05-25',
  },
  {
    key: 'F3', title: 'Critical patches applied after 60 days', grade: 'major', source: 'external-audit', requirement: iso('A.8.8'), raised: '2026-02-20',
    category: 'system-or-tooling', contain: '2026-02-21', rootCause: '2026-03-01', plan: { at: '2026-03-05', actionId: 'zz-patching' },
  },
  {
    key: 'F4', title: 'Security awareness KPI below target', grade: 'minor', source: 'kpi-measurement', requirement: iso('A.5.18'), raised: '2026-03-15',
    category: 'training', contain: '2026-03-16', rootCause: '2026-03-20', plan: { at: '2026-03-25' }, complete: '2026-05-15',
    reviews: [{ at: '2026-06-05', result: 'effective' }], close: '2026-06-10',
  },
  { key: 'F5', title: 'Risk treatment plan not reviewed by management', grade: 'observation', source: 'management-review', requirement: iso('9.3'), raised: '2026-04-01' },
  { key: 'F6', title: 'Offboarding checklist could be automated', grade: 'ofi', source: 'other', requirement: iso('10.1'), raised: '2026-04-15', close: '2026-04-30' },
  { key: 'F7', title: XSS_TITLE, grade: 'major', source: 'incident-review', requirement: iso('A.5.24'), raised: '2026-05-02' },
  { key: 'F8', title: 'Vulnerability scan not run in May', grade: 'minor', source: 'internal-audit', requirement: iso('A.8.8'), raised: '2026-05-20', reject: '2026-05-25' },
  { key: 'F9', title: 'Supplier assessments missing for three vendors', grade: 'major', source: 'internal-audit', requirement: iso('A.5.18'), raised: '2025-12-01', contain: '2025-12-02' },
  { key: 'F10', title: 'Patch SLA breached again', grade: 'major', source: 'external-audit', requirement: iso('A.8.8'), raised: '2026-07-15' },
  {
    key: 'F11', title: 'Shared admin account still in use', grade: 'major', source: 'monitoring', requirement: iso('A.5.18'), raised: '2025-11-01',
    category: 'process', contain: '2025-11-02', rootCause: '2025-11-10', plan: { at: '2025-11-15' }, complete: '2026-01-05',
    reviews: [{ at: '2026-01-15', result: 'effective' }], close: '2026-01-20',
  },
];

const at = (date: string) => `${date}T09:00:00Z`;

/** A register whose clock the caller sets before each command. */
export function datasetRegister(store: CapaStore = memoryStore(), policy: SeverityPolicy = iso27001) {
  const clock = { now: new Date('2025-01-01T00:00:00Z') };
  let sequence = 0;
  const register = createCapaRegister({
    store,
    policy,
    tenant: TENANT,
    clock: () => clock.now,
    ids: () => `r-${String(++sequence).padStart(3, '0')}`,
    verifySignature: () => true,
  });
  return { register, clock, store };
}

async function plan(register: CapaRegister, findingId: string, grade: Spec['grade'], when: { at: string; actionId?: string }, set: (date: string) => void) {
  set(when.at);
  await register.planActions({
    actor: people.sam,
    findingId,
    actions: [
      {
        ...(when.actionId === undefined ? {} : { id: when.actionId }),
        description: 'Add a named owner and an automated reminder to the procedure',
        owner: person(people.sam),
        dueDate: '2026-12-31',
        measurableOutcome: 'Next three cycles complete on time',
      },
    ],
  });
  await register.submitPlan({ actor: people.sam, findingId });
  if (grade === 'minor') await register.approvePlan({ actor: people.jonas, findingId, signature });
}

/** Walks one spec through the register; returns the finding id. */
export async function walkSpec(register: CapaRegister, clock: { now: Date }, spec: Spec): Promise<string> {
  const set = (date: string) => {
    clock.now = new Date(at(date));
  };
  set(spec.raised);
  const finding = await register.raise({
    actor: people.ines,
    finding: {
      title: spec.title,
      description: `${spec.title}: found during the ${spec.source.replace('-', ' ')}.`,
      requirement: spec.requirement,
      observedEvidence: 'Sample of records reviewed on site',
      affected: { process: 'ISMS operations' },
      source: { kind: spec.source, reference: `${spec.key}-SRC` },
      grade: spec.grade,
      owner: person(people.sam),
      detectedAt: at(spec.raised),
    },
  });
  const findingId = finding.id;
  const evidence = (date: string, title: string) => ({
    schemaVersion: 1 as const,
    kind: 'record' as const,
    title,
    location: `https://grc.example/${spec.key}/${date}`,
    collectedBy: person(people.sam),
    collectedAt: at(date),
  });
  if (spec.contain !== undefined) {
    set(spec.contain);
    await register.recordCorrection({
      actor: people.sam,
      findingId,
      correction: { schemaVersion: 1, kind: 'performed', description: 'Contained the immediate exposure', performedBy: person(people.sam), completedAt: at(spec.contain) },
    });
  }
  const rootCause = async (date: string) => {
    set(date);
    await register.recordRootCause({
      actor: people.lee,
      findingId,
      rootCause: {
        schemaVersion: 1,
        method: 'process-review',
        whys: [],
        statement: `The procedure behind "${spec.key}" names no owner and has no reminder, so the step depends on memory.`,
        category: spec.category ?? 'process',
        extentOfCondition: { scope: 'All teams for the last 12 months', result: 'No other case found', linkedFindingIds: [] },
        analysedBy: person(people.lee),
        analysedAt: at(date),
      },
    });
  };
  if (spec.rootCause !== undefined) await rootCause(spec.rootCause);
  if (spec.plan !== undefined) await plan(register, findingId, spec.grade, spec.plan, set);
  const complete = async (date: string) => {
    set(date);
    const current = await register.get(findingId);
    const actionId = current.correctiveActionIds.at(-1)!;
    await register.startAction({ actor: people.sam, actionId });
    await register.completeAction({ actor: people.sam, actionId, evidence: [evidence(date, 'Procedure updated')] });
  };
  if (spec.complete !== undefined) await complete(spec.complete);
  for (const review of spec.reviews ?? []) {
    set(review.at);
    await register.startVerification({ actor: people.lee, findingId });
    await register.reviewEffectiveness({
      actor: people.lee,
      findingId,
      review: {
        schemaVersion: 1,
        method: 'follow-up-audit',
        criterion: 'Next three cycles complete on time',
        result: review.result,
        reviewer: person(people.lee),
        reviewedAt: at(review.at),
        evidence: [evidence(review.at, 'Follow-up audit record')],
      },
      signature,
    });
    if (review.replan !== undefined) {
      await rootCause(review.replan.at);
      await plan(register, findingId, spec.grade, review.replan, set);
      await complete(review.replan.at);
    }
  }
  if (spec.close !== undefined) {
    set(spec.close);
    await register.close({
      actor: people.lee,
      findingId,
      evidence: [evidence(spec.close, 'Closure pack')],
      signature,
      ...(spec.grade === 'ofi' || spec.grade === 'observation' ? { note: 'Taken into the improvement backlog' } : {}),
    });
  }
  if (spec.reject !== undefined) {
    set(spec.reject);
    await register.reject({ actor: people.lee, findingId, kind: 'not-a-nonconformity', reason: 'The scan ran; the report was filed late' });
  }
  return findingId;
}

/** Builds the dataset; returns the register and a map from spec key to finding id. */
export async function buildDataset(specs: readonly Spec[] = SPECS) {
  const { register, clock, store } = datasetRegister();
  const ids = new Map<string, string>();
  for (const spec of specs) ids.set(spec.key, await walkSpec(register, clock, spec));
  return { register, store, ids };
}

/** The log of a tenant as parsed lines (header, then records in id order), read straight from the store. */
export async function logLines(store: CapaStore, policy: SeverityPolicy = iso27001, tenant = TENANT): Promise<LogLine[]> {
  const events = [];
  for (let after = 0; ; ) {
    const page = await store.readTenantEvents(tenant, after, 1000);
    if (page.length === 0) break;
    events.push(...page);
    after = page.at(-1)!.tenantSequence;
  }
  const ids = [...new Set(events.map((event) => event.recordId))].sort();
  const records = await store.load(tenant, ids);
  const header: LogHeader = {
    type: 'capa-log',
    format: 1,
    generatedAt: '2026-11-22T09:00:00Z',
    generator: { name: 'capa-kit-tests', version: '0.0.0' },
    tenant: { id: tenant, organisation: ORGANISATION },
    tenantSequence: events.at(-1)?.tenantSequence ?? 0,
    policy,
  };
  const lines: LogLine[] = [header];
  for (const id of ids) {
    const record = records.find((r) => r.id === id)!;
    const history = events
      .filter((event) => event.recordId === id)
      .map((event) => ({ tenantSequence: event.tenantSequence, entry: event.entry as unknown as LoggedFinding['history'][number]['entry'] }));
    if (record.kind === 'finding') lines.push({ type: 'finding', finding: readFindingDocument(record).finding, history } satisfies LoggedFinding);
    else lines.push({ type: 'action', action: readActionDocument(record).action, history } satisfies LoggedAction);
  }
  return lines;
}

/** JSON Lines text of parsed lines. */
export const jsonl = (lines: readonly LogLine[]) => lines.map((line) => `${JSON.stringify(line)}\n`).join('');
