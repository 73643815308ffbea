// pkt on Redis, from the built dist/: a front end (`front <redis-url>`: routes and the store,
// no action code) or a worker (`worker <redis-url>`: the bench's actions, taken from the queue).

import { pathToFileURL } from 'node:url';
import { pktServerDist, serverActionsDir } from '../lib/pkt.js';
import { runServerChild } from '../lib/server-child.js';

interface PktServerModule {
  startServer(options: Record<string, unknown>): Promise<{ port: number; close(): Promise<void> }>;
  startWorker(options: Record<string, unknown>): Promise<{ close(): Promise<void> }>;
}

const [role, url] = process.argv.slice(2);

runServerChild(async () => {
  const pkt = (await import(pathToFileURL(pktServerDist).href)) as PktServerModule;
  if (role === 'worker') {
    const worker = await pkt.startWorker({ redis: url, actionsDirs: [serverActionsDir], concurrency: 100 });
    return { port: 0, firehosePath: '', close: () => worker.close() };
  }
  const server = await pkt.startServer({ port: 0, host: '127.0.0.1', redis: { url }, limits: { maxConcurrentStreams: 20_000 } });
  return { port: server.port, firehosePath: '/_piko/actions/demo.firehose', tickPath: '/_piko/actions/bench.tick', close: () => server.close() };
});
