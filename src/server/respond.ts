// JSON answers: every error, at any status, has the one shape of PROTOCOL.md §2. Shared by the
// actions' routes (http/) and the page's files (page/), so neither folder imports the other's.

import type { ResponseOut } from './http/exchange.js';
import { ActionError, JSON_TYPE } from '../protocol/index.js';

export function sendJson(res: ResponseOut, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJsonText(res, status, JSON.stringify(body === undefined ? null : body), headers);
}

export function sendJsonText(res: ResponseOut, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    // Too late for another answer; an answer that is still going out is cut, not mixed.
    if (!res.writableEnded) res.destroy();
    return;
  }
  res.writeHead(status, {
    'Content-Type': `${JSON_TYPE}; charset=utf-8`,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ResponseOut, error: ActionError, headers: Record<string, string> = {}): void {
  sendJson(res, error.status, error.toJSON(), headers);
}
