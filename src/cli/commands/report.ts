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
  if (args.kind === 'both' && args.file === '-') throw new CliExit('Both reports read the log twice: pass a file, not standard input.', EXIT.unusable);
  // The library's defaults, with the CLI's clock: the twelve months up to today, measured
  // at the end of the period or now when it has not ended (docs/cli.md, docs/reports.md).
  const asOf = args.asOf === undefined ? undefined : asOfOption(args.asOf, io.now());
  const policy = args.policy === undefined ? {} : { policy: loadPolicy(io, args.policy) };
  const reports = [];
  let reviewAsOf: string | undefined;
  if (args.kind !== 'risk-feedback') {
    const from = args.from === undefined ? undefined : dateOption('--from', args.from);
    const to = args.to === undefined ? undefined : dateOption('--to', args.to);
    if (from !== undefined && to !== undefined && from > to) throw new CliExit(`--from ${from} is after --to ${to}.`, EXIT.unusable);
    const period = { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }), ...(asOf === undefined ? {} : { asOf }) };
    const review = await managementReview(withProgress(feedback(io, args), input, 'reading'), { ...period, clock: () => io.now(), ...policy });
    reviewAsOf = review.asOf;
    reports.push(review);
  }
  if (args.kind !== 'management-review') {
    const withinDays = integerOption('--within-days', args.withinDays, 1, 36_600);
    const moreThan = integerOption('--more-than', args.moreThan, 0, 1_000_000);
    // Both reports are measured at the same instant.
    reports.push(await riskFeedback(withProgress(feedback(io, args), input, 'reading'), { asOf: reviewAsOf ?? asOf ?? io.now().toISOString(), withinDays, moreThan, ...policy }));
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
