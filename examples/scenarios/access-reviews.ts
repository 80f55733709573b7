import type { RaisedFinding } from 'capa-kit';
import { cast, evidence } from './cast.js';
import type { Scenario } from './step.js';

const finding: RaisedFinding = {
  id: 'f-access-reviews',
  tenantId: 'acme',
  reference: 'NC-2026-0003',
  title: 'Quarterly access reviews ran eight months late',
  description: 'The access review procedure asks for a review every quarter; the last two ran eight months late.',
  requirement: { kind: 'procedure', documentId: 'PROC-AC-004', version: '3.1', title: 'Access review procedure', reference: '4.2' },
  observedEvidence: 'Review records: Q2 2025 review completed 2026-02-10; Q3 2025 not started.',
  affected: { process: 'Access management', asset: 'Finance ERP' },
  source: { kind: 'kpi-measurement', reference: 'KPI-AC-01' },
  grade: 'observation',
  owner: { id: cast.lee.id, name: cast.lee.name },
  raisedBy: { id: cast.ines.id, name: cast.ines.name },
  detectedAt: '2026-02-12T09:00:00Z',
  raisedAt: '2026-02-12T11:00:00Z',
  extensions: {},
};

const reviewRecord = evidence(cast.lee, '2026-02-27T09:00:00Z', 'record', 'Completed Q3 2025 access review of the finance ERP', 'GRC-AR-2025-Q3');
const reminderConfig = evidence(cast.sam, '2026-04-10T09:00:00Z', 'screenshot', 'Automated reminder configured, escalating to the CISO after 14 days', 'https://grc.example/evidence/ar-reminder.png');
const ownerAssignment = evidence(cast.lee, '2026-03-20T09:00:00Z', 'document', 'PROC-AC-004 v3.2 naming the access review owner', 'PROC-AC-004 v3.2');
const q2OnTime = evidence(cast.jonas, '2026-07-10T09:00:00Z', 'record', 'Q1 and Q2 2026 reviews completed within the quarter', 'GRC-AR-2026-Q2');

/**
 * Scenario 3 of DOMAIN.md: the organisation's own procedure requires quarterly access
 * reviews, and they ran eight months late: a nonconformity against the organisation's
 * own procedure, even though the standard sets no frequency. Logged first as an
 * observation, then escalated to a minor nonconformity. Corrective action: an automated
 * reminder and a named owner. A disproportionate action is cancelled with a reason.
 */
