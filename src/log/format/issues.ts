/**
 * Every problem `validateLog` reports, by stable code, with its severity and meaning.
 * Codes are stable: tools may switch on them; a new check gets a new code. An `error`
 * means the log cannot be trusted as a record of what happened (or cannot be read); a
 * `warning` is something an auditor would ask about in a log that is otherwise intact.
 * docs/log.md explains each one.
 *
 * @example
 * ```ts
 * import { LOG_ISSUE_CODES } from 'capa-kit/log';
 *
 * for (const [code, { severity, meaning }] of Object.entries(LOG_ISSUE_CODES)) console.log(`${code} (${severity}): ${meaning}`);
 * ```
 */
export const LOG_ISSUE_CODES = {
  // Reading
  'source-unreadable': { severity: 'error', meaning: 'The source is not a string, bytes or a stream of them, or the stream failed while it was read.' },
  'invalid-utf8': { severity: 'error', meaning: 'A line is not valid UTF-8.' },
  'line-too-long': { severity: 'error', meaning: 'A line is longer than the limit (16 MiB by default); it was skipped unread.' },
  'line-not-json': { severity: 'error', meaning: 'A line is not one JSON value.' },
  'blank-line': { severity: 'warning', meaning: 'An empty line: JSON Lines has none; it is skipped.' },
  'line-format': { severity: 'warning', meaning: 'A byte-order mark before line 1, CR LF line ends, or a last line without "\\n": the format is UTF-8 without a BOM, every line ending in "\\n". The log is read all the same.' },
  'line-too-deep': { severity: 'error', meaning: 'A payload or extension nests deeper than the limit (64 levels); the line was not checked further.' },
  'forbidden-key': { severity: 'error', meaning: 'A `__proto__`, `constructor` or `prototype` key (anywhere in the header or the trailer, in a payload or an extension, or where a record has no such field): the register refuses them, so a log that has one was not written by it.' },
  'schema': { severity: 'error', meaning: 'A line does not match the log JSON Schema; the issue names the field and the rule.' },
  // Structure
  'header-missing': { severity: 'error', meaning: 'The first line is not a valid header: the log cannot say whose it is or which policy applies.' },
  'format-unsupported': { severity: 'error', meaning: 'The log is in a newer format than this capa-kit reads; upgrade to check it.' },
  'line-order': { severity: 'error', meaning: 'A header after the first line, or a line after the trailer.' },
  'truncated': { severity: 'error', meaning: 'No trailer: the log was cut short (or is still being written).' },
  'record-order': { severity: 'error', meaning: 'Records are not in ascending id order: lines were moved.' },
  'duplicate-record': { severity: 'error', meaning: 'The same record twice.' },
  'duplicate-reference': { severity: 'error', meaning: 'Two records of one kind with the same reference (two findings NC-2026-0006): a reference is unique per tenant and kind, and no store holds both.' },
  'wrong-tenant': { severity: 'error', meaning: 'A record or entry of another tenant than the header names.' },
  'trailer-counts': { severity: 'error', meaning: 'The trailer counts other numbers of findings, actions or entries than the log holds: lines were added or removed.' },
  // History
  'history-empty': { severity: 'error', meaning: 'A record with no history: every record the register writes has at least one entry.' },
  'wrong-kind': { severity: 'error', meaning: "An entry's record kind is not the line's (a finding's entry on an action, or the reverse)." },
  'sequence-gap': { severity: 'error', meaning: 'Entry sequences do not run 1, 2, 3…: an entry is missing or moved.' },
  'chain-broken': { severity: 'error', meaning: "An entry does not point at the previous entry's hash: the history was cut or reordered." },
  'hash-mismatch': { severity: 'error', meaning: 'An entry is not what was sealed: its content was changed after it was written.' },
  'wrong-record': { severity: 'error', meaning: 'An entry of another record.' },
  'signature-binding': { severity: 'error', meaning: "A signature is not bound to this record at that point of its history (moved or copied), or was made at another time than its entry's." },
  'tenant-sequence': { severity: 'error', meaning: "Tenant sequences are not increasing within a record, repeat across the log, or pass the header's cut." },
  'tenant-sequence-gap': { severity: 'error', meaning: 'Tenant sequences between 1 and the cut are missing: events (or whole records) were removed.' },
  'head-mismatch': { severity: 'error', meaning: "The log head recomputed from the records is not the trailer's (or cannot be recomputed)." },
  'trusted-head-mismatch': { severity: 'error', meaning: 'The history up to a saved (trusted) head is not what it was: something committed by then was deleted or rewritten.' },
  'replay-refused': { severity: 'error', meaning: "A finding's history does not replay through the lifecycle machine under the policy: an entry breaks a rule." },
  'replay-status': { severity: 'error', meaning: "A record's history replays to another status than the record states." },
  'record-mismatch': { severity: 'error', meaning: 'A record differs from what its history makes of it: the record was edited without a history entry.' },
  'dangling-link': { severity: 'error', meaning: 'A finding names a corrective action, or an action a finding, that is not in the log.' },
  // What the register enforces on each act
  'future-instant': { severity: 'error', meaning: "An instant an actor reported (a detection, a correction's completion, an analysis, a review, evidence collected) is later than its entry's time plus the policy's clock skew." },
  'segregation-of-duties': { severity: 'error', meaning: "An entry breaks the policy's segregation of duties: the raiser rejected, or an owner of the corrective actions reviewed them or closed the finding." },
  'signature-missing': { severity: 'error', meaning: 'A signed act (plan approval, an effective verdict, closure) has no signature, under a policy that requires them.' },
  'signature-meaning': { severity: 'error', meaning: "A signature's meaning is not the act's, or a signature sits on an entry that signs nothing." },
  'signer-mismatch': { severity: 'error', meaning: 'A signature is not made by the one who acts, or the record names someone else for the signed act (the reviewer of an effective review).' },
  // What auditors look for
  'closed-without-evidence': { severity: 'error', meaning: 'A nonconformity closed without closure evidence: closed without evidence is not closed.' },
  'closed-without-effective-review': { severity: 'error', meaning: 'A nonconformity closed without an effectiveness review that found its actions effective.' },
  'action-without-root-cause': { severity: 'error', meaning: 'Corrective actions without a recorded root cause: an action must remove a cause.' },
  'shallow-root-cause': { severity: 'warning', meaning: 'The root cause is a symptom ("human error"), empty, or restates the finding.' },
  'correction-is-action': { severity: 'warning', meaning: 'A corrective action says what the correction says: it fixes the symptom, not the cause.' },
  'stale': { severity: 'warning', meaning: "An open finding with no activity for longer than the policy's staleness period, as of the validation date." },
  'overdue': { severity: 'warning', meaning: 'An open finding past its due date, as of the validation date.' },
  'action-overdue': { severity: 'warning', meaning: 'A planned or in-progress corrective action past its due date, as of the validation date.' },
  'action-without-owner': { severity: 'warning', meaning: 'A corrective action (not cancelled) with no named owner.' },
  'action-without-due-date': { severity: 'warning', meaning: 'A corrective action (not cancelled) with no due date.' },
  'empty-log': { severity: 'warning', meaning: 'The log holds no records: that means nothing is recorded, not that all is well.' },
  // Import
  'import-tenant-mismatch': { severity: 'error', meaning: "importLog: the tenant asked for is not the log's (entries are hashed with their tenant, so they cannot move)." },
  'import-tenant-not-empty': { severity: 'error', meaning: 'importLog: the target tenant already has records or events; a log is imported only into an empty tenant.' },
  'import-source-changed': { severity: 'error', meaning: 'importLog: the source read differently the second time (it changed while it was imported).' },
} as const satisfies Record<string, { severity: 'error' | 'warning'; meaning: string }>;

