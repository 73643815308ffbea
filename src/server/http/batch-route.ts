// `POST {base}/_batch`: several plain calls in one request, in Piko's shape, so a Piko page's
// batched calls work against pkt serve.
//
//   request  {"actions":[{"name":"task.process","args":{...}}, ...]}
//   answer   200 {"results":[{"name","status","data"} | {"name","status","error","code"}, ...],"success":bool}
//
// Each entry keeps its own status (200, or the status its own call would have answered) and
// all of them run, in order, whatever became of the ones before ("continue all, report
// failures"); `success` is true when none failed. Only a batch that cannot be read at all
// (not JSON, no list, over 100 entries) is an error answer of its own.

import type { RequestIn, ResponseOut } from './exchange.js';
import { ActionError, MAX_BATCH_ACTIONS, isValidActionName, normalizeBasePath } from '../../protocol/index.js';
import { errorBodyFor } from '../execute.js';
import { sendJson } from '../respond.js';
import { eventData } from '../runs/event-data.js';
import { readJsonInput } from './body.js';
import type { HandlerContext } from './context.js';
import { stripPikoTokens } from './normalize-input.js';
import { runCall } from './plain-call.js';

export interface BatchResult {
  name: string;
  status: number;
  data?: unknown;
  error?: string;
  code?: string;
  /** pkt's addition for a 422: the messages per field, as a single call's answer has them. */
  errors?: Record<string, string[]>;
}

const SHAPE = 'a batch is {"actions":[{"name":"task.process","args":{"name":"foo"}}]}';

export async function runBatch(ctx: HandlerContext, req: RequestIn, res: ResponseOut, cors: Record<string, string>): Promise<void> {
  // The token of the whole batch goes with its CSRF check, which pkt does not make.
  const body = stripPikoTokens(await readJsonInput(req, ctx.limits));
  const { actions } = body;
  if (!Array.isArray(actions)) throw new ActionError(400, 'BAD_JSON', `the batch has no "actions" list; ${SHAPE}`);
  if (actions.length > MAX_BATCH_ACTIONS) {
    throw new ActionError(400, 'BAD_JSON', `the batch has ${actions.length} actions; send at most ${MAX_BATCH_ACTIONS} in one`);
  }
  const controller = new AbortController();
  ctx.calls.add(controller);
  res.on('close', () => {
    ctx.calls.delete(controller);
    if (!res.writableFinished) controller.abort(new ActionError(499, 'CANCELLED', 'the client disconnected'));
  });
  const results: BatchResult[] = [];
  try {
    for (const item of actions) {
      if (controller.signal.aborted) break;
      results.push(await runEntry(ctx, item, controller.signal));
    }
  } finally {
    ctx.calls.delete(controller);
  }
  // Shutdown (or the client leaving) stops the batch: it answers as a single call would.
  if (controller.signal.aborted) throw controller.signal.reason;
  sendJson(res, 200, { results, success: results.every((r) => r.status < 400) }, cors);
}

async function runEntry(ctx: HandlerContext, item: unknown, signal: AbortSignal): Promise<BatchResult> {
  const entry = (typeof item === 'object' && item !== null && !Array.isArray(item) ? item : {}) as { name?: unknown; args?: unknown };
  const name = typeof entry.name === 'string' ? entry.name : '';
  try {
    if (!isValidActionName(name)) {
      throw new ActionError(400, 'BAD_ACTION_NAME', `each entry needs the "name" of an action, such as task.process; ${SHAPE}`);
    }
    const action = await ctx.host.resolve(name, normalizeBasePath(ctx.basePath));
    const data = await runCall(ctx, action, stripPikoTokens(argsOf(entry.args)), signal);
    return { name, status: 200, data: sendable(ctx, name, data) };
  } catch (err) {
    if (!(err instanceof ActionError)) ctx.log(`batch entry ${name || '(no name)'} failed: ${(err as Error)?.stack ?? err}`);
    const error = err instanceof ActionError ? err : new ActionError(500, 'INTERNAL', 'the server failed; see its log');
    const result: BatchResult = { name, status: error.status, error: error.message, code: error.code };
    if (error.errors) result.errors = error.errors;
    return result;
  }
}

/**
 * A result JSON cannot carry is its action's fault, answered as that entry's error (as a single
 * call's would be); left in, it would drop out of the answer or fail the whole batch.
 */
function sendable(ctx: HandlerContext, name: string, data: unknown): unknown {
  try {
    eventData(data, Number.POSITIVE_INFINITY, `${name}: call`);
  } catch (err) {
    throw ActionError.fromBody(errorBodyFor(err, name, ctx));
  }
  return data;
}

/**
 * An entry's input. Piko's client `batch()` sends an action's arguments by position,
 * `{"0": {...}}`, where a single call spreads its one object argument into the body: a lone
 * object at "0" is that argument.
 */
function argsOf(args: unknown): Record<string, unknown> {
  if (args === undefined || args === null) return {};
  if (typeof args !== 'object' || Array.isArray(args)) {
    throw new ActionError(400, 'BAD_JSON', `"args" must be an object of the action's input fields; ${SHAPE}`);
  }
  const record = args as Record<string, unknown>;
  const keys = Object.keys(record);
  const only = record['0'];
  if (keys.length === 1 && keys[0] === '0' && typeof only === 'object' && only !== null && !Array.isArray(only)) {
    return only as Record<string, unknown>;
  }
  return record;
}
