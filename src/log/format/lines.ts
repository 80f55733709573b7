import * as z from 'zod';
import { CorrectiveAction } from '../../schemas/corrective-action.js';
import { Finding } from '../../schemas/finding.js';
import { HistoryEntry } from '../../schemas/history-entry.js';
import { Id, Instant, Sha256, text } from '../../schemas/primitives.js';
import { SeverityPolicy } from '../../schemas/severity-policy.js';

// The Nonconformity and Corrective Action Log as JSON Lines: one JSON value per line, so
// a log of any size is written and read as a stream. Line 1 is the header, then one line
// per record (finding or corrective action, with its whole history) in ascending record
// id order (UTF-16 code units, as the log head sorts them), then the trailer. A log with
// no trailer was cut short. The header names the tenant sequence the log was cut at, so a
// reader can hash the log head as the records go by (the head's canonical JSON puts the
// tenant sequence before the tips), and a writer takes one consistent cut of the store.

/**
 * The version of the log's layout. A reader refuses a newer one.
 *
 * @example
 * ```ts
 * import { LOG_FORMAT } from 'capa-kit/log';
 *
 * console.log(`capa-kit writes log format ${LOG_FORMAT}`);
 * ```
 */
export const LOG_FORMAT = 1;

/**
 * The first line: what the log is, when and by what it was made, whose it is, the tenant
 * sequence it was cut at, and the severity policy its findings were handled under (as
 * data, so the log is checkable alone).
 *
 * @example
 * ```ts
 * import { iso27001 } from 'capa-kit';
 * import { LogHeader, LOG_FORMAT } from 'capa-kit/log';
 *
 * LogHeader.parse({
 *   type: 'capa-log', format: LOG_FORMAT, generatedAt: '2026-11-22T09:00:00Z',
 *   generator: { name: 'capa-kit', version: '0.1.0' },
 *   tenant: { id: 'acme', organisation: 'Acme Ltd' }, policy: iso27001,
 * });
 * ```
 */
export const LogHeader = z
  .strictObject({
    type: z.literal('capa-log'),
    format: z.int().min(1),
    generatedAt: Instant,
    generator: z.strictObject({ name: text(100), version: text(100) }),
    tenant: z.strictObject({ id: Id, organisation: text(300).nullable() }),
    /** The log holds every event of the tenant up to this tenant sequence, and none after it. */
    tenantSequence: z.int().min(0),
    policy: SeverityPolicy,
  })
  .meta({ id: 'LogHeader', description: 'The first line of a CAPA log: format, generation, tenant and the severity policy as data.' });
/** The first line of a log. */
export type LogHeader = z.infer<typeof LogHeader>;

/**
 * One history entry as the log carries it: the sealed entry, and the tenant sequence the
 * store gave it (what the log head is computed over).
 *
 * @example
 * ```ts
 * import type { LoggedEntry } from 'capa-kit/log';
 *
 * const last = (history: readonly LoggedEntry[]) => history.at(-1)?.entry.hash ?? null;
 * ```
 */
export const LoggedEntry = z
  .strictObject({ tenantSequence: z.int().min(1), entry: HistoryEntry })
  .meta({ id: 'LoggedEntry', description: 'A sealed history entry with the tenant sequence the store gave it.' });
/** One history entry with its tenant sequence. */
export type LoggedEntry = z.infer<typeof LoggedEntry>;

/**
 * A finding line: the finding as recorded and its whole history, oldest first.
 *
 * @example
 * ```ts
 * import type { LoggedFinding } from 'capa-kit/log';
 *
 * const describe = (line: LoggedFinding) => `${line.finding.reference} ${line.finding.status} (${line.history.length} entries)`;
 * ```
 */
export const LoggedFinding = z
  .strictObject({ type: z.literal('finding'), finding: Finding, history: z.array(LoggedEntry) })
  .meta({ id: 'LoggedFinding', description: 'A finding with its whole history, oldest entry first.' });
/** A finding line of a log. */
export type LoggedFinding = z.infer<typeof LoggedFinding>;

/**
 * A corrective-action line: the action (its own record, linked to its findings) and its
 * whole history, oldest first.
 *
 * @example
 * ```ts
 * import type { LoggedAction } from 'capa-kit/log';
 *
 * const owners = (line: LoggedAction) => line.action.owner?.name ?? 'no owner';
 * ```
 */
export const LoggedAction = z
  .strictObject({ type: z.literal('action'), action: CorrectiveAction, history: z.array(LoggedEntry) })
  .meta({ id: 'LoggedAction', description: 'A corrective action with its whole history, oldest entry first.' });
/** A corrective-action line of a log. */
export type LoggedAction = z.infer<typeof LoggedAction>;

/**
 * The last line: how many records and entries the log holds, and the tenant's log head at
 * export (compare it with a head saved earlier: see `validateLog`'s `trustedHead`).
 *
 * @example
 * ```ts
 * import type { LogTrailer } from 'capa-kit/log';
 *
 * const summary = (end: LogTrailer) => `${end.findings} findings, ${end.actions} actions, head ${end.head.hash.slice(0, 12)}`;
 * ```
 */
export const LogTrailer = z
  .strictObject({
    type: z.literal('end'),
    findings: z.int().min(0),
    actions: z.int().min(0),
    entries: z.int().min(0),
    head: z.strictObject({ tenantSequence: z.int().min(0), hash: Sha256 }),
  })
  .meta({ id: 'LogTrailer', description: 'The last line of a CAPA log: counts and the log head at export.' });
/** The last line of a log. */
export type LogTrailer = z.infer<typeof LogTrailer>;

/**
 * Any line of a log, told apart by `type`.
 *
 * @example
 * ```ts
 * import { LogLine } from 'capa-kit/log';
 *
 * const line = LogLine.safeParse(JSON.parse('{"type":"end","findings":0,"actions":0,"entries":0,"head":{"tenantSequence":0,"hash":"' + '0'.repeat(64) + '"}}'));
 * ```
 */
export const LogLine = z
  .discriminatedUnion('type', [LogHeader, LoggedFinding, LoggedAction, LogTrailer])
  .meta({ id: 'LogLine', description: 'One line of a CAPA log (JSON Lines): the header, a finding, a corrective action or the trailer.' });
/** Any line of a log. */
export type LogLine = z.infer<typeof LogLine>;
