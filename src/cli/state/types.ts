// What a run is made of, as the reducer, the output modes and the Ink view all see it: what
// is run and how it ends. Plain data, so any of them can hold it. Each event it sends is
// protocol's StreamEvent.

import type { ActionError } from '../../protocol/index.js';

export interface RunInfo {
  action: string;
  /** The server's base URL, for the header and for messages. */
  url: string;
  /** False with --no-stream: no events will come, only `finish`. */
  streaming: boolean;
  /** The server runs inside this pkt (no --url): the header says so rather than show its passing URL. */
  embedded?: boolean;
}

export type RunOutcome =
  | { ok: true; result: unknown }
  | { ok: false; error: ActionError; interrupted?: boolean };
