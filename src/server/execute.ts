// Runs an action's `streamProgress` inside a run, and turns however it ends into exactly one
// terminal event: its `sendComplete`, an `error` for a throw, or an `error` for returning
// without a result. Never a silently cut stream.

import { ActionError, type ErrorBody } from '../protocol/index.js';
import type { ActionStream } from './define-action.js';
import type { RegisteredAction } from './registry.js';
import { UnsendableEvent } from './runs/event-data.js';
import { SENT, type Run } from './runs/run.js';

export interface ExecuteContext {
  dev: boolean;
  log: (line: string) => void;
  lastEventId: string;
}

export async function executeStream(registered: RegisteredAction, input: unknown, run: Run, ctx: ExecuteContext): Promise<void> {
  // A payload that cannot be sent ends the run with an error at once: the client must learn
  // that an event is missing, whether or not the action awaits the rejection.
  const refuse = (err: unknown): never => {
    if (err instanceof UnsendableEvent && !run.ended) run.fail(errorBodyFor(err, registered.name, ctx));
    throw err;
  };
  const stream: ActionStream = {
    send: (type, data) => {
      const sent = run.send(type, data);
      return sent === SENT ? sent : observed(sent.catch(refuse));
    },
    sendComplete: (result) => observed(run.complete(result).catch(refuse)),
    sleep: (ms) => run.sleep(ms),
    signal: run.signal,
    lastEventId: ctx.lastEventId,
    runId: run.id,
  };
  try {
    const returned = await registered.action.streamProgress!(input, stream);
    if (run.ended) return;
    if (returned !== undefined) {
      await run.complete(returned);
    } else {
      run.fail(
        internal(ctx.dev, `${registered.name}: streamProgress returned without calling stream.sendComplete(result)`, ctx.log),
      );
    }
  } catch (err) {
    // After a cancel or shutdown, the throw is usually the abort itself coming back.
    if (run.ended) return;
    run.fail(errorBodyFor(err, registered.name, ctx));
  }
}

/**
 * Marks a promise as handled while still returning it. An action that does not await `send`
 * (a Piko-style loop, a timer) would otherwise leave a rejection nobody handles once its client
 * leaves, and Node ends the process on those: one careless action must not stop the server.
 */
function observed(promise: Promise<void>): Promise<void> {
  if (promise !== SENT) promise.catch(() => {});
  return promise;
}

/** The error an action's throw becomes: an ActionError as thrown, anything else redacted. */
export function errorBodyFor(err: unknown, actionName: string, ctx: Pick<ExecuteContext, 'dev' | 'log'>): ErrorBody {
  if (err instanceof ActionError) return err.toJSON();
  const message = err instanceof Error ? err.message : String(err);
  ctx.log(`action ${actionName} failed: ${err instanceof Error && err.stack ? err.stack : message}`);
  return internal(ctx.dev, message);
}

function internal(dev: boolean, message: string, log?: (line: string) => void): ErrorBody {
  log?.(message);
  return new ActionError(
    500,
    'INTERNAL',
    dev ? message : 'the action failed; the server log has the details (start the server with --dev to see them here)',
  ).toJSON();
}
