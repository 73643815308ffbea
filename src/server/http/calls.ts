// Plain calls (PROTOCOL.md §2, JSON in, JSON out): a limit on how many run at once, and an
// abort for the action when its client leaves or the server stops.

import type { ResponseOut } from './exchange.js';
import { ActionError } from '../../protocol/index.js';
import { errorBodyFor } from '../execute.js';
import type { HostedAction } from '../host.js';
import { sendJsonText } from '../respond.js';
import { eventData } from '../runs/event-data.js';
import type { HandlerContext } from './context.js';
import { runCall } from './plain-call.js';

/** Without a limit, a flood of slow calls holds memory and sockets until the process falls over. */
export function checkCallCapacity(ctx: HandlerContext): void {
  const max = ctx.limits.maxConcurrentCalls;
  if (ctx.calls.size >= max) {
    throw new ActionError(429, 'BUSY', `the server is running ${max} calls at once, its limit; retry in a moment`);
  }
}

export async function callPlain(
  ctx: HandlerContext,
  action: HostedAction,
  input: Record<string, unknown>,
  res: ResponseOut,
  cors: Record<string, string>,
): Promise<void> {
  checkCallCapacity(ctx);
  const controller = new AbortController();
  ctx.calls.add(controller);
  res.on('close', () => {
    ctx.calls.delete(controller);
    if (!res.writableFinished) controller.abort(new ActionError(499, 'CANCELLED', 'the client disconnected'));
  });
  let text: string;
  try {
    const result = await runCall(ctx, action, input, controller.signal);
    try {
      text = eventData(result, Number.POSITIVE_INFINITY, `${action.name}: call`);
    } catch (err) {
      // A result JSON cannot carry is the action's fault, answered like its throw.
      throw ActionError.fromBody(errorBodyFor(err, action.name, ctx));
    }
  } finally {
    ctx.calls.delete(controller);
  }
  sendJsonText(res, 200, text, cors);
}
