// An event-stream client on node:http, one connection per stream (no agent), for the stress
// scenarios that hold many streams: it hands back the response's run id, decoded events and
// raw byte counts, and lets the caller pause, pace or cut the stream.

import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { createDecoder, type StreamEvent } from '../../../src/protocol/index.js';
import { BASE } from './server.js';

export interface OpenStream {
  req: ClientRequest;
  /** Resolves once the head is in; rejects if the connection fails first. */
  head: Promise<IncomingMessage>;
  runId(): string | undefined;
  bytes(): number;
  events: StreamEvent[];
  /** Resolves when the connection has closed, however it closed. */
  closed: Promise<void>;
  close(): void;
}

export interface StreamOptions {
  port: number;
  /** An action name (POSTs the input), or `runs/<id>` (GETs, for re-attaching). */
  target: string;
  input?: unknown;
  headers?: Record<string, string>;
  /** Keep decoded events (the default); off for streams only counted in bytes. */
  decode?: boolean;
  onEvent?: (event: StreamEvent) => void;
  onData?: (chunk: Buffer, res: IncomingMessage) => void;
}

export function openStream(options: StreamOptions): OpenStream {
  const attach = options.target.startsWith('runs/');
  const body = attach ? undefined : JSON.stringify(options.input ?? {});
  const events: StreamEvent[] = [];
  let bytes = 0;
  let runId: string | undefined;
  const decoder =
    options.decode === false
      ? undefined
      : createDecoder({
          onEvent: (e) => {
            events.push(e);
            options.onEvent?.(e);
          },
        });
  const req = request({
    host: '127.0.0.1',
    port: options.port,
    method: attach ? 'GET' : 'POST',
    path: `${BASE}/${options.target}`,
    agent: false,
    headers: {
      Accept: 'text/event-stream',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) }),
      ...options.headers,
    },
  });
  let closedResolve!: () => void;
  const closed = new Promise<void>((resolve) => (closedResolve = resolve));
  const head = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', (res) => {
      runId = res.headers['pkt-run-id'] as string | undefined;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        decoder?.feed(chunk);
        options.onData?.(chunk, res);
      });
      res.on('error', () => {});
      res.on('close', () => closedResolve());
      resolve(res);
    });
    req.on('error', (err) => {
      closedResolve();
      reject(err);
    });
  });
  head.catch(() => {});
  req.end(body);
  return {
    req,
    head,
    runId: () => runId,
    bytes: () => bytes,
    events,
    closed,
    close: () => req.destroy(),
  };
}

/**
 * Reads at most `bytesPerSecond`, catching up after any lag of this process's event loop:
 * past the budget it pauses the response, and resumes when the budget has grown again.
 */
export function pace(res: IncomingMessage, bytesPerSecond: number): (chunk: Buffer) => void {
  const started = performance.now();
  let taken = 0;
  return (chunk) => {
    taken += chunk.length;
    const ahead = taken - (bytesPerSecond * (performance.now() - started)) / 1000;
    if (ahead > 0) {
      res.pause();
      setTimeout(() => res.resume(), Math.ceil((ahead / bytesPerSecond) * 1000)).unref();
    }
  };
}
