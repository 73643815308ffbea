// The contract between `pkt run` and its output modes (Ink view, plain lines, JSON Lines,
// quiet). The command feeds every mode the same calls; each mode decides what to draw.

import type { ConnectionInfo, ConnectionState } from '../../client/index.js';
import type { StreamEvent } from '../../protocol/index.js';
import type { RunInfo, RunOutcome } from '../state/types.js';

export type { RunInfo, RunOutcome } from '../state/types.js';

export type OutputMode = 'tui' | 'plain' | 'json' | 'quiet';

export interface RunOutput {
  /** Called once, before the request goes out. */
  start(info: RunInfo): void;
  /** The run id, once the server's Pkt-Run-Id header arrives. */
  runId(id: string): void;
  /** Every event, in order, the terminal one included, as it came off the stream. */
  event(e: StreamEvent): void;
  /** The stream was lost and is being re-attached ('reconnecting'), or is open ('connected'). */
  connection?(state: ConnectionState, info: ConnectionInfo): void;
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
