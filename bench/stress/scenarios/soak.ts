// (9) The soak: 1,000 streams of one event a second for 5 minutes, with churn (10 streams a
// second closed and replaced by new ones). The server's RSS at the start (once all are open
// and a first round of churn has passed) and at the end must be within 15% of each other, and
// its open descriptors must come back to where they were once every stream has closed.
//
// Runs keep their history for re-attaching (10,000 events each, and 10 minutes after they
// end, by default), so in 5 minutes the default server's memory grows by design: each live
// run's history with its age, and every ended run's. The soak's server keeps 30 events a run
// and 1 minute after the end, which reach their steady size within 90 s (a stream's chance to
// be replaced does not depend on its age); "the start" is 90 s in, and what grows after that
// is what no limit bounds. Both figures are taken after a full garbage collection, so they do
// not depend on where each fell in the collector's cycle; the raw RSS every 10 s is in the notes.

import { held, info, mb, pool, type StressScenario } from '../lib/figures.js';
import { startPktServe } from '../lib/server.js';
import { openStream, type OpenStream } from '../lib/stream-client.js';

const STREAMS = 1000;
const CHURN_PER_SECOND = 10;
/** 5 minutes; PKT_STRESS_SOAK_S shortens it for a trial of the harness itself. */
const SOAK_MS = (Number(process.env.PKT_STRESS_SOAK_S) || 300) * 1000;
const HISTORY_MS = 60_000;
const HISTORY_EVENTS = 30;
const WARM_MS = HISTORY_MS + HISTORY_EVENTS * 1000;

export const scenario: StressScenario = {
  id: 'soak',
  title: `soak: ${STREAMS} streams at 1 event/s with churn, ${SOAK_MS / 60_000} minutes`,
  async run(log) {
    // A stream whose client leaves lingers (15 s) before its run ends, and live runs count
    // against the stream limit: with 10 leaving a second, 1,000 streams need room for 150 more.
    const server = await startPktServe({ limits: { runHistoryMs: HISTORY_MS, runHistoryEvents: HISTORY_EVENTS, maxConcurrentStreams: 1500 } });
    const baseline = { fds: server.fds(), rss: server.rss() };
    const open = new Set<OpenStream>();
    let opened = 0;
    let refused = 0;
    let failed = 0;
    let events = 0;
    const start = async (): Promise<void> => {
      for (let attempt = 0; attempt < 20; attempt++) {
        const stream = openStream({ port: server.port, target: 'stress.hold', input: { intervalMs: 1000 }, decode: false, onData: (chunk) => (events += count(chunk)) });
        const res = await stream.head.catch(() => undefined);
        if (res?.statusCode === 200) {
          opened++;
          open.add(stream);
          void stream.closed.then(() => open.delete(stream));
          return;
        }
        stream.close();
        // 429: the server has not yet seen a closed stream go; try again shortly.
        if (res?.statusCode === 429) refused++;
        else failed++;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    try {
      await pool(STREAMS, 100, () => start());
      log(`soak: ${open.size} streams open`);
      const began = Date.now();
      const samples: { at: number; rss: number }[] = [];
      let startMemory: { heapUsed: number; rss: number } | undefined;
      while (Date.now() - began < SOAK_MS) {
        await new Promise((r) => setTimeout(r, 1000));
        const doomed = [...open].sort(() => Math.random() - 0.5).slice(0, CHURN_PER_SECOND);
        for (const s of doomed) {
          s.close();
          open.delete(s);
        }
        await Promise.all(doomed.map(() => start()));
        const elapsed = Date.now() - began;
        if (elapsed % 10_000 < 1000) samples.push({ at: Math.round(elapsed / 1000), rss: server.rss() });
        if (startMemory === undefined && elapsed >= WARM_MS) startMemory = await server.collected();
        if (elapsed % 60_000 < 1000) log(`soak: ${Math.round(elapsed / 1000)} s, ${open.size} open, RSS ${mb(server.rss())} MB`);
      }
      const endMemory = await server.collected();
      const endFds = server.fds();
      const openAtEnd = open.size;
      for (const s of open) s.close();
      const deadline = Date.now() + 20_000;
      while (server.fds() > baseline.fds && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      const afterFds = server.fds();
      const change = (key: 'rss' | 'heapUsed') =>
        startMemory && endMemory ? Math.round(((endMemory[key] - startMemory[key]) / startMemory[key]) * 1000) / 10 : Number.NaN;
      const drift = change('rss');
      return {
        figures: [
          info('run history kept: events a run', HISTORY_EVENTS),
          info('run history kept after a run ends', HISTORY_MS / 1000, 's'),
          info('streams open at the end', openAtEnd),
          info('streams opened in all (churn included)', opened),
          info('events received', events),
          info('RSS before the streams', mb(baseline.rss), 'MB'),
          info(`RSS at the start (${WARM_MS / 1000} s in, after a collection)`, mb(startMemory?.rss ?? Number.NaN), 'MB'),
          info('RSS at the end (after a collection)', mb(endMemory?.rss ?? Number.NaN), 'MB'),
          held('RSS change, start to end', drift, '%', 'within ±15', Math.abs(drift) <= 15),
          info('heap in use at the start (after a collection)', mb(startMemory?.heapUsed ?? Number.NaN), 'MB'),
          info('heap in use at the end (after a collection)', mb(endMemory?.heapUsed ?? Number.NaN), 'MB'),
          info('heap in use, change', change('heapUsed'), '%'),
          info('open descriptors before the streams', baseline.fds),
          info('open descriptors with the streams', endFds),
          held('open descriptors after they closed', afterFds, '', `${baseline.fds} (baseline)`, afterFds <= baseline.fds),
          held('streams that could not be opened', failed, '', '0', failed === 0),
        ],
        notes: [`RSS every 10 s (s: MB): ${samples.map((s) => `${s.at}: ${mb(s.rss)}`).join(', ')}`, `429 on opening a replacement before the server had seen the closed stream go (then retried): ${refused}`],
      };
    } finally {
      for (const s of open) s.close();
      await server.stop();
    }
  },
};

/** Events in a chunk: every block ends with a blank line, and a frame has no other. */
function count(chunk: Buffer): number {
  let n = 0;
  for (let at = chunk.indexOf('\n\n'); at >= 0; at = chunk.indexOf('\n\n', at + 2)) n++;
  return n;
}
