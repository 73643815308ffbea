// The streaming SSE decoder: a pure state machine, bytes or text in, events out, no I/O.
// It follows the WHATWG event-stream rules: CR, LF and CRLF end lines (also when a CRLF is
// split across chunks), one leading BOM is dropped, `id` is sticky and ignores values with
// NUL, `retry` takes digits only, and a block still open when the stream ends is discarded.
// Each event comes out as a StreamEvent: its id is the last event id as a client reports it
// (sticky across events), and its payload is the data text, parsed only if someone reads it.

import { StreamEvent } from './event.js';

export interface DecoderCallbacks {
  onEvent(event: StreamEvent): void;
  /** A valid `retry:` field, in ms. */
  onRetry?(ms: number): void;
  /** A comment line, without its leading colon. */
  onComment?(text: string): void;
  /**
   * The stream's sender vouches that every `data` is JSON text (pkt's server does): each
   * event is made with StreamEvent's `knownJson`, so no reader parses it only to know that.
   */
  knownJson?: boolean;
}

export interface Decoder {
  /** Feeds the next chunk; bytes are decoded as UTF-8 in streaming mode. */
  feed(chunk: Uint8Array | string): void;
  /** Marks the end of the stream: flushes the UTF-8 decoder and drops an unfinished block. */
  end(): void;
  /** Back to the start of a stream (BOM, buffers, last event id), as on a new connection. */
  reset(options?: { keepLastEventId?: boolean }): void;
  readonly lastEventId: string;
  /** The last valid `retry` the stream set, or null. */
  readonly retry: number | null;
}

const LF = 10;
const CR = 13;
/** Chunks this small and all ASCII skip TextDecoder (see decodeBytes). */
const SMALL_CHUNK = 32;

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

