// The transport seam (exchange.ts) for fetch handlers: a Request read as a RequestIn, and a
// ResponseOut whose body is a ReadableStream. The stream hands the reader a chunk only when it
// asks (pull), so what waits for a slow reader stays here, counted: past 16 KiB `write`
// returns false and the event stream's `send` waits for 'drain', as it does on a socket. The
// reader cancelling the body, or the request's signal aborting, is the client leaving.

import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { RequestIn, ResponseOut } from './exchange.js';

/** What waits for the reader before `write` says to stop: node's default for a socket. */
const HIGH_WATER_MARK = 16 * 1024;
/** The status of the answer to a client that left before one began: nobody reads it. */
const CLIENT_GONE = 499;

export function requestIn(request: Request): RequestIn {
  const url = new URL(request.url);
  const headers: IncomingHttpHeaders = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  // A fetch Request carries its host in its URL; the routes read it from the header, as node's.
  headers.host ??= url.host;
  const body = request.body ? Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>) : Readable.from([]);
  return Object.assign(body, { method: request.method, url: `${url.pathname}${url.search}`, httpVersion: '', headers });
}

export class WebResponse extends EventEmitter implements ResponseOut {
  /** The Response, once its status and headers are known; its body streams what is written after. */
  readonly response: Promise<Response>;
  readonly socket = null;
  headersSent = false;
  writableEnded = false;
  writableFinished = false;
  destroyed = false;
  #resolve!: (response: Response) => void;
  #status = 200;
  #headers = new Headers();
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  #pending: string[] = [];
  #pendingBytes = 0;
  #taken = 0;
  #needDrain = false;
  /** Set while the reader waits for bytes: called by the next write, end or destroy. */
  #wake: (() => void) | undefined;
  #closeEmitted = false;
  /** The client left (the request's signal, a cancelled body): nobody reads what follows. */
  #left = false;
  readonly #encoder = new TextEncoder();

  constructor(signal: AbortSignal) {
    super();
    this.response = new Promise((resolve) => (this.#resolve = resolve));
    if (signal.aborted) queueMicrotask(() => this.#gone());
    else signal.addEventListener('abort', () => this.#gone(), { once: true });
  }

  writeHead(status: number, headers: OutgoingHttpHeaders = {}): this {
    if (this.headersSent) throw new Error('the response has begun; its status cannot change');
    this.#status = status;
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const one of value) this.#headers.append(name, one);
      else this.#headers.set(name, String(value));
    }
    return this;
  }

  flushHeaders(): void {
    this.#begin();
  }

  write(text: string): boolean {
    if (this.writableEnded || this.destroyed) return false;
    this.#begin();
    if (text !== '') {
      this.#pending.push(text);
      this.#pendingBytes += Buffer.byteLength(text);
      if (this.#pendingBytes >= HIGH_WATER_MARK) this.#needDrain = true;
      this.#wakeReader();
    }
    return !this.#needDrain;
  }

  end(text?: string): this {
    if (this.writableEnded) return this;
    if (!this.headersSent) {
      // The whole answer at once (JSON): no stream needed.
      this.headersSent = true;
      this.writableEnded = true;
      this.#resolve(new Response(bodyless(this.#status) ? null : (text ?? ''), { status: this.#status, headers: this.#headers }));
      this.#finish();
      return this;
    }
    if (text) this.write(text);
    this.writableEnded = true;
    this.#wakeReader();
    if (this.#pendingBytes === 0) this.#close();
    return this;
  }

  destroy(): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.#pending = [];
    this.#pendingBytes = 0;
    if (!this.headersSent) {
      this.headersSent = true;
      this.#resolve(new Response(null, { status: CLIENT_GONE }));
    }
    try {
      // Cut by pkt (a stalled reader): the reader sees the body fail, as a client sees a cut
      // connection. After the client left, the body just ends: an adapter still holding it
      // (Hono's) would log a failed body, with its stack, for every client that goes away.
      if (this.#left) this.#controller?.close();
      else this.#controller?.error(cutShort());
    } catch {
      // already closed, or cancelled by its reader
    }
    this.#wakeReader();
    this.#emitClose();
    return this;
  }

  get writableLength(): number {
    return this.#pendingBytes;
  }

  get writableNeedDrain(): boolean {
    return this.#needDrain && !this.destroyed;
  }

  /** Bytes the reader has taken so far: the stall rule's measure where there is no socket. */
  get bytesTaken(): number {
    return this.#taken;
  }

  #begin(): void {
    if (this.headersSent) return;
    this.headersSent = true;
    if (bodyless(this.#status)) {
      this.#resolve(new Response(null, { status: this.#status, headers: this.#headers }));
      return;
    }
    const body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.#controller = controller;
        },
        pull: (controller) => this.#pull(controller),
        cancel: () => this.#gone(),
      },
      // Nothing is queued in the stream itself: each chunk is made when the reader asks.
      { highWaterMark: 0 },
    );
    this.#resolve(new Response(body, { status: this.#status, headers: this.#headers }));
  }

  #pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> | void {
    if (this.destroyed) return;
    if (this.#pendingBytes === 0 && !this.writableEnded) {
      return new Promise<void>((resolve) => (this.#wake = resolve)).then(() => this.#pull(controller));
    }
    if (this.#pendingBytes > 0) {
      // One chunk of everything waiting: a burst of small writes costs one read.
      const text = this.#pending.length === 1 ? this.#pending[0]! : this.#pending.join('');
      this.#taken += this.#pendingBytes;
      this.#pending = [];
      this.#pendingBytes = 0;
      controller.enqueue(this.#encoder.encode(text));
      if (this.#needDrain) {
        this.#needDrain = false;
        this.emit('drain');
      }
    }
    if (this.writableEnded && this.#pendingBytes === 0) this.#close();
  }

  #wakeReader(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #close(): void {
    if (this.writableFinished || this.destroyed) return;
    try {
      this.#controller?.close();
    } catch {
      // already closed
    }
    this.#finish();
  }

  #finish(): void {
    this.writableFinished = true;
    process.nextTick(() => {
      this.emit('finish');
      this.destroyed = true;
      this.#emitClose();
    });
  }

  /** The reader cancelled the body, or the request's signal aborted: the client left. */
  #gone(): void {
    if (this.writableFinished) return;
    this.#left = true;
    this.destroy();
  }

  #emitClose(): void {
    if (this.#closeEmitted) return;
    this.#closeEmitted = true;
    process.nextTick(() => this.emit('close'));
  }
}

/**
 * Why the body failed. Node's code for a stream closed before its end, which it is: adapters
 * read it as a connection that went early (Hono logs one line, not a stack; pkt has logged why).
 */
function cutShort(): Error {
  return Object.assign(new Error('the response was cut short'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

function bodyless(status: number): boolean {
  return status === 204 || status === 205 || status === 304;
}
