import type { RaisedFinding } from 'capa-kit';
import { cast, evidence } from './cast.js';
import type { Scenario } from './step.js';

const finding: RaisedFinding = {
  id: 'f-suppliers',
  tenantId: 'acme',
  reference: 'NC-2026-0002',
  title: 'Supplier security assessments not completed before onboarding',
  description: 'Three vendors were onboarded in Q1 without the security assessment the supplier procedure requires.',
  requirement: { kind: 'standard', framework: 'ISO/IEC 27001:2022', reference: 'A.5.19', title: 'Information security in supplier relationships' },
  observedEvidence: 'Vendor register Q1 2026: vendors V-101, V-107 and V-112 have no assessment on file.',
  affected: { process: 'Procurement onboarding' },
  source: { kind: 'external-audit', reference: 'CB-S1-2026' },
  grade: 'major',
  owner: { id: cast.priya.id, name: cast.priya.name },
  raisedBy: { id: cast.jonas.id, name: cast.jonas.name },
  detectedAt: '2026-04-14T13:00:00Z',
  raisedAt: '2026-04-14T16:00:00Z',
  extensions: {},
};

const assessments = evidence(cast.priya, '2026-04-24T09:00:00Z', 'record', 'Security assessments of V-101, V-107, V-112', 'GRC-VENDOR-ASSESS-2026-04');
const onboardingChecklist = evidence(cast.priya, '2026-05-20T09:00:00Z', 'document', 'Procurement onboarding checklist v2 with the security assessment', 'PROC-PUR-002 v2');
const toolGate = evidence(cast.sam, '2026-07-15T09:00:00Z', 'screenshot', 'Procurement tool: vendor cannot be activated without an approved assessment', 'https://grc.example/evidence/proc-tool-gate.png');
const retest = evidence(cast.lee, '2026-09-30T09:00:00Z', 'test-result', 'Re-test: 14 vendors onboarded in Q3, 14 assessed before activation', 'https://grc.example/retests/suppliers-q3');

const rootCause = (statement: string, whys: string[], category: 'ownership' | 'system-or-tooling', at: string) => ({
  schemaVersion: 1 as const,
  method: 'five-whys' as const,
  whys,
  statement,
  category,
  extentOfCondition: {
    scope: 'Every vendor onboarded since the supplier procedure was issued (2024-09).',
    result: 'Two more vendors without an assessment (V-088, V-093); assessed in April.',
    linkedFindingIds: [],
  },
  analysedBy: { id: cast.lee.id, name: cast.lee.name },
  analysedAt: at,
});

/**
 * Scenario 2 of DOMAIN.md: security assessments were not completed before three vendors
 * were onboarded. 5 Whys: procurement did not do them; they did not know it was
 * required; the supplier procedure was never part of procurement onboarding. Root cause:
 * a process-ownership gap. "Remind procurement" is only a correction. A major
 * nonconformity: due in 3 months, no approval step. The first effectiveness review finds
 * a new vendor onboarded without an assessment, so the investigation starts again.
 */
