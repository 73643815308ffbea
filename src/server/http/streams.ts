// Opening event streams: the concurrency limit, and a run started by POST or GET.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ActionError, HEADER_DETACH, HEADER_LAST_EVENT_ID } from '../../protocol/index.js';
import { executeStream } from '../execute.js';
import type { RegisteredAction } from '../registry.js';
import { SseConnection } from '../sse-connection.js';
import type { HandlerContext } from './context.js';

/** `newRun`: live runs count too, since a detached run that nobody follows still does work. */
export function checkCapacity(ctx: HandlerContext, newRun = false): void {
  const max = ctx.limits.maxConcurrentStreams;
  if (ctx.streams.size >= max || (newRun && ctx.runs.size >= max)) {
    throw new ActionError(429, 'BUSY', `the server has ${ctx.limits.maxConcurrentStreams} streams open; retry in a moment`);
  }
}

export function openStream(ctx: HandlerContext, res: ServerResponse, runId: string, cors: Record<string, string>): SseConnection {
  checkCapacity(ctx);
  const conn = new SseConnection(res, {
    runId,
    retryMs: ctx.limits.retryMs,
    heartbeatMs: ctx.limits.heartbeatMs,
    stalledClientMs: ctx.limits.stalledClientMs,
    maxBufferedBytes: Math.max(ctx.limits.maxBodyBytes, 1024 * 1024),
    headers: cors,
  });
  ctx.streams.add(conn);
  res.on('close', () => ctx.streams.delete(conn));
  return conn;
}

export function startRun(
  ctx: HandlerContext,
  registered: RegisteredAction,
  input: unknown,
  req: IncomingMessage,
  res: ServerResponse,
  cors: Record<string, string>,
): void {
  checkCapacity(ctx, true);
  const run = ctx.runs.create({ detached: req.headers[HEADER_DETACH.toLowerCase()] === '1' });
  const conn = openStream(ctx, res, run.id, cors);
  conn.open();
  const unfollow = run.follow(conn);
  res.on('close', () => {
    unfollow();
    if (!run.ended && !run.detached) run.cancel(new ActionError(499, 'CANCELLED', 'the client disconnected'));
  });
  const lastEventId = String(req.headers[HEADER_LAST_EVENT_ID.toLowerCase()] ?? '');
  void executeStream(registered, input, run, { dev: ctx.dev, log: ctx.log, lastEventId });
}
