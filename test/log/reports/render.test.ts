import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown } from '../../../src/log/reports/escape.js';
import { type ManagementReview, managementReview } from '../../../src/log/reports/management-review.js';
import { renderReportHtml, renderReportMarkdown } from '../../../src/log/reports/render.js';
import { type RiskFeedback, riskFeedback } from '../../../src/log/reports/risk-feedback.js';
import { niceScale } from '../../../src/log/reports/svg.js';
import { iso27001 } from '../../../src/index.js';
import { buildDataset, logLines } from './support/dataset.js';

let review: ManagementReview;
let risk: RiskFeedback;

beforeAll(async () => {
  const { store } = await buildDataset();
  const lines = await logLines(store);
  review = await managementReview(lines, { from: '2026-01-01', to: '2026-06-30', listLimit: 10 });
  // The XSS-titled finding is open and listed once the threshold is low enough.
  risk = await riskFeedback(lines, { asOf: '2026-07-31T00:00:00Z', withinDays: 365, moreThan: 0 });
});

describe('escaping untrusted text', () => {
  it('escapes HTML and SVG text and attributes', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')">&amp;`)).toBe('&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;amp;');
    expect(escapeHtml('a\u0000b\u001bc')).toBe('abc');
  });

  it('never leaves markup characters in escaped HTML, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(escapeHtml(text)).not.toMatch(/[<>"']/);
      }),
    );
  });

  it('escapes Markdown so that a title cannot add HTML, links, emphasis or table cells', () => {
    expect(escapeMarkdown('a | b <script>[x](javascript:alert(1)) *c* `d`\nnext')).toBe(
      'a \\| b &lt;script&gt;\\[x\\](javascript:alert(1)) \\*c\\* \\`d\\` next',
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        const escaped = escapeMarkdown(text);
        expect(escaped).not.toMatch(/[<>\n\r]/);
        expect(escaped.replace(/\\[\\`*_[\]|~#]/g, '')).not.toMatch(/[|[\]`*]/);
      }),
    );
  });
});

describe('renderReportMarkdown', () => {
  it('renders the key figures, tables and lists, with every title escaped', () => {
    const markdown = renderReportMarkdown([review, risk]);
    expect(markdown).toContain('# Management review input (ISO/IEC 27001 Clause 9.3)');
    expect(markdown).toContain(
      '**Acme &lt;Ltd&gt; &amp; Co** · Period 1 January 2026 to 30 June 2026 · as of 30 June 2026, 23:59 UTC · policy ISO/IEC 27001:2022 (certification audit grading), iso27001 version 2022.1\n',
    );
    expect(markdown).toContain('**Acme &lt;Ltd&gt; &amp; Co** · 10 findings raised in the 365 days to 31 July 2026, 00:00 UTC · threshold: more than 0 · policy');
    expect(markdown).toContain('### ISO/IEC 27001:2022 10.1: 1 finding (0 open)');
    expect(markdown).toContain('| Mean time to close | 72 d |');
    expect(markdown).toContain('| 90th percentile time to close | 109 d |');
    expect(markdown).toContain('| Effective on first review | 75% |');
    expect(markdown).toContain('| 2026-05 | 2 | 1 | 5 | 2 |');
    expect(markdown).toContain('# Risk feedback (ISO/IEC 27001 Clause 6)');
    expect(markdown).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert("xss")&lt;/script&gt; Incident tickets not linked');
    expect(markdown).not.toMatch(/<(img|script)/);
  });
});

describe('what the reports say, in both renderings', () => {
  const renderings = () => [renderReportMarkdown([review, risk]), renderReportHtml([review, risk])];

  it('writes dates as people read them: no raw instant, no ISO date in a header or a sentence', () => {
    for (const text of renderings()) {
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      const meta = text.split('\n').filter((line) => line.includes('· policy '));
      expect(meta).toHaveLength(2);
      for (const line of meta) expect(line).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    }
  });

  it('never doubles or nests parentheses in a header, though the policy name has its own', () => {
    expect(review.policy.name).toMatch(/\(.*\)/);
    for (const text of renderings()) {
      for (const line of text.split('\n').filter((l) => l.includes('· policy '))) {
        expect(line).not.toMatch(/\)\s*\(/);
        expect(line.replace(/\([^()]*\)/g, '')).not.toMatch(/[()]/);
      }
    }
  });

  it("dates the header in the policy's time zone", async () => {
    const { store } = await buildDataset();
    const berlin = { ...iso27001, id: 'berlin', timeZone: 'Europe/Berlin' };
    const lines = await logLines(store, berlin);
    const markdown = renderReportMarkdown(await managementReview(lines, { from: '2026-01-01', to: '2026-06-30' }));
    // The end of 30 June in Berlin is 21:59:59.999Z: the header says the local day and time.
    expect(markdown).toContain('Period 1 January 2026 to 30 June 2026 · as of 30 June 2026, 23:59 Europe/Berlin');
  });

  it('counts with the right noun: 1 finding, 2 findings', () => {
    for (const text of renderings()) {
      expect(text).not.toMatch(/\b1 findings\b|\(s\)/);
      expect(text).toMatch(/\b1 finding\b/);
    }
  });
});

describe('renderReportHtml', () => {
  it('writes one self-contained page: no script, no external reference, a strict CSP, charts as inline SVG', () => {
    const html = renderReportHtml([review, risk]);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`);
    expect(html).not.toMatch(/<script|<link|<iframe|<img|@import|url\(/i);
    // The only URL is the SVG namespace, which is never fetched.
    expect([...html.matchAll(/https?:\/\/[^\s"'<)]+/g)].map((m) => m[0])).toEqual(Array(6).fill('http://www.w3.org/2000/svg'));
    expect((html.match(/<svg class="chart"/g) ?? []).length).toBe(6);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt; Incident tickets not linked');
    expect(html).toContain('<dd data-figure="open">4</dd>');
    expect(html).toContain('<title>Management review input (ISO/IEC 27001 Clause 9.3) and Risk feedback (ISO/IEC 27001 Clause 6) · Acme &lt;Ltd&gt; &amp; Co</title>');
  });

  it('draws an empty chart with a note rather than nothing', () => {
    const empty: ManagementReview = { ...review, timeToClose: { ...review.timeToClose, byGrade: [] } };
    const html = renderReportHtml(empty);
    expect((html.match(/<svg class="chart"/g) ?? []).length).toBe(4);
    expect(html).toContain('No data for this chart');
  });
});

describe('niceScale', () => {
  it('rounds the axis to 1, 2 or 5 times a power of ten', () => {
    expect(niceScale(0)).toEqual({ max: 1, step: 1 });
    expect(niceScale(4)).toEqual({ max: 4, step: 1 });
    expect(niceScale(7)).toEqual({ max: 8, step: 2 });
    expect(niceScale(109)).toEqual({ max: 150, step: 50 });
    expect(niceScale(0.4).max).toBeGreaterThanOrEqual(0.4);
  });
});

