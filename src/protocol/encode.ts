// The SSE encoder (PROTOCOL.md §3), the one place frames are built. encodeEvent refuses,
// before writing a byte, any field that would break framing, and splits data on every kind of
// line end, so a payload can never smuggle an event of its own into the stream. The server's
// per-event path uses encodeTrustedEvent, for events whose fields have already been checked.

import type { StreamEvent } from './event.js';
import { isValidEventType } from './names.js';

export interface EncodableEvent {
  /** The event type; required, because a block without `event` reads as `message`. */
  event: string;
  /** The data as text, usually `JSON.stringify(payload)`. */
  data: string;
  id?: string | number;
  /** Reconnection time in ms, sent in a stream's first block. */
  retry?: number;
}

const LINE_END = /\r\n|\r|\n/;
const BAD_ID = /[\r\n\0]/;

export function assertEventType(type: string): void {
  if (!isValidEventType(type)) {
    throw new TypeError(
      `bad event type ${JSON.stringify(type)}: use a letter then up to 63 of letters, digits and _ . : -`,
    );
  }
}

export function assertEventId(id: string): void {
  if (BAD_ID.test(id)) throw new TypeError(`bad event id ${JSON.stringify(id)}: it may not hold CR, LF or NUL`);
}

/** One event block, ending in the blank line that dispatches it. */
export function encodeEvent(e: EncodableEvent): string {
  assertEventType(e.event);
  let out = '';
  if (e.retry !== undefined) {
    if (!Number.isInteger(e.retry) || e.retry < 0) throw new TypeError(`bad retry ${e.retry}: use a whole number of ms`);
    out += `retry: ${e.retry}\n`;
  }
  if (e.id !== undefined) {
    const id = String(e.id);
    assertEventId(id);
    out += `id: ${id}\n`;
  }
  out += `event: ${e.event}\n`;
  // JSON.stringify never emits a raw line end, so the common case is one data line. Piko's
  // browser client keeps only the last data line of a block, which this keeps readable.
  if (!e.data.includes('\n') && !e.data.includes('\r')) return `${out}data: ${e.data}\n\n`;
  for (const line of e.data.split(LINE_END)) out += `data: ${line}\n`;
  return `${out}\n`;
}

/**
 * The frame of an event a pkt server made itself, without encodeEvent's checks, because they
 * have already held when the event was made: its type passed assertEventType in `send` (or is
 * `complete`/`error`), its id is a seq (digits), and its payload is JSON.stringify's output,
 * which never holds a raw CR or LF (they are escaped inside strings). So none of the three can
 * break the frame. This runs once per event of every run, which is why it is worth having;
 * an event from anywhere else (a decoder, a caller's data) goes through encodeEvent.
 */
export function encodeTrustedEvent(event: StreamEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${event.json}\n\n`;
}

/** A comment line block, such as `: heartbeat`. Comments are ignored by every reader. */
export function encodeComment(text: string): string {
  return text
    .split(LINE_END)
    .map((line) => `: ${line}\n`)
    .join('')
    .concat('\n');
}
