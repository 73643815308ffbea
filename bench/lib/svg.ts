// Chart pieces as SVG text: a line chart with axes, a group of horizontal bars, a legend.
// Hand-written because the picture is small and fixed, and a charting library would be a
// dependency (and often a browser) for three shapes. Every piece returns markup placed at
// absolute coordinates; layout is the caller's (results-svg.ts).

import { fmt } from './stats.js';

export const FONT = 'font-family="Helvetica, Arial, sans-serif"';

export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function text(x: number, y: number, body: string, attrs = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(body)}</text>`;
}

/** Round tick values (1, 2, 5 times a power of ten) covering 0..max. */
export function linearTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = 0; v < max + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Ticks at 1, 2 and 5 times each power of ten from below min to above max. */
export function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (const m of [1, 2, 5]) ticks.push(Number((m * 10 ** e).toPrecision(12)));
  }
  const lo = ticks.filter((t) => t <= min).pop() ?? ticks[0]!;
  const hi = ticks.find((t) => t >= max) ?? ticks[ticks.length - 1]!;
  return ticks.filter((t) => t >= lo && t <= hi);
}

/** Ticks are round numbers already: no padding zeros (`60`, `0.5`), thousands grouped. */
function tickLabel(t: number): string {
  return Number.isInteger(t) ? t.toLocaleString('en-US') : String(t);
}

export interface Series {
  name: string;
  color: string;
  /** Drawn thicker and on top: pkt's line. */
  strong?: boolean;
  points: { x: number; y: number }[];
}

export interface LineChart {
  x: number;
  y: number;
  width: number;
  height: number;
  title: string;
  yLabel: string;
  xLabel: string;
  /** The x values to tick (the stream counts), also the x range. */
  xTicks: number[];
  series: Series[];
  /** Log scale on y when the values span more than this factor (latencies do). */
  logAbove?: number;
}

export function lineChart(c: LineChart): string {
  const left = c.x + 52;
  const right = c.x + c.width - 10;
  const top = c.y + 30;
  const bottom = c.y + c.height - 38;
  const values = c.series.flatMap((s) => s.points.map((p) => p.y)).filter((v) => Number.isFinite(v));
  const out: string[] = [text(c.x + c.width / 2, c.y + 14, c.title, `${FONT} font-size="14" font-weight="bold" text-anchor="middle"`)];
  if (values.length === 0) {
    out.push(text(c.x + c.width / 2, (top + bottom) / 2, 'not measured', `${FONT} font-size="12" fill="#868e96" text-anchor="middle"`));
    return out.join('\n');
  }
  const positive = values.filter((v) => v > 0);
  const log = positive.length > 0 && c.logAbove !== undefined && Math.max(...positive) / Math.min(...positive) > c.logAbove;
  const ticks = log ? logTicks(Math.min(...positive), Math.max(...positive)) : linearTicks(Math.max(...values));
  const lo = log ? Math.log10(ticks[0]!) : 0;
  const hi = log ? Math.log10(ticks[ticks.length - 1]!) : ticks[ticks.length - 1]!;
  const yOf = (v: number) => {
    const t = log ? Math.log10(Math.max(v, ticks[0]!)) : v;
    return bottom - ((t - lo) / (hi - lo || 1)) * (bottom - top);
  };
  const xMin = Math.min(...c.xTicks);
  const xMax = Math.max(...c.xTicks);
  // A lone size (quick mode) sits in the middle rather than on the axis.
  const xOf = (v: number) => (xMax === xMin ? (left + right) / 2 : left + 12 + ((v - xMin) / (xMax - xMin)) * (right - left - 24));

  for (const t of ticks) {
    const y = yOf(t);
    out.push(`<line x1="${left}" y1="${y.toFixed(1)}" x2="${right}" y2="${y.toFixed(1)}" stroke="#e9ecef"/>`);
    out.push(text(left - 6, y + 4, tickLabel(t), `${FONT} font-size="11" fill="#495057" text-anchor="end"`));
  }
  for (const t of c.xTicks) {
    const x = xOf(t);
    out.push(`<line x1="${x.toFixed(1)}" y1="${bottom}" x2="${x.toFixed(1)}" y2="${bottom + 4}" stroke="#495057"/>`);
    out.push(text(x, bottom + 17, t.toLocaleString('en-US'), `${FONT} font-size="11" fill="#495057" text-anchor="middle"`));
  }
  out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#495057"/>`);
  out.push(`<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#495057"/>`);
  out.push(text(c.x + c.width / 2 + 21, bottom + 33, c.xLabel, `${FONT} font-size="11" fill="#495057" text-anchor="middle"`));
  const yMid = (top + bottom) / 2;
  out.push(
    text(c.x + 10, yMid, `${c.yLabel}${log ? ' (log scale)' : ''}`, `${FONT} font-size="11" fill="#495057" text-anchor="middle" transform="rotate(-90 ${c.x + 10} ${yMid})"`),
  );
  // pkt last, so its line is on top where lines cross.
  for (const s of [...c.series].sort((a, b) => Number(a.strong ?? false) - Number(b.strong ?? false))) {
    const pts = s.points.filter((p) => Number.isFinite(p.y)).map((p) => `${xOf(p.x).toFixed(1)},${yOf(p.y).toFixed(1)}`);
    const width = s.strong ? 3 : 1.8;
    if (pts.length > 1) out.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${s.color}" stroke-width="${width}"/>`);
    for (const p of pts) {
      const [px, py] = p.split(',');
      out.push(`<circle cx="${px}" cy="${py}" r="${s.strong ? 4 : 3}" fill="${s.color}"/>`);
    }
  }
  return out.join('\n');
}

