// Reads and drops the rest of a request's body before an early answer (413, 401, 429, ...).
// A server that answers and closes while the body still arrives resets the connection (the
// kernel answers unread data with RST), and the client, still writing, often never reads the
// answer: it sees EPIPE or ECONNRESET instead of a 413. Reading on is bounded, in bytes and in
// time, so a client cannot make the server read forever.

import type { RequestIn } from './exchange.js';

export interface DiscardBounds {
  maxBytes: number;
  maxMs: number;
}

/** 64 MiB: a few seconds on a slow link, a blink on loopback; beyond it the answer may be lost. */
export const DISCARD_BOUNDS: DiscardBounds = { maxBytes: 64 * 1024 * 1024, maxMs: 10_000 };

/** Resolves true once the body has ended, false when a bound was reached or the client left. */
export function discardBody(req: RequestIn, bounds: DiscardBounds = DISCARD_BOUNDS): Promise<boolean> {
  // A fetch Request says nothing of `complete`: its body has ended when its stream has.
  if ((req.complete ?? true) && req.readableEnded) return Promise.resolve(true);
  return new Promise((resolve) => {
    let size = 0;
    const finish = (all: boolean) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onClose);
      if (!all) req.pause();
      resolve(all);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > bounds.maxBytes) finish(false);
    };
    const onEnd = () => finish(true);
    const onClose = () => finish(false);
    const timer = setTimeout(() => finish(false), bounds.maxMs);
    timer.unref();
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    req.on('error', onClose);
    req.resume();
  });
}
