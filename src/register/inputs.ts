import * as z from 'zod';
import { Actor } from '../schemas/actor.js';
import { Correction } from '../schemas/correction.js';
import { ActionDraft } from '../schemas/corrective-action.js';
import { EffectivenessReview } from '../schemas/effectiveness-review.js';
import { Evidence } from '../schemas/evidence.js';
import { Extensions, RaisedFinding } from '../schemas/finding.js';
import { atInput } from '../schemas/input.js';
import { CalendarDate, Id, Instant, LONG_TEXT, SHORT_TEXT, text } from '../schemas/primitives.js';
import { RootCauseAnalysis } from '../schemas/root-cause.js';

// Every input is built from the record schemas through atInput: the same rules, with text
// and ids trimmed first (records refuse white space at either end; inputs trim it).

// What every command takes: who, optionally why, and an idempotency key.
const base = {
  actor: Actor,
  /** The same key on a retried command returns the first result and writes nothing new. */
  idempotencyKey: text(200).optional(),
};
const onFinding = { ...base, findingId: Id };
const reason = text(LONG_TEXT);
/** What the host's verifySignature hook checks (a password, a WebAuthn assertion...): opaque here. */
const signature = z.strictObject({ credential: z.unknown() }).optional();

/**
 * The finding a `raise` command describes; the register adds id, reference, raisedBy and raisedAt.
 *
 * @example
 * ```ts
 * import { RaiseFindingInput } from 'capa-kit/register';
 *
 * declare const body: unknown; // e.g. a submitted form
 * const parsed = RaiseFindingInput.safeParse(body);
 * if (parsed.success) console.log(parsed.data.title, parsed.data.grade);
 * else console.log(parsed.error.issues);
 * ```
 */
// The finding as raised, less what the register assigns itself: one definition of the fields.
export const RaiseFindingInput = atInput(
  RaisedFinding.omit({
    id: true,
    tenantId: true,
    reference: true,
    raisedBy: true,
    raisedAt: true,
  }).extend({ extensions: Extensions.optional() }),
);

/** A plan line: a new corrective action, or an existing one (shared with other findings). */
const PlanLine = z.union([
  // The reference is the register's to give (from the store's sequence), never the input's.
  ActionDraft.omit({ id: true, reference: true }).extend({ id: Id.optional() }),
  z.strictObject({ existingActionId: Id }),
]);

/**
 * Every command's input schema, by command name.
 *
 * @example
 * ```ts
 * import { commandInputs } from 'capa-kit/register';
 *
 * const result = commandInputs.comment.safeParse({
 *   actor: { id: 'u-1', name: 'Ada Lovelace', roles: [] }, findingId: 'f-1', text: 'Checked the export',
 * });
 * if (!result.success) console.log(result.error.issues);
 * ```
 */
export const commandInputs = {
  raise: atInput(z.strictObject({ ...base, finding: RaiseFindingInput })),
  recordCorrection: atInput(z.strictObject({ ...onFinding, correction: Correction })),
  recordRootCause: atInput(z.strictObject({ ...onFinding, rootCause: RootCauseAnalysis })),
  linkFindings: atInput(z.strictObject({ ...onFinding, findingIds: z.array(Id).min(1).max(200) })),
  planActions: atInput(z.strictObject({ ...onFinding, actions: z.array(PlanLine).min(1).max(50) })),
  submitPlan: atInput(z.strictObject({ ...onFinding })),
  approvePlan: atInput(z.strictObject({ ...onFinding, signature })),
  returnPlan: atInput(z.strictObject({ ...onFinding, reason })),
  startAction: atInput(z.strictObject({ ...base, actionId: Id })),
  completeAction: atInput(z.strictObject({ ...base, actionId: Id, evidence: z.array(Evidence).min(1).max(100) })),
  cancelAction: atInput(z.strictObject({ ...base, actionId: Id, reason })),
  startVerification: atInput(z.strictObject({ ...onFinding })),
  reviewEffectiveness: atInput(z.strictObject({ ...onFinding, review: EffectivenessReview, signature })),
  close: atInput(z.strictObject({ ...onFinding, evidence: z.array(Evidence).max(100), note: text(LONG_TEXT).optional(), signature })),
  reopen: atInput(z.strictObject({ ...onFinding, reason })),
  reject: atInput(
    z.strictObject({
      ...onFinding,
      kind: z.enum(['not-a-nonconformity', 'duplicate']),
      duplicateOf: Id.optional(),
      reason,
    }),
  ),
  regrade: atInput(z.strictObject({ ...onFinding, grade: Id, reason })),
  comment: atInput(z.strictObject({ ...onFinding, text: text(LONG_TEXT) })),
  attachEvidence: atInput(z.strictObject({ ...onFinding, evidence: Evidence })),
} as const;

/**
 * A command's name, e.g. `recordRootCause`.
 *
 * @example
 * ```ts
 * import { commandInputs, type CommandName } from 'capa-kit/register';
 *
 * const isCommand = (name: string): name is CommandName => Object.hasOwn(commandInputs, name);
 * const names = Object.keys(commandInputs) as CommandName[];
 * ```
 */
export type CommandName = keyof typeof commandInputs;
/**
 * What a command takes (before validation).
 *
 * @example
 * ```ts
 * import type { CapaRegister, CommandInput } from 'capa-kit/register';
 *
 * declare const register: CapaRegister;
 * const input: CommandInput<'reopen'> = {
 *   actor: { id: 'u-2', name: 'Bo Lind', roles: ['quality-manager'] }, findingId: 'f-1', reason: 'The fault came back',
 * };
 * await register.reopen(input);
 * ```
 */
export type CommandInput<C extends CommandName> = z.input<(typeof commandInputs)[C]>;
/** What a command works with (after validation: text and ids trimmed, defaults applied). */
export type ParsedInput<C extends CommandName> = z.output<(typeof commandInputs)[C]>;

/**
 * The filter of a register query, in the register's terms; the policy and `asOf` resolve it for the store.
 *
 * @example
 * ```ts
 * import { FindingQuery, type CapaRegister } from 'capa-kit/register';
 *
 * declare const register: CapaRegister;
 * const overdueMajors: FindingQuery = { grade: ['major'], overdueAsOf: '2026-11-22' };
 * const page = await register.query(overdueMajors);
 * const checked = FindingQuery.safeParse({ open: 'yes' }); // untrusted input: checked.success is false
 * ```
 */
export const FindingQuery = atInput(z.strictObject({
  status: z.array(text(32)).max(20).optional(),
  open: z.boolean().optional(),
  grade: z.array(Id).max(50).optional(),
  source: z.array(text(32)).max(20).optional(),
  ownerId: z.array(Id).max(200).optional(),
  requirement: z.array(text(SHORT_TEXT)).max(200).optional(),
  text: text(200).optional(),
  /** Open findings due before this date. */
  overdueAsOf: CalendarDate.optional(),
  /** Open findings due within `days` of `asOf`. */
  dueWithin: z.strictObject({ days: z.int().min(0).max(3650), asOf: CalendarDate }).optional(),
  /** Open findings with no activity for longer than the policy's `staleAfterDays`, as of this instant. */
  staleAsOf: Instant.optional(),
  /** The same requirement or cause category more than `moreThan` times among findings raised in the last `withinDays`. */
  recurrence: z
    .strictObject({
      by: z.enum(['requirement', 'causeCategory']),
      moreThan: z.int().min(0).max(10000),
      withinDays: z.int().min(1).max(3650),
      asOf: Instant,
    })
    .optional(),
}));
/** The filter of a register query. */
export type FindingQuery = z.input<typeof FindingQuery>;
