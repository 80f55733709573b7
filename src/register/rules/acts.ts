// What the register enforces on each act, checked again on a history it may not have
// written (validateLog on a log, verifyHistory on a store): no
// instant an actor reported later than the entry's time plus the policy's clock skew; the
// policy's segregation of duties on the finding as it stood before the entry; and the
// signatures (a signed act carries one where the policy requires it, with the act's
// meaning, made by the one who acts, who is the person the record names for the act). The
// rules themselves are the register's (src/register/rules), so the two never disagree.
import type { CapaContext } from '../../machine/context.js';
import type { CapaEvent } from '../../machine/events.js';
import { entryInstantPaths, futureInstantMessage, futureInstants } from './instants.js';
import { segregationRefusal } from './segregation.js';
import { signedActOf, signerMismatch } from './signed-acts.js';
import type { HistoryEntry } from '../../schemas/history-entry.js';
import type { SeverityPolicy } from '../../schemas/severity-policy.js';

/**
 * The rule a history entry breaks, as `verifyHistory` and `validateLog` report it (the same
 * codes in both): a reported instant in the future, a breach of segregation of duties, a
 * signed act without its signature, a signature of another meaning, or one that is not the
 * signer's.
 *
 * @example
 * ```ts
 * import type { ActRuleCode, CapaRegister } from 'capa-kit/register';
 *
 * declare const register: CapaRegister;
 * const acts: readonly string[] = ['future-instant', 'segregation-of-duties', 'signature-missing', 'signature-meaning', 'signer-mismatch'] satisfies ActRuleCode[];
 * const report = await register.verifyHistory();
 * const breaches = report.problems.filter((problem) => acts.includes(problem.code));
 * ```
 */
export type ActRuleCode = 'future-instant' | 'segregation-of-duties' | 'signature-missing' | 'signature-meaning' | 'signer-mismatch';

/** A path inside a history entry. */
export type EntryPath = readonly (string | number)[];

/** Reports an issue on an entry; `path` is inside the entry (`['payload', 'review', 'reviewer']`). */
export type EntryReport = (code: ActRuleCode, path: EntryPath, message: string) => void;

/** Where an event names a person, as a path inside its history entry: `by` is the entry's actor. */
const entryPath = (field: readonly string[]): EntryPath => (field.length === 1 && field[0] === 'by' ? ['actor'] : ['payload', ...field]);

/**
 * The register's rules on one history entry of record `name`: `event` is the lifecycle
 * event it records (`null` for an entry outside the lifecycle: a comment, an action's
 * creation), `before` the finding's lifecycle just before it (`null` on an action's history).
 */
export function entryActRules(
  policy: SeverityPolicy,
  name: string,
  entry: HistoryEntry,
  event: CapaEvent | null,
  before: CapaContext | null,
  report: EntryReport,
): void {
  const what = `Entry ${entry.sequence} (${entry.type}) of ${name}`;
  const skew = policy.clockSkewMinutes;
  for (const instant of futureInstants(entry.payload, entryInstantPaths(entry.type), entry.at, skew)) {
    report('future-instant', ['payload', ...instant.path], `${what}: ${futureInstantMessage(instant, entry.at, skew, "the entry's time")}`);
  }

  if (event !== null && before !== null) {
    const refusal = segregationRefusal(policy, event, before);
    if (refusal !== null) report('segregation-of-duties', entryPath(refusal.field), `${what}: ${refusal.message} [${refusal.rule}]`);
  }

  const act = event === null ? null : signedActOf(event);
  const signature = entry.signature;
  if (signature === null) {
    if (act !== null && policy.signatures.required) {
      report('signature-missing', ['signature'], `${what} is a signed act ("${act.meaning}") without a signature, but the policy requires one.`);
    }
    return;
  }
  if (act === null) {
    report('signature-meaning', ['signature', 'meaning'], `${what} signs nothing, yet carries a signature meaning "${signature.meaning}".`);
    return;
  }
  if (signature.meaning !== act.meaning) {
    report('signature-meaning', ['signature', 'meaning'], `${what} is signed "${signature.meaning}", but the act it signs means "${act.meaning}".`);
  }
  const signer = { id: signature.signerId, name: signature.printedName };
  if (signer.id !== entry.actor.id || signer.name !== entry.actor.name) {
    report(
      'signer-mismatch',
      ['signature', 'signerId'],
      `${what} is recorded by ${entry.actor.name} (${entry.actor.id}) but signed by ${signer.name} (${signer.id}): whoever acts signs.`,
    );
    return;
  }
  const mismatch = signerMismatch(act, signer);
  if (mismatch !== null) report('signer-mismatch', entryPath(act.field), `${what}: ${mismatch}`);
}
