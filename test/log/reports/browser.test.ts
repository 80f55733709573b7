// Opens the rendered HTML report in headless Chromium and checks what a reader gets: no
// request leaves the page, nothing is logged as an error, the charts are drawn, the key
// figures are in the text, and an XSS-looking title stays text. A screenshot is kept in
// __artifacts__/ for people to look at.
import { mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { managementReview } from '../../../src/log/reports/management-review.js';
import { renderReportHtml } from '../../../src/log/reports/render.js';
import { riskFeedback } from '../../../src/log/reports/risk-feedback.js';
import { describeWithTool } from '../../support/outside-tool.js';
import { type Browser, CHROMIUM, CHROMIUM_TOOL, launchChromium } from './support/chromium.js';
import { buildDataset, logLines, XSS_TITLE } from './support/dataset.js';

const artifacts = new URL('./__artifacts__/', import.meta.url);

describeWithTool(CHROMIUM_TOOL, `the HTML report in headless Chromium (${CHROMIUM})`, () => {
  let browser: Browser;
  let file: URL;

  beforeAll(async () => {
    const { store } = await buildDataset();
    const lines = await logLines(store);
    const review = await managementReview(lines, { from: '2026-01-01', to: '2026-06-30' });
    // Threshold 0: every requirement is listed, with its findings, the XSS-titled one among them.
    const risk = await riskFeedback(lines, { asOf: '2026-07-31T00:00:00Z', withinDays: 365, moreThan: 0 });
    mkdirSync(artifacts, { recursive: true });
    file = new URL('management-review.html', artifacts);
    writeFileSync(file, renderReportHtml([review, risk]));
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
