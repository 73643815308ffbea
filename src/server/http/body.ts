// Reads a request's JSON input: size limit, content type, syntax, object shape and depth, each
// with its own error code and a message that says what to send instead.

import type { IncomingMessage } from 'node:http';
import { ActionError, jsonDepth } from '../../protocol/index.js';

export interface BodyLimits {
  maxBodyBytes: number;
  maxJsonDepth: number;
}

export async function readJsonInput(req: IncomingMessage, limits: BodyLimits): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length']);
  if (declared > limits.maxBodyBytes) throw tooLarge(limits.maxBodyBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limits.maxBodyBytes) throw tooLarge(limits.maxBodyBytes);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type)) {
    throw new ActionError(
      415,
      'BAD_CONTENT_TYPE',
      `the body must be JSON sent with Content-Type: application/json, or a form sent as multipart/form-data (got ${type || 'none'}); with curl add -H 'Content-Type: application/json'`,
    );
  }
  return parseJsonInput(Buffer.concat(chunks).toString('utf8'), limits.maxJsonDepth);
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
  return new ActionError(413, 'TOO_LARGE', `the body is over the ${max}-byte limit; send less, or raise the server's limit`);
}
