export { defineSeverityPolicy } from './define.js';
export { computeDueDate, calendarDateIn, type DeadlineBase } from './due-date.js';
export { findGrade } from './grade.js';
export { DEFAULT_SHALLOW_CAUSE_PHRASES } from './shallow-cause-phrases.js';
export { iso27001 } from './presets/iso27001.js';
export { soc2 } from './presets/soc2.js';
export {
  createReferenceGenerator,
  defaultReference,
  defaultActionReference,
  type ReferenceGenerator,
  type ReferenceGenerators,
  type ReferenceInput,
} from './reference.js';
