// A client that follows the rules of Piko's browser client, as docs/PROTOCOL.md §7 lists them,
// so the interop tests can show that a Piko page pointed at `pkt serve` works. Written from
// those facts; it is Piko's behaviour, loose parts included, not pkt's client:
// - the route is `{base}/<name>` with the name exactly as the page wrote it (`task.Process`);
// - one object argument is spread into the body, other arguments go by position in `args`;
// - plain calls carry `_csrf_ephemeral_token` in the body and `X-CSRF-Action-Token`, and no
//   Accept; streams carry the token in the query, `Accept: text/event-stream` exactly, and JSON;
// - a plain call with a File or Blob among the input's values goes as multipart/form-data,
//   every other value as `String(value)`;
// - an error answer is read as `message ?? error`, and a 422's `errors` as per-field messages;
// - streams are read with Piko's loose parser (piko-reader.ts).

import { createPikoReader, type PikoEvent } from './piko-reader.js';

export const PIKO_BASE = '/_piko/actions';

export interface PikoTokens {
  action: string;
  ephemeral: string;
}

export interface PikoError {
  status: number;
  message: string;
  validationErrors?: Record<string, unknown>;
}

export class PikoCallError extends Error {
  constructor(readonly error: PikoError) {
    super(`${error.status} ${error.message}`);
  }
}

/** The body a plain call sends, and its headers. */
export function pikoBody(args: unknown[], ephemeral?: string): { body: string | FormData; headers: Record<string, string> } {
  const data: Record<string, unknown> = {};
  if (args.length === 1 && typeof args[0] === 'object' && args[0] !== null) Object.assign(data, args[0]);
  else if (args.length > 0) data.args = Object.fromEntries(args.map((v, i) => [String(i), v]));
  if (ephemeral) data._csrf_ephemeral_token = ephemeral;
  if (Object.values(data).some((v) => v instanceof Blob)) {
    const form = new FormData();
    for (const [key, value] of Object.entries(data)) {
      if (value instanceof File) form.append(key, value, value.name);
      else if (value instanceof Blob) form.append(key, value);
      else if (value !== undefined && value !== null) form.append(key, String(value));
    }
    // No Content-Type: fetch writes multipart/form-data with its boundary.
    return { body: form, headers: {} };
  }
  return { body: JSON.stringify(data), headers: { 'Content-Type': 'application/json' } };
}

async function readError(res: Response): Promise<PikoError> {
  let data: Record<string, unknown>;
  try {
    data = (await res.json()) as Record<string, unknown>;
  } catch {
    return { status: res.status, message: `Action failed with status ${res.status}` };
  }
  const message = (data.message ?? data.error ?? `Action failed with status ${res.status}`) as string;
  const error: PikoError = { status: res.status, message };
  if (res.status === 422 && data.errors !== undefined) error.validationErrors = data.errors as Record<string, unknown>;
  return error;
}

/** A plain call, as `action.x.Y(args).call()` without onProgress makes it. */
export async function pikoCall(baseUrl: string, name: string, args: unknown[], tokens?: PikoTokens): Promise<unknown> {
  const { body, headers } = pikoBody(args, tokens?.ephemeral);
  if (tokens) headers['X-CSRF-Action-Token'] = tokens.action;
  const res = await fetch(`${baseUrl}${PIKO_BASE}/${name}`, { method: 'POST', headers, body });
  if (!res.ok) throw new PikoCallError(await readError(res));
  return res.json();
}

export interface PikoStreamOptions {
  tokens?: PikoTokens;
  /** Sent on Piko's re-connect, which POSTs the action again. */
  lastEventId?: string;
  onProgress?: (data: unknown, eventType: string) => void;
}

/** A streaming call, as `.withOnProgress(cb).call()` makes it: resolves with `complete`'s data. */
export async function pikoStream(baseUrl: string, name: string, args: unknown[], options: PikoStreamOptions = {}): Promise<{ result: unknown; events: PikoEvent[] }> {
  const data: Record<string, unknown> = {};
  if (args.length === 1 && typeof args[0] === 'object' && args[0] !== null) Object.assign(data, args[0]);
  else if (args.length > 0) data.args = Object.fromEntries(args.map((v, i) => [String(i), v]));
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'text/event-stream' };
  let url = `${baseUrl}${PIKO_BASE}/${name}`;
  if (options.tokens) {
    headers['X-CSRF-Action-Token'] = options.tokens.action;
    url += `?_csrf_ephemeral_token=${encodeURIComponent(options.tokens.ephemeral)}`;
  }
  if (options.lastEventId) headers['Last-Event-ID'] = options.lastEventId;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(data) });
  if (!res.ok) throw new PikoCallError(await readError(res));
  if (!(res.headers.get('Content-Type') ?? '').startsWith('text/event-stream') || !res.body) {
    return { result: await res.json(), events: [] };
  }
  const events: PikoEvent[] = [];
  let outcome: { ok: true; data: unknown } | { ok: false; data: unknown } | undefined;
  const reader = createPikoReader((e) => {
    events.push(e);
    if (outcome) return;
    if (e.type === 'complete') outcome = { ok: true, data: e.data };
    else if (e.type === 'error') outcome = { ok: false, data: e.data };
    else options.onProgress?.(e.data, e.type);
  });
  const utf8 = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) reader.feed(utf8.decode(chunk, { stream: true }));
  reader.feed(utf8.decode());
  reader.end();
  if (!outcome) throw new PikoCallError({ status: 0, message: 'stream ended without completion' });
  if (!outcome.ok) {
    const body = (outcome.data ?? {}) as { message?: string; status?: number };
    throw new PikoCallError({ status: body.status ?? 500, message: body.message ?? 'stream error' });
  }
  return { result: outcome.data, events };
}

/** `batch(...)`: each action's arguments by position, under `args`. */
export async function pikoBatch(baseUrl: string, calls: Array<{ action: string; args: unknown[] }>): Promise<unknown> {
  const res = await fetch(`${baseUrl}${PIKO_BASE}/_batch`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ actions: calls.map((c) => ({ name: c.action, args: Object.fromEntries(c.args.map((v, i) => [String(i), v])) })) }),
  });
  if (!res.ok) throw new PikoCallError({ status: res.status, message: `Batch request failed with status ${res.status}` });
  return res.json();
}
