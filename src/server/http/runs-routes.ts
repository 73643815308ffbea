// Routes for runs that already exist: re-attach (replay, then follow) and cancel (PROTOCOL.md §4).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ActionError, HEADER_LAST_EVENT_ID } from '../../protocol/index.js';
import { frameOf, type OutgoingEvent, type Run, type RunFollower } from '../runs/run.js';
import type { SseConnection } from '../sse-connection.js';
import type { HandlerContext } from './context.js';
import { sendError, sendJson } from './respond.js';
import { openStream } from './streams.js';

/** Re-attach: replay what came after Last-Event-ID, then follow live (PROTOCOL.md §4). */
export async function attachRun(
  ctx: HandlerContext,
  runId: string,
  req: IncomingMessage,
  res: ServerResponse,
  cors: Record<string, string>,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const given = String(req.headers[HEADER_LAST_EVENT_ID.toLowerCase()] ?? url.searchParams.get('lastEventId') ?? '');
  const after = /^\d+$/.test(given) ? Number(given) : 0;
  const live = ctx.runs.get(runId);
  // Follow before reading the history, buffering, so no event falls between the two.
  const buffer = new BufferingFollower();
  const unfollow = live?.follow(buffer);
  const history = await ctx.runs.store.read(runId, after);
  if (!history && !live) throw new ActionError(404, 'UNKNOWN_RUN', `no run ${runId} here (its history may have expired); start the action again`);
  if (history && !history.complete) {
    unfollow?.();
    throw new ActionError(404, 'UNKNOWN_RUN', `run ${runId} no longer has the events after ${after}; start the action again`);
  }
  let conn: SseConnection;
  try {
    conn = openStream(ctx, res, runId, cors);
  } catch (err) {
    unfollow?.();
    throw err;
  }
  conn.open();
  res.on('close', () => unfollow?.());
  let last = after;
  for (const event of history?.events ?? []) {
    conn.deliver({ ...event, frame: frameOf(event) });
    last = event.seq;
  }
  // A run that is not live here has ended: the replay was all of it.
  buffer.handOver(conn, last);
  if (!live) conn.end();
}

export function cancelRun(ctx: HandlerContext, runId: string, res: ServerResponse, cors: Record<string, string>): void {
  const live: Run | undefined = ctx.runs.get(runId);
  if (live) {
    live.cancel(new ActionError(499, 'CANCELLED', 'the run was cancelled by a client'));
    return sendJson(res, 200, { runId, cancelled: true }, cors);
  }
  const known = ctx.runs.store.read(runId, Number.MAX_SAFE_INTEGER);
  void Promise.resolve(known).then((history) => {
    if (!history) return sendError(res, new ActionError(404, 'UNKNOWN_RUN', `no run ${runId} here; nothing to cancel`), cors);
    sendJson(res, 200, { runId, cancelled: false, message: 'the run had already ended' }, cors);
  });
}

/** Holds live events while history is replayed, then passes everything newer straight on. */
class BufferingFollower implements RunFollower {
  #held: OutgoingEvent[] = [];
  #target: SseConnection | undefined;
  #after = 0;
  ended = false;

  deliver(event: OutgoingEvent): void {
    if (!this.#target) this.#held.push(event);
    else if (event.seq > this.#after) this.#target.deliver(event);
  }
  get backpressured(): boolean {
    return this.#target?.backpressured ?? false;
  }
  whenWritable(): Promise<void> {
    return this.#target?.whenWritable() ?? Promise.resolve();
  }
  end(): void {
    this.ended = true;
    this.#target?.end();
  }
  handOver(target: SseConnection, after: number): void {
    this.#target = target;
    this.#after = after;
    for (const event of this.#held) if (event.seq > after) target.deliver(event);
    this.#held = [];
    if (this.ended) target.end();
  }
}
