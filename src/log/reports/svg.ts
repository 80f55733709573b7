import { escapeHtml } from './escape.js';

// Charts as inline SVG: drawn on the server, readable without script, printable, and
// nothing fetched. Every text node is escaped.

/** One series of values, drawn in one colour. */
export interface ChartSeries {
  readonly name: string;
  readonly color: string;
  readonly values: readonly number[];
  /** Drawn as a line over the columns instead of a column (column charts only). */
  readonly line?: boolean;
  readonly dashed?: boolean;
}

/** What every chart takes. */
export interface ChartBase {
  /** A stable id: `data-chart` and the ids of the title and description. */
  readonly id: string;
  readonly title: string;
  /** A sentence for people who cannot see the chart. */
  readonly description: string;
  readonly categories: readonly string[];
  readonly series: readonly ChartSeries[];
  /** The unit shown after values, e.g. `d`. */
  readonly unit?: string;
}

/** Palette with enough contrast on white, and told apart by more than hue (legend order). */
export const COLORS = {
  blue: '#1d4ed8',
  green: '#15803d',
  red: '#b91c1c',
  amber: '#b45309',
  purple: '#7e22ce',
  grey: '#4b5563',
} as const;

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"';

const fmt = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));

/** A round axis maximum and step: 1, 2 or 5 times a power of ten, at most 5 steps. */
export function niceScale(max: number): { max: number; step: number } {
  if (!(max > 0)) return { max: 1, step: 1 };
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough) ?? 10 * power;
  const niceStep = Math.max(step, Number.isInteger(max) ? 1 : step);
  return { max: Math.ceil(max / niceStep) * niceStep, step: niceStep };
}

/**
 * Cuts a label to fit `width` pixels at `fontSize`, with an ellipsis. No font metrics on
 * the server: a generous estimate per character (capitals, digits and wide letters
 * 0.72 em, others 0.56 em), so a label of capitals and digits (a procedure id) fits too.
 */
