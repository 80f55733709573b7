import { describe, it, expect } from 'vitest';
import { DEFAULT_SHALLOW_CAUSE_PHRASES } from '../../src/policies/shallow-cause-phrases.js';
import {
  judgeRootCause,
  type ShallowCauseReason,
  type ShallowCauseVerdict,
} from '../../src/machine/shallow-cause.js';

// Titles of the DOMAIN.md worked scenarios.
const LEAVERS = 'Leavers kept active accounts';
const SUPPLIERS = 'Supplier security assessments not completed before onboarding';
const ACCESS_REVIEWS = 'Quarterly access reviews ran eight months late';

const DEFAULTS = DEFAULT_SHALLOW_CAUSE_PHRASES;
const WITH_GLITCH: readonly string[] = [...DEFAULT_SHALLOW_CAUSE_PHRASES, 'system glitch'];
const NONE: readonly string[] = [];
const ONLY_ERROR: readonly string[] = ['error'];

interface Case {
  readonly statement: string;
  readonly title?: string;
  readonly phrases?: readonly string[];
  readonly reason: ShallowCauseReason | null;
  readonly matched?: string | null;
}

const shallow = (statement: string, reason: ShallowCauseReason, matched: string | null, more: Partial<Case> = {}): Case => ({
  statement,
  reason,
  matched,
  ...more,
});
const sound = (statement: string, more: Partial<Case> = {}): Case => ({ statement, reason: null, matched: null, ...more });

const cases: readonly Case[] = [
  // --- empty ---
  shallow('', 'empty', null),
  shallow('   \t\n ', 'empty', null),
  shallow('—', 'empty', null),
  shallow('TBD', 'empty', null),
  shallow('Under investigation', 'empty', null),
  shallow('It was the staff.', 'empty', null),

  // --- the symptom and nothing else ---
  shallow('Human error.', 'symptom', 'human error'),
  shallow('HUMAN ERROR!!!', 'symptom', 'human error'),
  shallow('  human \t error \n', 'symptom', 'human error'),
  shallow('Ｈｕｍａｎ\u00a0ｅｒｒｏｒ', 'symptom', 'human error'),
  shallow('staff forgot', 'symptom', 'forgot'),
  shallow('Someone forgot.', 'symptom', 'forgot'),
  shallow('The administrator made a mistake', 'symptom', 'mistake'),
  shallow('Mistakes were made', 'symptom', 'mistake'),
  shallow('Oversight by the team', 'symptom', 'oversight'),
  shallow("The employee’s oversight", 'symptom', 'oversight'),
  shallow('Procedure not followed', 'symptom', 'procedure not followed'),
  shallow('The procedures were not followed', 'symptom', 'not followed'),
  shallow('Staff didn’t follow the procedure', 'symptom', 'did not follow the procedure'),
  shallow('Staff forgot to follow the procedure', 'symptom', 'forgot'),
  shallow('It was human error', 'symptom', 'human error'),
  shallow('The root cause was human error.', 'symptom', 'human error'),
  shallow('Due to human error', 'symptom', 'human error'),
  shallow('User error', 'symptom', 'user error'),
  shallow('Carelessness', 'symptom', 'carelessness'),
  shallow('Negligence on the part of the employee', 'symptom', 'negligence'),
  shallow('Lack of attention by the operator', 'symptom', 'lack of attention'),
  shallow('Complacency', 'symptom', 'complacency'),
  shallow('Miscommunication.', 'symptom', 'miscommunication'),
  shallow('Bad luck', 'symptom', 'bad luck'),
  shallow('Lack of training', 'symptom', 'lack of training'),
  shallow('Training issue', 'symptom', 'training issue'),

  // --- a symptom plus words of the finding is still the symptom ---
  shallow("Human error: leavers' accounts stayed active", 'symptom', 'human error', { title: LEAVERS }),
  shallow("An administrator forgot to disable the leavers' accounts", 'symptom', 'forgot', { title: LEAVERS }),
  shallow('Access reviews were forgotten', 'symptom', 'forgotten', { title: ACCESS_REVIEWS }),

  // --- restatements of the finding ---
  shallow("leavers' accounts stayed active", 'restates-finding', null, { title: LEAVERS }),
  shallow('Leavers kept active accounts.', 'restates-finding', null, { title: LEAVERS }),
  shallow('Accounts of leavers remained active', 'restates-finding', null, { title: LEAVERS }),
  // One new word among four of the title's is still a restatement (80%).
  shallow('Supplier security assessments were skipped before onboarding', 'restates-finding', null, { title: SUPPLIERS }),
  shallow('Security assessments were not completed for suppliers before onboarding', 'restates-finding', null, {
    title: SUPPLIERS,
  }),
  shallow('The quarterly access review was late', 'restates-finding', null, { title: ACCESS_REVIEWS }),
  // An empty phrase list switches off symptoms, not restatements.
  shallow('Leavers kept active accounts', 'restates-finding', null, { title: LEAVERS, phrases: NONE }),

  // --- custom phrases ---
  shallow('A system glitch', 'symptom', 'system glitch', { phrases: WITH_GLITCH }),
  shallow('Human Error', 'symptom', 'Human Error', { phrases: ['Human Error'] }),

  // --- real causes: not shallow ---
  sound('The leaver procedure has no IT confirmation step', { title: LEAVERS }),
  sound(
    'Process-ownership gap: the supplier security procedure was never part of procurement onboarding',
    { title: SUPPLIERS },
  ),
  sound('No named owner and no reminder for the quarterly access review', { title: ACCESS_REVIEWS }),
  // One new word among three of the title's is below 80%: it names the missing owner.
  sound('No owner for the quarterly access review', { title: ACCESS_REVIEWS }),
  // A symptom plus one place that is not in the title names where the gap is.
  sound('Human error in offboarding', { title: LEAVERS }),
  sound('The leaver procedure has no IT confirmation step'),
  sound('no control prevents human error in offboarding'),
  sound('no control prevents human error in offboarding', { title: LEAVERS }),
  sound('Human error: the offboarding checklist has no IT sign-off step', { title: LEAVERS }),
  sound('errors in the HR feed export job'),
  sound('Terror alert rule was misconfigured'),
  sound('Terror', { phrases: ONLY_ERROR }),
  sound('Lack of training on the offboarding checklist for HR administrators'),
  sound('HR does not notify IT of departures: the HR system has no leaver export', { title: LEAVERS }),
  sound('The access review is not scheduled in any system and has no owner', { title: ACCESS_REVIEWS }),
  sound('Procurement onboarding workflow has no security assessment gate', { title: SUPPLIERS }),
  sound('Leavers kept active accounts because HR sends no leaver notice to IT', { title: LEAVERS }),
  sound('The firewall change process has no peer review'),
  sound('The JML runbook does not cover contractors'),
  sound('The error budget alert is routed to a retired mailbox'),
  sound('  Ｎｏ   owner\u00a0for the quarterly\n access review  ', { title: ACCESS_REVIEWS }),
  sound('Naïve scheduling: reviews depend on a calendar invite owned by a leaver'),
  sound('A system glitch'),
  sound('Human error', { phrases: NONE }),
  sound('human error', { phrases: NONE, title: LEAVERS }),
];

