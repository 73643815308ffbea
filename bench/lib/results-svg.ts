// bench/results.svg: one picture of a bench run. Fan-out (latency p99, RSS per stream and
// server CPU against the number of streams, one line per server), the throughput rows as
// bars, and the targets with their verdicts. It reads only what results.json holds.

import type { Figure, ScenarioResult } from './report.js';
import { FONT, barGroup, esc, legend, lineChart, text, type Bar, type Series } from './svg.js';

export interface RunSummary {
  quick: boolean;
  at: string;
  node: string;
  cores: number;
  loadAverage: number;
  seconds: number;
  results: ScenarioResult[];
}

const PKT_COLOR = '#d6336c';
const COLORS: Record<string, string> = {
  'raw node:http': '#343a40',
  'raw node:http, 64 KiB writes': '#868e96',
  'node:http encoding, 64 KiB writes': '#adb5bd',
  'better-sse': '#1c7ed6',
  'hono streamSSE': '#f59f00',
  'bare EventSource': '#1c7ed6',
  'raw reader': '#343a40',
  'eventsource-parser': '#1c7ed6',
};
const isPkt = (subject: string) => subject === 'pkt' || subject.startsWith('pkt ');
const colorOf = (subject: string) => (isPkt(subject) ? PKT_COLOR : (COLORS[subject] ?? '#37b24d'));

const WIDTH = 1000;

function figuresOf(results: ScenarioResult[], id: string): Figure[] {
  return results.find((r) => r.id === id)?.figures ?? [];
}

/** Fan-out figures are named `<metric> @ <streams>`: one series per server for a metric. */
function fanoutSeries(figures: Figure[], metric: string): { series: Series[]; sizes: number[] } {
  const bySubject = new Map<string, { x: number; y: number }[]>();
  const sizes = new Set<number>();
  for (const f of figures) {
    const [name, size] = f.metric.split(' @ ');
    if (name !== metric || size === undefined || f.value == null) continue;
    const streams = Number(size.replace(/,/g, ''));
    sizes.add(streams);
    bySubject.set(f.subject, [...(bySubject.get(f.subject) ?? []), { x: streams, y: f.value }]);
  }
  const series = [...bySubject].map(([name, points]) => ({ name, color: colorOf(name), strong: isPkt(name), points: points.sort((a, b) => a.x - b.x) }));
  return { series, sizes: [...sizes].sort((a, b) => a - b) };
}

function bars(figures: Figure[], metric: (m: string) => boolean): Bar[] {
  return figures.filter((f) => metric(f.metric)).map((f) => ({ label: f.subject, value: f.value, color: colorOf(f.subject), strong: isPkt(f.subject) }));
}

export function renderResultsSvg(run: RunSummary): string {
  const body: string[] = [];
  let y = 0;
  const date = run.at.slice(0, 16).replace('T', ' ');
  body.push(text(20, 30, `pkt bench, ${run.quick ? 'quick' : 'full'} run`, `${FONT} font-size="20" font-weight="bold"`));
  body.push(
    text(
      20,
      50,
      `${date} UTC · node ${run.node} · ${run.cores} cores · load average ${run.loadAverage.toFixed(1)} at the start · ${Math.round(run.seconds)} s · every figure a median, baselines from the same run`,
      `${FONT} font-size="12" fill="#495057"`,
    ),
  );
  y = 70;

  const fanout = figuresOf(run.results, 'b');
  const panels = [
    { metric: 'latency p99', title: '(b) latency p99, lower is better', yLabel: 'ms', logAbove: 20 },
    { metric: 'RSS per stream', title: '(b) RSS per stream, lower is better', yLabel: 'KB' },
    { metric: 'server CPU', title: '(b) server CPU, lower is better', yLabel: '% of one core' },
  ];
  const panelWidth = (WIDTH - 40) / panels.length;
  const subjects = new Map<string, string>();
  panels.forEach((p, i) => {
    const { series, sizes } = fanoutSeries(fanout, p.metric);
    for (const s of series) subjects.set(s.name, s.color);
    body.push(
      lineChart({
        x: 20 + i * panelWidth,
        y,
        width: panelWidth - 10,
        height: 250,
        title: p.title,
        yLabel: p.yLabel,
        xLabel: 'streams, one event per second each',
        xTicks: sizes.length ? sizes : [1000, 5000, 10_000],
        series,
        ...(p.logAbove ? { logAbove: p.logAbove } : {}),
      }),
    );
  });
  y += 262;
  body.push(legend(72, y, [...subjects].map(([name, color]) => ({ name, color, strong: isPkt(name) }))));
  y += 24;

  const groups = [
    { title: '(a) server, one firehose stream, higher is better', unit: 'events/s', bars: bars(figuresOf(run.results, 'a'), (m) => m === 'events/s') },
    { title: '(d) client reading a pkt server into /dev/null, higher is better', unit: 'events/s', bars: bars(figuresOf(run.results, 'd'), (m) => m === 'events/s') },
    ...['16 KiB chunks', '1-7 byte chunks'].map((chunks) => ({
      title: `(c) decoder, ${chunks}, higher is better`,
      unit: 'MB/s',
      bars: bars(figuresOf(run.results, 'c'), (m) => m.endsWith(chunks)),
    })),
  ].filter((g) => g.bars.length > 0);
  for (const g of groups) {
    const { svg, height } = barGroup({ x: 20, y, width: WIDTH - 40, ...g });
    body.push(svg);
    y += height;
  }

  const targets = run.results.flatMap((r) => r.targets);
  if (targets.length > 0) {
    y += 8;
    const met = targets.filter((t) => t.met).length;
    body.push(text(20, y + 13, `targets: ${met} of ${targets.length} met`, `${FONT} font-size="13" font-weight="bold"`));
    y += 22;
    for (const t of targets) {
      // One line each: a long detail is cut rather than run off the picture.
      const room = 150 - t.text.length;
      const detail = t.detail.length > room ? `${t.detail.slice(0, Math.max(0, room - 1))}…` : t.detail;
      const [mark, color] = t.met === null ? ['–', '#868e96'] : t.met ? ['✔', '#2b8a3e'] : ['✘', '#c92a2a'];
      body.push(
        `<text x="20" y="${y + 12}" ${FONT} font-size="12"><tspan fill="${color}" font-weight="bold">${mark}</tspan> ${esc(t.text)} <tspan fill="#495057">(${esc(detail)})</tspan></text>`,
      );
      y += 17;
    }
  }
  y += 16;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}">`,
    `<rect width="${WIDTH}" height="${y}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
