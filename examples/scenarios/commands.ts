import type { CapaEvent, CorrectiveAction, Finding } from 'capa-kit';
import type { CapaRegister } from 'capa-kit/register';

/** The signature credential the demo's verifySignature hook accepts. */
export const DEMO_CREDENTIAL = 'signed-by-demo';

/**
 * Sends one scenario step to the register as the command a host would call. The
 * scenario's events are lifecycle events; the register takes commands (the RAISE payload
 * loses what the register assigns itself: id, tenant, reference, raiser, time).
 */
export async function sendToRegister(
  register: CapaRegister,
  event: CapaEvent,
  findingId: string | undefined,
): Promise<Finding | CorrectiveAction> {
  const actor = event.by;
  const signature = { credential: DEMO_CREDENTIAL };
  const on = () => {
    if (findingId === undefined) throw new Error(`${event.type} before RAISE`);
    return { actor, findingId };
  };
  switch (event.type) {
    case 'RAISE': {
      const { id: _id, tenantId: _t, reference: _r, raisedBy: _by, raisedAt: _at, ...finding } = event.finding;
      return register.raise({ actor, finding });
    }
    case 'RECORD_CORRECTION':
      return register.recordCorrection({ ...on(), correction: event.correction });
    case 'RECORD_ROOT_CAUSE':
      return register.recordRootCause({ ...on(), rootCause: event.rootCause });
    case 'LINK_FINDINGS':
      return register.linkFindings({ ...on(), findingIds: [...event.findingIds] });
    case 'PLAN_ACTIONS':
      return register.planActions({ ...on(), actions: event.actions.map((action) => ({ ...action })) });
    case 'SUBMIT_PLAN':
      return register.submitPlan(on());
    case 'APPROVE_PLAN':
      return register.approvePlan({ ...on(), signature });
    case 'RETURN_PLAN':
      return register.returnPlan({ ...on(), reason: event.reason as string });
    case 'START_ACTION':
      return register.startAction({ actor, actionId: event.actionId });
    case 'COMPLETE_ACTION':
      return register.completeAction({ actor, actionId: event.actionId, evidence: [...event.evidence] });
    case 'CANCEL_ACTION':
      return register.cancelAction({ actor, actionId: event.actionId, reason: event.reason as string });
    case 'START_VERIFICATION':
      return register.startVerification(on());
    case 'RECORD_REVIEW':
      return register.reviewEffectiveness({ ...on(), review: event.review, signature });
    case 'CLOSE':
      return register.close({ ...on(), evidence: [...event.evidence], signature, ...(event.reason === undefined ? {} : { note: event.reason }) });
    case 'REJECT':
      return register.reject({ ...on(), kind: event.kind, reason: event.reason as string, ...(event.duplicateOf === undefined ? {} : { duplicateOf: event.duplicateOf }) });
    case 'REOPEN':
      return register.reopen({ ...on(), reason: event.reason as string });
    case 'REGRADE':
      return register.regrade({ ...on(), grade: event.grade, reason: event.reason as string });
    case 'ATTACH_EVIDENCE':
      return register.attachEvidence({ ...on(), evidence: event.evidence });
  }
}
