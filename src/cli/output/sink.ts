// Writing to stdout or stderr without ever crashing on a closed reader. `pkt run --json | head -1`
// closes the pipe after one line; Node then reports EPIPE as an 'error' event, and an
// unhandled one kills the process with a stack trace. A sink handles that event, stops
// writing, and tells its owner once, so the run command can stop the run and exit quietly.
// It also says when the stream is ready for more (`whenWritable`), so that a fast run is read
// off the network only as fast as stdout takes it, instead of piling up in memory.

export interface Sink {
  write(text: string): void;
  /** Resolves when everything written so far has been handed to the OS (or the stream closed). */
  flush(): Promise<void>;
  /** Resolves once the stream is below its high-water mark (at once when it is), or has closed. */
  whenWritable(): Promise<void>;
  /** True once the stream failed or closed: further writes are dropped. */
  readonly closed: boolean;
  /** Stops listening to the stream; call once the output is done with it. */
  dispose(): void;
}

type Stream = NodeJS.WritableStream & {
  destroyed?: boolean;
  writableEnded?: boolean;
  writableLength?: number;
  writableHighWaterMark?: number;
};

export function createSink(stream: Stream, onClosed?: (error: Error) => void): Sink {
  let closed = false;
  // Writes not yet handed to the OS, and who waits for them to be: a counter rather than a
  // promise per write, since JSON mode writes once per event.
  let inFlight = 0;
  let waiters: Array<() => void> = [];
  // Who waits for room. They go as soon as the stream is below its mark again, which each
  // write's callback checks, rather than at 'drain' (an empty buffer): waiting for empty would
  // leave stdout idle while the next chunk comes off the network.
  let drainWaiters: Array<() => void> = [];
  const full = () => (stream.writableLength ?? 0) >= (stream.writableHighWaterMark ?? 16_384);
  const onDrain = () => {
    const ready = drainWaiters;
    drainWaiters = [];
    for (const resolve of ready) resolve();
  };

  const settle = () => {
    if (inFlight > 0 && !closed) return;
    const done = waiters;
    waiters = [];
    for (const resolve of done) resolve();
  };
  const close = (error: Error) => {
    if (closed) return;
    closed = true;
    onClosed?.(error);
    settle();
    // A closed stream never drains: nobody may be left waiting for it.
    stream.off('drain', onDrain);
    onDrain();
  };
  const onError = (error: Error) => close(error);
  // The callback comes with the error too (EPIPE), a tick before the 'error' event: take it
  // here, or a failed last write would look flushed. The count goes down either way, or
  // `flush` would wait for ever.
  const onWritten = (error?: Error | null) => {
    inFlight -= 1;
    if (error) close(error);
    settle();
    if (drainWaiters.length > 0 && !full()) {
      stream.off('drain', onDrain);
      onDrain();
    }
  };
  stream.on('error', onError);

  return {
    get closed() {
      return closed;
    },
    write(text) {
      if (closed) return;
      if (stream.destroyed || stream.writableEnded) {
        // Node's own code for this, so the owner can tell it from a failed write.
        close(Object.assign(new Error('output stream closed'), { code: 'ERR_STREAM_DESTROYED' }));
        return;
      }
      inFlight += 1;
      try {
        stream.write(text, onWritten);
      } catch (error) {
        inFlight -= 1;
        close(error instanceof Error ? error : new Error(String(error)));
      }
    },
    flush() {
      if (closed || inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
    whenWritable() {
      if (closed || !full()) return Promise.resolve();
      if (drainWaiters.length === 0) stream.once('drain', onDrain);
      return new Promise<void>((resolve) => drainWaiters.push(resolve));
    },
    dispose() {
      // Keep a no-op listener: a late EPIPE after we are done must not crash the process.
      stream.off('error', onError);
      if (!stream.listeners('error').includes(ignore)) stream.on('error', ignore);
    },
  };
}

function ignore(): void {}

/** stdout and stderr as sinks, for the modes that write both (plain, quiet, JSON Lines). */
export interface StdSinks {
  out: Sink;
  err: Sink;
  /** Resolves once both are below their high-water marks: the run's read pace. */
  whenWritable(): Promise<void>;
  /** Waits until everything written has gone out, then lets go of both streams. */
  close(): Promise<void>;
}

export function createStdSinks(
  io: { stdout: Stream; stderr: Stream },
  onStdoutClosed?: (error: Error) => void,
): StdSinks {
  const out = createSink(io.stdout, onStdoutClosed);
  const err = createSink(io.stderr);
  return {
    out,
    err,
    async whenWritable() {
      await Promise.all([out.whenWritable(), err.whenWritable()]);
    },
    async close() {
      await Promise.all([out.flush(), err.flush()]);
      out.dispose();
      err.dispose();
    },
  };
}

/**
 * Writes one text (help, a listing) and waits until it has gone out. A reader that leaves
 * early (`pkt run x --help | head -3`) ends it quietly instead of crashing on EPIPE.
 */
export async function writeText(stream: Stream, text: string): Promise<void> {
  const sink = createSink(stream);
  sink.write(text);
  await sink.flush();
  sink.dispose();
}
