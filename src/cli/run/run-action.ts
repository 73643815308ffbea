// One run of one action, from the request to the outcome: feeds the output mode every call
// of RunOutput and turns every failure into an ActionError. No process, no argv: the command
// owns those, so this is testable with a fake output.

import type { Client } from '../../client/index.js';
import { ActionError } from '../../protocol/index.js';
import type { RunOutcome, RunOutput } from '../output/types.js';

/** Why the command stopped a run early: Ctrl-C, a reader that went away, or a write that failed. */
export type StopReason = 'interrupt' | 'stdout-closed' | 'stdout-failed';

export interface RunRequest {
  client: Client;
  action: string;
  input: Record<string, unknown>;
  stream: boolean;
  detach: boolean;
  timeoutMs?: number;
  /** Aborts with a StopReason: Ctrl-C, or a reader that went away. */
  signal: AbortSignal;
  /** The server's URL, for the header and the messages. */
  url: string;
  /** The server runs in this process: the header says `embedded`. */
  embedded?: boolean;
}

export interface RunResult {
  outcome: RunOutcome;
  runId?: string;
}

export async function runAction(request: RunRequest, output: RunOutput): Promise<RunResult> {
  const { client, action, input, stream, detach, timeoutMs, signal, url, embedded = false } = request;
  let runId: string | undefined;
  output.start({ action, url, streaming: stream, embedded });
  let call = client
    .call(action, input)
    .withStream(stream)
    .withSignal(signal)
    .withOnRunId((id) => {
      runId = id;
      output.runId(id);
    })
    .withOnEvent((e) => output.event(e));
  // Read the stream only as fast as the output writes it (JSON Lines into `| less`, say).
  if (output.whenWritable) call = call.withBackpressure(() => output.whenWritable!());
  if (detach) call = call.withDetach();
  if (timeoutMs !== undefined) call = call.withTimeout(timeoutMs);

  let outcome: RunOutcome;
  try {
    outcome = { ok: true, result: await call.call() };
  } catch (err) {
    if (signal.aborted) {
      outcome = { ok: false, error: stoppedError(signal.reason as StopReason, runId, detach, client), interrupted: true };
    } else {
      outcome = { ok: false, error: err instanceof ActionError ? err : new ActionError(500, 'INTERNAL', String(err)) };
    }
  }
  const result: RunResult = { outcome };
  if (runId !== undefined) result.runId = runId;
  return result;
}

/** Says what became of the run on the server, since the person stopped it. */
export function stoppedError(reason: StopReason, runId: string | undefined, detach: boolean, client: Pick<Client, 'url'>): ActionError {
  // Ctrl-C needs no explanation (the view says "cancelled"); a closed stdout does.
  const why = reason === 'stdout-closed' ? 'stdout closed: ' : reason === 'stdout-failed' ? 'cannot write to stdout: ' : '';
  const run = runId ? `run ${runId}` : 'the run';
  const fate = detach
    ? runId
      ? `${run} goes on, detached; re-attach with GET ${client.url}/runs/${runId}, cancel with DELETE on the same URL`
      : `${run} goes on, detached`
    : `${run} cancelled on the server`;
  return new ActionError(499, 'CANCELLED', `${why}${fate}`);
}
