// A raw-socket SSE reader: net.connect, a hand-written HTTP/1.1 request, and just enough
// response parsing (status line, chunked transfer coding) to count events. No HTTP client
// library and no SSE parser in the way, so the reader costs as little as a reader can and the
// figure is the server's.

import { connect, type Socket } from 'node:net';

export interface StreamRequest {
  port: number;
  host?: string;
  path: string;
  /** JSON body of the POST. */
  body: string;
  /** Gives up (and rejects) after this long, so a stuck server never hangs the bench. */
  timeoutMs: number;
  /** Body bytes as they arrive (after de-chunking), for readers that look inside events. */
  onData?: (data: Buffer) => void;
  /** Called once the status line and headers are in. */
  onHead?: (status: number) => void;
  /** Closes the connection and resolves with what was read so far. */
  signal?: AbortSignal;
}

export interface StreamResult {
  status: number;
  /** Event blocks seen: each ends with a blank line. */
  events: number;
  /** SSE bytes, without HTTP framing. */
  bodyBytes: number;
  /** Everything read off the socket. */
  wireBytes: number;
  /** From connect to the end of the body. */
  ms: number;
}

const CRLF_CRLF = Buffer.from('\r\n\r\n');
const LF_LF = Buffer.from('\n\n');
const LF = 10;

/** Counts `\n\n` boundaries across chunk edges. Frames here never hold three LFs in a row. */
export class BoundaryCounter {
  count = 0;
  #lastWasLF = false;

  feed(buf: Buffer): void {
    if (buf.length === 0) return;
    let pos = 0;
    if (this.#lastWasLF && buf[0] === LF) {
      this.count++;
      pos = 1;
    }
    for (;;) {
      const at = buf.indexOf(LF_LF, pos);
      if (at < 0) break;
      this.count++;
      pos = at + 2;
    }
    this.#lastWasLF = buf[buf.length - 1] === LF && pos <= buf.length - 1;
  }
}

const enum State {
  Head,
  Size,
  Data,
  DataEnd,
  Raw,
  Done,
}

/**
 * De-chunks an HTTP/1.1 response body. Node's http server sends one chunk per res.write,
 * so this sees one tiny chunk per event: it stays a handful of integer operations per chunk.
 */
class ResponseParser {
  state = State.Head;
  status = 0;
  #head: Buffer[] = [];
  #sizeText = '';
  #remaining = 0;
  #crlfLeft = 0;
  constructor(readonly onBody: (data: Buffer) => void, readonly onHead: (status: number) => void) {}

  feed(buf: Buffer): void {
    if (this.state !== State.Head) return this.#continue(buf, 0);
    this.#head.push(buf);
    const all = this.#head.length === 1 ? buf : Buffer.concat(this.#head);
    const end = all.indexOf(CRLF_CRLF);
    if (end < 0) {
      this.#head = [all];
      if (all.length > 64 * 1024) throw new Error('response head over 64 KiB');
      return;
    }
    this.#head = [];
    const head = all.toString('latin1', 0, end);
    const match = /^HTTP\/1\.[01] (\d{3})/.exec(head);
    if (!match) throw new Error(`not an HTTP response: ${JSON.stringify(head.slice(0, 40))}`);
    this.status = Number(match[1]);
    this.state = /\r\ntransfer-encoding:[^\r]*chunked/i.test(head) ? State.Size : State.Raw;
    this.onHead(this.status);
    this.#continue(all, end + 4);
  }

  #continue(buf: Buffer, pos: number): void {
    const n = buf.length;
    while (pos < n) {
      switch (this.state) {
        case State.Raw:
          this.onBody(buf.subarray(pos));
          return;
        case State.Size: {
          const lf = buf.indexOf(LF, pos);
          if (lf < 0) {
            this.#sizeText += buf.toString('latin1', pos, n);
            return;
          }
          const text = this.#sizeText + buf.toString('latin1', pos, lf);
          this.#sizeText = '';
          pos = lf + 1;
          // Chunk extensions (after `;`) and the CR are ignored by parseInt.
          const size = Number.parseInt(text, 16);
          if (!Number.isFinite(size)) throw new Error(`bad chunk size line ${JSON.stringify(text)}`);
          if (size === 0) {
            this.state = State.Done;
            return;
          }
          this.#remaining = size;
          this.state = State.Data;
          break;
        }
        case State.Data: {
          const take = Math.min(this.#remaining, n - pos);
          this.onBody(buf.subarray(pos, pos + take));
          pos += take;
          this.#remaining -= take;
          if (this.#remaining === 0) {
            this.state = State.DataEnd;
            this.#crlfLeft = 2;
          }
          break;
        }
        case State.DataEnd: {
          const take = Math.min(this.#crlfLeft, n - pos);
          pos += take;
          this.#crlfLeft -= take;
          if (this.#crlfLeft === 0) this.state = State.Size;
          break;
        }
        default:
          return;
      }
    }
  }
}

/** POSTs `body` and reads the event stream to its end. */
export function readEventStream(req: StreamRequest): Promise<StreamResult> {
  const host = req.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const counter = new BoundaryCounter();
    let bodyBytes = 0;
    let wireBytes = 0;
    const started = performance.now();
    let settled = false;
    const parser = new ResponseParser(
      (data) => {
        bodyBytes += data.length;
        counter.feed(data);
        req.onData?.(data);
      },
      (status) => req.onHead?.(status),
    );
    const socket: Socket = connect({ port: req.port, host, noDelay: true });
    const timer = setTimeout(() => finish(new Error(`no end of stream within ${req.timeoutMs} ms`)), req.timeoutMs);
    function finish(err?: Error): void {
      if (settled) return;
      settled = true;
      const ms = performance.now() - started;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve({ status: parser.status, events: counter.count, bodyBytes, wireBytes, ms });
    }
    socket.on('connect', () => {
      const body = Buffer.from(req.body);
      socket.write(
        `POST ${req.path} HTTP/1.1\r\nHost: ${host}:${req.port}\r\nAccept: text/event-stream\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
      );
      socket.write(body);
    });
    socket.on('data', (buf: Buffer) => {
      wireBytes += buf.length;
      try {
        parser.feed(buf);
      } catch (err) {
        finish(err as Error);
        return;
      }
      if (parser.state === State.Done) finish();
    });
    socket.on('error', (err) => finish(err));
    req.signal?.addEventListener('abort', () => finish(), { once: true });
    // A body without chunked coding ends when the server closes.
    socket.on('end', () => finish(parser.status === 0 ? new Error('connection closed before a response') : undefined));
  });
}
