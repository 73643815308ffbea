// The contract between `pkt run` and its output modes (Ink view, plain lines, JSON Lines,
// quiet). The command feeds every mode the same calls; each mode decides what to draw.

import type { ActionError } from '../../protocol/index.js';

export type OutputMode = 'tui' | 'plain' | 'json' | 'quiet';

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

export interface RunOutput {
  /** Called once, before the request goes out. */
  start(info: RunInfo): void;
  /** The run id, once the server's Pkt-Run-Id header arrives. */
  runId(id: string): void;
  /** Every event, in order, the terminal one included. */
  event(e: StreamEvent): void;
  /**
   * Resolves when the output can take more events: its streams are below their high-water
   * mark. The run reads the network no faster than this, so a slow reader (`| less`) slows
   * the server's action instead of filling memory. Modes that only draw frames need none.
   */
  whenWritable?(): Promise<void>;
  /** Called once at the end. Resolves when all output is written and any view torn down. */
  finish(outcome: RunOutcome): Promise<void>;
}

export interface OutputIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  env: NodeJS.ProcessEnv;
}
