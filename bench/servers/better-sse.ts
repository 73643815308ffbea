// Baseline: better-sse's session over node:http. Its push() writes at once and ignores the
// socket's answer, so the loop waits for 'drain' itself, as a careful user would; without
// that, a firehose buffers without bound and the figure would measure memory, not streaming.

import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSession } from 'better-sse';
import {
  MAX_FIREHOSE_COUNT,
  intInput,
  progressPayload,
  readJsonBody,
  tickClock,
  tickInput,
  wallNow,
} from '../lib/events.js';
import { drained, listenForBench, runServerChild } from '../lib/server-child.js';

runServerChild(async () => {
  const server = createServer((req, res) => {
    void (async () => {
      const input = await readJsonBody(req);
      if (req.url === '/firehose') {
        const count = intInput(input, 'count', 100_000, MAX_FIREHOSE_COUNT);
        // keepAlive off: the other servers send no comments during a run either.
        const session = await createSession(req, res, { keepAlive: null });
        for (let i = 1; i <= count; i++) {
          session.push(progressPayload(i, count), 'progress', String(i));
          if (res.writableNeedDrain && !(await drained(res))) return;
        }
        session.push({ sent: count }, 'complete', String(count + 1));
        res.end();
      } else if (req.url === '/tick') {
        const { n, intervalMs, phaseMs } = tickInput(input);
        const next = tickClock(phaseMs, intervalMs);
        const session = await createSession(req, res, { keepAlive: null });
        for (let i = 1; i <= n && session.isConnected; i++) {
          await sleep(next());
          if (session.isConnected) session.push({ seq: i, sentAt: wallNow() }, 'tick', String(i));
        }
        if (session.isConnected) {
          session.push({ sent: n }, 'complete', String(n + 1));
          res.end();
        }
      } else {
        res.writeHead(404).end();
      }
    })().catch((err: unknown) => res.destroy(err as Error));
  });
  return listenForBench(server);
});
