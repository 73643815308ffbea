// One run of one action, or one attach to a run, from the request to the outcome: feeds the
// output mode every call of RunOutput and turns every failure into an ActionError. No
// process, no argv: the command owns those, so this is testable with a fake output.

import type { ActionCall, Client } from '../../client/index.js';
import { ActionError } from '../../protocol/index.js';
import type { RunOutcome, RunOutput } from '../output/types.js';

/** Why the command stopped a run early: Ctrl-C, a reader that went away, or a write that failed. */
export type StopReason = 'interrupt' | 'stdout-closed' | 'stdout-failed';

/** An existing run to follow instead of starting one (`pkt attach`). */
export interface AttachTarget {
  runId: string;
  /** Replay after this seq; without it, from the oldest event the server has. */
  from?: string;
  /** The run was started with --detach: it goes on when nobody watches. */
  detached: boolean;
}

export interface RunRequest {
  client: Client;
  /** The action's name: run (`pkt run`), or shown (`pkt attach`). */
  action: string;
  input: Record<string, unknown>;
  stream: boolean;
  detach: boolean;
  /** Follow this run rather than start the action. */
  attach?: AttachTarget;
  /** Re-attach by itself after a dropped connection (the default); false with --no-retry. */
  retry?: boolean;
  timeoutMs?: number;
  /** Aborts with a StopReason: Ctrl-C, or a reader that went away. */
  signal: AbortSignal;
  /** The server's URL, for the header and the messages. */
  url: string;
  /** The server runs inside this pkt and stops with it, runs and all: the header says `embedded`. */
  embedded?: boolean;
}

export interface RunResult {
  outcome: RunOutcome;
  runId?: string;
}

export async function runAction(request: RunRequest, output: RunOutput): Promise<RunResult> {
  const { client, action, input, stream, detach, attach, timeoutMs, signal, url, embedded = false } = request;
  let runId = attach?.runId;
  output.start({ action, url, streaming: stream || attach !== undefined, embedded });
  let call: ActionCall = attach
    ? client.attach(attach.runId, attach.from === undefined ? {} : { lastEventId: attach.from })
    : client.call(action, input).withStream(stream);
  call = call
    .withSignal(signal)
    .withOnRunId((id) => {
      runId = id;
      output.runId(id);
    })
    .withOnEvent((e) => output.event(e))
    .withOnConnection((state, info) => output.connection?.(state, info));
  // Read the stream only as fast as the output writes it (JSON Lines into `| less`, say).
  if (output.whenWritable) call = call.withBackpressure(() => output.whenWritable!());
  if (detach && !attach) call = call.withDetach();
  if (request.retry === false) call = call.withRetryStream(false);
  if (timeoutMs !== undefined) call = call.withTimeout(timeoutMs);

  let outcome: RunOutcome;
  try {
    outcome = { ok: true, result: await call.call() };
  } catch (err) {
    if (signal.aborted) {
      const fate = runFate(request);
      outcome = { ok: false, error: stoppedError(signal.reason as StopReason, runId, fate, { url, embedded: request.embedded === true }), interrupted: true };
    } else {
      outcome = { ok: false, error: err instanceof ActionError ? err : new ActionError(500, 'INTERNAL', String(err)) };
    }
  }
  const result: RunResult = { outcome };
  if (runId !== undefined) result.runId = runId;
  return result;
}

/**
 * What becomes of a run when pkt stops watching it: `cancelled` (pkt started it and cancels
 * it), `goes-on` (detached), `lingers` (attached to a run that was not detached: the server
 * cancels it unless someone re-attaches in time).
 */
export type RunFate = 'cancelled' | 'goes-on' | 'lingers';

function runFate(request: RunRequest): RunFate {
  if (request.attach) return request.attach.detached ? 'goes-on' : 'lingers';
  return request.detach ? 'goes-on' : 'cancelled';
}

/** The code of an interrupted outcome whose run goes on: the view says "stopped watching", not "cancelled". */
export const STOPPED_WATCHING = 'STOPPED_WATCHING';

/** Says what became of the run on the server, since the person stopped watching it. */
export function stoppedError(
  reason: StopReason,
  runId: string | undefined,
  fate: RunFate,
  server: { url: string; embedded: boolean },
): ActionError {
  // Ctrl-C needs no explanation; a closed stdout does.
  const why = reason === 'stdout-closed' ? 'stdout closed: ' : reason === 'stdout-failed' ? 'cannot write to stdout: ' : '';
  const run = runId ? `run ${runId}` : 'the run';
  if (fate === 'cancelled') return new ActionError(499, 'CANCELLED', `${why}${run} cancelled on the server`);
  if (server.embedded) {
    return new ActionError(499, STOPPED_WATCHING, `${why}stopped; ${run} ends with pkt's embedded server (run it under \`pkt serve\` and use --url to keep it going)`);
  }
  const attach = runId ? `pkt attach ${runId} --url ${server.url}` : 'pkt runs';
  const text =
    fate === 'goes-on'
      ? `${why}stopped watching; ${run} goes on: ${attach}`
      : `${why}stopped watching; ${run} was not detached, so the server cancels it unless someone re-attaches soon: ${attach}`;
  return new ActionError(499, STOPPED_WATCHING, text);
}
