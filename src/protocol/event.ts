// The one event type, from end to end: `stream.send` makes one, the run store keeps it, the
// SSE frame carries it, the decoder and the client hand it on, and the CLI's output modes and
// the page read it. It holds the payload as the JSON text that goes over the wire and parses
// it only when someone reads `data`, and then once for every reader: the server, which only
// stores and relays events, never pays for a parse.

/** Marks a payload not parsed yet (`undefined` and `null` are payloads). */
const UNREAD: unique symbol = Symbol('unread');
/** Marks a payload not parsed yet whose text its sender guarantees to be JSON. */
const UNREAD_JSON: unique symbol = Symbol('unread JSON');
/** Marks a payload whose text is not JSON: `data` is then the text itself. */
const NOT_JSON: unique symbol = Symbol('not JSON');

/** One event of a run: what `stream.send` makes, the store keeps, the wire carries and every client sees. */
export class StreamEvent<Data = unknown> {
  // One slot for the parsed payload and whether there is one: the decoder makes an instance
  // per event, so each field counts.
  #data: Data | typeof UNREAD | typeof UNREAD_JSON | typeof NOT_JSON;

  constructor(
    /** The event type; `message` when the stream named none. */
    readonly type: string,
    /** The seq as decimal text; '' when the server sent none (Piko). */
    readonly id: string,
    /**
     * The payload as text, exactly as it goes over the wire: JSON from pkt's server (and from
     * any server that keeps to PROTOCOL.md); a Piko server may send any text.
     */
    readonly json: string,
    /**
     * True when the sender guarantees that `json` is JSON text: pkt's server writes only
     * `JSON.stringify` output (PROTOCOL.md §3). `isJson` is then true without parsing, so a
     * reader that only relays the text (`pkt run --json`) never pays for a parse.
     */
    knownJson = false,
  ) {
    this.#data = knownJson ? UNREAD_JSON : UNREAD;
  }

  /** The payload, parsed from `json` on first read; kept as the raw string when it is not JSON, as Piko's client does. */
  get data(): Data {
    if (this.#data === UNREAD || this.#data === UNREAD_JSON) {
      try {
        this.#data = JSON.parse(this.json) as Data;
      } catch {
        this.#data = NOT_JSON;
      }
    }
    return this.#data === NOT_JSON ? (this.json as Data) : this.#data;
  }

  /**
   * True when `json` is JSON text: known from the sender, or found by parsing it (once, if
   * nothing has read `data` yet).
   */
  get isJson(): boolean {
    if (this.#data === UNREAD) void this.data;
    return this.#data !== NOT_JSON;
  }
}

/** The event's seq (pkt numbers a run's events from 1), from its id; NaN when it has none. */
export function seqOf(event: StreamEvent): number {
  return event.id === '' ? Number.NaN : Number(event.id);
}
