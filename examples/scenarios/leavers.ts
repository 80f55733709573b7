import type { RaisedFinding } from 'capa-kit';
import { cast, evidence } from './cast.js';
import type { Scenario } from './step.js';

const finding: RaisedFinding = {
  id: 'f-leavers',
  tenantId: 'acme',
  reference: 'NC-2026-0001',
  title: 'Leavers kept active accounts for weeks',
  description: 'Two people who left in January kept active directory and SaaS accounts for 3 and 5 weeks.',
  requirement: { kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: 'A.5.18', title: 'Access rights' },
  observedEvidence: 'HR leaver list for January compared with the directory export of 2026-03-02.',
  affected: { process: 'Joiner-mover-leaver', asset: 'Corporate directory' },
  source: { kind: 'internal-audit', reference: 'IA-2026-03' },
  grade: 'minor',
  owner: { id: cast.sam.id, name: cast.sam.name },
  raisedBy: { id: cast.ines.id, name: cast.ines.name },
  detectedAt: '2026-03-02T10:00:00Z',
  raisedAt: '2026-03-02T15:30:00Z',
  extensions: {},
};

const procedureV4 = evidence(cast.sam, '2026-04-20T09:00:00Z', 'document', 'Leaver procedure v4 with IT confirmation step', 'DOC-ISMS-012 v4');
const sample = evidence(cast.jonas, '2026-07-01T09:00:00Z', 'record', 'Next 10 departures: accounts disabled within 24 h', 'https://grc.example/samples/leavers-2026-q2');

/**
 * Scenario 1 of DOMAIN.md: an internal audit finds that two leavers kept active accounts
 * for weeks. Correction: disable the accounts. Root cause: the leaver procedure has no IT
 * confirmation step. Corrective action: IT confirms within 24 hours, with an owner.
 * Effectiveness: check the next departures. A minor nonconformity, so the plan needs the
 * auditor's approval.
 */
