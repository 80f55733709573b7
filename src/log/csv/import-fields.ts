import { FINDING_SOURCES, type FindingSource } from '../../schemas/finding.js';
import type { Person } from '../../schemas/actor.js';
import type { RequirementRef } from '../../schemas/requirement-ref.js';
import { CAUSE_CATEGORIES, RCA_METHODS } from '../../schemas/root-cause.js';
import type { SeverityPolicy } from '../../schemas/severity-policy.js';
import { CAUSE_CATEGORY_LABELS, SOURCE_LABELS } from '../reports/labels.js';
import { dateParts, startOfDay } from '../reports/time.js';

/**
 * The fields a spreadsheet column can be mapped to.
 *
 * @example
 * ```ts
 * import { CSV_IMPORT_FIELDS } from 'capa-kit/log';
 *
 * CSV_IMPORT_FIELDS.includes('rootCause'); // true
 * ```
 */
export const CSV_IMPORT_FIELDS = [
  'reference',
  'title',
  'description',
  'observedEvidence',
  'grade',
  'status',
  'source',
  'sourceReference',
  'requirement',
  'requirementTitle',
  'process',
  'asset',
  'owner',
  'raisedBy',
  'detected',
  'due',
  'correction',
  'correctionDate',
  'rootCause',
  'causeCategory',
  'rcaMethod',
  'extentScope',
  'extentResult',
  'actions',
  'actionOwners',
  'actionDueDates',
  'actionOutcomes',
  'closureEvidence',
  'effectiveness',
  'closed',
] as const;

/**
 * A field a spreadsheet column can be mapped to.
 *
 * @example
 * ```ts
 * import type { CsvImportField } from 'capa-kit/log';
 *
 * const field: CsvImportField = 'detected';
 * ```
 */
export type CsvImportField = (typeof CSV_IMPORT_FIELDS)[number];

/** Lowercase letters and digits only: how headers and words are compared. */
export const normalise = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');

/**
 * The headers each field is recognised by when no mapping names its column, in order of
 * preference. Compared without case, spaces or punctuation ("Date raised" = "date_raised").
 * The export's own headers are among them, so an exported CSV imports back.
 *
 * @example
 * ```ts
 * import { DEFAULT_CSV_HEADERS } from 'capa-kit/log';
 *
 * DEFAULT_CSV_HEADERS.detected.includes('Date raised'); // true
 * ```
 */
