// `npx tsx examples/custom-policy.ts`: a house severity policy, written from scratch as
// data, and what it changes: the grades a finding can take, its due date (counted in the
// policy's time zone), and who must approve a corrective action plan. Asserts what it
// shows, so it fails loudly if the library ever disagrees.
import assert from 'node:assert/strict';
import {
  type Actor,
  CAPA_ERROR_CODES,
  type CapaError,
  CapaTransitionError,
  CapaValidationError,
  computeDueDate,
  defineSeverityPolicy,
  DEFAULT_SHALLOW_CAUSE_PHRASES,
  formatCapaError,
} from 'capa-kit';
import { createCapaRegister, memoryStore } from 'capa-kit/register';

// 1. The policy. Plain data: it can live in a JSON file, and every history entry and every
// exported log names it by id and version. defineSeverityPolicy() checks it with zod.
export const acmePolicy = defineSeverityPolicy({
  schemaVersion: 1,
  id: 'acme-isms',
  version: '2026.2',
  name: 'Acme ISMS grading',
  description: 'Critical: 10 business days, plan approved by the CISO. Major: 60 days. Minor: 6 months.',
  // Deadlines are counted on the calendar of Sydney, where the ISMS team works.
  timeZone: 'Australia/Sydney',
  staleAfterDays: 14,
  grades: [
    {
      id: 'critical',
      label: 'Critical nonconformity',
      description: 'A control is missing and customer data is exposed.',
      lifecycle: 'corrective-action',
      deadline: { amount: 10, unit: 'businessDays', from: 'detectedAt' },
      approval: { role: 'ciso' },
    },
    {
      id: 'major',
      label: 'Major nonconformity',
      lifecycle: 'corrective-action',
      deadline: { amount: 60, unit: 'days', from: 'detectedAt' },
      approval: null,
    },
    {
      id: 'minor',
      label: 'Minor nonconformity',
      lifecycle: 'corrective-action',
      deadline: { amount: 6, unit: 'months', from: 'raisedAt' },
      approval: null,
    },
    { id: 'observation', label: 'Observation', lifecycle: 'monitor', deadline: null, approval: null },
    { id: 'ofi', label: 'Opportunity for improvement', lifecycle: 'log', deadline: null, approval: null },
  ],
  // Also refuse this team's favourite non-cause, on top of the built-in list.
  shallowCause: { phrases: [...DEFAULT_SHALLOW_CAUSE_PHRASES, 'process not followed'] },
  segregationOfDuties: { reviewerNotActionOwner: true, rejecterNotRaiser: true },
  signatures: { required: true },
  relaxes: [],
});

console.log(`${acmePolicy.name} ${acmePolicy.version} (${acmePolicy.timeZone})`);
for (const grade of acmePolicy.grades) {
  const deadline = grade.deadline === null ? 'no deadline' : `${grade.deadline.amount} ${grade.deadline.unit} from ${grade.deadline.from}`;
  console.log(`  ${grade.id.padEnd(12)} ${grade.lifecycle.padEnd(18)} ${deadline}${grade.approval === null ? '' : `, plan approved by ${grade.approval.role}`}`);
}

// 2. A policy that makes no sense is refused whole, every problem named with its path.
try {
  defineSeverityPolicy({ ...acmePolicy, timeZone: '+10:00', grades: [{ ...acmePolicy.grades[3]!, approval: { role: 'ciso' } }] });
  assert.fail('the broken policy was accepted');
} catch (error) {
  assert.ok(error instanceof CapaValidationError);
  assert.equal(error.code, CAPA_ERROR_CODES.invalidPolicy);
  assert.deepEqual(
    error.issues.map((issue) => issue.path.join('.')),
    ['timeZone', 'grades.0.approval'],
  );
  console.log(`\nA broken policy is refused:\n${formatCapaError(error)}`);
}

// 3. Due dates are calendar dates in the policy's zone: detected on Friday 30 January at
// 22:00 UTC is already Saturday 31 January in Sydney. A one-day deadline is 1 February
// there and 31 January in UTC; ten business days end on Friday 13 February in both (a
// weekend start counts from the next Monday).
const detectedAt = '2026-01-30T22:00:00Z';
const critical = acmePolicy.grades[0]!.deadline!;
assert.equal(computeDueDate(critical, { detectedAt, raisedAt: detectedAt }, acmePolicy.timeZone), '2026-02-13');
assert.equal(computeDueDate(critical, { detectedAt, raisedAt: detectedAt }, 'UTC'), '2026-02-13');
assert.equal(computeDueDate({ amount: 1, unit: 'days', from: 'detectedAt' }, { detectedAt, raisedAt: detectedAt }, acmePolicy.timeZone), '2026-02-01');
assert.equal(computeDueDate({ amount: 1, unit: 'days', from: 'detectedAt' }, { detectedAt, raisedAt: detectedAt }, 'UTC'), '2026-01-31');