export const leavers: Scenario = {
  name: 'Leavers',
  summary: 'Two leavers kept active accounts for weeks (minor, ISO/IEC 27001:2022 A.5.18).',
  steps: [
    { say: 'Ines raises the finding from the internal audit', event: { type: 'RAISE', at: finding.raisedAt, by: cast.ines, finding }, then: 'reported' },
    {
      say: 'Sam tries to close it at once',
      event: { type: 'CLOSE', at: '2026-03-02T16:00:00Z', by: cast.sam, evidence: [] },
      refused: ['state.accepts'],
    },
    {
      say: 'Sam disables the two accounts (the correction)',
      event: {
        type: 'RECORD_CORRECTION',
        at: '2026-03-02T17:00:00Z',
        by: cast.sam,
        correction: {
          schemaVersion: 1,
          kind: 'performed',
          description: 'Disabled both accounts and checked their sign-ins since the leaving dates: none.',
          performedBy: { id: cast.sam.id, name: cast.sam.name },
          completedAt: '2026-03-02T16:45:00Z',
        },
      },
      then: 'contained',
    },
    {
      say: 'A first root cause is written down in a hurry',
      event: {
        type: 'RECORD_ROOT_CAUSE',
        at: '2026-03-04T09:00:00Z',
        by: cast.sam,
        rootCause: {
          schemaVersion: 1,
          method: 'interview',
          whys: [],
          statement: 'Human error: IT forgot.',
          category: 'training',
          extentOfCondition: null,
          analysedBy: { id: cast.sam.id, name: cast.sam.name },
          analysedAt: '2026-03-04T09:00:00Z',
        },
      },
      then: 'investigating',
    },
    {
      say: 'Sam tries to plan an action on it',
      event: {
        type: 'PLAN_ACTIONS',
        at: '2026-03-04T09:30:00Z',
        by: cast.sam,
        actions: [{ id: 'ca-leavers-1', description: 'Remind IT to disable accounts', owner: null, dueDate: null, measurableOutcome: null }],
      },
      refused: ['rootCause.notShallow', 'rootCause.extentOfCondition'],
    },
    {
      say: 'Lee runs a process review and checks the extent of condition',
      event: {
        type: 'RECORD_ROOT_CAUSE',
        at: '2026-03-06T11:00:00Z',
        by: cast.lee,
        rootCause: {
          schemaVersion: 1,
          method: 'process-review',
          whys: [
            'The accounts stayed active because IT did not act on the leaving dates',
            'HR tells IT by e-mail, and nobody confirms that accounts were disabled',
          ],
          statement: 'The leaver procedure has no IT confirmation step: HR notifies IT by e-mail and no one confirms that accounts are disabled.',
          category: 'process',
          extentOfCondition: {
            scope: 'All 41 departures of the last 12 months, every business unit, directory and the five main SaaS tools.',
            result: 'One more account still active (a contractor); disabled the same day.',
            linkedFindingIds: [],
          },
          analysedBy: { id: cast.lee.id, name: cast.lee.name },
          analysedAt: '2026-03-06T11:00:00Z',
        },
      },
      then: 'investigating',
    },
    {
      say: 'Sam drafts the corrective action, without a measurable outcome yet',
      event: {
        type: 'PLAN_ACTIONS',
        at: '2026-03-06T14:00:00Z',
        by: cast.sam,
        actions: [
          {
            id: 'ca-leavers-1',
            description: 'Add an IT confirmation step to the leaver procedure: IT confirms every account disabled within 24 hours of the leaving date.',
            owner: { id: cast.sam.id, name: cast.sam.name },
            dueDate: '2026-04-30',
            measurableOutcome: null,
          },
        ],
      },
      then: 'planning',
    },
    { say: 'Sam submits the plan', event: { type: 'SUBMIT_PLAN', at: '2026-03-06T14:10:00Z', by: cast.sam }, refused: ['plan.actionOutcome'] },
    {
      say: 'Sam adds the success criterion',
      event: {
        type: 'PLAN_ACTIONS',
        at: '2026-03-06T14:20:00Z',
        by: cast.sam,
        actions: [
          {
            id: 'ca-leavers-1',
            description: 'Add an IT confirmation step to the leaver procedure: IT confirms every account disabled within 24 hours of the leaving date.',
            owner: { id: cast.sam.id, name: cast.sam.name },
            dueDate: '2026-04-30',
            measurableOutcome: 'For the next 10 departures, every account is disabled and confirmed within 24 hours.',
          },
        ],
      },
      then: 'planning',
    },
    { say: 'Sam submits the plan (a minor needs the auditor\'s approval)', event: { type: 'SUBMIT_PLAN', at: '2026-03-06T14:30:00Z', by: cast.sam }, then: 'awaitingApproval' },
    { say: 'Lee tries to approve it himself', event: { type: 'APPROVE_PLAN', at: '2026-03-07T09:00:00Z', by: cast.lee }, refused: ['approval.role'] },
    { say: 'Jonas, the auditor, approves the plan', event: { type: 'APPROVE_PLAN', at: '2026-03-10T09:00:00Z', by: cast.jonas }, then: 'implementing' },
    { say: 'Sam starts the action', event: { type: 'START_ACTION', at: '2026-03-11T09:00:00Z', by: cast.sam, actionId: 'ca-leavers-1' }, then: 'implementing' },
    { say: 'Lee asks for verification too early', event: { type: 'START_VERIFICATION', at: '2026-03-20T09:00:00Z', by: cast.lee }, refused: ['actions.finished', 'actions.doneWithEvidence'] },
    {
      say: 'Sam completes the action with the updated procedure',
      event: { type: 'COMPLETE_ACTION', at: '2026-04-20T09:00:00Z', by: cast.sam, actionId: 'ca-leavers-1', evidence: [procedureV4] },
      then: 'implementing',
    },
    { say: 'Lee moves to the effectiveness review', event: { type: 'START_VERIFICATION', at: '2026-04-21T09:00:00Z', by: cast.lee }, then: 'verifying' },
    {
      say: 'Lee tries to close before the review',
      event: { type: 'CLOSE', at: '2026-04-21T10:00:00Z', by: cast.lee, evidence: [] },
      refused: ['closure.effectiveReview', 'closure.evidence'],
    },
    {
      say: 'Jonas checks the next 10 departures: all disabled within 24 hours',
      event: {
        type: 'RECORD_REVIEW',
        at: '2026-07-01T09:00:00Z',
        by: cast.jonas,
        review: {
          schemaVersion: 1,
          method: 'sample-of-next-occurrences',
          criterion: 'For the next 10 departures, every account is disabled and confirmed within 24 hours.',
          result: 'effective',
          reviewer: { id: cast.jonas.id, name: cast.jonas.name },
          reviewedAt: '2026-07-01T09:00:00Z',
          evidence: [sample],
        },
      },
      then: 'verifying',
    },
    {
      say: 'Lee closes it with the evidence',
      event: { type: 'CLOSE', at: '2026-07-01T10:00:00Z', by: cast.lee, evidence: [procedureV4, sample] },
      then: 'closed',
    },
  ],
};