/**
 * One of the stable codes of {@link LOG_ISSUE_CODES}.
 *
 * @example
 * ```ts
 * import type { LogIssueCode } from 'capa-kit/log';
 *
 * const blocking: LogIssueCode[] = ['hash-mismatch', 'chain-broken', 'truncated'];
 * ```
 */
export type LogIssueCode = keyof typeof LOG_ISSUE_CODES;

/**
 * How serious an issue is: an `error` makes the log untrustworthy (or unreadable); a
 * `warning` is for an auditor's attention.
 *
 * @example
 * ```ts
 * import type { LogIssueSeverity } from 'capa-kit/log';
 *
 * const icon = (severity: LogIssueSeverity) => (severity === 'error' ? '✖' : '⚠');
 * ```
 */
export type LogIssueSeverity = 'error' | 'warning';

/**
 * One problem in a log: its stable code and severity, where it is (line, record id, the
 * finding's reference, and the JSON path inside the line) and a sentence for people.
 *
 * @example
 * ```ts
 * import { formatPath } from 'capa-kit';
 * import type { LogIssue } from 'capa-kit/log';
 *
 * const describe = (issue: LogIssue) =>
 *   `${issue.severity} ${issue.code} line ${issue.line ?? '-'} ${issue.reference ?? issue.recordId ?? ''} ${formatPath(issue.path)}: ${issue.message}`;
 * ```
 */
export interface LogIssue {
  readonly code: LogIssueCode;
  readonly severity: LogIssueSeverity;
  /** The line (from 1), or `null` for the log as a whole. */
  readonly line: number | null;
  /** The record the issue is about, when known. */
  readonly recordId: string | null;
  /** The record's reference (`NC-2026-0001`, `CA-2026-0001`), for an issue about a record that has one. */
  readonly reference: string | null;
  /** The JSON path inside the line, e.g. `['history', 3, 'entry', 'hash']`; `[]` for the whole line. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}
