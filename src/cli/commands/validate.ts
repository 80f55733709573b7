import type { LogIssue } from '../../log/format/issues.js';
import type { LogValidationReport } from '../../log/validate/checker.js';
import { validateLog } from '../../log/validate/validate-log.js';
import type { LogHead } from '../../register/verify.js';
import type { SeverityPolicy } from '../../schemas/severity-policy.js';
import { asOfOption } from '../dates.js';
import { inputFile, withProgress } from '../input.js';
import { CliExit, type CliIo } from '../io.js';
import { EXIT } from '../exit-codes.js';
import { loadPolicy } from '../policy.js';
import { feedback, type FeedbackOptions } from '../progress.js';

/** What `capa validate` was given. */
export interface ValidateArgs extends FeedbackOptions {
  readonly file: string;
  readonly asOf?: string;
  readonly policy?: string;
  readonly trustedHead?: string;
  readonly format: 'text' | 'json';
  readonly strict: boolean;
}

/**
 * `--trusted-head`: `SEQUENCE:HASH` (a head saved from `register.logHead()` or a previous
 * export's trailer), or a bare `HASH`, which must then be the log's own head at its end.
 */
export function parseTrustedHead(value: string): LogHead | string {
  const match = /^(?:(\d+):)?([0-9a-f]{64})$/.exec(value.trim().toLowerCase());
  if (match === null) throw new CliExit(`--trusted-head ${value}: expected SEQUENCE:HASH (e.g. 1204:9f86d0…) or a 64-digit hex SHA-256.`, EXIT.unusable);
  return match[1] === undefined ? (match[2] as string) : { tenantSequence: Number(match[1]), hash: match[2] as string };
}

const where = (issue: LogIssue) => issue.reference ?? issue.recordId ?? (issue.line === null ? 'log' : `line ${issue.line}`);
const pathOf = (issue: LogIssue) => (issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`);

/** The report as an auditor reads it: what was checked, then errors and warnings by finding, then the verdict. */
export function formatValidation(file: string, report: LogValidationReport, asOf: string, policy: SeverityPolicy | null, strict: boolean): string {
  const lines: string[] = [];
  const { header, summary } = report;
  lines.push(`capa validate ${file}`);
  if (header !== null) {
    const organisation = header.tenant.organisation === null ? '' : ` (${header.tenant.organisation})`;
    lines.push(`  Tenant ${header.tenant.id}${organisation}; exported ${header.generatedAt} by ${header.generator.name} ${header.generator.version}`);
  }
  const used = policy ?? header?.policy ?? null;
  if (used !== null) lines.push(`  Policy ${used.id} ${used.version}${policy === null ? ' (from the log)' : ' (given)'}; as of ${asOf}`);
  lines.push(`  ${summary.findings} findings, ${summary.actions} corrective actions, ${summary.entries} history entries in ${summary.lines} lines`);
  if (report.head !== null) lines.push(`  Log head ${report.head.tenantSequence}:${report.head.hash}`);
  for (const severity of ['error', 'warning'] as const) {
    const issues = report.issues.filter((issue) => issue.severity === severity);
    if (issues.length === 0) continue;
    lines.push('', `${severity === 'error' ? 'Errors' : 'Warnings'} (${severity === 'error' ? summary.errors : summary.warnings})`);
    for (const issue of issues) lines.push(`  ${where(issue)}: ${issue.code}${pathOf(issue)}`, `      ${issue.message}`);
  }
  if (summary.omittedIssues > 0) lines.push('', `(${summary.omittedIssues} more issues not listed; counts above include them)`);
  const failed = summary.errors > 0 || (strict && summary.warnings > 0);
  const counts = `${summary.errors} error${summary.errors === 1 ? '' : 's'}, ${summary.warnings} warning${summary.warnings === 1 ? '' : 's'}`;
  lines.push('', failed ? `FAILED: ${counts}${summary.errors === 0 ? ' (--strict counts warnings)' : ''}.` : `PASSED: ${counts}.`);
  return `${lines.join('\n')}\n`;
}

/** `capa validate`: 0 when the log passes, 1 when it has errors (or warnings, with --strict), 2 when it cannot be read (exit-codes.ts). */
export async function validateCommand(io: CliIo, args: ValidateArgs): Promise<number> {
  const input = inputFile(io, args.file);
  const asOf = asOfOption(args.asOf, io.now());
  const policy = args.policy === undefined ? null : loadPolicy(io, args.policy);
  const trusted = args.trustedHead === undefined ? undefined : parseTrustedHead(args.trustedHead);
  const report = await validateLog(withProgress(feedback(io, args), input, 'validating'), {
    asOf,
    ...(policy === null ? {} : { policy }),
    ...(typeof trusted === 'object' ? { trustedHead: trusted } : {}),
  });
  const issues = [...report.issues];
  if (typeof trusted === 'string' && report.head !== null && report.head.hash !== trusted) {
    issues.push({
      code: 'trusted-head-mismatch',
      severity: 'error',
      line: null,
      recordId: null,
      reference: null,
      path: [],
      message: `The log's head at its end is ${report.head.hash}, not the trusted ${trusted}: give SEQUENCE:HASH to check a head saved earlier.`,
    });
  }
  const errors = issues.filter((issue) => issue.severity === 'error').length;
  const final: LogValidationReport = { ...report, ok: errors === 0, issues, summary: { ...report.summary, errors } };
  if (args.format === 'json') io.stdout.write(`${JSON.stringify({ file: args.file, asOf, ...final }, null, 2)}\n`);
  else io.stdout.write(formatValidation(args.file, final, asOf, policy, args.strict));
  if (report.issues.some((issue) => issue.code === 'source-unreadable')) return EXIT.unusable;
  return errors > 0 || (args.strict && final.summary.warnings > 0) ? EXIT.failed : EXIT.ok;
}
