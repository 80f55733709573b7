// Issue point 11: register queries. A small log of findings in many states is built
// through the real commands, with the clock moved on between them; every filter is then
// checked against an oracle written here over the findings themselves (not over the
// store's index), plus hand-picked expectations so the oracle cannot be vacuous.
import { beforeAll, describe, expect, it } from 'vitest';
import { CapaValidationError, type Finding, type RequirementRef } from 'capa-kit';
import type { FindingQuery } from 'capa-kit/register';
import { actors, sampleEvidence } from '../fixtures/events.js';
import { type Harness, driveTo, raiseInput, setup, START } from './harness.js';

const DAY = 86_400_000;
const OPEN = ['reported', 'contained', 'investigating', 'planning', 'awaitingApproval', 'implementing', 'verifying', 'monitoring', 'logged'];

const a518: RequirementRef = { kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: 'A.5.18' };
const a88: RequirementRef = { kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: 'A.8.8' };
const proc: RequirementRef = { kind: 'procedure', documentId: 'PROC-ACCESS', version: '3', title: 'Access review procedure', reference: '4.2' };

function requirementKey(r: RequirementRef): string {
  return r.kind === 'standard' ? `${r.framework} ${r.reference}` : `${r.documentId} v${r.version}${r.reference === undefined ? '' : ` §${r.reference}`}`;
}

