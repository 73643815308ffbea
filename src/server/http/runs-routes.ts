// Routes for runs that already exist: re-attach (replay, then follow) and cancel (PROTOCOL.md §4).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { ActionError, encodeTrustedEvent, HEADER_LAST_EVENT_ID, seqOf, type StreamEvent } from '../../protocol/index.js';
import type { Run, RunFollower } from '../runs/run.js';
import type { RunHistory } from '../runs/store.js';
import type { SseConnection } from '../sse-connection.js';
import type { HandlerContext } from './context.js';
import { sendJson } from '../respond.js';
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
  // Follow before reading the history, holding live events back, so none falls between the two.
  const buffer = new BufferingFollower();
  const unfollow = live?.follow(buffer);
  const stop = () => {
    unfollow?.();
    buffer.release();
  };
  let conn: SseConnection;
  let history: RunHistory | undefined;
  try {
    history = await ctx.runs.store.read(runId, after);
    if (!history && !live) throw new ActionError(404, 'UNKNOWN_RUN', `no run ${runId} here (its history may have expired); start the action again`);
    if (history && !history.complete) {
      throw new ActionError(404, 'UNKNOWN_RUN', `run ${runId} no longer has the events after ${after}; start the action again`);
    }
    conn = openStream(ctx, res, runId, cors);
  } catch (err) {
    stop();
    throw err;
  }
  conn.open();
  res.on('close', stop);
  let last = after;
  for (const event of history?.events ?? []) {
    if (conn.closed) return;
    // A store holds only events that pkt runs made (here, or on a server sharing the store):
    // the trusted path holds.
    conn.deliver(event, encodeTrustedEvent(event));
    last = seqOf(event);
    // A long history goes out at the pace the client reads it, not all into memory at once.
    if (conn.backpressured) await conn.whenWritable();
  }
  // A run that is not live here has ended: the replay was all of it.
  buffer.handOver(conn, last);
  if (!live) conn.end();
}

export async function cancelRun(ctx: HandlerContext, runId: string, res: ServerResponse, cors: Record<string, string>): Promise<void> {
  const live: Run | undefined = ctx.runs.get(runId);
  if (live) {
    const cancelled = live.cancel(new ActionError(499, 'CANCELLED', 'the run was cancelled by a client'));
    if (cancelled) return sendJson(res, 200, { runId, cancelled: true }, cors);
    return sendJson(res, 200, { runId, cancelled: false, message: 'the run had already ended' }, cors);
  }
  const history = await ctx.runs.store.read(runId, Number.MAX_SAFE_INTEGER);
  if (!history) throw new ActionError(404, 'UNKNOWN_RUN', `no run ${runId} here; nothing to cancel`);
  sendJson(res, 200, { runId, cancelled: false, message: 'the run had already ended' }, cors);
}

/**
 * Holds live events while history is replayed, then passes everything newer straight on.
 * While it holds, it counts as a slow reader, so the action's `send` waits instead of the
 * held events piling up.
 */
class BufferingFollower implements RunFollower {
  #held: { event: StreamEvent; frame: string }[] = [];
  #target: SseConnection | undefined;
  #after = 0;
  #released = false;
  #waiters: (() => void)[] = [];
  ended = false;

  deliver(event: StreamEvent, frame: string): void {
    if (this.#released) return;
    if (!this.#target) this.#held.push({ event, frame });
    else if (seqOf(event) > this.#after) this.#target.deliver(event, frame);
  }
  get backpressured(): boolean {
    if (this.#released) return false;
    return this.#target ? this.#target.backpressured : this.#held.length > 0;
  }
  whenWritable(): Promise<void> {
    if (this.#target) return this.#target.whenWritable();
    if (this.#released) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
  end(): void {
    this.ended = true;
    this.#target?.end();
  }
  handOver(target: SseConnection, after: number): void {
    this.#target = target;
    this.#after = after;
    for (const { event, frame } of this.#held) if (seqOf(event) > after) target.deliver(event, frame);
    this.#held = [];
    if (this.ended) target.end();
    this.#wake();
  }
  /** The connection is gone: hold nothing more, and never keep the action waiting. */
  release(): void {
    this.#released = true;
    this.#held = [];
    this.#wake();
  }
  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}
