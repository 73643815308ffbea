// A body that a middleware mounted before pkt's handler has read already (Express's
// express.json(), express.text(), a Connect body parser): the request's stream has ended, and
// what it held is on `req.body`. pkt reads it from there, held to the same limits as a body it
// reads itself; a body read into something else (a multipart parser's files) cannot be had
// again, and is refused with what to do instead.

import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { ActionError } from '../../protocol/index.js';
import type { RequestIn } from './exchange.js';

export function withParsedBody(req: IncomingMessage): RequestIn {
  if (!req.readableEnded) return req;
  const parsed = (req as IncomingMessage & { body?: unknown }).body;
  const headers = { ...req.headers };
  delete headers['content-length'];
  const as = (chunks: Buffer[]) => Object.assign(Readable.from(chunks), { method: req.method, url: req.url, httpVersion: req.httpVersion, headers, complete: true });
  if (typeof parsed === 'string') return as(parsed.length === 0 ? [] : [Buffer.from(parsed)]);
  if (Buffer.isBuffer(parsed)) return as(parsed.length === 0 ? [] : [parsed]);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !isPlain(parsed)) return req;
  // An empty object is what a body parser leaves for a request it did not parse (no body).
  if (Object.keys(parsed).length === 0) return as([]);
  // The request keeps its own Content-Type: a form that express.urlencoded() read is still a
  // form, and gets the 415 pkt serve gives it (part of what keeps a cross-site form from running
  // actions), not a run with its fields taken as JSON.
  return as([Buffer.from(JSON.stringify(parsed))]);
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** For a body whose stream ended before pkt read it, with nothing on `req.body` to read instead. */
export function bodyReadElsewhere(): ActionError {
  return new ActionError(
    500,
    'INTERNAL',
    "the request's body was read before pkt's handler got it (a body parser mounted before it?); mount pkt's handler before body parsers, or let them skip its base path",
  );
}
