// What the run command may pass to `createOutput` besides the mode and the streams.

export interface OutputOptions {
  /** The clock, in ms; injected by tests. Defaults to `performance.now()`. */
  now?: () => number;
  /**
   * Called once when stdout stops taking output (EPIPE: `pkt run --json | head -1`). Output
   * then goes nowhere, quietly; the run command should stop the run and exit.
   */
  onStdoutClosed?: (error: Error) => void;
  /** How many of the latest events the Ink view's log keeps (default 100). */
  logLimit?: number;
}