export const DEFAULT_CSV_HEADERS: Readonly<Record<CsvImportField, readonly string[]>> = {
  reference: ['Reference', 'Ref', 'NC ref', 'NC reference', 'NC number', 'NC no', 'NC ID', 'Finding ID', 'Finding reference', 'ID', 'No'],
  title: ['Title', 'Summary', 'Finding title', 'Nonconformity', 'Finding', 'Subject', 'Short description'],
  description: ['Description', 'Details', 'Finding description', 'NC description', 'Description of nonconformity'],
  observedEvidence: ['Evidence observed', 'Observed evidence', 'Objective evidence', 'Audit evidence', 'Evidence'],
  grade: ['Grade', 'Severity', 'Classification', 'NC type', 'Finding type', 'Type', 'Rating'],
  status: ['Status', 'State', 'NC status'],
  source: ['Source', 'Origin', 'Finding source', 'Audit type'],
  sourceReference: ['Source reference', 'Audit reference', 'Audit ref', 'Audit', 'Audit ID'],
  requirement: ['Requirement', 'Clause', 'Control', 'Clause or control', 'Requirement breached', 'ISO clause', 'Annex A control', 'Standard clause'],
  requirementTitle: ['Requirement title', 'Clause title', 'Control title', 'Control name'],
  process: ['Affected process', 'Process', 'Department', 'Area', 'Business area'],
  asset: ['Affected asset', 'Asset', 'System'],
  owner: ['Owner', 'NC owner', 'Finding owner', 'Responsible', 'Responsible person', 'Assigned to', 'Assignee'],
  raisedBy: ['Raised by', 'Reported by', 'Identified by', 'Auditor'],
  detected: ['Detected', 'Date detected', 'Detected on', 'Date identified', 'Identified on', 'Date raised', 'Raised', 'Raised on', 'Date opened', 'Opened', 'Date'],
  due: ['Due', 'Due date', 'Target date', 'Deadline', 'Target closure date'],
  correction: ['Correction', 'Immediate action', 'Containment', 'Immediate correction', 'Correction taken'],
  correctionDate: ['Correction completed', 'Correction date', 'Correction completed on', 'Date of correction', 'Containment date'],
  rootCause: ['Root cause', 'Root cause analysis', 'Cause', 'RCA'],
  causeCategory: ['Cause category', 'Root cause category', 'Cause type'],
  rcaMethod: ['RCA method', 'Analysis method', 'Method'],
  extentScope: ['Extent of condition', 'Extent', 'Extent of condition scope', 'Similar nonconformities', 'Other areas checked'],
  extentResult: ['Extent of condition result', 'Extent result'],
  actions: ['Corrective actions', 'Corrective action', 'Actions', 'Action', 'CAPA', 'Action plan'],
  actionOwners: ['Action owners', 'Action owner', 'Action responsible'],
  actionDueDates: ['Action due dates', 'Action due date', 'Action due', 'Action target date'],
  actionOutcomes: ['Measurable outcomes', 'Measurable outcome', 'Success criteria', 'Success criterion', 'Effectiveness criteria'],
  closureEvidence: ['Closure evidence', 'Evidence of closure', 'Closure proof', 'Verification evidence'],
  effectiveness: ['Effectiveness result', 'Effectiveness', 'Effective', 'Effectiveness review', 'Verified effective'],
  closed: ['Closed', 'Date closed', 'Closed on', 'Closure date', 'Closed date'],
};

/**
 * How dates are written in the spreadsheet besides ISO 8601 (`2025-03-14`, always
 * accepted): `day-first` reads `14/03/2025`, `month-first` reads `03/14/2025`; `iso`
 * accepts ISO 8601 only, since `03/04/2025` is ambiguous.
 *
 * @example
 * ```ts
 * import type { CsvDateStyle } from 'capa-kit/log';
 *
 * const uk: CsvDateStyle = 'day-first';
 * ```
 */
export type CsvDateStyle = 'iso' | 'day-first' | 'month-first';

