// Executing a planned run: the output mode chosen in the plan, Ctrl-C, a stdout that fails or
// whose reader leaves, and the run itself (run-action.ts). Returns how it ended; the exit
// code is run-exit.ts's to pick.

import { createOutput, type OutputIO, type RunOutput } from '../output/index.js';
import type { RunOutcome } from '../state/types.js';
import { EXIT } from './exit-codes.js';
import { readerWentAway } from './messages.js';
import { runAction, type AttachTarget, type StopReason } from './run-action.js';
import type { RunPlan } from './run-plan.js';
import type { ServerSession } from './with-server.js';

export interface ExecuteIO extends OutputIO {
  /** Calls `handler` on each Ctrl-C; returns a function that stops listening. */
  onInterrupt(handler: () => void): () => void;
  /** Leaves at once (a second Ctrl-C). */
  exitNow(code: number): void;
}

export interface RunEnd {
  /** How the run ended, its error worded for a person (ServerSession.explain). */
  outcome: RunOutcome;
  /** Why stdout stopped taking output, when it did: what was written is incomplete. */
  stdoutFailure?: Error;
}

export async function executeRun(
  plan: Pick<RunPlan, 'action' | 'mode' | 'stream' | 'detach' | 'timeoutMs' | 'retry'> & { attach?: AttachTarget },
  input: Record<string, unknown>,
  server: ServerSession,
  io: ExecuteIO,
): Promise<RunEnd> {
  // Ctrl-C: the first stops the run (and the output says so), the second leaves at once.
  const stop = new AbortController();
  let interrupts = 0;
  const offInterrupt = io.onInterrupt(() => {
    interrupts += 1;
    if (interrupts > 1) io.exitNow(EXIT.INTERRUPTED);
    else stop.abort('interrupt' satisfies StopReason);
  });
  let stdoutFailure: Error | undefined;
  const output = await createOutput(plan.mode, io, {
    onStdoutClosed: (error) => {
      // `pkt run --json ... | head -1`: the reader has what it wanted; stop quietly. Any
      // other failure (a full disk) loses output: stop too, and say so at the end.
      stdoutFailure = error;
      stop.abort((readerWentAway(error) ? 'stdout-closed' : 'stdout-failed') satisfies StopReason);
    },
  });
  const { outcome } = await runAction(
    {
      client: server.client,
      action: plan.action,
      input,
      stream: plan.stream,
      detach: plan.detach,
      retry: plan.retry,
      ...(plan.attach ? { attach: plan.attach } : {}),
      ...(plan.timeoutMs !== undefined ? { timeoutMs: plan.timeoutMs } : {}),
      signal: stop.signal,
      url: server.url,
      embedded: server.embedded,
    },
    plan.detach && !plan.attach && !server.embedded ? withDetachNote(output, plan.mode, server.url, io.stderr) : output,
  );
  const shown: RunOutcome = outcome.ok ? outcome : { ...outcome, error: server.explain(outcome.error, plan.action) };
  // A failed stdout makes the rest moot; only the terminal view has something to take down.
  if (stdoutFailure === undefined || plan.mode === 'tui') await output.finish(shown);
  offInterrupt();
  // Read after `finish` too, which is where quiet and plain modes write the result.
  const failure = stdoutFailure as Error | undefined;
  return failure === undefined ? { outcome: shown } : { outcome: shown, stdoutFailure: failure };
}

/**
 * `pkt run --detach`: as soon as the run has an id, say how to follow it later. The terminal
 * view shows the id in its header (a line on stderr would tear through it); the others get a
 * line on stderr, quiet mode none.
 */
function withDetachNote(output: RunOutput, mode: RunPlan['mode'], url: string, stderr: NodeJS.WritableStream): RunOutput {
  if (mode === 'tui' || mode === 'quiet') return output;
  return {
    ...output,
    runId(id) {
      output.runId(id);
      stderr.write(`pkt: run ${id} is detached: it goes on if pkt stops; follow it with \`pkt attach ${id} --url ${url}\`\n`);
    },
  };
}
