export {
  managementReview,
  type CountBy,
  type DurationStats,
  type ManagementReview,
  type ManagementReviewOptions,
  type MonthTrend,
  type RecurringGroup,
  type ReportBreakdown,
  type ReportCount,
  type ReportFinding,
} from './management-review.js';
export { riskFeedback, type RecurrenceGroup, type RiskFeedback, type RiskFeedbackOptions } from './risk-feedback.js';
export { renderReportHtml, renderReportMarkdown, type LogReport, type RenderHtmlOptions } from './render.js';
export type { LogInput, LogInputItem } from './source.js';