// 4. The register applies it: a critical finding is due in ten business days, and its plan
// waits for someone with the `ciso` role.
const people = {
  noor: { id: 'u-noor', name: 'Noor Haddad', roles: ['internal-auditor'] },
  tom: { id: 'u-tom', name: 'Tom Reyes', roles: ['platform-lead'] },
  ana: { id: 'u-ana', name: 'Ana Lima', roles: ['isms-manager'] },
  kai: { id: 'u-kai', name: 'Kai Tanaka', roles: ['ciso'] },
} satisfies Record<string, Actor>;
const signature = { credential: 'password-entered-again' };

let now = new Date('2026-01-30T23:00:00Z');
const register = createCapaRegister({
  store: memoryStore(),
  policy: acmePolicy,
  tenant: 'acme',
  clock: () => now,
  // Electronic signatures: a real host asks for the password again (or a WebAuthn assertion).
  verifySignature: (_actor, credential) => credential === signature.credential,
});
/** Moves the register's clock: each command happens at its own time. */
const at = (instant: string) => {
  now = new Date(instant);
};

const finding = await register.raise({
  actor: people.noor,
  finding: {
    title: 'Public bucket held customer exports',
    description: 'A storage bucket with customer CSV exports allowed anonymous reads for 9 days.',
    requirement: { kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: 'A.8.12', title: 'Data leakage prevention' },
    observedEvidence: 'Bucket policy history and access logs, 2026-01-21 to 2026-01-30.',
    affected: { asset: 'exports bucket' },
    source: { kind: 'incident-review', reference: 'INC-2026-007' },
    grade: 'critical',
    owner: { id: people.tom.id, name: people.tom.name },
    detectedAt,
  },
});
assert.equal(finding.dueDate, '2026-02-13');
console.log(`\n${finding.reference} ${finding.grade}, due ${finding.dueDate} (${acmePolicy.timeZone} calendar)`);

at('2026-01-30T23:30:00Z');
await register.recordCorrection({
  actor: people.tom,
  findingId: finding.id,
  correction: {
    schemaVersion: 1,
    kind: 'performed',
    description: 'Made the bucket private and rotated the export links.',
    performedBy: { id: people.tom.id, name: people.tom.name },
    completedAt: '2026-01-30T23:20:00Z',
  },
});
at('2026-02-02T01:00:00Z');
await register.recordRootCause({
  actor: people.ana,
  findingId: finding.id,
  rootCause: {
    schemaVersion: 1,
    method: 'five-whys',
    whys: [
      'The bucket allowed anonymous reads because its policy was copied from the public website bucket',
      'New buckets are created by hand from an old template, with no review of their access policy',
    ],
    statement: 'Buckets are created by hand from a public template, and nothing reviews their access policy before data goes in.',
    category: 'process',
    extentOfCondition: { scope: 'All 37 buckets of the production account.', result: 'One more public bucket, empty; made private.', linkedFindingIds: [] },
    analysedBy: { id: people.ana.id, name: people.ana.name },
    analysedAt: '2026-02-02T01:00:00Z',
  },
});
at('2026-02-02T03:00:00Z');
await register.planActions({
  actor: people.tom,
  findingId: finding.id,
  actions: [
    {
      id: 'ca-buckets-1',
      description: 'Create buckets only through the reviewed infrastructure module, which refuses public access.',
      owner: { id: people.tom.id, name: people.tom.name },
      dueDate: '2026-02-12',
      measurableOutcome: 'A weekly scan finds no bucket with public access for 8 weeks.',
    },
  ],
});
await register.submitPlan({ actor: people.tom, findingId: finding.id });

at('2026-02-02T05:00:00Z');
// Ana runs the ISMS, but this policy wants the CISO for a critical plan.
const refused = await register.approvePlan({ actor: people.ana, findingId: finding.id, signature }).then(
  () => assert.fail('the ISMS manager approved a critical plan'),
  (error: CapaError) => error,
);
assert.ok(refused instanceof CapaTransitionError);
assert.deepEqual(
  refused.unmet.map((unmet) => unmet.code),
  ['approval.role'],
);
console.log(`Ana cannot approve the plan:\n${formatCapaError(refused)}`);

at('2026-02-02T06:00:00Z');
const approved = await register.approvePlan({ actor: people.kai, findingId: finding.id, signature });
assert.equal(approved.status, 'implementing');
console.log(`Kai (ciso) approves it: ${approved.reference} is ${approved.status}`);
