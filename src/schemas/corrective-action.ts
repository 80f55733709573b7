import * as z from 'zod';
import { Person } from './actor.js';
import { Evidence } from './evidence.js';
import { CalendarDate, Id, Instant, LONG_TEXT, Reference, SHORT_TEXT, schemaVersionField, text } from './primitives.js';

/**
 * Where a corrective action stands: the values of {@link CorrectiveAction} `status`.
 *
 * @example
 * ```ts
 * import { ACTION_STATUSES } from 'capa-kit';
 *
 * // One board column per status.
 * const columns = ACTION_STATUSES.map((status) => ({ status, actionIds: [] as string[] }));
 * ```
 */
export const ACTION_STATUSES = ['planned', 'in-progress', 'done', 'cancelled'] as const;
/**
 * Where a corrective action stands.
 *
 * @example
 * ```ts
 * import type { ActionStatus } from 'capa-kit';
 *
 * const isFinished = (status: ActionStatus) => status === 'done' || status === 'cancelled';
 * ```
 */
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/**
 * Why and when an action was cancelled, and by whom.
 *
 * @example
 * ```ts
 * import { Cancellation } from 'capa-kit';
 *
 * Cancellation.parse({
 *   reason: 'Superseded by the new joiner-mover-leaver workflow',
 *   cancelledBy: { id: 'u-4', name: 'Lee Quality' },
 *   cancelledAt: '2026-04-01T09:00:00Z',
 * });
 * ```
 */
export const Cancellation = z
  .strictObject({ reason: text(LONG_TEXT), cancelledBy: Person, cancelledAt: Instant })
  .meta({ id: 'Cancellation', description: 'Why, when and by whom an action was cancelled.' });
/** Why and when an action was cancelled. */
export type Cancellation = z.infer<typeof Cancellation>;

/**
 * What a plan proposes for one action. Owner, due date and measurable outcome may be
 * missing while the plan is drafted; the lifecycle refuses to submit a plan until every
 * action has all three. The `reference` (`CA-2026-0001`) is the register's to give when
 * the plan is recorded: it is not part of `planActions` input.
 *
 * @example
 * ```ts
 * import { ActionDraft } from 'capa-kit';
 *
 * ActionDraft.parse({
 *   id: 'ca-1',
 *   description: 'Require IT confirmation of account removal within 24 hours of a departure',
 *   owner: { id: 'u-9', name: 'Sam IT' },
 *   dueDate: '2026-05-31',
 *   measurableOutcome: 'Next 10 departures: every account disabled within 24 h',
 * });
 * ```
 */
export const ActionDraft = z
  .strictObject({
    id: Id,
    /** The action's reference, given by the register when the plan is recorded. */
    reference: Reference.optional(),
    description: text(LONG_TEXT),
    owner: Person.nullable().default(null),
    dueDate: CalendarDate.nullable().default(null),
    /** The success criterion: how anyone can tell the action worked. */
    measurableOutcome: text(SHORT_TEXT).nullable().default(null),
  })
  .meta({ id: 'ActionDraft', description: 'A corrective action as a plan proposes it.' });
/** A corrective action as a plan proposes it. */
export type ActionDraft = z.output<typeof ActionDraft>;

const correctiveActionShape = {
  schemaVersion: schemaVersionField,
  id: Id,
  /**
   * Human reference, unique per tenant among actions, e.g. `CA-2026-0001`: handed out when
   * the plan that creates the action is recorded. Absent only on actions planned before
   * capa-kit gave actions references.
   */
  reference: Reference.optional(),
  tenantId: Id,
  /** The findings this action addresses: one action may serve several findings sharing a root cause. */
  findingIds: z.array(Id).min(1).max(200),
  description: text(LONG_TEXT),
  owner: Person.nullable(),
  dueDate: CalendarDate.nullable(),
  measurableOutcome: text(SHORT_TEXT).nullable(),
  status: z.enum(ACTION_STATUSES),
  cancellation: Cancellation.nullable(),
  implementationEvidence: z.array(Evidence).max(100),
  createdAt: Instant,
  startedAt: Instant.nullable(),
  completedAt: Instant.nullable(),
};

/**
 * A corrective action: its own record, linked to one or more findings, that removes a
 * cause so that it does not recur. `cancelled` carries its reason; `done` carries its
 * implementation evidence.
 *
 * @example
 * ```ts
 * import { CorrectiveAction } from 'capa-kit';
 *
 * CorrectiveAction.parse({
 *   schemaVersion: 1,
 *   id: 'ca-1',
 *   reference: 'CA-2026-0001',
 *   tenantId: 'acme',
 *   findingIds: ['f-1'],
 *   description: 'Require IT confirmation within 24 hours of each departure',
 *   owner: { id: 'u-9', name: 'Sam IT' },
 *   dueDate: '2026-05-31',
 *   measurableOutcome: 'Next 10 departures disabled within 24 h',
 *   status: 'planned',
 *   cancellation: null,
 *   implementationEvidence: [],
 *   createdAt: '2026-03-06T09:00:00Z',
 *   startedAt: null,
 *   completedAt: null,
 * });
 * ```
 */
export const CorrectiveAction = z
  .strictObject(correctiveActionShape)
  .superRefine((action, ctx) => {
    if ((action.status === 'cancelled') !== (action.cancellation !== null)) {
      ctx.addIssue({
        code: 'custom',
        path: ['cancellation'],
        message:
          action.status === 'cancelled'
            ? 'A cancelled action must say why it was cancelled'
            : 'Only a cancelled action carries a cancellation',
      });
    }
  })
  .meta({ id: 'CorrectiveAction', description: 'An action that removes the cause of one or more nonconformities.' });
/** An action that removes the cause of one or more nonconformities. */
export type CorrectiveAction = z.infer<typeof CorrectiveAction>;