export const accessReviews: Scenario = {
  name: 'Access reviews',
  summary: 'Quarterly access reviews ran eight months late (own procedure PROC-AC-004 v3.1 §4.2).',
  steps: [
    { say: 'Ines logs the late review from the KPI as an observation', event: { type: 'RAISE', at: finding.raisedAt, by: cast.ines, finding }, then: 'monitoring' },
    {
      say: 'Ines tries to escalate it without a reason',
      event: { type: 'REGRADE', at: '2026-02-13T09:00:00Z', by: cast.ines, grade: 'minor' },
      refused: ['reason.given'],
    },
    {
      say: 'Ines escalates it: missing our own procedure by eight months is a nonconformity',
      event: {
        type: 'REGRADE',
        at: '2026-02-13T09:30:00Z',
        by: cast.ines,
        grade: 'minor',
        reason: 'Two consecutive reviews missed by months: the procedure is not being met, not merely at risk.',
      },
      then: 'reported',
    },
    {
      say: 'Lee runs the overdue review now (the correction)',
      event: {
        type: 'RECORD_CORRECTION',
        at: '2026-02-27T10:00:00Z',
        by: cast.lee,
        correction: {
          schemaVersion: 1,
          kind: 'performed',
          description: 'Ran the overdue Q3 2025 access review of the finance ERP; removed 4 stale entitlements.',
          performedBy: { id: cast.lee.id, name: cast.lee.name },
          completedAt: '2026-02-27T09:00:00Z',
        },
      },
      then: 'contained',
    },
    {
      say: 'Lee records the root cause',
      event: {
        type: 'RECORD_ROOT_CAUSE',
        at: '2026-03-02T10:00:00Z',
        by: cast.lee,
        rootCause: {
          schemaVersion: 1,
          method: 'process-review',
          whys: ['The reviews were not started', 'The person who started them left in 2025 and nothing triggers a review'],
          statement: 'No named owner and no reminder for the quarterly access review: the procedure depends on one person remembering.',
          category: 'ownership',
          extentOfCondition: {
            scope: 'Every periodic control in the ISMS calendar (12 controls).',
            result: 'Two other quarterly controls also lack a named owner; added to this plan.',
            linkedFindingIds: [],
          },
          analysedBy: { id: cast.lee.id, name: cast.lee.name },
          analysedAt: '2026-03-02T10:00:00Z',
        },
      },
      then: 'investigating',
    },
    {
      say: 'Lee plans three actions',
      event: {
        type: 'PLAN_ACTIONS',
        at: '2026-03-03T10:00:00Z',
        by: cast.lee,
        actions: [
          {
            id: 'ca-ar-1',
            description: 'Name an owner for each quarterly control in PROC-AC-004 and the ISMS calendar.',
            owner: { id: cast.lee.id, name: cast.lee.name },
            dueDate: '2026-03-31',
            measurableOutcome: 'Every periodic control in the calendar has a named owner.',
          },
          {
            id: 'ca-ar-2',
            description: 'Automated reminder to the owner at quarter start, escalating to the CISO after 14 days.',
            owner: { id: cast.sam.id, name: cast.sam.name },
            dueDate: '2026-04-30',
            measurableOutcome: 'The next two quarterly reviews complete within their quarter.',
          },
          {
            id: 'ca-ar-3',
            description: 'Buy an identity governance suite to run the reviews.',
            owner: { id: cast.sam.id, name: cast.sam.name },
            dueDate: '2026-12-31',
            measurableOutcome: 'Reviews run in the suite.',
          },
        ],
      },
      then: 'planning',
    },
    { say: 'Lee submits the plan for the auditor\'s approval', event: { type: 'SUBMIT_PLAN', at: '2026-03-03T11:00:00Z', by: cast.lee }, then: 'awaitingApproval' },
    {
      say: 'Jonas sends the plan back: the third action is out of proportion',
      event: { type: 'RETURN_PLAN', at: '2026-03-05T09:00:00Z', by: cast.jonas, reason: 'ca-ar-3 is out of proportion to a minor finding; keep it out of this plan.' },
      then: 'planning',
    },
    { say: 'Lee resubmits unchanged', event: { type: 'SUBMIT_PLAN', at: '2026-03-05T10:00:00Z', by: cast.lee }, then: 'awaitingApproval' },
    { say: 'Jonas approves, noting ca-ar-3 will be cancelled', event: { type: 'APPROVE_PLAN', at: '2026-03-06T09:00:00Z', by: cast.jonas, reason: 'Approved on condition that ca-ar-3 is cancelled.' }, then: 'implementing' },
    {
      say: 'Lee cancels the third action without a reason',
      event: { type: 'CANCEL_ACTION', at: '2026-03-06T10:00:00Z', by: cast.lee, actionId: 'ca-ar-3' },
      refused: ['reason.given'],
    },
    {
      say: 'Lee cancels it with the reason',
      event: { type: 'CANCEL_ACTION', at: '2026-03-06T10:05:00Z', by: cast.lee, actionId: 'ca-ar-3', reason: 'Out of proportion for a minor finding (auditor, 2026-03-05); the reminder addresses the cause.' },
      then: 'implementing',
    },
    {
      say: 'Lee completes the owner assignment',
      event: { type: 'COMPLETE_ACTION', at: '2026-03-20T10:00:00Z', by: cast.lee, actionId: 'ca-ar-1', evidence: [ownerAssignment] },
      then: 'implementing',
    },
    {
      say: 'Sam completes the reminder',
      event: { type: 'COMPLETE_ACTION', at: '2026-04-10T10:00:00Z', by: cast.sam, actionId: 'ca-ar-2', evidence: [reminderConfig] },
      then: 'implementing',
    },
    { say: 'Lee starts the effectiveness review', event: { type: 'START_VERIFICATION', at: '2026-04-11T09:00:00Z', by: cast.lee }, then: 'verifying' },
    {
      say: 'Jonas checks the next two quarters: both reviews on time',
      event: {
        type: 'RECORD_REVIEW',
        at: '2026-07-10T09:00:00Z',
        by: cast.jonas,
        review: {
          schemaVersion: 1,
          method: 'kpi',
          criterion: 'The next two quarterly reviews complete within their quarter.',
          result: 'effective',
          reviewer: { id: cast.jonas.id, name: cast.jonas.name },
          reviewedAt: '2026-07-10T09:00:00Z',
          evidence: [q2OnTime],
        },
      },
      then: 'verifying',
    },
    {
      // Lee owns ca-ar-1: closing takes someone independent of the work (sod.closerNotActionOwner).
      say: 'Jonas closes it with the evidence (Lee owns one of its actions)',
      event: { type: 'CLOSE', at: '2026-07-10T10:00:00Z', by: cast.jonas, evidence: [reviewRecord, ownerAssignment, reminderConfig, q2OnTime] },
      then: 'closed',
    },
  ],
};
