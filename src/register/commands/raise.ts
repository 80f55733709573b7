import { CapaTransitionError } from '../../errors/transition-error.js';
import type { CapaEvent } from '../../machine/events.js';
import { explain } from '../../machine/explain.js';
import type { Finding, RaisedFinding } from '../../schemas/finding.js';
import { parseCompiled } from '../compiled-parse.js';
import type { FindingDocument } from '../documents.js';
import { checkAuthorized } from '../guards.js';
import { refuseFutureInstants } from '../rules/instants.js';
import type { CommandInput, ParsedInput } from '../inputs.js';
import { eventEntry, person, type RegisterRuntime } from './runtime.js';

/** Stands in for the reference while a raise is checked, before a number is taken. */
const PROVISIONAL_REFERENCE = 'NC-0000-0000';

/** Raises a finding: validates it, gives it an id and a reference, computes its due date. */
export async function raise(runtime: RegisterRuntime, input: CommandInput<'raise'>): Promise<Finding> {
  const { tenant, initial } = runtime;
  const parsed = parseCompiled(runtime.raiseInput, input, 'raise input') as ParsedInput<'raise'>;
  return runtime.idempotent(parsed.idempotencyKey, async () => {
    await checkAuthorized(runtime.options.authorize, parsed.actor, 'raise', null);
    const at = runtime.now();
    const facts = {
      ...parsed.finding,
      id: runtime.ids(),
      tenantId: tenant,
      raisedBy: person(parsed.actor),
      raisedAt: at,
      extensions: parsed.finding.extensions ?? {},
    };
    // Every check runs on a provisional reference first: a refused raise must not use up
    // a number of the tenant's sequence (an auditor asks about gaps).
    const provisional = parseCompiled(runtime.raisedSchema, { ...facts, reference: PROVISIONAL_REFERENCE }, 'raise input') as RaisedFinding;
    const unmet = explain(initial, { type: 'RAISE', at, by: parsed.actor, finding: provisional });
    if (unmet.length > 0) throw new CapaTransitionError(String(initial.value), 'RAISE', unmet);
    refuseFutureInstants(runtime.policy, 'raise', parsed, at);
    // Only the reference is new now: the runtime checks it alone (a host's generator may break the format).
    const reference = await runtime.newReference('finding', at);
    const event: CapaEvent = { type: 'RAISE', at, by: parsed.actor, finding: { ...provisional, reference } };
    const change = runtime.findingChange(null, runtime.transition(null, event), [eventEntry(event)], at);
    return runtime.commit(parsed.actor, at, [change], (change.document as FindingDocument).finding, parsed.idempotencyKey);
  });
}