export interface Bar {
  label: string;
  value: number | null;
  color: string;
  strong?: boolean;
}

/** A titled group of horizontal bars on one scale; returns the markup and the height used. */
export function barGroup(g: { x: number; y: number; width: number; title: string; unit: string; bars: Bar[] }): { svg: string; height: number } {
  const labelWidth = 250;
  const barLeft = g.x + labelWidth;
  const barMax = g.width - labelWidth - 120;
  const rowH = 20;
  const max = Math.max(0, ...g.bars.map((b) => b.value ?? 0));
  const out: string[] = [text(g.x, g.y + 13, `${g.title} (${g.unit})`, `${FONT} font-size="13" font-weight="bold"`)];
  g.bars.forEach((b, i) => {
    const y = g.y + 22 + i * rowH;
    const weight = b.strong ? ' font-weight="bold"' : '';
    out.push(text(barLeft - 8, y + 13, b.label, `${FONT} font-size="12" text-anchor="end"${weight}`));
    if (b.value == null || !(max > 0)) {
      out.push(text(barLeft + 4, y + 13, 'not measured', `${FONT} font-size="11" fill="#868e96"`));
      return;
    }
    const w = Math.max(1, (b.value / max) * barMax);
    out.push(`<rect x="${barLeft}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 5}" fill="${b.color}"/>`);
    out.push(text(barLeft + w + 6, y + 13, `${fmt(b.value)} ${g.unit}`, `${FONT} font-size="11" fill="#212529"${weight}`));
  });
  return { svg: out.join('\n'), height: 22 + g.bars.length * rowH + 14 };
}

export function legend(x: number, y: number, items: { name: string; color: string; strong?: boolean }[]): string {
  const out: string[] = [];
  let at = x;
  for (const item of items) {
    out.push(`<line x1="${at}" y1="${y - 4}" x2="${at + 22}" y2="${y - 4}" stroke="${item.color}" stroke-width="${item.strong ? 3 : 1.8}"/>`);
    out.push(`<circle cx="${at + 11}" cy="${y - 4}" r="3" fill="${item.color}"/>`);
    out.push(text(at + 28, y, item.name, `${FONT} font-size="12"${item.strong ? ' font-weight="bold"' : ''}`));
    at += 40 + item.name.length * 6.8;
  }
  return out.join('\n');
}
