// A real register history to export, and the small tools the log tests mutate it with:
// lines as objects, one record's line changed, a history resealed (so that only the
// change under test is wrong), a head recomputed.
import { type HistoryEntry, iso27001, type SeverityPolicy } from 'capa-kit';
import { type CapaRegister, type CapaStore, memoryStore, sealEntry } from 'capa-kit/register';
import { actors, sampleEvidence, sampleReview } from '../fixtures/events.js';
import { type Harness, driveTo, planLine, raiseInput, setup, signer } from '../register/harness.js';
import { contentHash, LogHeadHasher } from '../../src/history/head.js';
import { exportLog } from '../../src/log/index.js';

export const TENANT = 'acme';

/** The lines of an exported log, concatenated. */
export async function exportText(store: CapaStore, options: { tenant?: string; generatedAt?: string; policy?: SeverityPolicy } = {}): Promise<string> {
  let text = '';
  for await (const line of exportLog(store, {
    tenant: options.tenant ?? TENANT,
    organisation: 'Acme Ltd',
    policy: options.policy ?? iso27001,
    generatedAt: options.generatedAt ?? '2026-03-03T09:00:00.000Z',
  })) {
    text += line;
  }
  return text;
}

export interface RichHistory {
  readonly h: Harness;
  readonly register: CapaRegister;
  /** Finding ids by role in the story. */
  readonly ids: {
    readonly closed: string;
    readonly shared: string;
    readonly sharing: string;
    readonly monitored: string;
    readonly rejected: string;
    readonly recurred: string;
    readonly sharedAction: string;
    readonly replacementAction: string;
    readonly revisedAction: string;
  };
}

/**
 * A tenant with every kind of history the register writes: a minor finding closed with
 * approval and signatures; an action shared by two findings, then dropped from one plan
 * (unlinked) and started; a cancelled action; a revised action; an observation with a comment; a rejected
 * finding; a not-effective review that started a new cycle; evidence, links.
 */
export async function richHistory(store?: CapaStore): Promise<RichHistory> {
  const h = setup(store === undefined ? {} : { store });
  const r = h.register;
  const closed = await driveTo(r, 'closed', { grade: 'minor' });

  const a = await driveTo(r, 'planning', { grade: 'minor', finding: { title: 'Leavers kept access to the CRM' } });
  const sharedAction = a.actionIds[0]!;
  const b = await driveTo(r, 'investigating', { grade: 'major', finding: { title: 'Movers kept old access' } });
  await r.planActions({ actor: actors.owner, findingId: b.finding.id, actions: [{ existingActionId: sharedAction }] });
  // A's plan is revised: the shared action is unlinked from A, a new one created.
  const revised = await r.planActions({ actor: actors.owner, findingId: a.finding.id, actions: [planLine(actors.owner, 'Quarterly CRM access review with a named owner')] });
  const replacementAction = revised.correctiveActionIds[0]!;
  // A's plan goes to approval and comes back.
  await r.submitPlan({ actor: actors.owner, findingId: a.finding.id });
  await r.returnPlan({ actor: actors.auditor, findingId: a.finding.id, reason: 'Say who runs the review' });
  await r.submitPlan({ actor: actors.owner, findingId: b.finding.id });
  await r.startAction({ actor: actors.owner, actionId: sharedAction });
  await r.attachEvidence({ actor: actors.owner, findingId: b.finding.id, evidence: sampleEvidence({ title: 'Mover list' }) });
  await r.linkFindings({ actor: actors.owner, findingId: b.finding.id, findingIds: [a.finding.id] });

  // A plan revised on its own: the dropped action is cancelled.
  const c = await driveTo(r, 'planning', { grade: 'major', finding: { title: 'Contractors kept badges' } });
  const replanned = await r.planActions({ actor: actors.owner, findingId: c.finding.id, actions: [planLine(actors.owner, 'Badge return checklist with an owner')] });
  // The same action planned again, reworded: a revision of its record.
  const badgeAction = replanned.correctiveActionIds[0]!;
  await r.planActions({
    actor: actors.owner,
    findingId: c.finding.id,
    actions: [{ id: badgeAction, ...planLine(actors.owner, 'Badge return checklist with an owner, signed off by HR') }],
  });

  const monitored = await r.raise(raiseInput({ grade: 'observation', title: 'Access review evidence is thin' }));
  await r.comment({ actor: actors.auditor, findingId: monitored.id, text: 'Look again at the next audit.' });
  const escalated = await r.raise(raiseInput({ grade: 'observation', title: 'Badge logs are not reviewed' }));
  await r.regrade({ actor: actors.auditor, findingId: escalated.id, grade: 'minor', reason: 'Seen twice: a nonconformity now' });

  const rejected = await r.raise(raiseInput({ grade: 'minor', title: 'Printer left unlocked' }));
  await r.reject({ actor: actors.auditor, findingId: rejected.id, kind: 'not-a-nonconformity', reason: 'The printer is in a locked room.' });
  const reopened = await r.raise(raiseInput({ grade: 'minor', title: 'Visitor book left open' }));
  await r.reject({ actor: actors.auditor, findingId: reopened.id, kind: 'not-a-nonconformity', reason: 'Visitors sign in at reception.' });
  await r.reopen({ actor: actors.auditor, findingId: reopened.id, reason: 'Reception does not keep the book either' });

  const d = await driveTo(r, 'verifying', { grade: 'major', finding: { title: 'Suppliers onboarded without assessment' } });
  await r.reviewEffectiveness({ actor: actors.auditor, findingId: d.finding.id, review: sampleReview('not-effective') });
  void signer;

  return {
    h,
    register: r,
    ids: {
      closed: closed.finding.id,
      shared: b.finding.id,
      sharing: a.finding.id,
      monitored: monitored.id,
      rejected: rejected.id,
      recurred: d.finding.id,
      sharedAction,
      replacementAction,
      revisedAction: badgeAction,
    },
  };
}

