// An event's payload as the JSON text that goes on the wire, checked before anything is stored
// or sent: a payload JSON cannot carry, or one over the per-event limit, is refused with a
// TypeError that names the call and says what to send instead (PROTOCOL.md §3 and §6).

/** What `stream.send` and `stream.sendComplete` reject with when a payload cannot be sent. */
export class UnsendableEvent extends TypeError {}

/**
 * `what` names the call for the message (`stream.send("progress")`). JSON.stringify gives
 * undefined, not an error, for a function, a symbol, or a `toJSON` that returns undefined, so
 * that case is caught here too: text that is not a string would reach the store and the wire.
 */
export function eventData(payload: unknown, maxBytes: number, what: string): string {
  let text: unknown;
  try {
    text = JSON.stringify(payload === undefined ? null : payload);
  } catch (err) {
    throw new UnsendableEvent(`${what}: the payload cannot be sent as JSON (${(err as Error)?.message ?? String(err)})`);
  }
  if (typeof text !== 'string') {
    throw new UnsendableEvent(
      `${what}: the payload cannot be sent as JSON (${kindOf(payload)} has no JSON form); send an object, array, string, number, boolean or null`,
    );
  }
  // UTF-8 takes at most 3 bytes per UTF-16 unit, so most payloads skip the exact count.
  if (text.length * 3 > maxBytes) {
    const bytes = Buffer.byteLength(text);
    if (bytes > maxBytes) {
      throw new UnsendableEvent(
        `${what}: the payload is ${bytes} bytes of JSON, over the ${maxBytes}-byte limit per event (limits.maxEventBytes); send it in parts`,
      );
    }
  }
  return flat(text);
}

/**
 * The same text as one flat string. V8's JSON.stringify builds its output in parts and returns
 * anything past 32 characters as a concatenation of two (a cons string: three heap objects
 * instead of one). A run keeps its events for re-attach (PROTOCOL.md §4), and every kept
 * concatenation costs about 40 bytes more, copied by young-generation collections until it is
 * promoted.
 * Reading a character makes V8 join the parts in place, once, here.
 */
function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}

function kindOf(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  return 'a value whose toJSON returns undefined';
}
