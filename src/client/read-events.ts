// One stream's body, read off the network and decoded into events by protocol's decoder.
// Backpressure from the caller to the network: the next chunk is read only once `ready` says
// the caller can take more (a CLI waits for its stdout to drain). While nothing is read, the
// socket's buffers fill and the server's `send` waits, instead of the client's memory growing.
// Web streams only: it runs in browsers too.

import { createDecoder, type StreamEvent } from '../protocol/index.js';

export type ReadyCheck = () => Promise<void> | void;

export interface ReadEventsOptions {
  onEvent(event: StreamEvent): void;
  /** Awaited before each chunk is read; what it throws ends the read with that error. */
  ready?: ReadyCheck;
  /** The server vouches that every `data` is JSON text (pkt's does): see StreamEvent's `knownJson`. */
  knownJson?: boolean;
}

/**
 * Reads `body` to its end, handing over each event as soon as its chunk is decoded. Resolves
 * when the body ends (a block left open is dropped, as the SSE rules say); rejects with the
 * error when reading fails (a dropped connection, an abort) or `ready` throws.
 */
export async function readEvents(body: ReadableStream<Uint8Array>, options: ReadEventsOptions): Promise<void> {
  const { ready } = options;
  const decoder = createDecoder({ onEvent: options.onEvent, knownJson: options.knownJson === true });
  const reader = body.getReader();
  try {
    for (;;) {
      if (ready) await ready();
      const { done, value } = await reader.read();
      if (done) break;
      decoder.feed(value);
    }
  } catch (err) {
    // Nobody reads the rest: let the connection go (a no-op when the read itself failed).
    reader.cancel(err).catch(() => {});
    throw err;
  }
  decoder.end();
}
