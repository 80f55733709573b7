// The HTML report's one style sheet, inline in the page (its CSP allows inline styles only).
//
// Print: the page's margins come from @page, so A4 and Letter both hold the content.
// Tables of findings have fixed column widths; free text (titles, names, requirements)
// may break anywhere while short columns keep their words whole, so no table runs past
// the margin. A heading never ends a page (break-after: avoid); a chart, a key figure or
// a table row is never cut in two; the second report starts a page.

/** The HTML report's style sheet: screen and print. */
export const REPORT_STYLE = `
:root{color-scheme:light;--ink:#111827;--muted:#4b5563;--line:#e5e7eb}
*{box-sizing:border-box}
@page{margin:16mm 14mm}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff;overflow-wrap:anywhere}
h1,h2,h3{break-after:avoid;page-break-after:avoid;break-inside:avoid}
figure,.figure,tr,svg.chart{break-inside:avoid;page-break-inside:avoid}
thead{display:table-header-group}
main{max-width:1000px;margin:0 auto;padding:24px}
h1{font-size:1.6rem;margin:0 0 4px}h2{font-size:1.2rem;margin:28px 0 8px;border-bottom:1px solid var(--line)}h3{font-size:1rem;margin:18px 0 6px}
.meta{color:var(--muted);margin:0 0 16px}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px;margin:0 0 12px}
.figure{border:1px solid var(--line);border-radius:6px;padding:8px 12px}
.figure dt{color:var(--muted);font-size:.85rem}.figure dd{margin:0;font-size:1.5rem;font-weight:600}
figure{margin:8px 0 16px}figcaption{color:var(--muted);font-size:.9rem}
svg.chart{max-width:100%;height:auto;display:block}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:.9rem}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:break-word}
td.text,tbody th[scope=row]{overflow-wrap:anywhere}
table.findings{table-layout:fixed}td.date{white-space:nowrap}.sub{display:block;color:var(--muted);font-size:.9em}
thead th{background:#f3f4f6}
.report+.report{margin-top:48px;border-top:3px solid var(--line);padding-top:24px}
details summary{cursor:pointer;color:var(--muted);font-size:.9rem}
@media print{body{font-size:10pt}main{max-width:none;padding:0}details{display:none}table{font-size:8pt}th,td{padding:3px 5px}.report+.report{break-before:page;border-top:none;margin-top:0;padding-top:0}}
`;
