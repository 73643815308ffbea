// Reads a request's JSON input: size limit, content type, syntax, object shape and depth, each
// with its own error code and a message that says what to send instead.

import type { RequestIn } from './exchange.js';
import { bodyReadElsewhere } from './parsed-body.js';
import { ActionError, jsonDepth } from '../../protocol/index.js';

export interface BodyLimits {
  maxBodyBytes: number;
  maxJsonDepth: number;
}

/** The client left before its request body ended: nobody is there to answer. */
export class ClientGone extends ActionError {
  constructor() {
    super(499, 'CANCELLED', 'the client went away before its request body ended');
  }
}

export async function readJsonInput(req: RequestIn, limits: BodyLimits): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length']);
  if (declared > limits.maxBodyBytes) throw tooLarge(limits.maxBodyBytes);
  const body = await readBody(req, limits.maxBodyBytes);
  if (body.length === 0) return {};
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type)) {
    throw new ActionError(
      415,
      'BAD_CONTENT_TYPE',
      `the body must be JSON sent with Content-Type: application/json, or a form sent as multipart/form-data (got ${type || 'none'}); with curl add -H 'Content-Type: application/json'`,
    );
  }
  return parseJsonInput(body.toString('utf8'), limits.maxJsonDepth);
}

/**
 * The body, up to `max` bytes. Listens instead of iterating: leaving a `for await` early
 * destroys the request, and with it the socket the 413 must go out on. Past the limit it stops
 * and leaves the rest for the error answer to discard (discard-body.ts).
 */
function readBody(req: RequestIn, max: number): Promise<Buffer> {
  if (req.readableEnded) return Promise.reject(bodyReadElsewhere());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (settle: () => void) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onGone);
      req.off('error', onGone);
      settle();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.pause();
        finish(() => reject(tooLarge(max)));
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => finish(() => resolve(Buffer.concat(chunks, size)));
    const onGone = () => finish(() => reject(new ClientGone()));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onGone);
    req.on('error', onGone);
  });
}

/** Parses input text (a body, or GET's `?input=`) into an object. */
export function parseJsonInput(text: string, maxDepth: number): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ActionError(400, 'BAD_JSON', `the input is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new ActionError(400, 'BAD_JSON', `the input must be a JSON object such as {"name":"foo"}, not ${kind}`);
  }
  if (jsonDepth(value, maxDepth) > maxDepth) {
    throw new ActionError(400, 'BAD_JSON', `the input nests deeper than ${maxDepth} levels; flatten it`);
  }
  return value as Record<string, unknown>;
}

export function tooLarge(max: number): ActionError {
  return new ActionError(413, 'TOO_LARGE', `the input is too large: this server takes at most ${sizeText(max)} in a request body; send less`);
}

/** `1 MiB (1048576 bytes)`: the round figure a person reads, and the exact one. */
function sizeText(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  const kib = bytes / 1024;
  const round = Number.isInteger(mib) ? `${mib} MiB` : Number.isInteger(kib) ? `${kib} KiB` : '';
  return round ? `${round} (${bytes} bytes)` : `${bytes} bytes`;
}
