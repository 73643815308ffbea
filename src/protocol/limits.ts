// Default limits (PROTOCOL.md §6). Servers and clients take these unless told otherwise.

export const DEFAULT_LIMITS = {
  /** Largest request body, in bytes. */
  maxBodyBytes: 1024 * 1024,
  /** Deepest nesting of the input JSON. */
  maxJsonDepth: 64,
  /** Streams open at once before new ones get 429 BUSY. */
  maxConcurrentStreams: 1000,
  /** Plain calls running at once before new ones get 429 BUSY. */
  maxConcurrentCalls: 1000,
  /** Open connections before new ones get 503 BUSY (lowered to fit the process's file limit). */
  maxConnections: 4096,
  /** Largest event, as bytes of JSON data; `send` refuses a bigger one. */
  maxEventBytes: 16 * 1024 * 1024,
  /** Unsent bytes a stream may hold beyond the frame being written, before its client is dropped. */
  maxBufferedBytes: 1024 * 1024,
  /** Events a run keeps for re-attaching clients. */
  runHistoryEvents: 10_000,
  /** And at most this much of their data (in UTF-16 units), so large events cannot hog memory. */
  runHistoryBytes: 16 * 1024 * 1024,
  /** How long a finished run stays attachable, in ms. */
  runHistoryMs: 10 * 60_000,
  /** Event data kept over all runs, live and ended, before the oldest goes (PROTOCOL.md §4a). */
  historyBytes: 256 * 1024 * 1024,
  /** Runs kept, live and ended, before the oldest ended ones go. */
  historyRuns: 10_000,
  /** How long a run that was not detached goes on after its last connection drops, in ms. */
  lingerMs: 15_000,
  /** Silence before a `: heartbeat` comment, in ms. */
  heartbeatMs: 15_000,
  /** A client that takes no bytes of its stream for this long is dropped, in ms. */
  stalledClientMs: 30_000,
  /** Time to send a request's headers, in ms. */
  headersTimeoutMs: 10_000,
  /** Time to send a whole request, body included, in ms. */
  requestTimeoutMs: 30_000,
  /** `retry:` sent in a stream's first block, in ms. */
  retryMs: 2000,
} as const;

export type Limits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };

/** Piko's server refuses JSON bodies nested deeper than this; `pkt run` checks it for a server without a manifest. */
export const PIKO_MAX_JSON_DEPTH = 32;
