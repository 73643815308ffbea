// Routes for runs that exist (PROTOCOL.md §4, §4a): list them, read one, follow one (replay,
// then live), cancel one. They use the run store alone, so they answer for runs executing in
// any process that shares it.

import type { RequestIn, ResponseOut } from './exchange.js';
import {
  acceptsEventStream,
  ActionError,
  HEADER_LAST_EVENT_ID,
  isRunInfoState,
  MAX_RUNS_LIMIT,
  RUN_STATES,
  type RunFilter,
  type RunInfo,
} from '../../protocol/index.js';
import type { RunRecord, SubscribeFrom } from '../runs/store.js';
import { sendJson } from '../respond.js';
import type { HandlerContext } from './context.js';
import { followRun } from './follow.js';
import { openStream } from './streams.js';

/** `GET {base}/runs?state=&limit=&cursor=`: newest first. */
export async function listRuns(ctx: HandlerContext, url: URL, res: ResponseOut, cors: Record<string, string>): Promise<void> {
  const list = await ctx.store.list(runFilter(url.searchParams));
  sendJson(res, 200, { ...list, runs: list.runs.map(toRunInfo) }, cors);
}

/**
 * `GET {base}/runs/{runId}`: the event stream, replayed from after `Last-Event-ID` (or
 * `?from=N`) and then live; without either, from the oldest event the server still has. A
 * request that asks for JSON, and not for an event stream, gets the run's record instead.
 */
export async function getRun(
  ctx: HandlerContext,
  runId: string,
  url: URL,
  req: RequestIn,
  res: ResponseOut,
  cors: Record<string, string>,
): Promise<void> {
  const accept = req.headers.accept ?? '';
  if (!acceptsEventStream(accept) && /\bapplication\/json\b/i.test(accept)) {
    const record = await ctx.store.get(runId);
    if (!record) throw new ActionError(404, 'UNKNOWN_RUN', `no run ${runId} here (its history may have expired)`);
    return sendJson(res, 200, toRunInfo(record), cors);
  }
  const subscription = await ctx.store.subscribe(runId, await resumeFrom(ctx, runId, startFrom(req, url)));
  let conn;
  try {
    conn = openStream(ctx, res, runId, cors);
  } catch (err) {
    subscription.close();
    throw err;
  }
  conn.open();
  await followRun(ctx, runId, subscription, conn);
}

/** `DELETE {base}/runs/{runId}`: the run's signal aborts wherever it executes. */
export async function cancelRun(ctx: HandlerContext, runId: string, res: ResponseOut, cors: Record<string, string>): Promise<void> {
  const outcome = await ctx.store.cancel(runId, new ActionError(499, 'CANCELLED', 'the run was cancelled by a client').toJSON());
  if (outcome === 'unknown') throw new ActionError(404, 'UNKNOWN_RUN', `no run ${runId} here; nothing to cancel`);
  if (outcome === 'cancelled') return sendJson(res, 200, { runId, cancelled: true }, cors);
  sendJson(res, 200, { runId, cancelled: false, message: 'the run had already ended' }, cors);
}

/** The wire's record (PROTOCOL.md §4a): what the store keeps besides (followers) stays inside. */
export function toRunInfo(record: RunInfo | RunRecord): RunInfo {
  const { followers: _followers, idleSince: _idleSince, ...info } = record as RunRecord;
  return info;
}

function startFrom(req: RequestIn, url: URL): SubscribeFrom {
  const header = req.headers[HEADER_LAST_EVENT_ID.toLowerCase()];
  const given = typeof header === 'string' ? header : (url.searchParams.get('from') ?? url.searchParams.get('lastEventId'));
  if (given === null || given.trim() === '') return 'oldest';
  if (!/^\d{1,15}$/.test(given.trim())) {
    throw new ActionError(400, 'BAD_QUERY', `the event id to resume after must be a seq (a whole number, such as 42), not ${JSON.stringify(given.slice(0, 40))}`);
  }
  return Number(given.trim());
}

/**
 * A Last-Event-ID past the run's newest event names nothing that was sent (a client's mistake).
 * It is read as the newest, so that the stream still ends with the run's terminal event; for a
 * run that has ended, the stream carries that terminal event again (PROTOCOL.md §8).
 */
async function resumeFrom(ctx: HandlerContext, runId: string, from: SubscribeFrom): Promise<SubscribeFrom> {
  if (from === 'oldest') return from;
  const record = await ctx.store.get(runId);
  if (!record || from < record.lastSeq) return from;
  return record.state === 'live' ? record.lastSeq : Math.max(0, record.lastSeq - 1);
}

function runFilter(params: URLSearchParams): RunFilter {
  const filter: RunFilter = {};
  const state = params.get('state');
  if (state !== null && state !== '') {
    if (!isRunInfoState(state)) throw new ActionError(400, 'BAD_QUERY', `?state= takes ${RUN_STATES.join(', ')}, not ${JSON.stringify(state.slice(0, 40))}`);
    filter.state = state;
  }
  const limit = params.get('limit');
  if (limit !== null && limit !== '') {
    const n = /^\d{1,4}$/.test(limit) ? Number(limit) : 0;
    if (n < 1 || n > MAX_RUNS_LIMIT) throw new ActionError(400, 'BAD_QUERY', `?limit= takes a whole number from 1 to ${MAX_RUNS_LIMIT}, not ${JSON.stringify(limit.slice(0, 40))}`);
    filter.limit = n;
  }
  const cursor = params.get('cursor');
  if (cursor !== null && cursor !== '') {
    if (!/^[0-9a-z]{1,12}$/.test(cursor)) throw new ActionError(400, 'BAD_QUERY', '?cursor= takes the cursor of a previous page of runs, as the server gave it');
    filter.cursor = cursor;
  }
  return filter;
}
