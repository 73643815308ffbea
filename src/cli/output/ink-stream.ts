// The stream Ink draws on: the terminal (stderr), less its height.
//
// Ink 6 clears the whole terminal, scrollback included (ESC [2J ESC [3J), and writes again
// everything it ever put in <Static>, whenever its last frame was as tall as the terminal
// (ink.js: `lastOutputHeight >= stdout.rows`). That is every frame in a terminal that says it
// has 0 rows (a pseudo-terminal under `script` with no size set), and the frame after a resize
// makes the terminal shorter than the live region: the person's earlier history is gone. pkt
// keeps the live region shorter than the terminal itself (live-text.ts), so it never wants
// that path; a stream that does not tell Ink its height keeps Ink off it.
//
// The first write also takes over the first frame (first-frame.ts): the sequence that erases
// it goes out with Ink's first frame, inside the same synchronized update when Ink opens one.

import { takeOverFirstFrame } from './first-frame.js';

/** The synchronized-update brackets Ink writes around a frame (mode 2026). */
const BEGIN_SYNC = '\u001b[?2026h';

type Listener = (...args: unknown[]) => void;

export function inkStream(screen: NodeJS.WriteStream): NodeJS.WriteStream {
  let first = true;
  const write = (data: string | Uint8Array, ...rest: unknown[]): boolean => {
    if (first) {
      first = false;
      const erase = takeOverFirstFrame();
      if (erase && typeof data === 'string') {
        data = data.startsWith(BEGIN_SYNC) ? BEGIN_SYNC + erase + data.slice(BEGIN_SYNC.length) : erase + data;
      }
    }
    return (screen.write as (d: string | Uint8Array, ...r: unknown[]) => boolean)(data, ...rest);
  };
  const stream = {
    write,
    isTTY: true,
    get columns() {
      return screen.columns;
    },
    // No `rows`: see above.
    rows: undefined,
    get writable() {
      return screen.writable;
    },
    get destroyed() {
      return screen.destroyed;
    },
    get writableEnded() {
      return screen.writableEnded;
    },
    get writableLength() {
      return screen.writableLength;
    },
    on(event: string, listener: Listener) {
      screen.on(event, listener);
      return stream;
    },
    once(event: string, listener: Listener) {
      screen.once(event, listener);
      return stream;
    },
    off(event: string, listener: Listener) {
      screen.off(event, listener);
      return stream;
    },
    removeListener(event: string, listener: Listener) {
      screen.removeListener(event, listener);
      return stream;
    },
    prependListener(event: string, listener: Listener) {
      screen.prependListener(event, listener);
      return stream;
    },
    listenerCount(event: string) {
      return screen.listenerCount(event);
    },
  };
  return stream as unknown as NodeJS.WriteStream;
}
