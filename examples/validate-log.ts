// `npx tsx examples/validate-log.ts LOG.jsonl [--as-of DATE] [--trusted-head SEQUENCE:HASH] [--strict]`
//
// A CI gate for an exported Nonconformity and Corrective Action Log (see docs/log.md):
// validates the file with validateLog() (schema, hash chains, log head, signatures,
// lifecycle replay, and the rules auditors check), prints one line per issue as
// `FILE:LINE: severity CODE [REFERENCE] message`, and exits with the verdict:
//
//   0  no errors (warnings pass unless --strict)
//   1  errors (or warnings, with --strict)
//   2  the file cannot be read, or the command line is wrong
//
// On GitHub Actions each issue is also an annotation on the file. The `capa validate`
// command does the same with more options; this is the library call, for a script of your own.
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type LogHead, type LogIssue, validateLog } from 'capa-kit/log';

const USAGE = 'usage: validate-log.ts LOG.jsonl [--as-of DATE] [--trusted-head SEQUENCE:HASH] [--strict]';

/** `1204:9f86…`, as `register.logHead()` and every export print it. */
function parseHead(text: string): LogHead {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text);
  if (match === null) throw new TypeError(`--trusted-head must be SEQUENCE:HASH, not ${text}`);
  return { tenantSequence: Number(match[1]), hash: match[2]! };
}

function line(file: string, issue: LogIssue): string {
  const where = issue.line === null ? file : `${file}:${issue.line}`;
  return `${where}: ${issue.severity} ${issue.code}${issue.reference === null ? '' : ` [${issue.reference}]`} ${issue.message}`;
}

/** A GitHub Actions workflow command: the issue shows on the file in the pull request. */
function annotation(file: string, issue: LogIssue): string {
  const escape = (text: string) => text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
  const kind = issue.severity === 'error' ? 'error' : 'warning';
  return `::${kind} file=${escape(file)}${issue.line === null ? '' : `,line=${issue.line}`},title=${issue.code}::${escape(issue.message)}`;
}

async function main(argv: readonly string[]): Promise<number> {
  let file: string;
  let options: { asOf: Date; trustedHead?: LogHead; strict: boolean };
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { 'as-of': { type: 'string' }, 'trusted-head': { type: 'string' }, strict: { type: 'boolean', default: false } },
    });
    if (positionals.length !== 1) throw new TypeError('name one log file');
    file = positionals[0]!;
    // A date alone is the end of that day in UTC: "as of 2026-11-22" includes the 22nd.
    const asOf = values['as-of'] === undefined ? new Date() : new Date(/^\d{4}-\d{2}-\d{2}$/.test(values['as-of']) ? `${values['as-of']}T23:59:59.999Z` : values['as-of']);
    if (Number.isNaN(asOf.getTime())) throw new TypeError(`--as-of must be a date or an instant, not ${values['as-of']}`);
    options = { asOf, strict: values.strict === true, ...(values['trusted-head'] === undefined ? {} : { trustedHead: parseHead(values['trusted-head']) }) };
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }

  try {
    await access(file);
  } catch {
    console.error(`${file}: cannot be read`);
    return 2;
  }

  // Streamed: memory stays flat whatever the size of the log. It never throws on content.
  const report = await validateLog(createReadStream(file), { asOf: options.asOf, ...(options.trustedHead === undefined ? {} : { trustedHead: options.trustedHead }) });
  const github = process.env.GITHUB_ACTIONS === 'true';
  for (const issue of report.issues) {
    console.log(line(file, issue));
    if (github) console.log(annotation(file, issue));
  }
  const { summary } = report;
  if (summary.omittedIssues > 0) console.log(`… and ${summary.omittedIssues} more issues (see summary.byCode)`);
  const failed = !report.ok || (options.strict && summary.warnings > 0);
  console.log(
    `${file}: ${failed ? 'FAILED' : 'ok'}: ${summary.findings} findings, ${summary.actions} actions, ${summary.entries} history entries; ` +
      `${summary.errors} errors, ${summary.warnings} warnings` +
      (report.head === null ? '' : `; log head ${report.head.tenantSequence}:${report.head.hash}`),
  );
  return failed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