export function fitLabel(text: string, width: number, fontSize = 12): string {
  const em = (char: string) => (/[A-Z0-9MWmw@%&§]/.test(char) ? 0.72 : /[ .,:;'|!il]/.test(char) ? 0.32 : 0.56) * fontSize;
  const chars = [...text];
  let used = 0;
  for (let i = 0; i < chars.length; i += 1) {
    used += em(chars[i]!);
    if (used > width) {
      const room = width - em('…');
      let kept = 0;
      let end = 0;
      while (end < chars.length && kept + em(chars[end]!) <= room) kept += em(chars[end++]!);
      return `${chars.slice(0, end).join('').trimEnd()}…`;
    }
  }
  return text;
}

function open(chart: ChartBase, width: number, height: number): string {
  const id = escapeHtml(chart.id);
  return (
    `<svg class="chart" data-chart="${id}" xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
    `aria-labelledby="${id}-title ${id}-desc" ${FONT} font-size="12">` +
    `<title id="${id}-title">${escapeHtml(chart.title)}</title><desc id="${id}-desc">${escapeHtml(chart.description)}</desc>`
  );
}

function legend(series: readonly ChartSeries[], x: number, y: number): string {
  let out = '';
  let offset = x;
  for (const s of series) {
    const swatch = s.line
      ? `<line x1="${offset}" y1="${y - 4}" x2="${offset + 14}" y2="${y - 4}" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/>`
      : `<rect x="${offset}" y="${y - 10}" width="12" height="12" fill="${s.color}"/>`;
    out += `<g class="legend-item">${swatch}<text x="${offset + 18}" y="${y}" fill="#111827">${escapeHtml(s.name)}</text></g>`;
    offset += 28 + s.name.length * 7;
  }
  return out;
}

function empty(chart: ChartBase, width: number, height: number): string {
  return `${open(chart, width, height)}<text x="${width / 2}" y="${height / 2}" text-anchor="middle" fill="#4b5563">No data for this chart</text></svg>`;
}

/**
 * Vertical columns per category (months), one per column series side by side, with line
 * series drawn over them.
 */
export function columnChart(chart: ChartBase): string {
  const width = 720;
  const height = 300;
  const left = 44;
  const right = 16;
  const top = 36;
  const bottom = 48;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const values = chart.series.flatMap((s) => s.values);
  if (chart.categories.length === 0) return empty(chart, width, height);
  const { max, step } = niceScale(Math.max(0, ...values));
  const y = (value: number) => top + plotHeight - (value / max) * plotHeight;
  const band = plotWidth / chart.categories.length;
  const columns = chart.series.filter((s) => !s.line);
  const lines = chart.series.filter((s) => s.line);
  const columnWidth = Math.max(2, Math.min(28, (band * 0.8) / Math.max(1, columns.length)));
  let out = open(chart, width, height);
  out += legend(chart.series, left, 18);
  for (let tick = 0; tick <= max; tick += step) {
    out += `<line x1="${left}" x2="${width - right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#e5e7eb"/>`;
    out += `<text x="${left - 6}" y="${y(tick) + 4}" text-anchor="end" fill="#374151">${fmt(tick)}</text>`;
  }
  chart.categories.forEach((category, index) => {
    const center = left + band * index + band / 2;
    const start = center - (columnWidth * columns.length) / 2;
    columns.forEach((s, si) => {
      const value = s.values[index] ?? 0;
      const x = start + si * columnWidth;
      out +=
        `<rect class="bar" x="${x.toFixed(1)}" y="${y(value).toFixed(1)}" width="${(columnWidth - 1).toFixed(1)}" height="${(top + plotHeight - y(value)).toFixed(1)}" fill="${s.color}">` +
        `<title>${escapeHtml(`${category} ${s.name}: ${fmt(value)}${chart.unit ?? ''}`)}</title></rect>`;
    });
    out += `<text x="${center.toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle" fill="#374151">${escapeHtml(fitLabel(category, band - 4, 12))}</text>`;
  });
  for (const s of lines) {
    const points = chart.categories.map((_, index) => `${(left + band * index + band / 2).toFixed(1)},${y(s.values[index] ?? 0).toFixed(1)}`);
    out += `<polyline class="series-line" points="${points.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/>`;
    points.forEach((point, index) => {
      const [px, py] = point.split(',');
      out += `<circle cx="${px}" cy="${py}" r="3" fill="${s.color}"><title>${escapeHtml(`${chart.categories[index]} ${s.name}: ${fmt(s.values[index] ?? 0)}`)}</title></circle>`;
    });
  }
  out += `<line x1="${left}" x2="${width - right}" y1="${top + plotHeight}" y2="${top + plotHeight}" stroke="#6b7280"/>`;
  return `${out}</svg>`;
}

/**
 * Horizontal bars per category (grades, sources, requirements), one per series, with an
 * optional threshold line.
 */
export function barChart(chart: ChartBase & { readonly threshold?: { readonly value: number; readonly label: string } }): string {
  const width = 720;
  const labelWidth = 240;
  const right = 48;
  // A threshold's label sits between the legend and the plot.
  const top = chart.threshold === undefined ? 36 : 50;
  const rowHeight = 14 * chart.series.length + 12;
  const height = top + Math.max(1, chart.categories.length) * rowHeight + 28;
  if (chart.categories.length === 0) return empty(chart, width, 120);
  const plotWidth = width - labelWidth - right;
  const values = chart.series.flatMap((s) => s.values);
  const { max, step } = niceScale(Math.max(0, ...values, chart.threshold?.value ?? 0));
  const x = (value: number) => labelWidth + (value / max) * plotWidth;
  const plotBottom = top + chart.categories.length * rowHeight;
  let out = open(chart, width, height);
  out += legend(chart.series, labelWidth, 18);
  for (let tick = 0; tick <= max; tick += step) {
    out += `<line x1="${x(tick).toFixed(1)}" x2="${x(tick).toFixed(1)}" y1="${top}" y2="${plotBottom}" stroke="#e5e7eb"/>`;
    out += `<text x="${x(tick).toFixed(1)}" y="${plotBottom + 16}" text-anchor="middle" fill="#374151">${fmt(tick)}</text>`;
  }
  chart.categories.forEach((category, index) => {
    const rowTop = top + index * rowHeight + 6;
    out += `<text x="${labelWidth - 8}" y="${rowTop + (rowHeight - 12) / 2 + 4}" text-anchor="end" fill="#111827"><title>${escapeHtml(category)}</title>${escapeHtml(fitLabel(category, labelWidth - 12))}</text>`;
    chart.series.forEach((s, si) => {
      const value = s.values[index] ?? 0;
      const barY = rowTop + si * 14;
      out +=
        `<rect class="bar" x="${labelWidth}" y="${barY}" width="${(x(value) - labelWidth).toFixed(1)}" height="12" fill="${s.color}">` +
        `<title>${escapeHtml(`${category} ${s.name}: ${fmt(value)}${chart.unit ?? ''}`)}</title></rect>`;
      out += `<text x="${(x(value) + 4).toFixed(1)}" y="${barY + 10}" fill="#111827" font-size="11">${fmt(value)}${escapeHtml(chart.unit ?? '')}</text>`;
    });
  });
  out += `<line x1="${labelWidth}" x2="${labelWidth}" y1="${top}" y2="${plotBottom}" stroke="#6b7280"/>`;
  if (chart.threshold !== undefined) {
    const thresholdX = x(chart.threshold.value);
    const tx = thresholdX.toFixed(1);
    const anchor = thresholdX > width - 120 ? 'end' : 'start';
    out += `<line class="threshold" x1="${tx}" x2="${tx}" y1="${top - 4}" y2="${plotBottom}" stroke="${COLORS.red}" stroke-width="2" stroke-dasharray="5 4"/>`;
    out += `<text x="${tx}" y="${top - 10}" text-anchor="${anchor}" fill="${COLORS.red}" font-size="11">${escapeHtml(chart.threshold.label)}</text>`;
  }
  return `${out}</svg>`;
}
