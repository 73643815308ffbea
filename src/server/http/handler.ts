// The routes of PROTOCOL.md §2 under the base path: content negotiation, limits, and errors.
// They read and write through the transport seam (exchange.ts), so pkt serve, a node:http app
// (Express, Fastify) and a fetch one (Hono, Next.js) all run this one code.

import type { RequestIn, ResponseOut } from './exchange.js';
import {
  acceptsEventStream,
  ActionError,
  BATCH_SEGMENT,
  HEADER_LAST_EVENT_ID,
  isValidActionName,
  MANIFEST_VERSION,
  MAX_ACTION_NAME_LENGTH,
  MULTIPART_TYPE,
  normalizeBasePath,
} from '../../protocol/index.js';
import { checkHost, checkOrigin, checkToken, preflightHeaders } from './access.js';
import { runBatch } from './batch-route.js';
import { ClientGone, parseJsonInput, readJsonInput } from './body.js';
import { callPlain, checkCallCapacity } from './calls.js';
import type { HandlerContext } from './context.js';
import { discardBody } from './discard-body.js';
import { checkFetchSite } from './fetch-site.js';
import { stripPikoTokens, typeFormFields } from './normalize-input.js';
import { sendError, sendJson } from '../respond.js';
import { cancelRun, getRun, listRuns } from './runs-routes.js';
import { checkCapacity, startRun } from './streams.js';
import { requestLabel, requestUrl } from './target.js';

export type { HandlerContext } from './context.js';

/**
 * Answers a request under the base path. Any other goes to `outside`, untouched; it returns
 * false when nothing there took it (then the answer is 404 NOT_FOUND), as does its absence.
 */
export type Handler = (req: RequestIn, res: ResponseOut, outside?: () => boolean) => void;

/** Whether a request target is under the base path (or is no path: the handler answers that 400). */
export function underBasePath(target: string | undefined, basePath: string): boolean {
  const base = normalizeBasePath(basePath);
  let path: string;
  try {
    path = requestUrl(target).pathname;
  } catch {
    return true;
  }
  return path === base || path.startsWith(`${base}/`);
}

export function createHandler(ctx: HandlerContext): Handler {
  const base = normalizeBasePath(ctx.basePath);
  return (req, res, outside) => {
    let cors: Record<string, string> = {};
    const fail = (err: unknown) => {
      if (err instanceof ClientGone) {
        // An expected client fault: one short line, never a stack.
        ctx.log(`${requestLabel(req)}: ${err.message}`);
        res.destroy();
        return;
      }
      const error = err instanceof ActionError ? err : new ActionError(500, 'INTERNAL', 'the server failed; see its log');
      if (!(err instanceof ActionError)) ctx.log(`${requestLabel(req)} failed: ${(err as Error)?.stack ?? err}`);
      const extra: Record<string, string> = { ...cors };
      if (error.status === 429) extra['Retry-After'] = String(retryAfter(ctx));
      if (error instanceof MethodNotAllowed) extra.Allow = error.allow.join(', ');
      // The answer waits for the rest of the body (bounded), so the client is done writing
      // and reads it; a body cut short at the bound leaves a connection that cannot be reused.
      void discardBody(req).then((all) => {
        if (!all) extra.Connection = 'close';
        answerError(res, error, extra);
      });
    };
    try {
      // RFC 9112 §3.2: an HTTP/1.1 request without Host is a 400 (Node's own has no body).
      if (req.httpVersion === '1.1' && req.headers.host === undefined) {
        throw new ActionError(400, 'BAD_REQUEST', 'the request has no Host header; HTTP/1.1 requires one');
      }
      const url = requestUrl(req.url);
      const path = url.pathname;
      if (path !== base && !path.startsWith(`${base}/`)) {
        if (outside?.()) return;
        throw new ActionError(404, 'NOT_FOUND', `nothing at ${path.slice(0, 200)}; actions are under ${base}/<name>, the manifest at ${base}`);
      }
      checkHost(req, ctx);
      cors = checkOrigin(req, ctx);
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { ...cors, ...preflightHeaders() });
        res.end();
        return;
      }
      // Reading the manifest runs nothing; everything else may run or cancel something.
      const manifest = path.slice(base.length).replace(/^\/+/, '') === '' && (req.method === 'GET' || req.method === 'HEAD');
      if (!manifest) checkFetchSite(req, ctx.cors);
      checkToken(req, url, ctx.token);
      route(ctx, base, url, req, res, cors).catch(fail);
    } catch (err) {
      fail(err);
    }
  };
}

