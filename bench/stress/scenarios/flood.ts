// (4) A flood: 5,000 short requests (plain calls of task.process), 200 at a time, each on a
// connection of its own. Memory and open descriptors of the server before and after, and the
// answers per status: every request answered, none refused for want of a descriptor.

import { request } from 'node:http';
import { held, info, mb, pool, tally, type StressScenario } from '../lib/figures.js';
import { BASE, startPktServe } from '../lib/server.js';

const REQUESTS = 5000;
const CONCURRENCY = 200;

function call(port: number, i: number): Promise<string> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ name: `flood-${i}` });
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: `${BASE}/task.process`, agent: false, headers: { 'Content-Type': 'application/json', Connection: 'close' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(String(res.statusCode)));
        res.on('error', () => resolve('reset'));
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('no answer in 30 s')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    req.end(body);
  });
}

export const scenario: StressScenario = {
  id: 'flood',
  title: `flood: ${REQUESTS} short requests, ${CONCURRENCY} at a time`,
  async run(log) {
    const server = await startPktServe();
    try {
      // One request first, so the figures compare a warm server with a warm server.
      await call(server.port, -1);
      const before = { rss: server.rss(), fds: server.fds() };
      const started = performance.now();
      const outcomes = tally(await pool(REQUESTS, CONCURRENCY, (i) => call(server.port, i)));
      const seconds = (performance.now() - started) / 1000;
      log(`flood: ${REQUESTS} answered in ${seconds.toFixed(1)} s`);
      const peak = { rss: server.rss(), fds: server.fds() };
      // Descriptors of closed connections go at once; give the sockets in TIME_WAIT a moment.
      const deadline = Date.now() + 10_000;
      while (server.fds() > before.fds && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      const after = { rss: server.rss(), fds: server.fds() };
      const ok = outcomes['200'] ?? 0;
      return {
        figures: [
          held('answered 200', ok, `of ${REQUESTS}`, `${REQUESTS}`, ok === REQUESTS),
          info('requests per second', Math.round(REQUESTS / seconds)),
          info('RSS before', mb(before.rss), 'MB'),
          info('RSS right after', mb(peak.rss), 'MB'),
          info('RSS after settling', mb(after.rss), 'MB'),
          info('open descriptors before', before.fds),
          info('open descriptors right after', peak.fds),
          held('open descriptors after settling', after.fds, '', `${before.fds} (as before)`, after.fds <= before.fds),
        ],
        notes: [`outcomes: ${JSON.stringify(outcomes)}`],
      };
    } finally {
      await server.stop();
    }
  },
};
