// What a scenario hands back, and how the harness prints it. Scenarios only measure; the
// verdicts on targets are data too, so results.json carries everything the table shows.

import { fmt, fmtRatio } from './stats.js';

export interface Figure {
  /** What was measured: `pkt`, `raw node:http`, `better-sse`, ... */
  subject: string;
  /** What the number is: `events/s`, `MB/s`, `p99 latency`, ... */
  metric: string;
  unit: string;
  /** The median of `runs`, or null when the subject could not be measured. */
  value: number | null;
  /** Every run's value, so a reader can see the spread behind the median. */
  runs: number[];
  /** For pkt figures: the baseline's subject and pkt's ratio to it (pkt / baseline). */
  versus?: { subject: string; ratio: number | null }[];
}

export interface Target {
  text: string;
  /** null when a piece was missing and the target could not be judged. */
  met: boolean | null;
  detail: string;
}

export interface ScenarioResult {
  id: string;
  title: string;
  figures: Figure[];
  targets: Target[];
  notes: string[];
  seconds: number;
}

export interface ScenarioContext {
  quick: boolean;
  log(message: string): void;
}

export interface Scenario {
  id: string;
  title: string;
  run(ctx: ScenarioContext): Promise<Omit<ScenarioResult, 'id' | 'title' | 'seconds'>>;
}

/** Renders a plain-text table with aligned columns. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function renderScenario(result: ScenarioResult): string {
  const out: string[] = [`(${result.id}) ${result.title}  [${result.seconds.toFixed(0)} s]`];
  if (result.figures.length > 0) {
    const rows = result.figures.map((f) => [
      f.subject,
      f.metric,
      f.value == null ? 'n/a' : fmt(f.value),
      f.unit,
      f.runs.length > 1 ? `${f.runs.length} runs` : f.runs.length === 1 ? '1 run' : '',
      (f.versus ?? []).map((v) => `${fmtRatio(v.ratio)} ${v.subject}`).join(', '),
    ]);
    out.push(table(['subject', 'metric', 'median', 'unit', 'n', 'pkt ÷ baseline'], rows));
  }
  for (const t of result.targets) {
    const verdict = t.met === null ? 'NOT JUDGED' : t.met ? 'met' : 'NOT MET';
    out.push(`  target ${t.text}: ${verdict} (${t.detail})`);
  }
  for (const n of result.notes) out.push(`  note: ${n}`);
  return out.join('\n');
}
