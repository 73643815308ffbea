// pkt's own server, from the built dist/ (what users run), with the bench's actions folder
// loaded next to the bundled ones: demo.firehose for throughput, bench.tick for fan-out.

import { pathToFileURL } from 'node:url';
import { pktServerDist, serverActionsDir } from '../lib/pkt.js';
import { runServerChild } from '../lib/server-child.js';

/** The part of pkt's server API the bench relies on; declared here so the bench typechecks on its own. */
interface PktServerModule {
  startServer(options: Record<string, unknown>): Promise<{ url: string; port: number; close(): Promise<void> }>;
}

// For bench:profile: `history=N` keeps N events per run for re-attaching clients instead of
// the default (what the history costs at fan-out); `abortable-sleep` makes bench.tick wait
// with timers/promises and the stream's signal (what that way of waiting costs).
const args = process.argv.slice(2);
const history = args.map((a) => /^history=(\d+)$/.exec(a)).find((m) => m);
if (args.includes('abortable-sleep')) process.env.PKT_BENCH_TICK_SLEEP = 'abortable';

runServerChild(async () => {
  const { startServer } = (await import(pathToFileURL(pktServerDist).href)) as PktServerModule;
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    actionsDirs: [serverActionsDir],
    // Fan-out opens up to 10,000 streams; the default limits (1,000 streams, 4,096
    // connections) would answer 429 and 503.
    limits: { maxConcurrentStreams: 20_000, maxConnections: 20_000, ...(history ? { runHistoryEvents: Number(history[1]) } : {}) },
  });
  return {
    port: server.port,
    firehosePath: '/_piko/actions/demo.firehose',
    tickPath: '/_piko/actions/bench.tick',
    close: () => server.close(),
  };
});
