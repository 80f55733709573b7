import { CAPA_ERROR_CODES } from '../errors/codes.js';
import { CapaValidationError } from '../errors/validation-error.js';
import { toValidationIssues } from '../schemas/parse.js';
import { SeverityPolicy } from '../schemas/severity-policy.js';

// The policies this module has checked: presets and defineSeverityPolicy() results are
// checked once, however many registers a host creates with them.
const checked = new WeakMap<object, SeverityPolicy>();

/**
 * The register's policy, checked as a log's header will hold it: a policy the register
 * works under is written into every entry (`madeUnder`) and the export, so one the log
 * validator would refuse (a field missing, an id with white space around it) is refused
 * here first, with `CAPA_INVALID_POLICY` naming every field and rule. A policy that passes
 * is used as given when it is already complete, else with its defaults filled in.
 */
export function checkRegisterPolicy(policy: SeverityPolicy): SeverityPolicy {
  if (typeof policy !== 'object' || policy === null) {
    throw new CapaValidationError('SeverityPolicy', [{ path: [], code: 'invalid_type', message: 'A register needs a severity policy (an object: iso27001, soc2, or defineSeverityPolicy(...))' }], {
      code: CAPA_ERROR_CODES.invalidPolicy,
    });
  }
  const known = checked.get(policy);
  if (known !== undefined) return known;
  const result = SeverityPolicy.safeParse(policy);
  if (!result.success) {
    throw new CapaValidationError('SeverityPolicy', toValidationIssues(result.error), { code: CAPA_ERROR_CODES.invalidPolicy });
  }
  const used = JSON.stringify(result.data) === JSON.stringify(policy) ? policy : result.data;
  checked.set(policy, used);
  return used;
}
