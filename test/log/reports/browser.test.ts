// Opens the rendered HTML report in headless Chromium and checks what a reader gets: no
// request leaves the page, nothing is logged as an error, the charts are drawn, the key
// figures are in the text, and an XSS-looking title stays text. Then prints it on A4 and
// Letter: nothing wider than the printable width, headings kept with what follows. A
// screenshot and the two PDFs are kept in __artifacts__/ for people to look at.
import { mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { managementReview } from '../../../src/log/reports/management-review.js';
import { renderReportHtml } from '../../../src/log/reports/render.js';
import { riskFeedback } from '../../../src/log/reports/risk-feedback.js';
import { describeWithTool } from '../../support/outside-tool.js';
import type { LogLine, LoggedFinding } from '../../../src/log/format/lines.js';
import { type Browser, CHROMIUM, CHROMIUM_TOOL, launchChromium, type Page, PAPERS } from './support/chromium.js';
import { buildDataset, logLines, XSS_TITLE } from './support/dataset.js';

const artifacts = new URL('./__artifacts__/', import.meta.url);

/** The H1 2026 review and the risk feedback of a log, as one HTML page in __artifacts__/. */
async function writeReportPage(name: string, lines: readonly LogLine[]): Promise<URL> {
  const review = await managementReview(lines, { from: '2026-01-01', to: '2026-06-30' });
  // Threshold 0: every requirement is listed, with its findings, the XSS-titled one among them.
  const risk = await riskFeedback(lines, { asOf: '2026-07-31T00:00:00Z', withinDays: 365, moreThan: 0 });
  mkdirSync(artifacts, { recursive: true });
  const file = new URL(name, artifacts);
  writeFileSync(file, renderReportHtml([review, risk]));
  return file;
}

describeWithTool(CHROMIUM_TOOL, `the HTML report in headless Chromium (${CHROMIUM})`, () => {
  let browser: Browser;
  let file: URL;

  beforeAll(async () => {
    const { store } = await buildDataset();
    const lines = await logLines(store);
    file = await writeReportPage('management-review.html', lines);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('renders with no request, no error, every chart, the key figures, and the XSS title as text', async () => {
    const page = await browser.open(pathToFileURL(file.pathname).href, { width: 1100, height: 900 });
    const facts = await page.evaluate<{
      charts: number;
      chartsDrawn: number;
      bars: number;
      figures: Record<string, string>;
      text: string;
      injected: number;
      title: string;
    }>(`(() => {
      const charts = [...document.querySelectorAll('svg.chart')];
      return {
        charts: charts.length,
        chartsDrawn: charts.filter((svg) => { const box = svg.getBoundingClientRect(); return box.width > 300 && box.height > 80; }).length,
        bars: document.querySelectorAll('svg.chart rect.bar').length,
        figures: Object.fromEntries([...document.querySelectorAll('[data-figure]')].map((dd) => [dd.dataset.figure, dd.textContent])),
        text: document.body.innerText,
        injected: document.querySelectorAll('img, script, iframe, object, embed').length,
        title: document.title,
      };
    })()`);
    const png = await page.screenshot();
    writeFileSync(new URL('management-review.png', artifacts), png);
    for (const chart of ['trend', 'open-by-grade', 'by-source', 'time-to-close', 'recurring-requirements', 'recurring-causes']) {
      writeFileSync(new URL(`chart-${chart}.png`, artifacts), await page.screenshot(`svg[data-chart="${chart}"]`));
    }

    // Only the page itself was loaded.
    expect(page.record.requests).toEqual([pathToFileURL(file.pathname).href]);
    expect(page.record.console.filter((m) => m.type === 'error' || m.type === 'warning')).toEqual([]);
    expect(page.record.exceptions).toEqual([]);
    expect(page.record.logErrors).toEqual([]);
    expect(page.record.dialogs).toEqual([]);

    // Four charts for the management review, two for the risk feedback, all laid out.
    expect(facts.charts).toBe(6);
    expect(facts.chartsDrawn).toBe(6);
    expect(facts.bars).toBeGreaterThan(20);
    expect(facts.figures).toMatchObject({
      open: '4',
      overdue: '2',
      raised: '8',
      closed: '5',
      'mean-time-to-close': '72 d',
      'p90-time-to-close': '109 d',
      effectiveness: '75%',
      'in-window': '10',
    });
    expect(facts.text).toContain('Management review input (ISO/IEC 27001 Clause 9.3)');
    expect(facts.text).toContain('Acme <Ltd> & Co');
    expect(facts.text).toContain(XSS_TITLE);
    expect(facts.injected).toBe(0);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  }, 60_000);

  it('would see a request, a console error and a CSP violation (the harness is not blind)', async () => {
    const control = new URL('control.html', artifacts);
    writeFileSync(
      control,
      '<!doctype html><html><head><meta charset="utf-8"></head><body><img src="http://127.0.0.1:9/pixel.png"><script>console.error("boom")</script></body></html>',
    );
    const page = await browser.open(pathToFileURL(control.pathname).href, { width: 400, height: 300 });
    expect(page.record.requests).toContain('http://127.0.0.1:9/pixel.png');
    expect(page.record.console).toContainEqual({ type: 'error', text: 'boom' });
    // Under the report's policy the same image is attempted (the harness still sees it) and blocked, and the block is logged.
    const blocked = new URL('control-csp.html', artifacts);
    writeFileSync(
      blocked,
      `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"></head><body><img src="http://127.0.0.1:9/pixel.png"></body></html>`,
    );
    const strict = await browser.open(pathToFileURL(blocked.pathname).href, { width: 400, height: 300 });
    expect(strict.record.requests).toContain('http://127.0.0.1:9/pixel.png');
    expect(strict.record.logErrors.join('\n')).toMatch(/violates the following Content Security Policy directive/);
  }, 60_000);
});

describeWithTool(CHROMIUM_TOOL, 'the HTML report printed on A4 and Letter (headless Chromium)', () => {
  let browser: Browser;
  let file: URL;

  beforeAll(async () => {
    const { store, ids } = await buildDataset();
    const lines = await logLines(store);
    // An overdue finding with the longest texts a record holds: an unbreakable URL as its
    // title, a long name, a long procedure id and a nine-digit reference.
    const f9 = lines.find((l): l is LoggedFinding => l.type === 'finding' && l.finding.id === ids.get('F9'))!;
    const long: LoggedFinding = {
      ...f9,
      finding: {
        ...f9.finding,
        id: 'zz-long-texts',
        reference: 'NC-2026-000000012',
        title: `https://grc.example/evidence/${'access-review-export-'.repeat(8)}final.xlsx`,
        owner: { id: 'u-max', name: 'Maximiliane Alexandra Konstantinopoulou-Hohenzollern-Sigmaringen' },
        requirement: { kind: 'procedure', documentId: 'DOC-ISMS-ACCESS-CONTROL-PROCEDURE-0012', version: '12.3.4', title: 'Access control procedure', reference: '4.2.1' },
      },
    };
    file = await writeReportPage('print.html', [...lines, long]);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Laid out for print at the paper's printable width (the paper less the report's @page margins): what sticks out, and how headings break. */
  const printFacts = (page: Page) =>
    page.evaluate<{ width: number; scrollWidth: number; wider: string[]; spilled: string[]; splitWords: string[]; headings: string[]; rows: string[]; figures: string[] }>(`(() => {
      // A word of a short column (grade, status, date, header) laid out on two lines: a column too narrow.
      const splitWords = [];
      for (const cell of document.querySelectorAll('th, td:not(.text)')) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
          for (const word of node.data.matchAll(/[^\\s\\/-]+/g)) {
            const range = document.createRange();
            range.setStart(node, word.index);
            range.setEnd(node, word.index + word[0].length);
            if (new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1) splitWords.push(word[0]);
          }
        }
      }
      const width = document.documentElement.clientWidth;
      const describe = (e) => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : '') + ' ' + JSON.stringify((e.textContent || '').slice(0, 40));
      return {
        width,
        splitWords,
        scrollWidth: document.documentElement.scrollWidth,
        wider: [...document.querySelectorAll('body *')].filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5); }).map(describe),
        spilled: [...document.querySelectorAll('td, th, p, h1, h2, h3, dd, figcaption')].filter((e) => e.scrollWidth > e.clientWidth + 1).map(describe),
        headings: [...document.querySelectorAll('h1, h2, h3')].map((h) => getComputedStyle(h).breakAfter),
        rows: [...document.querySelectorAll('tr')].map((tr) => getComputedStyle(tr).breakInside),
        figures: [...document.querySelectorAll('figure')].map((f) => getComputedStyle(f).breakInside),
      };
    })()`);

  /** The @page margins of the page's style sheet, in inches. */
  const pageMargins = (page: Page) =>
    page.evaluate<{ left: number; right: number }>(`(() => {
      const rule = [...document.styleSheets].flatMap((sheet) => [...sheet.cssRules]).find((r) => r instanceof CSSPageRule);
      const inches = (value) => { const m = /^([\\d.]+)mm$/.exec(value); if (m === null) throw new Error('@page margin not in mm: ' + value); return Number(m[1]) / 25.4; };
      return { left: inches(rule.style.marginLeft), right: inches(rule.style.marginRight) };
    })()`);

  it.each(PAPERS.map((paper) => [paper.name, paper] as const))('on %s: nothing wider than the page or its cell, headings kept with what follows, rows and charts never cut', async (name, paper) => {
    const page = await browser.open(pathToFileURL(file.pathname).href, { width: 1100, height: 900 });
    const margins = await pageMargins(page);
    await page.emulatePrint((paper.width - margins.left - margins.right) * 96);
    const facts = await printFacts(page);
    expect(facts.width).toBe(Math.floor((paper.width - margins.left - margins.right) * 96));
    expect(facts.wider).toEqual([]);
    // Nor text spilling out of its cell over the next one.
    expect(facts.spilled).toEqual([]);
    // And no short word broken in two: the columns are wide enough for their labels.
    expect(facts.splitWords).toEqual([]);
    expect(facts.scrollWidth).toBeLessThanOrEqual(facts.width);
    expect(facts.headings.length).toBeGreaterThan(10);
    expect(new Set(facts.headings)).toEqual(new Set(['avoid']));
    expect(new Set(facts.rows)).toEqual(new Set(['avoid']));
    expect(new Set(facts.figures)).toEqual(new Set(['avoid']));

    // The PDF, for people to look at (__artifacts__/report-A4.pdf, report-Letter.pdf): on that paper, several pages.
    const pdf = await page.printToPdf(paper);
    writeFileSync(new URL(`report-${name}.pdf`, artifacts), pdf);
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(boxes.length).toBeGreaterThan(2);
    // Points, within a point (Chromium rounds the paper to its device units).
    for (const [w, h] of boxes) {
      expect(Math.abs(w! - paper.width * 72), `${w} x ${h}`).toBeLessThan(1);
      expect(Math.abs(h! - paper.height * 72), `${w} x ${h}`).toBeLessThan(1);
    }
  }, 60_000);

  it('would see an element wider than the page (the check is not blind)', async () => {
    const control = new URL('control-wide.html', artifacts);
    writeFileSync(control, '<!doctype html><html><head><meta charset="utf-8"></head><body><table><tr><td style="white-space:nowrap">NC-2026-0001 an overdue finding whose row is far too long to fit on any page at all, on A4 or on Letter paper</td></tr></table><h2>A heading</h2></body></html>');
    const page = await browser.open(pathToFileURL(control.pathname).href, { width: 1100, height: 900 });
    await page.emulatePrint(700);
    const facts = await printFacts(page);
    expect(facts.wider.length).toBeGreaterThan(0);
    expect(facts.headings).toEqual(['auto']);
  }, 60_000);
});
