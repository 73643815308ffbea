// A reader that imitates Piko's browser client exactly as PROTOCOL.md §7 describes it, so the
// interop tests can show pkt's output reads correctly through it. It is deliberately NOT a
// conforming SSE parser: where Piko is loose (no CR handling, only the last `data:` line,
// fields read only with exactly one space after the colon), this is loose the same way.

export interface PikoEvent {
  /** `event: ` of the block, or `message` when the block had none. */
  type: string;
  /** The last `data: ` line, parsed as JSON, or the raw string when it is not JSON. */
  data: unknown;
  /** `id: ` of the block, when it had one (not sticky: Piko reads it per block). */
  id: string | undefined;
}

export interface PikoReader {
  /** Text as it arrives; a block is read once the blank line after it has arrived. */
  feed(text: string): void;
  /** Piko's loop stops at the end of the body; an unterminated block is never read. */
  end(): void;
}

const EVENT = 'event: ';
const DATA = 'data: ';
const ID = 'id: ';

export function createPikoReader(onEvent: (event: PikoEvent) => void): PikoReader {
  let buffer = '';
  return {
    feed(text) {
      buffer += text;
      let blank: number;
      while ((blank = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, blank);
        buffer = buffer.slice(blank + 2);
        readBlock(block, onEvent);
      }
    },
    end() {
      buffer = '';
    },
  };
}

function readBlock(block: string, onEvent: (event: PikoEvent) => void): void {
  let type: string | undefined;
  let data: string | undefined;
  let id: string | undefined;
  for (const line of block.split('\n')) {
    // Each prefix includes its one space: `event:x` or a comment line matches none of them.
    if (line.startsWith(EVENT)) type = line.slice(EVENT.length);
    else if (line.startsWith(DATA)) data = line.slice(DATA.length); // the last one wins
    else if (line.startsWith(ID)) id = line.slice(ID.length);
  }
  // A comment-only block (`: heartbeat`, which Piko itself sends) is no event. A block with
  // any field Piko knows is one, even without data: that is the phantom event PROTOCOL.md §3
  // says pkt never causes, so this reader would surface it rather than hide it.
  if (type === undefined && data === undefined && id === undefined) return;
  onEvent({ type: type ?? 'message', data: parseLoose(data ?? ''), id });
}

function parseLoose(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Reads a whole fetch body through the Piko reader, decoding UTF-8 as it streams in. */
export async function readPikoStream(res: Response): Promise<PikoEvent[]> {
  const events: PikoEvent[] = [];
  const reader = createPikoReader((e) => events.push(e));
  const utf8 = new TextDecoder();
  if (res.body) {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      reader.feed(utf8.decode(chunk, { stream: true }));
    }
  }
  reader.feed(utf8.decode());
  reader.end();
  return events;
}
