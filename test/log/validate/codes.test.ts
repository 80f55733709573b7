// Every issue code, triggered from a real exported log changed as little as possible. The
// table is a Record over LogIssueCode, so a new code does not compile without its case.
import { describe, expect, it } from 'vitest';
import { iso27001 } from 'capa-kit';
import { memoryStore } from 'capa-kit/register';
import {
  importLog,
  LOG_ISSUE_CODES,
  LogImportError,
  type LogIssue,
  type LogIssueCode,
  type LogValidationReport,
  validateLog,
} from '../../../src/log/index.js';
import { duplicateReferenceLog, exportText, type Line, lineIndexOf, linesOf, mutate, reseal, richHistory, TENANT, textOf } from '../fixtures.js';

const base = (async () => {
  const story = await richHistory();
  const text = await exportText(story.h.store);
  const head = await story.register.logHead();
  const references = new Map<string, string>();
  for (const line of linesOf(text)) if (line.type === 'finding') references.set(line.finding.id, line.finding.reference);
  return { ...story, text, head, references, now: story.h.now() };
})();

const validate = async (source: Parameters<typeof validateLog>[0], options: Partial<Parameters<typeof validateLog>[1]> = {}) =>
  validateLog(source, { asOf: (await base).now, ...options });

/** What the issue must say: where it is. */
interface Where {
  readonly line?: number | null;
  readonly recordId?: string | null;
  readonly reference?: string | null;
  readonly path?: readonly (string | number)[];
}

type Case = () => Promise<{ report: LogValidationReport; where?: Where }>;

const lastLine = (text: string) => text.trimEnd().split('\n').length;
const withLines = (text: string, change: (lines: Line[]) => void) => {
  const lines = linesOf(text);
  change(lines);
  return textOf(lines);
};
const nest = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};
async function importRefusal(run: () => Promise<unknown>): Promise<LogValidationReport> {
  try {
    await run();
  } catch (error) {
    if (error instanceof LogImportError) return error.report;
    throw error;
  }
  throw new Error('The import was not refused');
}

/**
 * The log with the entry of `type` in record `id`'s history changed by `change` (which may
 * change the record too), the chain resealed from it on: only the change is wrong. Returns
 * the log and the entry's index.
 */
function editEntry(text: string, id: string, type: string, change: (entry: Line, line: Line) => void): { text: string; index: number } {
  let index = -1;
  const changed = mutate(text, id, (line) => {
    index = line.history.findIndex((item: Line) => item.entry.type === type);
    change(line.history[index].entry, line);
    reseal(line.history, index);
  });
  return { text: changed, index };
}

