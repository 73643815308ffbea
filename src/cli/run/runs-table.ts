// `pkt runs` as a table a person reads: one run per line, columns padded to their widest cell.

import { formatPercent, type RunInfo } from '../../protocol/index.js';
import { oneLine } from '../state/describe.js';
import { formatDuration } from '../state/format.js';

const HEADERS = ['RUN ID', 'ACTION', 'STATE', 'PERCENT', 'AGE', 'DURATION'] as const;

export function formatRunsTable(runs: readonly RunInfo[], now: number): string {
  const rows = runs.map((run) => {
    const started = Date.parse(run.startedAt);
    const ended = run.endedAt === undefined ? now : Date.parse(run.endedAt);
    return [
      // A server's text on a terminal: no control characters, one line.
      oneLine(String(run.runId), 64),
      oneLine(String(run.action), 64),
      run.detached && run.state === 'live' ? 'live (detached)' : run.state,
      run.percent === undefined ? '-' : formatPercent(run.percent),
      `${formatDuration(now - started)} ago`,
      formatDuration(ended - started),
    ];
  });
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return `${[line(HEADERS), ...rows.map(line)].join('\n')}\n`;
}
