import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { managementReview } from '../../log/reports/management-review.js';
import { renderReportHtml, renderReportMarkdown } from '../../log/reports/render.js';
import { riskFeedback } from '../../log/reports/risk-feedback.js';
import { asOfOption, dateOption, integerOption } from '../dates.js';
import { inputFile, withProgress } from '../input.js';
import { CliExit, type CliIo } from '../io.js';
import { EXIT } from '../exit-codes.js';
import { loadPolicy } from '../policy.js';
import { feedback, type FeedbackOptions } from '../progress.js';

/** What `capa report` was given. */
export interface ReportArgs extends FeedbackOptions {
  readonly file: string;
  readonly kind: 'management-review' | 'risk-feedback' | 'both';
  readonly from?: string;
  readonly to?: string;
  readonly asOf?: string;
  readonly withinDays: string;
  readonly moreThan: string;
  readonly policy?: string;
  readonly format: 'json' | 'markdown' | 'html';
  readonly out?: string;
}

/** `capa report`: the management-review input (Clause 9.3) and the risk feedback (Clause 6) from a log file. */
export async function reportCommand(io: CliIo, args: ReportArgs): Promise<number> {
  const input = inputFile(io, args.file);
  if (args.kind !== 'risk-feedback' && (args.from === undefined || args.to === undefined)) {
    throw new CliExit('--from and --to (the review period, YYYY-MM-DD) are required for the management review.', EXIT.unusable);
  }
  if (args.kind === 'both' && args.file === '-') throw new CliExit('Both reports read the log twice: pass a file, not standard input.', EXIT.unusable);
  const asOf = asOfOption(args.asOf, io.now());
  const policy = args.policy === undefined ? {} : { policy: loadPolicy(io, args.policy) };
  const reports = [];
  if (args.kind !== 'risk-feedback') {
    const from = dateOption('--from', args.from as string);
    const to = dateOption('--to', args.to as string);
    if (from > to) throw new CliExit(`--from ${from} is after --to ${to}.`, EXIT.unusable);
    reports.push(await managementReview(withProgress(feedback(io, args), input, 'reading'), { from, to, asOf, ...policy }));
  }
  if (args.kind !== 'management-review') {
    const withinDays = integerOption('--within-days', args.withinDays, 1, 36_600);
    const moreThan = integerOption('--more-than', args.moreThan, 0, 1_000_000);
    reports.push(await riskFeedback(withProgress(feedback(io, args), input, 'reading'), { asOf, withinDays, moreThan, ...policy }));
  }
  const text =
    args.format === 'json'
      ? `${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`
      : args.format === 'markdown'
        ? renderReportMarkdown(reports)
        : renderReportHtml(reports);
  if (args.out === undefined || args.out === '-') io.stdout.write(text);
  else {
    writeFileSync(resolve(io.cwd, args.out), text);
    feedback(io, args).note(`Wrote ${args.out}`);
  }
  return EXIT.ok;
}
