// What a run is made of, as the reducer, the output modes and the Ink view all see it: what
// is run, each event it sends, and how it ends. Plain data, so any of them can hold it.

import type { ActionError } from '../../protocol/index.js';

/** One event as it came off the stream; the terminal event (`complete`/`error`) included. */
export interface StreamEvent {
  type: string;
  /** The event's id (its seq), or '' when the server sent none (Piko). */
  id: string;
  /** The payload, parsed as JSON where it parses, else the raw string. */
  data: unknown;
}

export interface RunInfo {
  action: string;
  /** The server's base URL, for the header and for messages. */
  url: string;
  /** False with --no-stream: no events will come, only `finish`. */
  streaming: boolean;
}

export type RunOutcome =
  | { ok: true; result: unknown }
  | { ok: false; error: ActionError; interrupted?: boolean };