/** A log line as an object (any shape: tests break them). */
// biome-ignore lint: test data
export type Line = Record<string, any>;

export const linesOf = (text: string): Line[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Line);

export const textOf = (lines: readonly Line[]): string => lines.map((line) => `${JSON.stringify(line)}\n`).join('');

/** The index of the line of a record (by id). */
export function lineIndexOf(lines: readonly Line[], id: string): number {
  const index = lines.findIndex((line) => (line.finding ?? line.action)?.id === id);
  if (index === -1) throw new Error(`No line for ${id}`);
  return index;
}

/** The log with one record's line changed (a deep copy is passed to `change`). */
export function mutate(text: string, id: string, change: (line: Line) => void): string {
  const lines = linesOf(text);
  const index = lineIndexOf(lines, id);
  const copy = structuredClone(lines[index]!);
  change(copy);
  lines[index] = copy;
  return textOf(lines);
}

/**
 * Reseals a history from `from` (0-based) on: sequences renumbered, every hash and link
 * recomputed and signatures bound again, so that only the change under test is wrong.
 */
export function reseal(history: Line[], from = 0, options: { rebind?: boolean } = {}): void {
  let previous: string | null = from === 0 ? null : (history[from - 1]!.entry.hash as string);
  for (let i = from; i < history.length; i++) {
    const { hash: _hash, ...content } = history[i]!.entry as HistoryEntry;
    const signature =
      content.signature === null || options.rebind === false
        ? content.signature
        : { ...content.signature, boundTo: { ...content.signature.boundTo, version: i, hash: previous } };
    const sealed = sealEntry({ ...content, sequence: i + 1, prevHash: previous, signature });
    history[i]!.entry = sealed;
    previous = sealed.hash;
  }
}

const isRecordLine = (line: Line | undefined): boolean => line?.type === 'finding' || line?.type === 'action';

/**
 * Reseals a whole log after a change to its lines (objects, changed in place): every
 * record line's history resealed (`reseal`), then the trailer's head recomputed from the
 * records as `validateLog` computes it (the header's tenant and cut; per record, its last
 * entry at the cut, hashed from content), so that only the change itself can be wrong.
 * Parts the change broke too badly to reseal (a history that is not a list of entries,
 * a header without a cut, records out of order) are left as they are: the validator
 * reports those anyway. `trailer: false` leaves the trailer alone (a change to it is the
 * one under test).
 */
export function resealLog(lines: Line[], options: { trailer?: boolean } = {}): void {
  for (const line of lines) {
    if (!isRecordLine(line) || !Array.isArray(line.history)) continue;
    const history = line.history as Line[];
    if (!history.every((item) => typeof item === 'object' && item !== null && typeof item.entry === 'object' && item.entry !== null && !Array.isArray(item.entry))) continue;
    // Signatures are rebound only where they still have the shape of one.
    const rebind = history.every(({ entry }) => entry.signature === null || (typeof entry.signature === 'object' && typeof entry.signature?.boundTo === 'object' && entry.signature.boundTo !== null));
    try {
      reseal(history, 0, { rebind });
    } catch {
      // Not hashable (a lone surrogate): left as changed.
    }
  }
  const trailer = lines.at(-1);
  const header = lines[0];
  if (options.trailer === false || trailer?.type !== 'end' || typeof trailer.head !== 'object' || trailer.head === null) return;
  if (typeof header?.tenant?.id !== 'string' || !Number.isInteger(header?.tenantSequence)) return;
  const cut = header.tenantSequence as number;
  try {
    const hasher = new LogHeadHasher(header.tenant.id as string, cut);
    for (const line of lines) {
      if (!isRecordLine(line)) continue;
      const id = (line.finding ?? line.action)?.id;
      let tip: Line | null = null;
      for (const item of line.history as Line[]) if (item.tenantSequence <= cut && (tip === null || item.entry.sequence > tip.entry.sequence)) tip = item;
      if (tip !== null) hasher.tip(id as string, tip.entry.sequence as number, contentHash(tip.entry));
    }
    trailer.head = { ...trailer.head, ...hasher.digest() };
  } catch {
    // The head cannot be computed from these records: the validator says so too.
  }
}

/**
 * A store that does not keep references: it drops `index.reference` on the way in, as a
 * store written for storage contract 1 would while claiming contract 2. Over it, a
 * register can commit two records with one reference, as the log of issue 11 had them.
 */
export function referenceBlindStore(inner: CapaStore = memoryStore()): CapaStore {
  return {
    ...inner,
    commit: (batch) =>
      inner.commit({ ...batch, writes: batch.writes.map((write) => ({ ...write, record: { ...write.record, index: { ...write.record.index, reference: null } } })) }),
  };
}

/**
 * A real, intact log (hashes, chains, head) that holds two findings NC-2026-0006 and two
 * actions CA-2026-0001: written by a register whose reference generators repeat
 * themselves, over a {@link referenceBlindStore}.
 */
export async function duplicateReferenceLog(): Promise<{ text: string; findings: readonly [string, string]; actions: readonly [string, string] }> {
  const h = setup({ store: referenceBlindStore(), references: { finding: () => 'NC-2026-0006', action: () => 'CA-2026-0001' } });
  const first = await driveTo(h.register, 'planning', { finding: { title: 'Leavers kept active accounts' } });
  const second = await driveTo(h.register, 'planning', { finding: { title: 'Movers kept old access' } });
  return {
    text: await exportText(h.store),
    findings: [first.finding.id, second.finding.id],
    actions: [first.actionIds[0]!, second.actionIds[0]!],
  };
}