const CASES: Record<LogIssueCode, Case> = {
  'source-unreadable': async () => {
    const failing = (async function* () {
      yield (await base).text.slice(0, 100);
      throw new Error('disk gone');
    })();
    return { report: await validate(failing), where: { line: 1 } };
  },
  'invalid-utf8': async () => {
    const bytes = new TextEncoder().encode((await base).text);
    const broken = bytes.slice();
    broken[bytes.indexOf(10) + 20] = 0xff; // inside line 2
    return { report: await validate(broken), where: { line: 2 } };
  },
  'line-too-long': async () => {
    const { text } = await base;
    const header = new TextEncoder().encode(text.split('\n')[0]!).length;
    // Bytes and text alike: the header fits, the first record line does not.
    const bytes = await validate(new TextEncoder().encode(text), { maxLineLength: header });
    expect(bytes.issues.find((issue) => issue.code === 'line-too-long')?.line).toBe(2);
    return { report: await validate(text, { maxLineLength: header }), where: { line: 2 } };
  },
  'line-not-json': async () => {
    const { text } = await base;
    const lines = text.split('\n');
    lines[2] = lines[2]!.slice(0, -1);
    return { report: await validate(lines.join('\n')), where: { line: 3 } };
  },
  'blank-line': async () => {
    const { text } = await base;
    const lines = text.split('\n');
    lines.splice(2, 0, '   ');
    return { report: await validate(lines.join('\n')), where: { line: 3 } };
  },
  'line-format': async () => {
    const { text } = await base;
    // What a Windows editor makes of a log: a BOM, CR LF line ends, no newline at the end.
    const report = await validate(`\uFEFF${text.trimEnd().replace(/\n/g, '\r\n')}`);
    expect(report.issues.map((issue) => [issue.code, issue.line])).toEqual([
      ['line-format', 1],
      ['line-format', lastLine(text)],
      ['line-format', 1],
    ]);
    expect(report.issues.map((issue) => issue.message)).toMatchInlineSnapshot(`
      [
        "The log starts with a byte-order mark (U+FEFF); the format is UTF-8 without one. It was skipped.",
        "Line 17, the last, does not end with "\\n": every line of a log does (a file cut short looks like this too).",
        "16 lines end in CR LF ("\\r\\n"), from line 1; a log's lines end in "\\n" alone. The CRs were skipped.",
      ]
    `);
    return { report, where: { line: 1 } };
  },
  'line-too-deep': async () => {
    const { text, ids } = await base;
    const changed = mutate(text, ids.monitored, (line) => {
      line.history[1].entry.payload = { text: nest(100) };
    });
    return { report: await validate(changed), where: { recordId: ids.monitored, path: ['history', 1, 'entry', 'payload', 'text', ...Array<number>(63).fill(0)] } };
  },
  'forbidden-key': async () => {
    const { text, ids } = await base;
    const line = JSON.stringify(linesOf(text)[lineIndexOf(linesOf(text), ids.monitored)]);
    const evil = line.replace('{"text":"Look again at the next audit."}', '{"text":"Look again at the next audit.","__proto__":{"polluted":true}}');
    expect(evil).not.toBe(line);
    const lines = text.split('\n');
    lines[lineIndexOf(linesOf(text), ids.monitored)] = evil;
    return { report: await validate(lines.join('\n')), where: { recordId: ids.monitored, path: ['history', 1, 'entry', 'payload', '__proto__'] } };
  },
  schema: async () => {
    const { text, ids, references } = await base;
    const changed = mutate(text, ids.closed, (line) => {
      line.finding.grade = 'Minor!';
    });
    return { report: await validate(changed), where: { recordId: ids.closed, reference: references.get(ids.closed)!, path: ['finding', 'grade'] } };
  },
  'header-missing': async () => ({ report: await validate((await base).text.split('\n').slice(1).join('\n')), where: { line: 1 } }),
  'format-unsupported': async () => {
    const changed = withLines((await base).text, (lines) => {
      lines[0]!.format = 2;
    });
    return { report: await validate(changed), where: { line: 1, path: ['format'] } };
  },
  'line-order': async () => {
    const { text } = await base;
    const header = text.split('\n')[0]!;
    return { report: await validate(`${text}${header}\n`), where: { line: lastLine(text) + 1 } };
  },
  truncated: async () => {
    const { text } = await base;
    const lines = text.trimEnd().split('\n');
    return { report: await validate(`${lines.slice(0, -1).join('\n')}\n`), where: { line: null } };
  },
  'record-order': async () => {
    const changed = withLines((await base).text, (lines) => {
      [lines[2], lines[3]] = [lines[3]!, lines[2]!];
    });
    return { report: await validate(changed), where: { line: 4 } };
  },
  'duplicate-record': async () => {
    const changed = withLines((await base).text, (lines) => {
      lines.splice(3, 0, structuredClone(lines[2]!));
    });
    return { report: await validate(changed), where: { line: 4 } };
  },
  'duplicate-reference': async () => {
    const { text, findings } = await duplicateReferenceLog();
    return { report: await validate(text), where: { recordId: findings[1], reference: 'NC-2026-0006', path: ['finding', 'reference'] } };
  },
  'wrong-tenant': async () => {
    const { text, ids, references } = await base;
    const changed = mutate(text, ids.closed, (line) => {
      line.finding.tenantId = 'globex';
    });
    return { report: await validate(changed), where: { reference: references.get(ids.closed)!, path: ['finding', 'tenantId'] } };
  },
  'trailer-counts': async () => {
    const changed = withLines((await base).text, (lines) => {
      lines.at(-1)!.findings += 1;
    });
    return { report: await validate(changed), where: { line: lastLine((await base).text) } };
  },
  'history-empty': async () => {
    const { text, ids } = await base;
    return { report: await validate(mutate(text, ids.replacementAction, (line) => void (line.history = []))), where: { recordId: ids.replacementAction, path: ['history'] } };
  },
  'wrong-kind': async () => {
    const { text, ids } = await base;
    const changed = mutate(text, ids.sharedAction, (line) => {
      line.history[0].entry.recordKind = 'finding';
      reseal(line.history);
    });
    return { report: await validate(changed), where: { recordId: ids.sharedAction, path: ['history', 0, 'entry', 'recordKind'] } };
  },
  'sequence-gap': async () => {
    const { text, ids, references } = await base;
    const changed = mutate(text, ids.closed, (line) => {
      [line.history[2], line.history[3]] = [line.history[3], line.history[2]];
    });
    return { report: await validate(changed), where: { reference: references.get(ids.closed)!, path: ['history', 2, 'entry'] } };
  },
  'chain-broken': async () => {
    const { text, ids, references } = await base;
    const changed = mutate(text, ids.closed, (line) => {
      line.history.splice(2, 1); // an entry cut out: sequences renumbered, the link left broken
      for (let i = 2; i < line.history.length; i++) line.history[i].entry.sequence = i + 1;
    });
    return { report: await validate(changed), where: { reference: references.get(ids.closed)!, path: ['history', 2, 'entry'] } };
  },
  'hash-mismatch': async () => {
    const { text, ids, references } = await base;
    const changed = mutate(text, ids.closed, (line) => {
      line.history[2].entry.payload.rootCause.statement = 'Human error.';
    });
    return { report: await validate(changed), where: { reference: references.get(ids.closed)!, path: ['history', 2, 'entry'] } };
  },
  'wrong-record': async () => {
    const { text, ids, references } = await base;
    const changed = mutate(text, ids.closed, (line) => {
      line.history[1].entry.recordId = ids.shared;
    });
    return { report: await validate(changed), where: { reference: references.get(ids.closed)!, path: ['history', 1, 'entry'] } };
  },
  'signature-binding': async () => {
    const { text, ids, references } = await base;
    const changed = mutate(text, ids.closed, (line) => {
      const signed = line.history.findIndex((item: Line) => item.entry.signature !== null);
      line.history[signed].entry.signature.boundTo.version = 1;
      reseal(line.history, signed, { rebind: false });
    });
    const signed = linesOf(text)[lineIndexOf(linesOf(text), ids.closed)]!.history.findIndex((item: Line) => item.entry.signature !== null);
    return { report: await validate(changed), where: { reference: references.get(ids.closed)!, path: ['history', signed, 'entry', 'signature', 'boundTo'] } };
  },
  'tenant-sequence': async () => {
    const { text, ids, references } = await base;
    const changed = mutate(text, ids.closed, (line) => {
      line.history[1].tenantSequence = line.history[0].tenantSequence;
    });
    return { report: await validate(changed), where: { reference: references.get(ids.closed)!, path: ['history', 1, 'tenantSequence'] } };
  },
  'tenant-sequence-gap': async () => {
    const { text, ids } = await base;
    const changed = withLines(text, (lines) => {
      lines.splice(lineIndexOf(lines, ids.rejected), 1);
    });
    return { report: await validate(changed), where: { line: null } };
  },
  'head-mismatch': async () => {
    const changed = withLines((await base).text, (lines) => {
      lines.at(-1)!.head.hash = '0'.repeat(64);
    });
    return { report: await validate(changed), where: { path: ['head', 'hash'] } };
  },
  'trusted-head-mismatch': async () => {
    const { text, head } = await base;
    return { report: await validate(text, { trustedHead: { tenantSequence: 5, hash: head.hash } }), where: { line: null } };
  },
  'replay-refused': async () => {
    const { text, ids, references } = await base;
    const changed = mutate(text, ids.closed, (line) => {
      line.history.splice(1, 1); // the correction, cut out and the chain resealed
      reseal(line.history);
    });
    return { report: await validate(changed), where: { reference: references.get(ids.closed)!, path: ['history', 1, 'entry'] } };
  },
  'replay-status': async () => {
    const { text, ids, references } = await base;
    const changed = mutate(text, ids.shared, (line) => {
      line.finding.status = 'verifying';
    });
    return { report: await validate(changed), where: { reference: references.get(ids.shared)!, path: ['finding', 'status'] } };
  },
  'record-mismatch': async () => {
    const { text, ids, references } = await base;
    const changed = mutate(text, ids.shared, (line) => {
      line.finding.title = 'Nothing to see here';
    });
    return { report: await validate(changed), where: { reference: references.get(ids.shared)!, path: ['finding', 'title'] } };
  },
  'future-instant': async () => {
    const { text, ids, references } = await base;
    const { text: changed, index } = editEntry(text, ids.closed, 'RECORD_ROOT_CAUSE', (entry, line) => {
      const later = new Date(Date.parse(entry.at) + 6 * 60_000).toISOString();
      entry.payload.rootCause.analysedAt = later;
      line.finding.rootCause.analysedAt = later;
    });
    return { report: await validate(changed), where: { reference: references.get(ids.closed)!, path: ['history', index, 'entry', 'payload', 'rootCause', 'analysedAt'] } };
  },
  'segregation-of-duties': async () => {
    const { text, ids, references } = await base;
    // The raiser rejects their own finding.
    const { text: changed, index } = editEntry(text, ids.rejected, 'REJECT', (entry, line) => {
      entry.actor = line.history[0].entry.actor;
      line.finding.rejection.rejectedBy = { id: entry.actor.id, name: entry.actor.name };
    });
    return { report: await validate(changed), where: { reference: references.get(ids.rejected)!, path: ['history', index, 'entry', 'actor'] } };
  },
  'signature-missing': async () => {
    const { text, ids, references } = await base;
    const { text: changed, index } = editEntry(text, ids.closed, 'APPROVE_PLAN', (entry) => void (entry.signature = null));
    return { report: await validate(changed), where: { reference: references.get(ids.closed)!, path: ['history', index, 'entry', 'signature'] } };
  },
  'signature-meaning': async () => {
    const { text, ids, references } = await base;
    const { text: changed, index } = editEntry(text, ids.closed, 'CLOSE', (entry) => void (entry.signature.meaning = 'approved'));
    return { report: await validate(changed), where: { reference: references.get(ids.closed)!, path: ['history', index, 'entry', 'signature', 'meaning'] } };
  },
  'signer-mismatch': async () => {
    const { text, ids, references } = await base;
    // The effective review names Jonas as its reviewer; the auditor who recorded it signed it.
    const jonas = { id: 'u-jonas', name: 'Jonas Berg' };
    const { text: changed, index } = editEntry(text, ids.closed, 'RECORD_REVIEW', (entry, line) => {
      entry.payload.review.reviewer = jonas;
      line.finding.effectivenessReviews[0].reviewer = jonas;
    });
    return { report: await validate(changed), where: { reference: references.get(ids.closed)!, path: ['history', index, 'entry', 'payload', 'review', 'reviewer'] } };
  },
  'dangling-link': async () => {
    const { text, ids, references } = await base;
    const changed = withLines(text, (lines) => {
      lines.splice(lineIndexOf(lines, ids.replacementAction), 1);
    });
    return { report: await validate(changed), where: { reference: references.get(ids.sharing)!, path: ['finding', 'correctiveActionIds'] } };
  },
  'closed-without-evidence': async () => {
    const { text, ids, references } = await base;
    const changed = mutate(text, ids.closed, (line) => {
      line.finding.closure.evidence = [];
    });
    return { report: await validate(changed), where: { reference: references.get(ids.closed)!, path: ['finding', 'closure', 'evidence'] } };
  },
  'closed-without-effective-review': async () => {
    const { text, ids, references } = await base;
    const changed = mutate(text, ids.closed, (line) => {
      line.finding.effectivenessReviews = [];
    });
    return { report: await validate(changed), where: { reference: references.get(ids.closed)!, path: ['finding', 'effectivenessReviews'] } };
  },
  'action-without-root-cause': async () => {
    const { text, ids, references } = await base;
    const changed = mutate(text, ids.shared, (line) => {
      line.finding.rootCause = null;
    });
    return { report: await validate(changed), where: { reference: references.get(ids.shared)!, path: ['finding', 'rootCause'] } };
  },
  'shallow-root-cause': async () => {
    const { text, ids, references } = await base;
    const changed = mutate(text, ids.shared, (line) => {
      line.finding.rootCause.statement = 'Human error.';
    });
    return { report: await validate(changed), where: { reference: references.get(ids.shared)!, path: ['finding', 'rootCause', 'statement'] } };
  },
  'correction-is-action': async () => {
    const { text, ids, references } = await base;
    const changed = mutate(text, ids.shared, (line) => {
      line.finding.correction.description = 'ADD an IT confirmation-step!';
    });
    return { report: await validate(changed), where: { reference: references.get(ids.shared)!, path: ['finding', 'correction', 'description'] } };
  },
  stale: async () => {
    const { text, ids, references } = await base;
    return { report: await validate(text, { asOf: '2026-06-01T00:00:00Z' }), where: { reference: references.get(ids.monitored)!, path: ['finding', 'updatedAt'] } };
  },
  overdue: async () => {
    const { text, ids, references } = await base;
    return { report: await validate(text, { asOf: '2026-06-10T00:00:00Z' }), where: { reference: references.get(ids.shared)!, path: ['finding', 'dueDate'] } };
  },
  'action-overdue': async () => {
    const { text, ids } = await base;
    return { report: await validate(text, { asOf: '2026-05-02T00:00:00Z' }), where: { recordId: ids.sharedAction, path: ['action', 'dueDate'] } };
  },
  'action-without-owner': async () => {
    const { text, ids } = await base;
    return { report: await validate(mutate(text, ids.sharedAction, (line) => void (line.action.owner = null))), where: { recordId: ids.sharedAction, path: ['action', 'owner'] } };
  },
  'action-without-due-date': async () => {
    const { text, ids } = await base;
    return { report: await validate(mutate(text, ids.sharedAction, (line) => void (line.action.dueDate = null))), where: { recordId: ids.sharedAction, path: ['action', 'dueDate'] } };
  },
  'empty-log': async () => ({ report: await validate(await exportText(memoryStore())), where: { line: null } }),
  'import-tenant-mismatch': async () => ({ report: await importRefusal(async () => importLog((await base).text, memoryStore(), { tenant: 'globex' })) }),
  'import-tenant-not-empty': async () => {
    const { h, text } = await base;
    return { report: await importRefusal(() => importLog(text, h.store)) };
  },
  'import-source-changed': async () => {
    const { text, ids } = await base;
    const changed = mutate(text, ids.shared, (line) => void (line.finding.status = 'verifying'));
    let reads = 0;
    return { report: await importRefusal(() => importLog(() => (++reads === 1 ? text : changed), memoryStore())) };
  },
};

