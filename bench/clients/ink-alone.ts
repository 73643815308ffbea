// Profiling (f): Ink alone, on the input the live view gives it. The same shape of tree as
// pkt's run view (a header line, a progress line, fifteen log lines cut to the width), new
// text in every line at every frame, 20 frames a second for a given time, and no network and
// no events: what Ink and React cost for the frames of a firehose run, before pkt is blamed.
// With a smaller number of log lines (0: a header and a progress line only), it shows what a
// smaller live region would cost, e.g. with the log above it in Ink's <Static>.
// Built by lib/snapshot.ts like the other clients; run it in a pseudo-terminal.
//   node ink-alone.mjs <seconds> [log lines, default 15]

import { createElement as h } from 'react';
import { Box, Text, render } from 'ink';

const seconds = Number(process.argv[2]);
const LOG_LINES = Number(process.argv[3] ?? 15);
if (!(seconds > 0) || !Number.isInteger(LOG_LINES) || LOG_LINES < 0) {
  process.stderr.write('usage: ink-alone.mjs <seconds> [log lines]\n');
  process.exit(2);
}

const FRAME_MS = 50;
const started = performance.now();
// A firehose frame moves about 7,500 events (150,000 a second): the log shows the last 15.
let events = 0;

function view() {
  const total = 1_000_000;
  const percent = Math.min(100, (events / total) * 100);
  const filled = Math.round((percent / 100) * 40);
  const elapsed = ((performance.now() - started) / 1000).toFixed(1);
  const log = Array.from({ length: LOG_LINES }, (_, i) => {
    const n = events - LOG_LINES + i + 1;
    return h(Text, { key: n, wrap: 'truncate-end' }, `progress  event ${n} · {"step":${n},"total":${total}}`);
  });
  return h(
    Box,
    { flexDirection: 'column', width: process.stderr.columns || 120 },
    h(Text, { wrap: 'truncate-end' }, `▸ demo.firehose · run ink-alone · embedded`),
    h(Text, { wrap: 'truncate-end' }, `${'█'.repeat(filled)}${'░'.repeat(40 - filled)} ${percent.toFixed(0)}% ${events}/${total} · ${elapsed} s elapsed`),
    h(Box, { flexDirection: 'column' }, ...log),
  );
}

const ink = render(view(), { stdout: process.stderr, stderr: process.stderr, exitOnCtrlC: false, patchConsole: false, maxFps: 1000 / FRAME_MS });
const frames = setInterval(() => {
  events += 7_500;
  ink.rerender(view());
  if (performance.now() - started >= seconds * 1000) {
    clearInterval(frames);
    ink.unmount();
  }
}, FRAME_MS);
await ink.waitUntilExit();