const isOpen = (f: Finding) => OPEN.includes(f.status);
const byOrder = (x: Finding, y: Finding) => (x.raisedAt === y.raisedAt ? (x.id < y.id ? -1 : 1) : x.raisedAt < y.raisedAt ? -1 : 1);
const plusDays = (date: string, days: number) => new Date(Date.parse(`${date}T12:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/** The oracle: what each filter means, over Finding records. */
function oracle(all: readonly Finding[], q: FindingQuery): Finding[] {
  const inWindow = (f: Finding) => q.recurrence === undefined || Date.parse(f.raisedAt) >= Date.parse(q.recurrence.asOf) - q.recurrence.withinDays * DAY;
  const recurrenceValue = (f: Finding) =>
    q.recurrence?.by === 'requirement' ? requirementKey(f.requirement) : (f.rootCause?.category ?? null);
  const counts = new Map<string, number>();
  if (q.recurrence !== undefined) {
    for (const f of all.filter(inWindow)) {
      const v = recurrenceValue(f);
      if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
  }
  return all
    .filter((f) => {
      if (q.status !== undefined && !q.status.includes(f.status)) return false;
      if (q.open !== undefined && isOpen(f) !== q.open) return false;
      if (q.grade !== undefined && !q.grade.includes(f.grade)) return false;
      if (q.source !== undefined && !q.source.includes(f.source.kind)) return false;
      if (q.ownerId !== undefined && !q.ownerId.includes(f.owner.id)) return false;
      if (q.requirement !== undefined && !q.requirement.includes(requirementKey(f.requirement))) return false;
      if (q.text !== undefined && !`${f.reference} ${f.title} ${f.description}`.toLowerCase().includes(q.text.toLowerCase())) return false;
      if (q.overdueAsOf !== undefined && !(isOpen(f) && f.dueDate !== null && f.dueDate < q.overdueAsOf)) return false;
      if (q.dueWithin !== undefined && !(isOpen(f) && f.dueDate !== null && f.dueDate <= plusDays(q.dueWithin.asOf, q.dueWithin.days))) return false;
      if (q.staleAsOf !== undefined && !(isOpen(f) && Date.parse(f.updatedAt) < Date.parse(q.staleAsOf) - 30 * DAY)) return false;
      if (q.recurrence !== undefined) {
        const v = recurrenceValue(f);
        if (v === null || !inWindow(f) || (counts.get(v) ?? 0) <= q.recurrence.moreThan) return false;
      }
      return true;
    })
    .sort(byOrder);
}

async function everything(h: Harness, filter: FindingQuery, limit = 7): Promise<Finding[]> {
  const out: Finding[] = [];
  let cursor: string | undefined;
  do {
    const page = await h.register.query(filter, { limit, ...(cursor === undefined ? {} : { cursor }) });
    out.push(...page.findings);
    cursor = page.cursor ?? undefined;
  } while (cursor !== undefined);
  return out;
}

const refs = (findings: readonly Finding[]) => findings.map((f) => f.reference);

let h: Harness;
let all: Finding[];
let asOf: string;
const named: Record<string, Finding> = {};

beforeAll(async () => {
  h = setup();
  const owner2 = { id: 'u-owner-2', name: 'Second Owner' };
  const facts = (title: string, more: Partial<Parameters<typeof raiseInput>[0]> = {}) => ({ title, description: `${title}: details.`, ...more });
  // Day 0: three findings.
  named.leavers = (await driveTo(h.register, 'reported', { grade: 'major', finding: facts('Leavers kept active accounts', { requirement: a518 }) })).finding;
  named.movers = (await driveTo(h.register, 'investigating', { grade: 'minor', finding: facts('Movers kept old rights', { requirement: a518, owner: owner2, source: { kind: 'external-audit' } }) })).finding;
  named.patching = await h.register.raise(raiseInput(facts('Patch KPI trending down', { grade: 'observation', requirement: a88, source: { kind: 'kpi-measurement' } })));
  h.advance(40 * DAY);
  // Day 40: activity on "movers" only; more findings.
  await h.register.attachEvidence({ actor: actors.owner, findingId: named.movers.id, evidence: sampleEvidence() });
  named.reviews = (await driveTo(h.register, 'closed', { grade: 'major', finding: facts('Access reviews ran eight months late', { requirement: proc, detectedAt: '2026-02-10T09:00:00Z' }) })).finding;
  named.scanner = await h.register.raise(raiseInput(facts('Vulnerability scanner unowned', { grade: 'ofi', requirement: a88, owner: owner2, source: { kind: 'management-review' } })));
  named.suppliers = (await driveTo(h.register, 'investigating', { grade: 'major', finding: facts('Suppliers onboarded without assessment', { requirement: a518, detectedAt: '2026-02-20T09:00:00Z' }) })).finding;
  named.rejected = await h.register.raise(raiseInput(facts('Badge reader log gap', { requirement: a88, source: { kind: 'monitoring' } })));
  await h.register.reject({ actor: actors.auditor, findingId: named.rejected.id, kind: 'not-a-nonconformity', reason: 'Out of scope' });
  h.advance(5 * DAY);
  // Day 45: a recurrence of the A.8.8 requirement, with a process root cause.
  named.patching2 = (await driveTo(h.register, 'investigating', { grade: 'major', finding: facts('Patching missed again', { requirement: a88, detectedAt: '2026-01-15T09:00:00Z' }) })).finding;
  asOf = h.now();
  const ids = Object.values(named).map((f) => f.id);
  all = await Promise.all(ids.map((id) => h.register.get(id)));
  // Sanity of the set-up.
  expect(all.map((f) => f.status).sort()).toEqual(['closed', 'investigating', 'investigating', 'investigating', 'logged', 'monitoring', 'rejected', 'reported'].sort());
});

describe('query filters', () => {
  const cases = (): [string, FindingQuery, string[] | null][] => [
    ['status', { status: ['investigating'] }, ['movers', 'suppliers', 'patching2']],
    ['status (several)', { status: ['closed', 'rejected'] }, ['reviews', 'rejected']],
    ['open', { open: true }, ['leavers', 'movers', 'patching', 'scanner', 'suppliers', 'patching2']],
    ['not open', { open: false }, ['reviews', 'rejected']],
    ['grade', { grade: ['major'] }, ['leavers', 'reviews', 'suppliers', 'patching2']],
    ['source', { source: ['external-audit', 'kpi-measurement'] }, ['movers', 'patching']],
    ['ownerId', { ownerId: ['u-owner-2'] }, ['movers', 'scanner']],
    ['requirement (standard)', { requirement: ['ISO/IEC 27001:2022 A.5.18'] }, ['leavers', 'movers', 'suppliers']],
    ['requirement (own procedure)', { requirement: ['PROC-ACCESS v3 §4.2'] }, ['reviews']],
    ['text, any case, in the title', { text: 'PATCH' }, ['patching', 'patching2']],
    ['text in the reference', { text: 'nc-2026-0002' }, ['movers']],
    ['overdue (majors are due 3 months after detection)', { overdueAsOf: '2026-04-20' }, ['patching2']],
    ['overdue later', { overdueAsOf: '2026-06-02' }, ['leavers', 'suppliers', 'patching2']],
    ['due on the date is not yet overdue', { overdueAsOf: '2026-06-01' }, ['suppliers', 'patching2']],
    ['overdue never includes closed or undated findings', { overdueAsOf: '2030-01-01' }, ['leavers', 'movers', 'suppliers', 'patching2']],
    // As implemented, "due within" is "due on or before asOf + days": already overdue ones are included.
    ['due within a window (the last day included)', { dueWithin: { days: 31, asOf: '2026-05-01' } }, ['leavers', 'suppliers', 'patching2']],
    ['due within a window, a day short', { dueWithin: { days: 30, asOf: '2026-05-01' } }, ['suppliers', 'patching2']],
    ['stale (no activity for 30 days)', { staleAsOf: '' }, ['leavers', 'patching']],
    ['stale and a grade', { staleAsOf: '', grade: ['major'] }, ['leavers']],
    ['recurrence by requirement in the last 10 days', { recurrence: { by: 'requirement', moreThan: 1, withinDays: 10, asOf: '' } }, ['scanner', 'rejected', 'patching2']],
    ['recurrence by requirement over 60 days', { recurrence: { by: 'requirement', moreThan: 2, withinDays: 60, asOf: '' } }, ['leavers', 'movers', 'patching', 'suppliers', 'scanner', 'rejected', 'patching2']],
    ['recurrence by cause category', { recurrence: { by: 'causeCategory', moreThan: 2, withinDays: 60, asOf: '' } }, ['movers', 'reviews', 'suppliers', 'patching2']],
    ['recurrence by cause category, narrow window', { recurrence: { by: 'causeCategory', moreThan: 1, withinDays: 10, asOf: '' } }, ['reviews', 'suppliers', 'patching2']],
    ['recurrence threshold not reached', { recurrence: { by: 'causeCategory', moreThan: 4, withinDays: 60, asOf: '' } }, []],
    ['combined (AND)', { open: true, grade: ['major', 'minor'], requirement: ['ISO/IEC 27001:2022 A.5.18'], text: 'leavers' }, ['leavers']],
    ['overdue asked with open: false is empty', { overdueAsOf: '2030-01-01', open: false }, []],
  ];

  it.each(cases().map(([name, q, expected]) => [name, q, expected] as const))('%s', async (_name, q, expected) => {
    // '' stands for "as of the end of the set-up" (known only once it ran).
    const filter = JSON.parse(JSON.stringify(q).replaceAll('""', JSON.stringify(asOf))) as FindingQuery;
    const got = await everything(h, filter);
    expect(refs(got)).toEqual(refs(oracle(all, filter)));
    if (expected !== null) expect(refs(got)).toEqual(refs(expected.map((name) => named[name]!).sort(byOrder)));
  });

  it('with no filter, every finding, oldest first', async () => {
    expect(refs(await everything(h, {}))).toEqual(refs([...all].sort(byOrder)));
  });

  it('invalid filters are CapaValidationErrors', async () => {
    for (const bad of [{ status: 'open' }, { open: 'yes' }, { staleAsOf: '2026-05-01' }, { dueWithin: { days: 3 } }, { recurrence: { by: 'requirement', moreThan: -1, withinDays: 5, asOf } }, { grade: ['bad id!'] }, { unknown: 1 }]) {
      await expect(h.register.query(bad as never), JSON.stringify(bad)).rejects.toBeInstanceOf(CapaValidationError);
    }
  });

  // Regression, fixed (src/register/commands/reads.ts queryFindings): the page options are passed to the store
  // unchecked, so a bad limit (0, 5000, 2.5) or a malformed cursor surfaces as the store's
  // RangeError, not a CapaValidationError (code CAPA_VALIDATION, path ['limit'] /
  // ['cursor']) like every other bad input of the register. A host mapping error codes to
  // HTTP 400 gets an untyped 500. (An SQL adapter may throw something else again.)
  it('invalid page options are CapaValidationErrors too', async () => {
    for (const page of [{ limit: 0 }, { limit: 5000 }, { limit: 2.5 }, { cursor: 'not-a-cursor' }]) {
      await expect(h.register.query({}, page), JSON.stringify(page)).rejects.toBeInstanceOf(CapaValidationError);
    }
  });
});

describe('pagination', () => {
  it('250 findings in pages of 40: stable order (raised, then id), no duplicates, nothing missed', async () => {
    let n = 0;
    // Ten findings share each instant, so the id breaks ties.
    const p = setup({ clock: () => new Date(START + Math.floor(n++ / 10) * 60_000), ids: (() => { let i = 0; return () => `f-${(i += 7919) % 1000}-${i}`; })() });
    const raised: Finding[] = [];
    for (let i = 0; i < 250; i += 1) {
      raised.push(await p.register.raise(raiseInput({ title: `Finding ${i}`, grade: i % 3 === 0 ? 'major' : 'minor' })));
    }
    const pages: Finding[][] = [];
    let cursor: string | undefined;
    do {
      const page = await p.register.query({}, { limit: 40, ...(cursor === undefined ? {} : { cursor }) });
      pages.push([...page.findings]);
      cursor = page.cursor ?? undefined;
    } while (cursor !== undefined);
    expect(pages.map((page) => page.length)).toEqual([40, 40, 40, 40, 40, 40, 10]);
    const ids = pages.flat().map((f) => f.id);
    expect(new Set(ids).size).toBe(250);
    expect(ids).toEqual([...raised].sort(byOrder).map((f) => f.id));
    // The same walk again gives the same pages.
    const again: string[] = [];
    cursor = undefined;
    do {
      const page = await p.register.query({}, { limit: 40, ...(cursor === undefined ? {} : { cursor }) });
      again.push(...page.findings.map((f) => f.id));
      cursor = page.cursor ?? undefined;
    } while (cursor !== undefined);
    expect(again).toEqual(ids);
    // With a filter.
    const majors: string[] = [];
    cursor = undefined;
    do {
      const page = await p.register.query({ grade: ['major'] }, { limit: 40, ...(cursor === undefined ? {} : { cursor }) });
      majors.push(...page.findings.map((f) => f.id));
      cursor = page.cursor ?? undefined;
    } while (cursor !== undefined);
    expect(majors).toEqual([...raised].filter((f) => f.grade === 'major').sort(byOrder).map((f) => f.id));
    expect(majors).toHaveLength(84);
  });

  it('findings raised while paging appear once, at the end', async () => {
    const p = setup();
    for (let i = 0; i < 50; i += 1) await p.register.raise(raiseInput({ title: `Finding ${i}` }));
    const first = await p.register.query({}, { limit: 40 });
    for (let i = 0; i < 5; i += 1) await p.register.raise(raiseInput({ title: `Late ${i}` }));
    const rest = await p.register.query({}, { limit: 40, cursor: first.cursor! });
    const titles = [...first.findings, ...rest.findings].map((f) => f.title);
    expect(new Set(titles).size).toBe(55);
    expect(titles.slice(-5)).toEqual(['Late 0', 'Late 1', 'Late 2', 'Late 3', 'Late 4']);
    expect(rest.cursor).toBeNull();
  });
});

