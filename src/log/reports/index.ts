export type { DurationStats, RecurringGroup, ReportBreakdown, ReportCount } from './counters.js';
export { managementReview, type ManagementReview, type ManagementReviewOptions, type MonthTrend } from './management-review.js';
export type { CountBy, ReportFinding } from './report-finding.js';
export { riskFeedback, type RecurrenceGroup, type RiskFeedback, type RiskFeedbackOptions } from './risk-feedback.js';
export { renderReportHtml, renderReportMarkdown, type LogReport, type RenderHtmlOptions } from './render.js';
export type { LogInput, LogInputItem } from './source.js';
