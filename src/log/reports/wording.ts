import type { ManagementReview } from './management-review.js';
import type { RiskFeedback } from './risk-feedback.js';
import { dateOf, humanDate, humanInstant } from './time.js';

// The sentences both renderings (Markdown and HTML) print, written once: dates as people
// read them, in the policy's time zone, and counts with the right noun.

/** `1 finding`, `2 findings`. */
export const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

/** The policy as the header names it: its name, then id and version (no nested parentheses). */
export const policyText = (policy: ManagementReview['policy']): string => `${policy.name}, ${policy.id} version ${policy.version}`;

/** The calendar day a report is measured at, in the policy's zone: `30 June 2026`. */
export const asOfDay = (report: ManagementReview | RiskFeedback): string => humanDate(dateOf(Date.parse(report.asOf), report.policy.timeZone));

/** The parts of a management review's header line, after the organisation. */
export function reviewMeta(report: ManagementReview): string[] {
  return [
    `Period ${humanDate(report.period.from)} to ${humanDate(report.period.to)}`,
    `as of ${humanInstant(report.asOf, report.policy.timeZone)}`,
    `policy ${policyText(report.policy)}`,
  ];
}

/** The parts of a risk feedback's header line, after the organisation. */
export function riskMeta(report: RiskFeedback): string[] {
  return [
    `${plural(report.findingsInWindow, 'finding')} ${report.countBy === 'raisedAt' ? 'raised' : 'detected'} in the ${plural(report.withinDays, 'day')} to ${humanInstant(report.asOf, report.policy.timeZone)}`,
    `threshold: more than ${report.moreThan}`,
    `policy ${policyText(report.policy)}`,
  ];
}

/** The effectiveness and rejection sentence under the key figures. */
export const effectivenessSentence = (report: ManagementReview): string =>
  `Effectiveness: ${report.effectiveness.effectiveFirst} of ${plural(report.effectiveness.firstReviews, 'first review')} found the actions effective; ${plural(report.effectiveness.notEffectiveReviews, 'review')} in the period found them not effective. Rejected in the period: ${report.rejected}.`;
