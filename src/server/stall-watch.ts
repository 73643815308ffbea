// The stall rule of PROTOCOL.md §6: a client that takes no bytes of its stream for
// `stalledClientMs`, while bytes wait for it in this process, is dropped.
//
// Progress is what the kernel accepts from the socket, which it does only as the client reads
// (once the socket's buffers are full). A write whose callback has run was taken whole
// (`bytesWritten - writableLength` grows); within a large write, libuv's `writeQueueSize`
// shrinks as the kernel takes parts of it. Waiting for 'drain' instead (the whole buffer
// empty) drops a client that reads steadily but never empties a large backlog in time.

import type { Socket } from 'node:net';

/** Checks per stall period: a stalled client goes between 1 and 1.1 periods after its last byte. */
const CHECKS_PER_PERIOD = 10;

export class StallWatch {
  readonly #socket: Socket;
  readonly #limitMs: number;
  readonly #onStall: () => void;
  #timer: NodeJS.Timeout | undefined;
  #lastProgressAt = 0;
  #taken = 0;
  #queued = 0;

  constructor(socket: Socket, limitMs: number, onStall: () => void) {
    this.#socket = socket;
    this.#limitMs = limitMs;
    this.#onStall = onStall;
  }

  /** Call when bytes are waiting for the client: starts watching, unless it already is. */
  arm(): void {
    if (this.#timer) return;
    this.#sample();
    this.#lastProgressAt = performance.now();
    this.#timer = setTimeout(this.#check, this.#period());
    this.#timer.unref();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  readonly #check = (): void => {
    this.#timer = undefined;
    if (this.#socket.destroyed) return;
    // Nothing waits in this process: whatever the kernel still holds is not ours to watch.
    if (this.#socket.writableLength === 0) return;
    const now = performance.now();
    if (this.#sample()) this.#lastProgressAt = now;
    if (now - this.#lastProgressAt >= this.#limitMs) {
      this.#onStall();
      return;
    }
    this.#timer = setTimeout(this.#check, this.#period());
    this.#timer.unref();
  };

  /** True when the kernel took bytes since the last sample. */
  #sample(): boolean {
    const socket = this.#socket;
    const taken = socket.bytesWritten - socket.writableLength;
    const queued = (socket as Socket & { _handle?: { writeQueueSize?: number } })._handle?.writeQueueSize ?? 0;
    const progressed = taken > this.#taken || (taken === this.#taken && queued < this.#queued);
    this.#taken = taken;
    this.#queued = queued;
    return progressed;
  }

  #period(): number {
    return Math.max(10, Math.ceil(this.#limitMs / CHECKS_PER_PERIOD));
  }
}