export const suppliers: Scenario = {
  name: 'Suppliers',
  summary: 'Vendors onboarded without security assessments (major, ISO/IEC 27001:2022 A.5.19).',
  steps: [
    { say: 'Jonas raises a major finding at the certification audit', event: { type: 'RAISE', at: finding.raisedAt, by: cast.jonas, finding }, then: 'reported' },
    {
      say: 'Priya reminds procurement and assesses the three vendors (the correction)',
      event: {
        type: 'RECORD_CORRECTION',
        at: '2026-04-24T10:00:00Z',
        by: cast.priya,
        correction: {
          schemaVersion: 1,
          kind: 'performed',
          description: 'Reminded the procurement team of the supplier procedure; completed the three missing assessments.',
          performedBy: { id: cast.priya.id, name: cast.priya.name },
          completedAt: '2026-04-24T09:00:00Z',
        },
      },
      then: 'contained',
    },
    {
      say: 'Lee runs 5 Whys with procurement',
      event: {
        type: 'RECORD_ROOT_CAUSE',
        at: '2026-04-28T10:00:00Z',
        by: cast.lee,
        rootCause: rootCause(
          'Process-ownership gap: the supplier security procedure was never made part of procurement onboarding, and no one owns it there.',
          ['Procurement did not run the assessments', 'They did not know the assessment was required', 'The supplier procedure was never part of procurement onboarding'],
          'ownership',
          '2026-04-28T10:00:00Z',
        ),
      },
      then: 'investigating',
    },
    {
      say: 'Priya plans the corrective action',
      event: {
        type: 'PLAN_ACTIONS',
        at: '2026-04-29T10:00:00Z',
        by: cast.priya,
        actions: [
          {
            id: 'ca-suppliers-1',
            description: 'Add the security assessment to the procurement onboarding checklist and name the procurement lead as its owner.',
            owner: { id: cast.priya.id, name: cast.priya.name },
            dueDate: '2026-05-31',
            measurableOutcome: 'Every vendor onboarded next quarter has an approved assessment before activation.',
          },
        ],
      },
      then: 'planning',
    },
    { say: 'Priya submits the plan (a major needs no approval step here)', event: { type: 'SUBMIT_PLAN', at: '2026-04-29T11:00:00Z', by: cast.priya }, then: 'implementing' },
    {
      say: 'Priya completes the action with the new checklist',
      event: { type: 'COMPLETE_ACTION', at: '2026-05-20T10:00:00Z', by: cast.priya, actionId: 'ca-suppliers-1', evidence: [onboardingChecklist] },
      then: 'implementing',
    },
    { say: 'Lee starts the effectiveness review', event: { type: 'START_VERIFICATION', at: '2026-05-21T09:00:00Z', by: cast.lee }, then: 'verifying' },
    {
      say: 'The review finds a vendor activated in June without an assessment: not effective',
      event: {
        type: 'RECORD_REVIEW',
        at: '2026-06-30T09:00:00Z',
        by: cast.lee,
        review: {
          schemaVersion: 1,
          method: 'sample-of-next-occurrences',
          criterion: 'Every vendor onboarded next quarter has an approved assessment before activation.',
          result: 'not-effective',
          reviewer: { id: cast.lee.id, name: cast.lee.name },
          reviewedAt: '2026-06-30T09:00:00Z',
          evidence: [],
          notes: 'V-131 was activated in the procurement tool before its assessment: the checklist is followed on paper only.',
        },
      },
      then: 'investigating',
    },
    {
      say: 'Priya tries to plan again on the old root cause',
      event: {
        type: 'PLAN_ACTIONS',
        at: '2026-07-01T09:00:00Z',
        by: cast.priya,
        actions: [
          {
            id: 'ca-suppliers-2',
            description: 'Remind buyers of the checklist',
            owner: { id: cast.priya.id, name: cast.priya.name },
            dueDate: '2026-07-10',
            measurableOutcome: 'Buyers confirm they read it',
          },
        ],
      },
      refused: ['rootCause.recorded'],
    },
    {
      say: 'Lee investigates again: the tool lets anyone activate a vendor',
      event: {
        type: 'RECORD_ROOT_CAUSE',
        at: '2026-07-02T09:00:00Z',
        by: cast.lee,
        rootCause: rootCause(
          'The procurement tool lets a buyer activate a vendor without an approved security assessment, so the checklist depends on memory.',
          ['V-131 was activated without an assessment', 'The buyer was under time pressure', 'Nothing in the procurement tool blocks activation without an assessment'],
          'system-or-tooling',
          '2026-07-02T09:00:00Z',
        ),
      },
      then: 'investigating',
    },
    {
      say: 'Sam plans a control in the tool',
      event: {
        type: 'PLAN_ACTIONS',
        at: '2026-07-02T11:00:00Z',
        by: cast.sam,
        actions: [
          {
            id: 'ca-suppliers-2',
            description: 'Make an approved security assessment a mandatory gate for vendor activation in the procurement tool.',
            owner: { id: cast.sam.id, name: cast.sam.name },
            dueDate: '2026-07-31',
            measurableOutcome: 'No vendor can be activated without an approved assessment; re-test on the next quarter\'s vendors.',
          },
        ],
      },
      then: 'planning',
    },
    { say: 'Sam submits the plan', event: { type: 'SUBMIT_PLAN', at: '2026-07-02T12:00:00Z', by: cast.sam }, then: 'implementing' },
    { say: 'Sam starts the action', event: { type: 'START_ACTION', at: '2026-07-03T09:00:00Z', by: cast.sam, actionId: 'ca-suppliers-2' }, then: 'implementing' },
    {
      say: 'Sam completes the action without evidence',
      event: { type: 'COMPLETE_ACTION', at: '2026-07-15T09:00:00Z', by: cast.sam, actionId: 'ca-suppliers-2', evidence: [] },
      refused: ['action.evidence'],
    },
    {
      say: 'Sam completes the action with a screenshot of the gate',
      event: { type: 'COMPLETE_ACTION', at: '2026-07-15T10:00:00Z', by: cast.sam, actionId: 'ca-suppliers-2', evidence: [toolGate] },
      then: 'implementing',
    },
    { say: 'Lee starts the second review', event: { type: 'START_VERIFICATION', at: '2026-07-16T09:00:00Z', by: cast.lee }, then: 'verifying' },
    {
      say: 'Lee re-tests the Q3 vendors: all assessed before activation',
      event: {
        type: 'RECORD_REVIEW',
        at: '2026-09-30T09:00:00Z',
        by: cast.lee,
        review: {
          schemaVersion: 1,
          method: 're-test',
          criterion: 'No vendor can be activated without an approved assessment.',
          result: 'effective',
          reviewer: { id: cast.lee.id, name: cast.lee.name },
          reviewedAt: '2026-09-30T09:00:00Z',
          evidence: [retest],
        },
      },
      then: 'verifying',
    },
    {
      say: 'Lee closes it with the evidence',
      event: { type: 'CLOSE', at: '2026-09-30T10:00:00Z', by: cast.lee, evidence: [assessments, onboardingChecklist, toolGate, retest] },
      then: 'closed',
    },
  ],
};
