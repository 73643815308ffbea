// Following a run on one event-stream connection: the store's subscription, written out at
// the pace the client reads. Shared by a run's starting request and by every re-attach.

import { encodeTrustedEvent, isTerminalEvent, type StreamEvent } from '../../protocol/index.js';
import type { RunSubscription } from '../runs/store.js';
import type { SseConnection } from '../sse-connection.js';
import type { HandlerContext } from './context.js';

/**
 * Writes the subscription's events to `conn` until the terminal event (then the response
 * ends) or until the client leaves. A client that leaves first counts for linger. A follower
 * that fell behind the kept history gets no terminal event, only the end of the response: its
 * re-attach then hears why (404 UNKNOWN_RUN).
 */
export async function followRun(ctx: HandlerContext, runId: string, subscription: RunSubscription, conn: SseConnection): Promise<void> {
  let ended = false;
  conn.onClose(() => subscription.close());
  // A store holds only events that pkt runs made (here, or in a process sharing the store):
  // their type was checked and their data is JSON.stringify's, so the trusted frame path holds.
  const write = (event: StreamEvent): void => {
    conn.deliver(event, encodeTrustedEvent(event));
    if (isTerminalEvent(event.type)) ended = true;
  };
  // A run of this process hands each event over as it is sent while this connection keeps
  // up: at fan-out, most events then cost no batch, promise or extra turn of the event loop.
  subscription.deliverTo?.((event) => {
    if (conn.closed) return false;
    write(event);
    return !conn.backpressured;
  });
  try {
    reading: for await (const batch of subscription) {
      for (const event of batch) {
        if (conn.closed) break reading;
        write(event);
        // One event at a time into a slow connection: a batch may be long, and the socket's
        // buffer must not take it all at once.
        if (!ended && conn.backpressured) await conn.whenWritable();
      }
      if (conn.closed) break;
      // The sink stopped at a backpressured connection (an empty batch): wait here for it.
      if (!ended && conn.backpressured) await conn.whenWritable();
    }
  } catch {
    // Fell behind the kept history, or the store failed: the response ends without a terminal event.
  } finally {
    subscription.close();
    conn.end();
    if (!ended) ctx.linger.left(runId);
  }
}
