// One event-stream response. It writes a lone event at once and batches a burst into larger
// writes (one per turn of the event loop, or per 64 KiB), makes backpressure real for the action's `send`, beats a
// heartbeat through silence, and drops a client that stops reading, so a slow reader can
// never grow the server's memory without bound.

import type { ResponseOut } from './http/exchange.js';
import type { Socket } from 'node:net';
import { encodeComment, EVENT_STREAM_HEADERS, HEADER_RUN_ID, type StreamEvent } from '../protocol/index.js';
import { heartbeatFor, type Beating, type Heartbeat } from './heartbeats.js';
import type { StallHandle, StallMonitor, StreamProgress } from './stall-monitor.js';

export interface SseConnectionOptions {
  runId: string;
  retryMs: number;
  heartbeatMs: number;
  stalledClientMs: number;
  /**
   * Unsent bytes beyond the largest frame in the backlog; over this the client is dropped (an
   * action that does not await `send`). One event of any allowed size always fits.
   */
  maxBufferedBytes: number;
  headers?: Record<string, string>;
  /** Where a dropped client is reported, one line each. */
  log?: (line: string) => void;
  /** Applies the stall rule (stalledClientMs); without one, nobody is dropped for stalling. */
  stalls?: StallMonitor;
}

// A firehose's writes: 64 KiB each costs a quarter of the system calls of 16 KiB, and still
// leaves the socket's buffer (highWaterMark) as the measure of a slow reader.
const FLUSH_AT = 64 * 1024;
const HEARTBEAT = encodeComment('heartbeat');

// The ends of turns of every connection that queued a frame in this turn of the event loop,
// run by one setImmediate: at fan-out, one per turn for the whole server instead of one per
// event.
const endingTurn: SseConnection[] = [];
function endTurns(): void {
  // Taken out first: a connection that queues again from here belongs to the next turn.
  for (const conn of endingTurn.splice(0)) conn.endTurn();
}

export class SseConnection implements Beating {
  readonly #res: ResponseOut;
  readonly #options: SseConnectionOptions;
  #pending = '';
  #flushScheduled = false;
  /** Frames queued in this turn of the event loop, and whether the last turn had several. */
  #framesThisTurn = 0;
  #bursting = false;
  #sentRetry = false;
  #closed = false;
  #heartbeat: Heartbeat | undefined;
  lastTick = 0;
  #waiters: (() => void)[] = [];
  readonly #stall: StallHandle | undefined;
  /** The largest frame queued since nothing was left unsent: the frame the backlog may hold whole. */
  #largestFrame = 0;

  constructor(res: ResponseOut, options: SseConnectionOptions) {
    this.#res = res;
    this.#options = options;
    const socket = res.socket as Socket | null;
    const onStall = () => this.#drop(`took no bytes for ${options.stalledClientMs / 1000} s`);
    if (socket && options.stalls) this.#stall = options.stalls.watch(socket, onStall);
    else if (res.bytesTaken !== undefined && options.stalls) this.#stall = options.stalls.watchStream(res as StreamProgress, onStall);
    res.on('close', () => this.#onClose());
    res.on('drain', () => this.#onDrain());
    // Once the last byte is with the kernel, the socket may serve another request.
    res.on('finish', () => this.#stall?.stop());
  }

  /** Sends the status and headers at once, so clients see the run id before any event. */
  open(): void {
    this.#res.writeHead(200, {
      ...EVENT_STREAM_HEADERS,
      ...this.#options.headers,
      [HEADER_RUN_ID]: this.#options.runId,
    });
    this.#res.flushHeaders();
    this.#heartbeat = heartbeatFor(this.#options.heartbeatMs);
    this.#heartbeat.add(this);
  }

  get closed(): boolean {
    // A client may leave before the stream opens (while its run was being set up).
    return this.#closed || this.#res.destroyed;
  }

  /** Calls `listener` once the response is gone: ended, or dropped by either side. */
  onClose(listener: () => void): void {
    if (this.closed) queueMicrotask(listener);
    else this.#res.once('close', listener);
  }

  deliver(_event: StreamEvent, frame: string): void {
    if (this.#closed) return;
    if (!this.#sentRetry) {
      // The first block carries `retry:`; a field line may open any block.
      this.#sentRetry = true;
      this.#queue(`retry: ${this.#options.retryMs}\n${frame}`);
    } else {
      this.#queue(frame);
    }
  }

  get backpressured(): boolean {
    // Pending text never reaches FLUSH_AT (it is written then), so the socket's own
    // buffer is the one measure of a slow reader.
    return !this.#closed && this.#res.writableNeedDrain;
  }

  whenWritable(): Promise<void> {
    if (!this.backpressured) return Promise.resolve();
    if (this.#overBacklog()) {
      this.#dropBehind();
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  end(): void {
    if (this.#closed) return;
    this.#flush();
    this.#res.end();
    // The stall rule still holds until the last byte is with the kernel ('finish'): a client
    // that stops reading the last events would otherwise hold its socket for good.
    this.#stop();
  }

  #unsent(): number {
    return this.#res.writableLength + this.#pending.length;
  }

  #overBacklog(): boolean {
    return this.#unsent() - this.#largestFrame > this.#options.maxBufferedBytes;
  }

  #queue(text: string): void {
    if (this.#unsent() === 0) this.#largestFrame = 0;
    if (text.length > this.#largestFrame) this.#largestFrame = text.length;
    this.#pending += text;
    this.#framesThisTurn++;
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      if (endingTurn.push(this) === 1) setImmediate(endTurns);
      // A lone event (one a second, to thousands of streams) goes out at once rather than
      // waiting for the rest of the turn. In a burst, the last turn brought several frames,
      // and this turn's are batched into one write at its end: a write per frame would
      // double the system calls of a firehose.
      if (!this.#bursting) this.#flush();
    } else if (this.#pending.length >= FLUSH_AT) {
      this.#flush();
    }
    if (this.#overBacklog()) this.#dropBehind();
  }

  #dropBehind(): void {
    this.#drop(`fell ${this.#unsent() - this.#largestFrame} bytes behind (limits.maxBufferedBytes is ${this.#options.maxBufferedBytes})`);
  }

  #drop(why: string): void {
    if (this.#res.destroyed) return;
    this.#options.log?.(`run ${this.#options.runId}: dropped a client that ${why}`);
    this.#res.destroy();
  }

  /** The end of a turn in which frames were queued: the turn's batch goes out. */
  endTurn(): void {
    this.#flushScheduled = false;
    this.#bursting = this.#framesThisTurn > 1;
    this.#framesThisTurn = 0;
    this.#flush();
  }

  #flush(): void {
    if (this.#closed || this.#pending === '') return;
    const text = this.#pending;
    this.#pending = '';
    this.#res.write(text);
    if (this.#heartbeat) this.lastTick = this.#heartbeat.tick;
  }

  /** After a period of silence (heartbeats.ts). */
  beat(): void {
    if (this.#closed) return;
    // Bytes still waiting keep proxies awake as well as a comment would; the stall rule
    // decides about a client that does not take them.
    if (this.#res.writableLength === 0) this.#res.write(HEARTBEAT);
  }

  #onDrain(): void {
    if (this.#res.writableNeedDrain) return;
    this.#release();
  }

  #onClose(): void {
    this.#closed = true;
    this.#stall?.stop();
    this.#stop();
  }

  #stop(): void {
    this.#heartbeat?.delete(this);
    this.#closed = true;
    this.#pending = '';
    this.#release();
  }

  #release(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}
