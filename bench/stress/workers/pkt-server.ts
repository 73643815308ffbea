// pkt's server started in code, for a scenario that needs other limits than `pkt serve`'s
// defaults (the soak's shorter run history). Same snapshot, same actions, same log on stderr,
// and the same first line on stdout as `pkt serve`. On SIGUSR2 it collects garbage (when run
// with --expose-gc) and prints `stress: heap <used bytes> <rss bytes>`, so memory figures taken
// at different times do not depend on where each fell in the collector's cycle.
// Usage: node --expose-gc --import tsx pkt-server.ts '<limits as JSON>'

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchDir } from '../../lib/child.js';
import { snapshotDir } from '../../lib/snapshot.js';

const { startServer } = (await import(pathToFileURL(join(snapshotDir, 'dist', 'server.js')).href)) as typeof import('../../../src/server/index.js');
const server = await startServer({
  port: 0,
  actionsDirs: [join(benchDir, 'stress', 'actions')],
  limits: JSON.parse(process.argv[2] ?? '{}'),
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(`pkt serving on ${server.url}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void server.close().then(() => process.exit(0)));
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
  process.stderr.write(`stress: heap ${process.memoryUsage().heapUsed} ${process.memoryUsage.rss()}\n`);
});
