// The input as the request body. Encoded before any request goes out, so an input that cannot
// be sent (nested so deep that JSON.stringify overflows the stack, circular, a BigInt, a file
// inside a nested object) is the caller's mistake, reported as such, and never mistaken for a
// server that cannot be reached.
//
// An input with a File or Blob among its top-level values goes as multipart/form-data, as
// Piko's client sends it, to pkt and Piko alike: each file a part with its name and type, a
// list a part per item, text as it is, and any other value as its JSON text ("3", "true",
// '{"a":1}'), which pkt's server reads back by the action's schema.

import { ActionError, JSON_TYPE } from '../protocol/index.js';

export interface EncodedInput {
  body: string | FormData;
  /** Set for JSON; for a form, fetch writes the Content-Type itself, boundary included. */
  contentType?: string;
}

export function encodeInput(input: unknown): EncodedInput {
  const value = input ?? {};
  const nested = nestedFile(value);
  if (nested !== undefined) {
    throw new ActionError(400, 'BAD_JSON', `the input has a file at ${nested}; files can only be top-level fields of the input, such as { doc: file }`);
  }
  if (hasTopLevelFile(value)) return { body: formOf(value as Record<string, unknown>) };
  try {
    return { body: JSON.stringify(value), contentType: JSON_TYPE };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const why = /call stack/i.test(message) ? 'it nests too deep to encode' : message;
    throw new ActionError(400, 'BAD_JSON', `the input cannot be sent as JSON (${why}); send plain, shallower data`);
  }
}

function hasTopLevelFile(input: unknown): boolean {
  if (!isPlainObject(input)) return false;
  return Object.values(input).some((v) => v instanceof Blob || (Array.isArray(v) && v.some((item) => item instanceof Blob)));
}

function formOf(input: Record<string, unknown>): FormData {
  const form = new FormData();
  const append = (name: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (value instanceof Blob) form.append(name, value);
    else form.append(name, typeof value === 'string' ? value : JSON.stringify(value));
  };
  for (const [name, value] of Object.entries(input)) {
    if (Array.isArray(value) && value.some((item) => item instanceof Blob)) for (const item of value) append(name, item);
    else append(name, value);
  }
  return form;
}

/** Where a file sits below the top level (`meta.cover`), which neither JSON nor a form can carry. */
function nestedFile(input: unknown): string | undefined {
  if (!isPlainObject(input) && !Array.isArray(input)) return undefined;
  // A stack, not recursion: the input may nest deeper than the call stack allows.
  const stack: Array<[unknown, string, number]> = [];
  for (const [key, value] of Object.entries(input as object)) {
    // A list of files at the top level is a part per file.
    if (Array.isArray(value)) value.forEach((item, i) => stack.push([item, `${key}.${i}`, item instanceof Blob ? 0 : 2]));
    else stack.push([value, key, 1]);
  }
  const seen = new Set<object>();
  while (stack.length > 0) {
    const [value, path, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    if (value instanceof Blob) {
      if (depth > 1) return path;
      continue;
    }
    seen.add(value);
    for (const [key, child] of Object.entries(value)) stack.push([child, `${path}.${key}`, depth + 1]);
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Blob);
}
