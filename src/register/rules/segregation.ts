// Segregation of duties: who may not do what to a finding, under the policy. One rule,
// judged on the lifecycle event and the finding's lifecycle before it: the register refuses
// the command (ForbiddenError), and the log validator reports a history entry that breaks it.
import { type CapaContext, currentActions, type PlannedAction } from '../../machine/context.js';
import type { CapaEvent } from '../../machine/events.js';
import type { SeverityPolicy } from '../../schemas/severity-policy.js';
import { actionName } from '../../schemas/action-name.js';
import { listOf } from './names.js';

/** The segregation-of-duties rules, as `ForbiddenError.rule` names them. */
export type SegregationRule = 'sod.rejecterNotRaiser' | 'sod.reviewerNotActionOwner' | 'sod.closerNotActionOwner';

/** An event the policy's segregation of duties refuses: the rule, the field naming the person, and why. */
export interface SegregationRefusal {
  readonly rule: SegregationRule;
  /** Where in the event the person is named: `by` (who acts), or `review.reviewer`. */
  readonly field: readonly string[];
  readonly message: string;
}

interface Named {
  readonly id: string;
  readonly name: string;
}

const isNamed = (value: unknown): value is Named =>
  typeof value === 'object' && value !== null && typeof (value as Named).id === 'string' && typeof (value as Named).name === 'string';

/** The corrective actions of the current investigation that `personId` owns. */
function ownedBy(context: CapaContext, personId: string): readonly PlannedAction[] {
  return currentActions(context).filter((action) => action.owner?.id === personId);
}

const actionsOf = (actions: readonly PlannedAction[]) =>
  `corrective action${actions.length === 1 ? '' : 's'} ${listOf(actions.map(actionName))}`;

/**
 * Whether the policy's segregation of duties refuses `event` on a finding whose lifecycle
 * stands at `context` (before the event): `null` when it does not.
 *
 * - `rejecterNotRaiser`: whoever raised a finding cannot also reject it;
 * - `reviewerNotActionOwner`: neither whoever records an effectiveness review nor the
 *   reviewer it names owns one of the corrective actions it judges;
 * - `closerNotActionOwner`: whoever closes a finding owns none of its corrective actions.
 *
 * "Its corrective actions" are those of the current investigation cycle, the ones the
 * review judged. Events are read defensively: a log may hold anything.
 */
export function segregationRefusal(policy: SeverityPolicy, event: CapaEvent, context: CapaContext): SegregationRefusal | null {
  const rules = policy.segregationOfDuties;
  const finding = context.finding;
  if (finding === null || !isNamed(event.by)) return null;
  switch (event.type) {
    case 'REJECT':
      if (rules.rejecterNotRaiser && finding.raisedBy.id === event.by.id) {
        return { rule: 'sod.rejecterNotRaiser', field: ['by'], message: `Whoever raised ${finding.reference} cannot also reject it.` };
      }
      return null;
    case 'RECORD_REVIEW': {
      if (!rules.reviewerNotActionOwner) return null;
      const reviewer: unknown = (event.review as { reviewer?: unknown } | undefined)?.reviewer;
      const people: [Named, readonly string[]][] = [[event.by, ['by']]];
      if (isNamed(reviewer)) people.push([reviewer, ['review', 'reviewer']]);
      for (const [who, field] of people) {
        const owned = ownedBy(context, who.id);
        if (owned.length > 0) {
          return {
            rule: 'sod.reviewerNotActionOwner',
            field,
            message: `${who.name} owns ${actionsOf(owned)} of ${finding.reference} and cannot review its effectiveness.`,
          };
        }
      }
      return null;
    }
    case 'CLOSE': {
      if (!rules.closerNotActionOwner) return null;
      const owned = ownedBy(context, event.by.id);
      if (owned.length === 0) return null;
      return {
        rule: 'sod.closerNotActionOwner',
        field: ['by'],
        message: `${event.by.name} owns ${actionsOf(owned)} of ${finding.reference} and cannot close it: closing takes someone independent of the work.`,
      };
    }
    default:
      return null;
  }
}
