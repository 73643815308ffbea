// Baseline: Hono's streamSSE on @hono/node-server. writeSSE is awaited, so Hono's own
// backpressure (web streams into the node response) paces the loop.

import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AddressInfo } from 'node:net';
import {
  MAX_FIREHOSE_COUNT,
  intInput,
  progressPayload,
  tickClock,
  tickInput,
  wallNow,
} from '../lib/events.js';
import { runServerChild } from '../lib/server-child.js';

async function jsonInput(req: Request): Promise<Record<string, unknown>> {
  const text = await req.text();
  const parsed: unknown = text.trim() === '' ? {} : JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

runServerChild(async () => {
  const app = new Hono();
  app.post('/firehose', async (c) => {
    const count = intInput(await jsonInput(c.req.raw), 'count', 100_000, MAX_FIREHOSE_COUNT);
    return streamSSE(c, async (stream) => {
      for (let i = 1; i <= count && !stream.aborted; i++) {
        await stream.writeSSE({ event: 'progress', id: String(i), data: JSON.stringify(progressPayload(i, count)) });
      }
      await stream.writeSSE({ event: 'complete', id: String(count + 1), data: JSON.stringify({ sent: count }) });
    });
  });
  app.post('/tick', async (c) => {
    const input = await jsonInput(c.req.raw);
    const { n, intervalMs, phaseMs } = tickInput(input);
    const next = tickClock(phaseMs, intervalMs);
    return streamSSE(c, async (stream) => {
      for (let i = 1; i <= n && !stream.aborted; i++) {
        await stream.sleep(next());
        if (!stream.aborted) await stream.writeSSE({ event: 'tick', id: String(i), data: JSON.stringify({ seq: i, sentAt: wallNow() }) });
      }
      if (!stream.aborted) await stream.writeSSE({ event: 'complete', id: String(n + 1), data: JSON.stringify({ sent: n }) });
    });
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    port: (server.address() as AddressInfo).port,
    firehosePath: '/firehose',
    tickPath: '/tick',
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});