/** The error as JSON; one an action built that JSON cannot carry becomes a plain INTERNAL. */
function answerError(res: ResponseOut, error: ActionError, headers: Record<string, string>): void {
  try {
    sendError(res, error, headers);
  } catch {
    sendError(res, new ActionError(500, 'INTERNAL', 'the action failed with an error that cannot be sent as JSON'), headers);
  }
}

async function route(
  ctx: HandlerContext,
  base: string,
  url: URL,
  req: RequestIn,
  res: ResponseOut,
  cors: Record<string, string>,
): Promise<void> {
  const rest = url.pathname.slice(base.length).replace(/^\/+/, '');
  if (rest === '') {
    allow(req, ['GET', 'HEAD']);
    return sendJson(res, 200, { version: MANIFEST_VERSION, actions: await ctx.host.manifest() }, cors);
  }
  if (rest === 'runs' || rest === 'runs/') {
    allow(req, ['GET', 'HEAD']);
    return listRuns(ctx, url, res, cors);
  }
  if (rest.startsWith('runs/')) {
    const runId = decode(rest.slice(5), 404, 'UNKNOWN_RUN');
    if (req.method === 'DELETE') return cancelRun(ctx, runId, res, cors);
    allow(req, ['GET', 'DELETE']);
    return getRun(ctx, runId, url, req, res, cors);
  }
  if (rest === BATCH_SEGMENT) {
    allow(req, ['POST']);
    return runBatch(ctx, req, res, cors);
  }
  const name = decode(rest, 400, 'BAD_ACTION_NAME');
  if (!isValidActionName(name)) {
    throw new ActionError(
      400,
      'BAD_ACTION_NAME',
      `"${name.slice(0, 80)}" is not an action name: use dotted segments of letters, digits, _ and - (each starting with a letter), at most ${MAX_ACTION_NAME_LENGTH} characters, like task.process`,
    );
  }
  const action = await ctx.host.resolve(name, base);
  allow(req, ['GET', 'POST']);
  const streams = action.streams;
  const wantsStream = acceptsEventStream(req.headers.accept);
  // Busy is said before a body is read, not after.
  if (req.method === 'POST') {
    if (wantsStream && streams) checkCapacity(ctx, true);
    else checkCallCapacity(ctx);
  }
  let raw: Record<string, unknown>;
  if (req.method === 'GET') {
    if (!wantsStream) {
      throw new MethodNotAllowed(`GET ${name} is for event streams (Accept: text/event-stream); POST a JSON body for a plain call`, ['POST']);
    }
    if (!streams) throw new ActionError(406, 'NOT_STREAMABLE', `${action.name} does not stream; POST to it for the plain result`);
    if (req.headers[HEADER_LAST_EVENT_ID.toLowerCase()] !== undefined) {
      // A native EventSource reconnecting to its URL (after a drop, or after `complete` when
      // the page did not close it). The URL names no run, so re-attaching is impossible, and
      // re-running the action would repeat its work: 204 tells EventSource to stop for good.
      res.writeHead(204, cors);
      res.end();
      return;
    }
    raw = parseJsonInput(url.searchParams.get('input') ?? '', ctx.limits.maxJsonDepth);
  } else if (isMultipart(req)) {
    // busboy is loaded with the first form, not with the server.
    const { readMultipartInput } = await import('./multipart.js');
    raw = typeFormFields(action.input, await readMultipartInput(req, ctx.limits));
  } else {
    raw = await readJsonInput(req, ctx.limits);
  }
  // The input is checked against the action's schema where it executes (here, or on a worker).
  const input = stripPikoTokens(raw);
  if (wantsStream && streams) return startRun(ctx, action, input, req, res, cors);
  return callPlain(ctx, action, input, res, cors);
}

/** By its Content-Type alone: deciding needs no part of the body. */
function isMultipart(req: RequestIn): boolean {
  return (req.headers['content-type'] ?? '').trimStart().toLowerCase().startsWith(MULTIPART_TYPE);
}

function allow(req: RequestIn, methods: string[]): void {
  if (!methods.includes(req.method ?? '')) {
    throw new MethodNotAllowed(`${req.method} is not allowed here; use ${methods.join(' or ')}`, methods);
  }
}

class MethodNotAllowed extends ActionError {
  constructor(message: string, readonly allow: string[]) {
    super(405, 'METHOD_NOT_ALLOWED', message);
  }
}

function decode(segment: string, status: number, code: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ActionError(status, code, `the path segment "${segment.slice(0, 80)}" is not valid percent-encoding`);
  }
}

function retryAfter(ctx: HandlerContext): number {
  return Math.max(1, Math.ceil(ctx.limits.retryMs / 1000));
}
