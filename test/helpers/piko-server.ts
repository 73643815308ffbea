// A stand-in for a Piko server, written from the facts in docs/PROTOCOL.md §7 (none of Piko's
// code): what `pkt run --url` and pkt's client meet when they talk to one. It keeps every
// request it got, so tests can check what pkt sent.
//
// - Routes are exact and case-sensitive: `POST /_piko/actions/task.Process`. There is no
//   manifest: `GET /_piko/actions` is Go's plain-text 404, as is any unknown route, unless
//   `dev` is set, when unknown routes get an HTML page (with a style sheet and a <title>).
// - Streams only for `Accept: text/event-stream` exactly: `event:`/`data:` blocks, no ids, no
//   `retry:`, `: heartbeat` comments, no Pkt-Run-Id. A failing stream method just stops.
// - A plain answer is the result, or `{"data", "_helpers"}` when the action set helpers.
// - A 422 is `{status, code: "VALIDATION_FAILED", message, errors: {field: "message"}}`; a body
//   it cannot read is `400 {error, details}`; JSON deeper than 32 levels is refused.
// - multipart/form-data is read into fields (text) and files.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PikoRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface PikoStandIn {
  url: string;
  requests: PikoRequest[];
  close(): Promise<void>;
}

const BASE = '/_piko/actions';
const MAX_DEPTH = 32;
export const SEED_STEPS = 5;

type Args = Record<string, unknown>;
type Answer = { status: number; body: unknown } | { stream: (res: ServerResponse) => Promise<void> };

/** Each action: its plain `Call`, and a stream method for those that have one. */
const ACTIONS: Record<string, { call: (args: Args) => Answer; stream?: (res: ServerResponse, args: Args) => Promise<void> }> = {
  // The seed's progress tracker: `Call(input ProcessInput)` with `taskName` required.
  'task.Process': {
    call: (args) =>
      typeof args.taskName === 'string' && args.taskName !== ''
        ? ok({ taskName: args.taskName, status: 'completed' })
        : invalid({ taskName: 'taskName is required' }),
    async stream(res) {
      await write(res, ': heartbeat\n\n');
      for (let step = 1; step <= SEED_STEPS; step++) {
        const percent = step * (100 / SEED_STEPS);
        await write(res, `event: progress\ndata: ${JSON.stringify({ step, total: SEED_STEPS, percent, message: `Processing step ${step} of ${SEED_STEPS}...` })}\n\n`);
        await write(res, ': heartbeat\n\n');
      }
      await write(res, `event: complete\ndata: ${JSON.stringify({ status: 'done', message: 'All steps completed successfully.' })}\n\n`);
    },
  },
  // An action that set a helper (a toast) before returning.
  'contact.Submit': {
    call: (args) => ok({ data: { id: 42, name: args.name ?? null }, _helpers: [{ name: 'showToast', args: ['Thanks!', 'success'] }] }),
  },
  // Binding fails on a value of the wrong type: a 400 that says why in `details`.
  'counter.Add': {
    call: (args) =>
      typeof args.count === 'number'
        ? ok({ total: args.count + 1 })
        : { status: 400, body: { error: 'Invalid request body', details: `json: cannot unmarshal ${typeof args.count} into Go struct field .count of type int` } },
  },
  // A form with a file: reports what it got.
  'files.Upload': {
    call: (args) => {
      const doc = args.doc;
      if (!(doc instanceof File)) return invalid({ doc: 'doc is required' });
      return ok({ title: args.title ?? null, name: doc.name, type: doc.type, size: doc.size, text: args._text });
    },
  },
  // A failure Piko does not expose: a generic 500.
  'task.Crash': {
    call: () => ({ status: 500, body: { status: 500, code: 'INTERNAL_ERROR', message: 'an internal error occurred' } }),
  },
  'task.Fail': {
    call: () => ok(null),
    async stream(res) {
      await write(res, `event: progress\ndata: {"step":1,"total":2,"percent":50}\n\n`);
      await write(res, `event: error\ndata: ${JSON.stringify({ message: 'disk full' })}\n\n`);
    },
  },
  // The stream method returned an error: Piko ends the body, with no terminal event.
  'task.Broken': {
    call: () => ok(null),
    async stream(res) {
      await write(res, `event: progress\ndata: {"step":1,"total":3,"percent":33}\n\n`);
    },
  },
};

function ok(body: unknown): Answer {
  return { status: 200, body };
}

function invalid(errors: Record<string, string>): Answer {
  return { status: 422, body: { status: 422, code: 'VALIDATION_FAILED', message: 'validation failed', errors } };
}

function write(res: ServerResponse, text: string): Promise<void> {
  return new Promise((resolve) => (res.write(text) ? setImmediate(resolve) : res.once('drain', resolve)));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(`${JSON.stringify(body)}\n`);
}

function notFound(res: ServerResponse, dev: boolean): void {
  if (!dev) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
    res.end('404 page not found\n');
    return;
  }
  res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(
    '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><style>\nbody { font-family: system-ui; background: #111; color: #eee; }\n.card { margin: 4rem auto; }\n</style>\n<title>404 - Page Not Found</title></head>\n<body><div class="card"><h1>Page not found</h1><p>No route matches this path.</p></div></body></html>\n',
  );
}

/** Nesting of the raw text, as a structural scan would count it (strings skipped). */
function depthOf(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') deepest = Math.max(deepest, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return deepest;
}

async function readArgs(req: IncomingMessage, body: Buffer): Promise<Args | { error: string; details: string }> {
  const type = req.headers['content-type'] ?? '';
  if (body.length === 0) return {};
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(body), { headers: { 'Content-Type': type } }).formData();
    const args: Args = {};
    for (const [key, value] of form) args[key] = value;
    if (args.doc instanceof File) args._text = await args.doc.text();
    return args;
  }
  const text = body.toString('utf8');
  if (depthOf(text) > MAX_DEPTH) return { error: 'Invalid request body', details: `validating request body depth: JSON nesting exceeds ${MAX_DEPTH} levels` };
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('json: cannot unmarshal into map');
    return value as Args;
  } catch (err) {
    return { error: 'Invalid request body', details: `decoding request body: ${(err as Error).message}` };
  }
}

export async function startPikoStandIn(options: { dev?: boolean } = {}): Promise<PikoStandIn> {
  const requests: PikoRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = (req.url ?? '').split('?')[0]!;
      requests.push({ method: req.method ?? '', path, headers: req.headers, body });
      void answer(req, res, path, body, options.dev === true).catch((err: unknown) => {
        res.destroy(err as Error);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function answer(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer, dev: boolean): Promise<void> {
  const action = path.startsWith(`${BASE}/`) ? ACTIONS[path.slice(BASE.length + 1)] : undefined;
  if (!action || (req.method !== 'POST' && req.method !== 'GET')) return notFound(res, dev);
  // SSE only for exactly this Accept, and only for actions with a stream method.
  if (action.stream && req.headers.accept === 'text/event-stream') {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    await action.stream(res, {});
    res.end();
    return;
  }
  const args = await readArgs(req, body);
  if ('error' in args && 'details' in args) return json(res, 400, args);
  delete args._csrf_ephemeral_token;
  const result = action.call(args);
  if ('stream' in result) return;
  json(res, result.status, result.body);
}
