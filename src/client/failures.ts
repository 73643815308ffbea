// The ActionErrors the client raises itself, and how it reads an error answer off the wire.
// Statuses: the ones with no HTTP answer behind them use 0 (unreachable) or the nearest
// HTTP meaning (408 timeout, 499 cancelled by the client, 502 a broken stream).

import { ActionError } from '../protocol/index.js';

export function unreachable(url: string, cause: unknown): ActionError {
  return new ActionError(0, 'UNREACHABLE', `cannot reach the server at ${url} (${describeCause(cause)})`);
}

export function timedOut(ms: number): ActionError {
  return new ActionError(408, 'TIMEOUT', `no result within ${ms} ms`);
}

export function cancelled(reason?: unknown): ActionError {
  const why = reason instanceof Error && reason.name !== 'AbortError' ? `: ${reason.message}` : '';
  return new ActionError(499, 'CANCELLED', `the call was cancelled${why}`);
}

export function streamEnded(detail?: string): ActionError {
  return new ActionError(502, 'STREAM_ENDED', `stream ended without completion${detail ? ` (${detail})` : ''}`);
}

/** The body of an answer: JSON where it parses, else its text. */
export async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * An error answer as an ActionError. A body that is not JSON is summed up: an HTML page (a
 * Piko server in dev mode, a proxy) by its <title>, never its CSS or markup; plain text by
 * its first line. `notFound` is the code of a 404 that names none (a server without this route).
 */
export async function errorFromResponse(response: Response, notFound?: string): Promise<ActionError> {
  let body: unknown;
  try {
    body = await readBody(response);
  } catch {
    body = undefined;
  }
  if (typeof body === 'string') {
    body = isHtml(response, body) ? htmlSummary(body, response.status) : firstLine(body) || undefined;
  }
  const error = ActionError.fromBody(body, response.status);
  const named = typeof (body as { code?: unknown } | undefined)?.code === 'string';
  if (notFound && response.status === 404 && !named) return new ActionError(404, notFound, error.message, error.errors);
  return error;
}

function isHtml(response: Response, text: string): boolean {
  const type = (response.headers.get('content-type') ?? '').toLowerCase();
  return type.includes('html') || /^\s*<(!doctype\s+html|html[\s>])/i.test(text);
}

/**
 * `HTTP 404: an HTML page titled "Page not found"`; a page with no title is told by the first
 * line of its text (styles and scripts left out).
 */
function htmlSummary(html: string, status: number): string {
  const found = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  const title = found ? oneLine(decodeEntities(found[1]!.replace(/<[^>]*>/g, ''))) : '';
  if (title) return `HTTP ${status}: an HTML page titled "${title}"`;
  const text = html.replace(/<(style|script)[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<[^>]*>/g, '\n');
  const line = text.split('\n').map((l) => oneLine(decodeEntities(l))).find((l) => l !== '');
  return `HTTP ${status}: an HTML page${line ? ` saying "${line}"` : ' with no title'}`;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

function firstLine(text: string): string {
  const line = text.replace(/<[^>]*>/g, ' ').trim().split(/\r?\n/)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

function describeCause(cause: unknown): string {
  // Node's fetch wraps the socket error: "fetch failed" with the useful part in `cause`.
  let err = cause;
  while (err instanceof Error && err.cause instanceof Error) err = err.cause;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return err instanceof Error ? err.message : String(err);
}
