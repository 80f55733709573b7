/**
 * The default symptom phrases: words that describe what went wrong with a person,
 * not which process, training, ownership or system gap allowed it.
 *
 * "lack of training" and "lack of awareness" are listed on purpose: on their own they
 * are labels, but with a subject ("lack of training on the offboarding checklist") the
 * remaining words name the gap, and the statement is not shallow.
 *
 * @example
 * ```ts
 * import { DEFAULT_SHALLOW_CAUSE_PHRASES, judgeRootCause } from 'capa-kit';
 *
 * judgeRootCause('Staff forgot', { phrases: DEFAULT_SHALLOW_CAUSE_PHRASES }).matched; // 'forgot'
 * ```
 */
export const DEFAULT_SHALLOW_CAUSE_PHRASES: readonly string[] = Object.freeze([
  'human error',
  'human factor',
  'human failure',
  'user error',
  'operator error',
  'error',
  'mistake',
  'oversight',
  'overlooked',
  'forgot',
  'forgotten',
  'forgetfulness',
  'not followed',
  'procedure not followed',
  'did not follow the procedure',
  'did not follow',
  'failed to follow',
  'carelessness',
  'careless',
  'negligence',
  'lack of attention',
  'inattention',
  'lapse in concentration',
  'lack of care',
  'complacency',
  'miscommunication',
  'communication issue',
  'lack of training',
  'training issue',
  'lack of awareness',
  'bad luck',
  'accident',
  'fell through the cracks',
  'slipped through the cracks',
]);
