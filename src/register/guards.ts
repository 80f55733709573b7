import { ForbiddenError, SignatureError } from '../errors/store-errors.js';
import { currentActions } from '../machine/context.js';
import type { CapaSnapshot } from '../machine/explain.js';
import type { Actor } from '../schemas/actor.js';
import { actionName } from '../schemas/action-name.js';
import type { Finding } from '../schemas/finding.js';
import type { Signature } from '../schemas/history-entry.js';
import type { SeverityPolicy } from '../schemas/severity-policy.js';
import type { CommandName } from './inputs.js';

/**
 * The host's authorization hook: may `actor` run `command` on `finding` (`null` when
 * raising)? Return `false` to refuse. The register also applies the policy's segregation
 * of duties, whatever the hook says.
 *
 * @example
 * ```ts
 * import type { AuthorizeHook } from 'capa-kit/register';
 *
 * const onlyStaff: AuthorizeHook = (actor) => actor.roles.length > 0;
 * ```
 */
export type AuthorizeHook = (actor: Actor, command: CommandName, finding: Finding | null) => boolean | Promise<boolean>;

/**
 * The host's re-authentication hook for electronic signatures: check `credential` (a
 * password, a WebAuthn assertion, an SSO step-up token: whatever the host uses) for
 * `actor`, and return `true` only when it proves the signer is who they say.
 *
 * @example
 * ```ts
 * import type { VerifySignatureHook } from 'capa-kit/register';
 *
 * declare function checkPassword(userId: string, password: string): Promise<boolean>;
 * const verify: VerifySignatureHook = (actor, credential) =>
 *   typeof credential === 'string' && checkPassword(actor.id, credential);
 * ```
 */
export type VerifySignatureHook = (actor: Actor, credential: unknown, meaning: Signature['meaning']) => boolean | Promise<boolean>;

/** Asks the host's hook; a `false` (or a throw) refuses the command. */
export async function checkAuthorized(
  authorize: AuthorizeHook | undefined,
  actor: Actor,
  command: CommandName,
  finding: Finding | null,
): Promise<void> {
  if (authorize === undefined) return;
  if ((await authorize(actor, command, finding)) !== true) {
    throw new ForbiddenError(command, 'host', `${actor.name} is not authorized to ${command}${finding === null ? '' : ` ${finding.reference}`}.`);
  }
}

/** The policy's segregation-of-duties rules, for the commands they concern. */
export function checkSegregation(
  policy: SeverityPolicy,
  command: CommandName,
  actor: Actor,
  finding: Finding,
  snapshot: CapaSnapshot,
  namedReviewer?: { readonly id: string; readonly name: string },
): void {
  const rules = policy.segregationOfDuties;
  if (command === 'reject' && rules.rejecterNotRaiser && finding.raisedBy.id === actor.id) {
    throw new ForbiddenError(command, 'sod.rejecterNotRaiser', `Whoever raised ${finding.reference} cannot also reject it.`);
  }
  if (command === 'reviewEffectiveness' && rules.reviewerNotActionOwner) {
    // Both the one who records the review and the reviewer it names: neither may own the work.
    for (const reviewer of [actor, ...(namedReviewer === undefined ? [] : [namedReviewer])]) {
      const owned = currentActions(snapshot.context).filter((action) => action.owner?.id === reviewer.id);
      if (owned.length > 0) {
        throw new ForbiddenError(
          command,
          'sod.reviewerNotActionOwner',
          `${reviewer.name} owns corrective action ${owned.map(actionName).join(', ')} of ${finding.reference} and cannot review its effectiveness.`,
        );
      }
    }
  }
}

/**
 * Collects a signature when the policy requires one (or one is offered): the host
 * re-authenticates the signer first. Returns `null` when no signature is required or given.
 */
export async function collectSignature(
  policy: SeverityPolicy,
  verify: VerifySignatureHook | undefined,
  actor: Actor,
  offered: { credential?: unknown } | undefined,
  meaning: Signature['meaning'],
  boundTo: Signature['boundTo'],
  signedAt: string,
): Promise<Signature | null> {
  if (offered === undefined) {
    if (!policy.signatures.required) return null;
    throw new SignatureError(meaning, 'this policy requires an electronic signature: pass `signature: { credential }`.');
  }
  if (verify === undefined) {
    throw new SignatureError(meaning, 'no verifySignature hook: the register cannot re-authenticate the signer.');
  }
  let confirmed: boolean;
  try {
    confirmed = (await verify(actor, offered.credential, meaning)) === true;
  } catch (error) {
    throw new SignatureError(meaning, `the verifySignature hook failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!confirmed) throw new SignatureError(meaning, `${actor.name} could not be re-authenticated.`);
  return { signerId: actor.id, printedName: actor.name, meaning, signedAt, boundTo };
}
