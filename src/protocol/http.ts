// Paths, headers and media types of the HTTP surface (PROTOCOL.md §2 and §3).

/** Piko's default base path; both sides can change it. */
export const DEFAULT_BASE_PATH = '/_piko/actions';

export const EVENT_STREAM_TYPE = 'text/event-stream';
export const JSON_TYPE = 'application/json';
/** What Piko's client sends when the input holds a File or Blob (and `pkt run --file`). */
export const MULTIPART_TYPE = 'multipart/form-data';

/** `POST {base}/_batch`: several plain calls in one request, in Piko's shape. Never an action name (those start with a letter). */
export const BATCH_SEGMENT = '_batch';
/** Piko refuses a batch of more than this many actions, and so does pkt. */
export const MAX_BATCH_ACTIONS = 100;

export const HEADER_RUN_ID = 'Pkt-Run-Id';
export const HEADER_DETACH = 'Pkt-Detach';
export const HEADER_LAST_EVENT_ID = 'Last-Event-ID';

/** Headers every event stream answers with (PROTOCOL.md §3), less the run id. */
export const EVENT_STREAM_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': `${EVENT_STREAM_TYPE}; charset=utf-8`,
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
};

/** Strips trailing slashes so `base + '/' + name` never doubles one. */
export function normalizeBasePath(basePath: string): string {
  const trimmed = basePath.replace(/\/+$/, '');
  return trimmed.startsWith('/') || trimmed === '' ? trimmed : `/${trimmed}`;
}

export function actionPath(basePath: string, name: string): string {
  return `${normalizeBasePath(basePath)}/${encodeURIComponent(name)}`;
}

export function batchPath(basePath: string): string {
  return `${normalizeBasePath(basePath)}/${BATCH_SEGMENT}`;
}

export function runPath(basePath: string, runId: string): string {
  return `${normalizeBasePath(basePath)}/runs/${encodeURIComponent(runId)}`;
}

/**
 * True when an Accept header asks for an event stream with q > 0. Piko sends exactly
 * `text/event-stream`; browsers and curl users send lists such as `text/event-stream, *\/*`.
 * A wildcard alone does not count: a client that did not name SSE gets JSON.
 */
export function acceptsEventStream(accept: string | null | undefined): boolean {
  if (!accept) return false;
  for (const part of accept.split(',')) {
    const [type, ...params] = part.split(';');
    if (type!.trim().toLowerCase() !== EVENT_STREAM_TYPE) continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=');
      if (key!.trim().toLowerCase() === 'q') q = Number(value?.trim());
    }
    if (q > 0) return true;
  }
  return false;
}
