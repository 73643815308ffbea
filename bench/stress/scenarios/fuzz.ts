// (1) The fuzz: at least 5,000 malformed requests against one `pkt serve`, 32 at a time. It
// counts answers per status, and holds the server to 0 crashes, 0 500s and 0 stack traces in
// its log; every error answer must be JSON. The server must answer a plain request after it.

import { held, info, pool, seeded, tally, type StressScenario } from '../lib/figures.js';
import { fuzzRequest } from '../lib/fuzz-cases.js';
import { rawExchange } from '../lib/raw.js';
import { BASE, stackLines, startPktServe } from '../lib/server.js';

const REQUESTS = 6000;
const SEED = 12;

export const scenario: StressScenario = {
  id: 'fuzz',
  title: `fuzz: ${REQUESTS} malformed requests`,
  async run(log) {
    const server = await startPktServe();
    const rand = seeded(SEED);
    let crashed = false;
    void server.exited.then(() => (crashed = true));
    const requests = Array.from({ length: REQUESTS }, () => fuzzRequest(rand, server.port));
    const started = performance.now();
    const answers = await pool(REQUESTS, 32, async (i) => {
      if (i % 1000 === 0) log(`fuzz: ${i} requests sent`);
      return crashed ? { outcome: 'server gone', status: null, head: '', body: '' } : rawExchange(server.port, requests[i]!, 1000);
    });
    const seconds = (performance.now() - started) / 1000;
    const statuses = tally(answers.map((a) => a.outcome));
    // An answer to HEAD has no body by definition.
    const errors = answers.filter((a, i) => a.status !== null && a.status >= 400 && !requests[i]!.subarray(0, 5).equals(Buffer.from('HEAD ')));
    const notJson = errors.filter((a) => !/\r\ncontent-type: application\/json/i.test(a.head) || !isErrorBody(a.body));
    const alive = crashed ? 0 : (await fetch(`${server.url}${BASE}`).then((r) => r.status, () => 0));
    const stacks = stackLines(server);
    const crashes = crashed ? 1 : 0;
    await server.stop();
    return {
      figures: [
        info('requests', REQUESTS),
        info('time', Math.round(seconds), 's'),
        held('server crashes', crashes, '', '0', crashes === 0),
        held('500 answers', statuses['500'] ?? 0, '', '0', (statuses['500'] ?? 0) === 0),
        held('stack-trace lines in the log', stacks, '', '0', stacks === 0),
        held('error answers that are not the JSON error shape', notJson.length, '', '0', notJson.length === 0),
        held('manifest answered after the fuzz', alive, 'status', '200', alive === 200),
      ],
      notes: [
        `answers per status: ${Object.entries(statuses).map(([k, v]) => `${k}: ${v}`).join(', ')}`,
        `seed ${SEED}; "closed without answer" is a request the server saw end mid-way (the client half-closed it), "no answer" one it still waited on after 2 s`,
        ...notJson.slice(0, 3).map((a) => `not JSON: ${JSON.stringify(a.head.split('\r\n')[0])} ${JSON.stringify(a.body.slice(0, 80))}`),
      ],
    };
  },
};

function isErrorBody(text: string): boolean {
  try {
    const body = JSON.parse(text);
    return typeof body.status === 'number' && typeof body.code === 'string' && typeof body.message === 'string';
  } catch {
    return false;
  }
}
