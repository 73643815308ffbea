// The stall rule of PROTOCOL.md §6: a client that takes no bytes of its stream for
// `stalledClientMs`, while bytes wait for it, is dropped.
//
// What a client has taken is what its side acknowledged: the bytes the kernel accepted from
// the socket (libuv's dispatched bytes, less its write queue) less what the kernel still holds
// unacknowledged (kernel-queues.ts). Counting only what the kernel accepted, or waiting for
// the socket's buffer to empty, sees a stalled client as busy while the kernel's send buffer
// (megabytes) fills, and a steady reader of a large event as stalled. Where the kernel does
// not say (not Linux), the bytes it accepted are the measure.
//
// One timer checks every stream of the server a fifteenth of the limit apart, reading the kernel's
// table once per check: a stalled client goes between 1 and 1.07 limits after its last byte
// (30 to 32 s by default).

import type { Socket } from 'node:net';
import { connectionKey, readSendQueues, type SendQueues } from './kernel-queues.js';

const CHECKS_PER_PERIOD = 15;

/**
 * A response with no socket of its own (a fetch handler's stream): what its reader has taken,
 * and what still waits for it, as its writer counts them.
 */
export interface StreamProgress {
  readonly destroyed: boolean;
  readonly bytesTaken: number;
  readonly writableLength: number;
}

interface Watched {
  /** What the client has taken, and whether anything waits for it, as of this check. */
  measure(queues: SendQueues | undefined): { taken: number; waiting: boolean };
  isGone(): boolean;
  onStall: () => void;
  taken: number;
  lastProgressAt: number;
}

export interface StallHandle {
  stop(): void;
}

type NodeSocket = Socket & { _bytesDispatched?: number; _handle?: { writeQueueSize?: number } | null };

export class StallMonitor {
  readonly #limitMs: number;
  readonly #readQueues: () => SendQueues | undefined;
  readonly #watched = new Set<Watched>();
  #timer: NodeJS.Timeout | undefined;

  constructor(limitMs: number, readQueues: () => SendQueues | undefined = readSendQueues) {
    this.#limitMs = limitMs;
    this.#readQueues = readQueues;
  }

  watch(socket: Socket, onStall: () => void): StallHandle {
    const key = connectionKey(socket);
    return this.#add({
      measure: (queues) => {
        const inKernel = (key !== undefined ? queues?.get(key) : undefined) ?? 0;
        return { taken: accepted(socket) - inKernel, waiting: socket.writableLength !== 0 || inKernel !== 0 };
      },
      isGone: () => socket.destroyed,
      onStall,
      taken: accepted(socket),
      lastProgressAt: performance.now(),
    });
  }

  /** The same rule for a response streamed without a socket of its own (a fetch handler's). */
  watchStream(stream: StreamProgress, onStall: () => void): StallHandle {
    return this.#add({
      measure: () => ({ taken: stream.bytesTaken, waiting: stream.writableLength !== 0 }),
      isGone: () => stream.destroyed,
      onStall,
      taken: stream.bytesTaken,
      lastProgressAt: performance.now(),
    });
  }

  #add(entry: Watched): StallHandle {
    this.#watched.add(entry);
    this.#timer ??= setInterval(this.#check, Math.max(10, Math.ceil(this.#limitMs / CHECKS_PER_PERIOD))).unref();
    return { stop: () => this.#forget(entry) };
  }

  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#watched.clear();
  }

  readonly #check = (): void => {
    const now = performance.now();
    const queues = this.#readQueues();
    for (const entry of this.#watched) {
      if (entry.isGone()) {
        this.#forget(entry);
        continue;
      }
      const { taken, waiting } = entry.measure(queues);
      if (!waiting) {
        // Nothing waits for this client: it has taken all it was sent.
        entry.lastProgressAt = now;
      } else if (taken > entry.taken) {
        entry.lastProgressAt = now;
      } else if (now - entry.lastProgressAt >= this.#limitMs) {
        this.#forget(entry);
        entry.onStall();
        continue;
      }
      entry.taken = taken;
    }
  };

  #forget(entry: Watched): void {
    this.#watched.delete(entry);
    if (this.#watched.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}

/** Bytes the kernel accepted from the socket: handed to libuv, less what libuv still queues. */
function accepted(socket: NodeSocket): number {
  const dispatched = socket._bytesDispatched ?? socket.bytesWritten - socket.writableLength;
  return dispatched - (socket._handle?.writeQueueSize ?? 0);
}