describe('every issue code, from a real log changed minimally', () => {
  it('the log these cases start from has no issue', async () => {
    const { text } = await base;
    expect((await validate(text)).issues).toEqual([]);
  });

  for (const code of Object.keys(LOG_ISSUE_CODES) as LogIssueCode[]) {
    it(`${code} (${LOG_ISSUE_CODES[code].severity})`, async () => {
      const { report, where } = await CASES[code]();
      const found = report.issues.filter((issue) => issue.code === code);
      expect(found.length, `no ${code} in ${JSON.stringify(report.issues.map((issue) => issue.code))}`).toBeGreaterThan(0);
      // The issue about the record the case names, else the first.
      const issue = found.find((candidate) => (where?.reference ?? where?.recordId) === undefined || candidate.reference === where?.reference || candidate.recordId === where?.recordId) ?? found[0]!;
      expect(issue.severity).toBe(LOG_ISSUE_CODES[code].severity);
      expect(report.ok).toBe(report.summary.errors === 0);
      if (LOG_ISSUE_CODES[code].severity === 'error') expect(report.ok).toBe(false);
      if (where !== undefined) expect(issue).toMatchObject(where as Partial<LogIssue>);
      expect(issue.message.length).toBeGreaterThan(10);
      expect(report.summary.byCode[code]).toBe(found.length + (report.summary.omittedIssues > 0 ? report.summary.byCode[code]! - found.length : 0));
    });
  }

  it('the summary counts every issue, and maxIssues keeps the list short', async () => {
    const { text } = await base;
    const broken = text.replace(/"grade":"minor"/g, '"grade":"Minor!"');
    const report = await validate(broken, { maxIssues: 2 });
    expect(report.issues).toHaveLength(2);
    expect(report.summary.errors + report.summary.warnings).toBe(2 + report.summary.omittedIssues);
    expect(report.summary.byCode.schema).toBeGreaterThan(2);
  });

  it('warnings alone leave the log ok', async () => {
    const { text } = await base;
    const report = await validate(text, { asOf: '2027-06-01T00:00:00Z' });
    expect(report.summary.errors).toBe(0);
    expect(report.summary.warnings).toBeGreaterThan(0);
    expect(report.ok).toBe(true);
  });

  it('checks against a policy given instead of the header one', async () => {
    const { text } = await base;
    const strict = { ...iso27001, staleAfterDays: 1 };
    const report = await validate(text, { asOf: '2026-03-05T00:00:00Z', policy: strict });
    expect(report.summary.byCode.stale).toBeGreaterThan(0);
    expect(report.summary.errors).toBe(0);
  });

  it('a trusted head from earlier in the same history matches', async () => {
    const story = await richHistory();
    const early = await story.register.logHead();
    await story.register.comment({ actor: { id: 'u-x', name: 'X', roles: [] }, findingId: story.ids.closed, text: 'Checked again' });
    const text = await exportText(story.h.store);
    expect((await validateLog(text, { asOf: story.h.now(), trustedHead: early })).issues).toEqual([]);
    expect((await validateLog(text, { asOf: story.h.now(), trustedHead: await story.register.logHead() })).issues).toEqual([]);
    const later = { tenantSequence: early.tenantSequence + 100, hash: early.hash };
    expect((await validateLog(text, { asOf: story.h.now(), trustedHead: later })).issues.map((issue) => issue.code)).toEqual(['trusted-head-mismatch']);
  });

  it('refuses invalid options (a caller error, not a log issue)', async () => {
    const { text } = await base;
    await expect(validateLog(text, { asOf: 'yesterday' })).rejects.toThrow(RangeError);
    await expect(validateLog(text, { asOf: new Date(), maxIssues: -1 })).rejects.toThrow(RangeError);
    await expect(validateLog(text, { asOf: new Date(), policy: { ...iso27001, grades: [] } })).rejects.toThrow(/policy/);
    expect(TENANT).toBe('acme');
  });
});