/** A parsed date: the calendar date and the instant its day starts in the zone (or the exact instant given). */
export interface ParsedDate {
  readonly date: string;
  readonly instant: string;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const NUMERIC_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

const pad2 = (n: number) => String(n).padStart(2, '0');
const utcIso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Reads a spreadsheet date; `null` when it is not one. */
export function parseDate(cell: string, style: CsvDateStyle, timeZone: string): ParsedDate | null {
  const text = cell.trim();
  try {
    const iso = ISO_DATE.exec(text);
    if (iso !== null) {
      dateParts(text);
      return { date: text, instant: utcIso(startOfDay(text, timeZone)) };
    }
    const instant = ISO_INSTANT.exec(text);
    if (instant !== null) {
      const day = instant[1]!;
      dateParts(day);
      const [hh, mm, ss] = [Number(instant[2]), Number(instant[3]), Number(instant[4] ?? '0')];
      if (hh > 23 || mm > 59 || ss > 59) return null;
      const zone = instant[6];
      let ms: number;
      if (zone === undefined) ms = startOfDay(day, timeZone) + ((hh * 60 + mm) * 60 + ss) * 1000;
      else ms = Date.parse(`${day}T${pad2(hh)}:${pad2(mm)}:${pad2(ss)}${zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`}`);
      if (Number.isNaN(ms)) return null;
      return { date: new Date(ms).toISOString().slice(0, 10), instant: utcIso(ms) };
    }
    const numeric = NUMERIC_DATE.exec(text);
    if (numeric !== null && style !== 'iso') {
      const [a, b, year] = [Number(numeric[1]), Number(numeric[2]), numeric[3]!];
      const [day, month] = style === 'day-first' ? [a, b] : [b, a];
      const date = `${year}-${pad2(month)}-${pad2(day)}`;
      dateParts(date);
      return { date, instant: utcIso(startOfDay(date, timeZone)) };
    }
  } catch {
    return null;
  }
  return null;
}

/** What a date cell should look like, for error messages. */
export const dateHint = (style: CsvDateStyle) =>
  style === 'iso'
    ? 'a date written YYYY-MM-DD (or an ISO 8601 date and time); for 14/03/2026 pass dates: "day-first", for 03/14/2026 dates: "month-first"'
    : `a date written ${style === 'day-first' ? 'DD/MM/YYYY' : 'MM/DD/YYYY'} or YYYY-MM-DD`;

/** The grade a cell names under a policy: its id, its label, or its label's first word, without "NC". */
export function parseGrade(cell: string, policy: SeverityPolicy, custom: Readonly<Record<string, string>> | undefined): string | null {
  if (custom !== undefined) {
    for (const [from, to] of Object.entries(custom)) if (normalise(from) === normalise(cell)) return to;
  }
  const core = normalise(cell.replace(/\b(nc|non-?conformit(y|ies)|nonconformity|finding)\b/gi, ''));
  const whole = normalise(cell);
  for (const grade of policy.grades) {
    const candidates = [grade.id, grade.label, grade.label.split(/\s+/)[0] ?? ''].map(normalise).filter((c) => c.length > 0);
    if (candidates.includes(whole) || (core.length > 0 && candidates.includes(core))) return grade.id;
  }
  return null;
}

const SOURCE_SYNONYMS: Readonly<Record<string, FindingSource['kind']>> = {
  ia: 'internal-audit',
  internal: 'internal-audit',
  ea: 'external-audit',
  external: 'external-audit',
  certificationaudit: 'external-audit',
  certification: 'external-audit',
  surveillanceaudit: 'external-audit',
  surveillance: 'external-audit',
  kpi: 'kpi-measurement',
  metric: 'kpi-measurement',
  measurement: 'kpi-measurement',
  mr: 'management-review',
  incident: 'incident-review',
  securityincident: 'incident-review',
  postincidentreview: 'incident-review',
};

/** The source kind a cell names; `null` when none matches (the import then uses `other`). */
export function parseSource(cell: string): FindingSource['kind'] | null {
  const key = normalise(cell);
  for (const kind of FINDING_SOURCES) if (normalise(kind) === key || normalise(SOURCE_LABELS[kind]) === key) return kind;
  return SOURCE_SYNONYMS[key] ?? null;
}

const CAUSE_SYNONYMS: Readonly<Record<string, (typeof CAUSE_CATEGORIES)[number]>> = {
  procedure: 'process',
  documentation: 'process',
  competence: 'training',
  awareness: 'training',
  responsibility: 'ownership',
  accountability: 'ownership',
  system: 'system-or-tooling',
  tooling: 'system-or-tooling',
  technology: 'system-or-tooling',
  resource: 'resources',
  capacity: 'resources',
  vendor: 'supplier',
  thirdparty: 'supplier',
};

/** The cause category a cell names; `null` when none matches (the import then uses `other`). */
export function parseCauseCategory(cell: string): (typeof CAUSE_CATEGORIES)[number] | null {
  const key = normalise(cell);
  for (const category of CAUSE_CATEGORIES) if (normalise(category) === key || normalise(CAUSE_CATEGORY_LABELS[category]) === key) return category;
  return CAUSE_SYNONYMS[key] ?? null;
}

const METHOD_SYNONYMS: Readonly<Record<string, (typeof RCA_METHODS)[number]>> = {
  '5whys': 'five-whys',
  fivewhys: 'five-whys',
  whys: 'five-whys',
  ishikawa: 'fishbone',
  fishbonediagram: 'fishbone',
  processreview: 'process-review',
  interviews: 'interview',
  causemap: 'cause-mapping',
  causemapping: 'cause-mapping',
};

/** The RCA method a cell names; `null` when none matches (the import then records `other` with the cell). */
export function parseMethod(cell: string): (typeof RCA_METHODS)[number] | null {
  const key = normalise(cell);
  for (const method of RCA_METHODS) if (normalise(method) === key) return method;
  return METHOD_SYNONYMS[key] ?? null;
}

const STANDARD_REF = /^(?:clause\s+|control\s+)?((?:annex\s+)?a[\s.]?\d+(?:\.\d+)*|\d+(?:\.\d+)*[a-z]?|[A-Z]{1,4}\d+(?:\.\d+)*)$/i;
const TRAILING_REF = /^(.*?)[\s,]+(?:clause\s+|control\s+)?((?:annex\s+)?A[\s.]?\d+(?:\.\d+)*|\d+(?:\.\d+)*[a-z]?|[A-Z]{1,4}\d+(?:\.\d+)*)$/i;
const PROCEDURE_REF = /^([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)\s+v(?:ersion)?\s*([\w.]+)(?:\s*(?:§|section)\s*(.+))?$/i;

const cleanRef = (ref: string) => {
  const annex = /^(?:annex\s+)?a[\s.]?(\d+(?:\.\d+)*)$/i.exec(ref.trim());
  return annex === null ? ref.trim() : `A.${annex[1]}`;
};

/**
 * The requirement a cell names: `ISO/IEC 27001:2022 A.5.18`, `SOC 2 CC6.2`, a bare
 * `A.5.18`, `Annex A 5.18` or `Clause 9.2` (in `framework`), or a procedure
 * `DOC-ISMS-012 v3 §4.2`. `null` when it is none of these.
 */
export function parseRequirement(cell: string, framework: string, title: string | undefined): RequirementRef | null {
  const text = cell.trim().replace(/\s+/g, ' ');
  const procedure = PROCEDURE_REF.exec(text);
  if (procedure !== null) {
    return {
      kind: 'procedure',
      documentId: procedure[1]!,
      version: procedure[2]!,
      title: title ?? procedure[1]!,
      ...(procedure[3] === undefined ? {} : { reference: procedure[3].trim() }),
    };
  }
  const bare = STANDARD_REF.exec(text);
  if (bare !== null) return { kind: 'standard', framework, reference: cleanRef(bare[1]!), ...(title === undefined ? {} : { title }) };
  const trailing = TRAILING_REF.exec(text);
  if (trailing !== null && /[a-z]/i.test(trailing[1]!)) {
    return { kind: 'standard', framework: trailing[1]!.trim(), reference: cleanRef(trailing[2]!), ...(title === undefined ? {} : { title }) };
  }
  return null;
}

/** A person named in a cell: an id made from the name (lowercase words joined by `-`), or the host's resolver. */
export function defaultPerson(name: string): Person {
  const slug = normalise(name) === '' ? '' : name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
  if (slug.length > 0) return { id: slug, name: name.trim() };
  // A name with no Latin letters or digits: a stable id from its code points.
  let hash = 0x811c9dc5;
  for (const char of name.trim()) hash = Math.imul(hash ^ char.codePointAt(0)!, 0x01000193) >>> 0;
  return { id: `person-${hash.toString(16)}`, name: name.trim() };
}

/** How a spreadsheet status reads: open (any working state), closed, or rejected/cancelled. */
export function statusKind(cell: string): 'open' | 'closed' | 'rejected' {
  const key = normalise(cell);
  if (/^(closed|complete|completed|done|resolved|verified|closedeffective|finished)/.test(key)) return 'closed';
  if (/^(rejected|cancelled|canceled|withdrawn|void|duplicate|notanc)/.test(key)) return 'rejected';
  return 'open';
}

/** The lines of a multi-line cell, without bullets or numbering, blank lines dropped. */
export function cellLines(cell: string): string[] {
  return cell
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(/^\s*(?:[-•*·]|\d+[.)])\s+/, '').trim())
    .filter((line) => line.length > 0);
}