describe('judgeRootCause', () => {
  it.each(cases)('$statement (title: $title) → $reason', ({ statement, title, phrases, reason, matched }) => {
    const expected: ShallowCauseVerdict = { shallow: reason !== null, reason, matched: matched ?? null };
    const options = title === undefined ? { phrases: phrases ?? DEFAULTS } : { phrases: phrases ?? DEFAULTS, findingTitle: title };
    expect(judgeRootCause(statement, options)).toEqual(expected);
  });

  it('covers both ways', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(cases.filter((c) => c.reason !== null).length).toBeGreaterThanOrEqual(15);
    expect(cases.filter((c) => c.reason === null).length).toBeGreaterThanOrEqual(15);
  });

  it('reports the longest configured phrase, as configured', () => {
    expect(judgeRootCause('Human error.', { phrases: ['error', 'human error'] }).matched).toBe('human error');
    expect(judgeRootCause('Procedure not followed', { phrases: ['not followed', 'Procedure NOT followed'] }).matched).toBe(
      'Procedure NOT followed',
    );
  });

  it('matches on word boundaries only', () => {
    expect(judgeRootCause('terror', { phrases: ONLY_ERROR }).shallow).toBe(false);
    expect(judgeRootCause('errorless', { phrases: ONLY_ERROR }).shallow).toBe(false);
    expect(judgeRootCause('Error.', { phrases: ONLY_ERROR })).toEqual({ shallow: true, reason: 'symptom', matched: 'error' });
  });

  it('ignores blank and punctuation-only phrases', () => {
    expect(judgeRootCause('Offboarding has no IT step', { phrases: ['', '  ', '--', 'the'] }).shallow).toBe(false);
  });

  it('recompiles a phrase array that was changed in place', () => {
    const phrases = ['human error'];
    expect(judgeRootCause('vendor delay', { phrases }).shallow).toBe(false);
    phrases.push('vendor delay');
    expect(judgeRootCause('vendor delay', { phrases })).toEqual({ shallow: true, reason: 'symptom', matched: 'vendor delay' });
  });

  it('gives the same answer on repeated calls (caches are transparent)', () => {
    const options = { phrases: DEFAULTS, findingTitle: LEAVERS };
    const first = judgeRootCause("leavers' accounts stayed active", options);
    judgeRootCause('x', { phrases: DEFAULTS, findingTitle: SUPPLIERS });
    expect(judgeRootCause("leavers' accounts stayed active", options)).toEqual(first);
  });

  it('ships at least 15 frozen default phrases', () => {
    expect(DEFAULT_SHALLOW_CAUSE_PHRASES.length).toBeGreaterThanOrEqual(15);
    expect(Object.isFrozen(DEFAULT_SHALLOW_CAUSE_PHRASES)).toBe(true);
    for (const phrase of ['human error', 'forgot', 'forgotten', 'mistake', 'oversight', 'not followed', 'carelessness']) {
      expect(DEFAULT_SHALLOW_CAUSE_PHRASES).toContain(phrase);
    }
  });
});
