import { ForbiddenError, SignatureError, SignerMismatchError } from '../errors/store-errors.js';
import type { CapaContext } from '../machine/context.js';
import type { CapaEvent } from '../machine/events.js';
import type { Actor } from '../schemas/actor.js';
import { actionName } from '../schemas/action-name.js';
import type { Finding } from '../schemas/finding.js';
import type { Signature } from '../schemas/history-entry.js';
import type { SeverityPolicy } from '../schemas/severity-policy.js';
import type { CommandName } from './inputs.js';
import { segregationRefusal } from './rules/segregation.js';
import { type SignedAct, signerMismatch } from './rules/signed-acts.js';

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

/**
 * The policy's segregation of duties (see `segregationRefusal`), on the event a command is
 * about to make: a refusal is a `ForbiddenError` naming the `sod.*` rule.
 */
export function checkSegregation(policy: SeverityPolicy, command: CommandName, event: CapaEvent, before: CapaContext): void {
  const refusal = segregationRefusal(policy, event, before);
  if (refusal !== null) throw new ForbiddenError(command, refusal.rule, refusal.message);
}

/**
 * Collects the signature of a signed act when the policy requires one (or one is
 * offered): the person the record names for the act must be the actor who signs (else a
 * `SignerMismatchError`, before anyone is asked to re-authenticate), then the host
 * re-authenticates the signer. Returns `null` when no signature is required or given: an
 * unsigned act may name someone else (recorded on their behalf).
 */
export async function collectSignature(
  policy: SeverityPolicy,
  verify: VerifySignatureHook | undefined,
  actor: Actor,
  offered: { credential?: unknown } | undefined,
  act: SignedAct,
  boundTo: Signature['boundTo'],
  signedAt: string,
): Promise<Signature | null> {
  const { meaning } = act;
  if (offered === undefined) {
    if (!policy.signatures.required) return null;
    throw new SignatureError(meaning, 'this policy requires an electronic signature: pass `signature: { credential }`.');
  }
  const signer = { id: actor.id, name: actor.name };
  const mismatch = signerMismatch(act, signer);
  if (mismatch !== null) throw new SignerMismatchError(meaning, act.field, act.names, signer, mismatch);
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
