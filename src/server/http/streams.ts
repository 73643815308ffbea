// Opening event streams: the concurrency limit, and a run started by POST or GET.

import type { RequestIn, ResponseOut } from './exchange.js';
import { ActionError, HEADER_DETACH, HEADER_LAST_EVENT_ID } from '../../protocol/index.js';
import type { HostedAction } from '../host.js';
import { SseConnection } from '../sse-connection.js';
import type { HandlerContext } from './context.js';
import { followRun } from './follow.js';

/** `newRun`: live runs count too, since a detached run that nobody follows still does work. */
export function checkCapacity(ctx: HandlerContext, newRun = false): void {
  const max = ctx.limits.maxConcurrentStreams;
  if (ctx.streams.size >= max || (newRun && ctx.host.liveRuns >= max)) {
    throw new ActionError(429, 'BUSY', `the server has ${ctx.limits.maxConcurrentStreams} streams open; retry in a moment`);
  }
}

/** A new event-stream response; `checked` when the caller has already made sure there is room. */
export function openStream(ctx: HandlerContext, res: ResponseOut, runId: string, cors: Record<string, string>, checked = false): SseConnection {
  if (!checked) checkCapacity(ctx);
  const conn = new SseConnection(res, {
    runId,
    retryMs: ctx.limits.retryMs,
    heartbeatMs: ctx.limits.heartbeatMs,
    stalledClientMs: ctx.limits.stalledClientMs,
    maxBufferedBytes: ctx.limits.maxBufferedBytes,
    headers: cors,
    log: ctx.log,
    stalls: ctx.stalls,
  });
  ctx.streams.add(conn);
  res.on('close', () => ctx.streams.delete(conn));
  return conn;
}

/** Starts the action in a new run and follows it on this response, from its first event. */
export async function startRun(
  ctx: HandlerContext,
  action: HostedAction,
  input: Record<string, unknown>,
  req: RequestIn,
  res: ResponseOut,
  cors: Record<string, string>,
): Promise<void> {
  checkCapacity(ctx, true);
  const lastEventId = String(req.headers[HEADER_LAST_EVENT_ID.toLowerCase()] ?? '');
  const detached = req.headers[HEADER_DETACH.toLowerCase()] === '1';
  const runId = await ctx.host.start(action, input, { detached, lastEventId });
  let subscription;
  try {
    // From seq 0: whatever the action sent before this point is in the store already.
    subscription = await ctx.store.subscribe(runId, 0);
  } catch (err) {
    // Its first events are gone already (an action that sent more at once than a run keeps):
    // its starting client cannot follow it, and a run nobody follows must not go on holding a
    // stream slot for good.
    await ctx.store.cancel(runId, new ActionError(499, 'CANCELLED', 'its starting client could not follow it').toJSON());
    throw err;
  }
  // Room was made above; a check now could refuse a run that has started, which nobody would follow.
  const conn = openStream(ctx, res, runId, cors, true);
  conn.open();
  await followRun(ctx, runId, subscription, conn);
}
