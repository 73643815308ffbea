// The transport seam under the routes: what they read of a request and how they write a
// response. node:http's IncomingMessage and ServerResponse fit these as they are (pkt serve,
// Express, Fastify's raw objects); web-exchange.ts makes a fetch Request and a streamed
// Response fit them (Hono, Next.js, Bun, Deno). So the routes, their limits, errors, runs and
// backpressure are written once, for both.

import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';

/** A request: its head, and its body as a stream of bytes (the request itself, for node:http). */
export interface RequestIn extends Readable {
  readonly method?: string | undefined;
  /** The request target: path and query. */
  readonly url?: string | undefined;
  /** '' where the transport does not say (a fetch Request). */
  readonly httpVersion: string;
  /** Lower-case names, as node:http gives them. */
  readonly headers: IncomingHttpHeaders;
  /** node:http's: the body was read to its end. */
  readonly complete?: boolean;
}

/**
 * A response being written. Writes take text; `write` returns false, and `writableNeedDrain`
 * stays true, while the reader is behind, until 'drain'. 'close' means the response is over:
 * ended, or cut by either side.
 */
export interface ResponseOut {
  writeHead(status: number, headers?: OutgoingHttpHeaders): unknown;
  /** Sends the status and headers now, before any body. */
  flushHeaders(): void;
  write(text: string): boolean;
  end(text?: string): unknown;
  /** Cuts the response (the client's connection, where there is one). */
  destroy(): unknown;
  on(event: 'close' | 'drain' | 'finish', listener: () => void): unknown;
  once(event: 'close' | 'drain' | 'finish', listener: () => void): unknown;
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  readonly writableFinished: boolean;
  readonly destroyed: boolean;
  /** Bytes written and not yet taken by the reader. */
  readonly writableLength: number;
  readonly writableNeedDrain: boolean;
  /** The connection, where the transport has one: the stall rule reads what its kernel says. */
  readonly socket: Socket | null;
  /** Where there is no socket: the bytes the reader has taken so far, for the stall rule. */
  readonly bytesTaken?: number;
}