export function createDecoder(callbacks: DecoderCallbacks): Decoder {
  const { onEvent, onRetry, onComment } = callbacks;
  const knownJson = callbacks.knownJson === true;
  let utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
  // The last bytes `utf8` decoded may have ended inside a character, which it then holds.
  let utf8MayHold = false;
  // For chunks that end on a whole character while `utf8` holds nothing (decodeBytes).
  const whole = new TextDecoder('utf-8', { ignoreBOM: true });
  // Text of the line being read, when a chunk ended in the middle of it.
  let partial = '';
  let atStreamStart = true;
  // The previous chunk ended in CR: an LF at the start of the next one belongs to it.
  let skipLeadingLF = false;
  let data = '';
  let hasData = false;
  let eventType = '';
  let idBuffer = '';
  let lastEventId = '';
  let retry: number | null = null;

  function dispatch(): void {
    lastEventId = idBuffer;
    if (!hasData) {
      eventType = '';
      return;
    }
    const event = new StreamEvent(eventType || 'message', lastEventId, data, knownJson);
    data = '';
    hasData = false;
    eventType = '';
    onEvent(event);
  }

  // `data:`, `event:` and `id:` (the lines of every event) are told by their first character
  // codes, the value cut from the line once; any other line goes to `field`.
  function line(text: string, from: number, to: number): void {
    if (from === to) return dispatch();
    const c = text.charCodeAt(from);
    if (c === 100 && isData(text, from)) {
      const value = text.slice(text.charCodeAt(from + 5) === 32 ? from + 6 : from + 5, to);
      data = hasData ? `${data}\n${value}` : value;
      hasData = true;
    } else if (c === 101 && isEvent(text, from)) {
      eventType = text.slice(text.charCodeAt(from + 6) === 32 ? from + 7 : from + 6, to);
    } else if (c === 105 && text.charCodeAt(from + 1) === 100 && text.charCodeAt(from + 2) === 58) {
      setId(text.slice(text.charCodeAt(from + 3) === 32 ? from + 4 : from + 3, to));
    } else {
      field(text, from, to);
    }
  }

  // The other lines: a comment, `retry`, a field without a colon or with a space before it.
  // Names are told apart by length and character codes: no string is made for the name.
  function field(text: string, from: number, to: number): void {
    let colon = text.indexOf(':', from);
    if (colon >= to) colon = -1;
    if (colon === from) {
      const start = text.charCodeAt(from + 1) === 32 && from + 1 < to ? from + 2 : from + 1;
      onComment?.(text.slice(start, to));
      return;
    }
    const nameEnd = colon < 0 ? to : colon;
    const valueStart = colon < 0 ? to : colon + 1 < to && text.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1;
    switch (nameEnd - from) {
      case 4:
        if (text.startsWith('data', from)) {
          const value = text.slice(valueStart, to);
          data = hasData ? `${data}\n${value}` : value;
          hasData = true;
        }
        break;
      case 5:
        if (text.startsWith('event', from)) eventType = text.slice(valueStart, to);
        else if (text.startsWith('retry', from)) setRetry(text.slice(valueStart, to));
        break;
      case 2:
        if (text.startsWith('id', from)) setId(text.slice(valueStart, to));
        break;
      default:
      // Unknown fields, including a misspelt or differently cased name, are ignored.
    }
  }

  function setId(value: string): void {
    if (!value.includes('\0')) idBuffer = value;
  }

  function setRetry(value: string): void {
    if (/^\d+$/.test(value)) {
      retry = Number(value);
      onRetry?.(retry);
    }
  }

  function decodeBytes(bytes: Uint8Array): string {
    const n = bytes.length;
    // Bytes that end in ASCII end on a whole character: unless `utf8` holds the start of one,
    // they need no streaming decoder.
    if (!utf8MayHold && (n === 0 || bytes[n - 1]! < 0x80)) {
      // A few bytes of ASCII (a stream read byte by byte) cost TextDecoder's fixed price per
      // call many times over their own: they are their own text.
      if (n <= SMALL_CHUNK && isAscii(bytes)) return String.fromCharCode.apply(null, bytes as unknown as number[]);
      // A TextDecoder never asked to stream takes Node's native fast path: 5-8 times faster
      // than a streaming one on a 16 KiB chunk.
      return whole.decode(bytes);
    }
    // Bytes that end in ASCII leave nothing held; any other end may have.
    if (n > 0) utf8MayHold = bytes[n - 1]! >= 0x80;
    return utf8.decode(bytes, { stream: true });
  }

  function feedText(text: string): void {
    if (atStreamStart && text.length > 0) {
      atStreamStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let pos = 0;
    if (skipLeadingLF && text.length > 0) {
      skipLeadingLF = false;
      if (text.charCodeAt(0) === LF) pos = 1;
    }
    // Most streams never send a CR: one look per chunk picks the loop on LF alone.
    if (text.indexOf('\r', pos) === -1) feedLF(text, pos);
    else feedAnyBreak(text, pos);
  }

  /** A chunk without CR: lines end at LF. */
  function feedLF(text: string, pos: number): void {
    let lf = text.indexOf('\n', pos);
    if (lf === -1) {
      partial += text.slice(pos);
      return;
    }
    if (partial) {
      const whole = partial + text.slice(pos, lf);
      partial = '';
      line(whole, 0, whole.length);
      pos = lf + 1;
      lf = text.indexOf('\n', pos);
    }
    while (lf !== -1) {
      if (!hasData && text.charCodeAt(lf + 1) === LF && text.charCodeAt(pos) === 100 && isData(text, pos)) {
        // One data line, then the blank line: the event is whole here, and goes out straight
        // from the slice (pkt's every event).
        const value = text.slice(text.charCodeAt(pos + 5) === 32 ? pos + 6 : pos + 5, lf);
        lastEventId = idBuffer;
        const event = new StreamEvent(eventType || 'message', lastEventId, value, knownJson);
        eventType = '';
        pos = lf + 2;
        lf = text.indexOf('\n', pos);
        onEvent(event);
        continue;
      }
      line(text, pos, lf);
      pos = lf + 1;
      lf = text.indexOf('\n', pos);
    }
    if (pos < text.length) partial = text.slice(pos);
  }

  /** A chunk with a CR somewhere: lines end at CR, LF or CRLF. */
  function feedAnyBreak(text: string, pos: number): void {
    const n = text.length;
    // The next CR and LF at or after pos, each found once per chunk pass: searching afresh
    // for every line would rescan to the chunk's end for the break it does not hold.
    let lf = text.indexOf('\n', pos);
    let cr = text.indexOf('\r', pos);
    while (pos < n) {
      if (lf !== -1 && lf < pos) lf = text.indexOf('\n', pos);
      if (cr !== -1 && cr < pos) cr = text.indexOf('\r', pos);
      const end = lf === -1 ? cr : cr === -1 ? lf : lf < cr ? lf : cr;
      if (end === -1) {
        partial += text.slice(pos);
        return;
      }
      if (partial) {
        const whole = partial + text.slice(pos, end);
        partial = '';
        line(whole, 0, whole.length);
      } else {
        line(text, pos, end);
      }
      pos = end + 1;
      if (end === cr) {
        if (pos === n) skipLeadingLF = true;
        else if (text.charCodeAt(pos) === LF) pos++;
      }
    }
  }

  return {
    feed(chunk) {
      feedText(typeof chunk === 'string' ? chunk : decodeBytes(chunk));
    },
    end() {
      const rest = utf8.decode();
      if (rest) feedText(rest);
      // A CR at the very end already ended its line above; whatever is left is an
      // unterminated line or block, which the rules say to discard.
      partial = '';
      data = '';
      hasData = false;
      eventType = '';
      idBuffer = lastEventId;
    },
    reset(options) {
      utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
      utf8MayHold = false;
      partial = '';
      atStreamStart = true;
      skipLeadingLF = false;
      data = '';
      hasData = false;
      eventType = '';
      if (!options?.keepLastEventId) lastEventId = '';
      idBuffer = lastEventId;
    },
    get lastEventId() {
      return lastEventId;
    },
    get retry() {
      return retry;
    },
  };
}

// `data:` and `event:` at `pos` (its first character already checked), compared code by code:
// cheaper than startsWith for the two lines of every event.
function isData(text: string, pos: number): boolean {
  return text.charCodeAt(pos + 4) === 58 && text.charCodeAt(pos + 1) === 97 && text.charCodeAt(pos + 2) === 116 && text.charCodeAt(pos + 3) === 97;
}

function isEvent(text: string, pos: number): boolean {
  return (
    text.charCodeAt(pos + 5) === 58 &&
    text.charCodeAt(pos + 1) === 118 &&
    text.charCodeAt(pos + 2) === 101 &&
    text.charCodeAt(pos + 3) === 110 &&
    text.charCodeAt(pos + 4) === 116
  );
}

/** Decodes a whole stream at once: handy for tests and small bodies. */
export function decodeAll(input: Uint8Array | string): { events: StreamEvent[]; retry: number | null } {
  const events: StreamEvent[] = [];
  const decoder = createDecoder({ onEvent: (e) => events.push(e) });
  decoder.feed(input);
  decoder.end();
  return { events, retry: decoder.retry };
}
