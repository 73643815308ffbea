// The first frame of `pkt run`'s live view, drawn before Ink (or even yargs) has loaded: the
// header and a spinner, as plain text on stderr, a few milliseconds after Node starts. Ink
// then takes over the same lines: the first thing the view writes erases them, in the same
// write as its own first frame, so nothing is said twice and nothing flickers.
//
// Whatever writes first takes them over: a usage error, a failed connection, or the view.
// Until then, stderr's (and a terminal stdout's) `write` is wrapped to erase the frame before
// anything else goes out, and an exit with nothing written erases it too. No caller has to
// remember that the frame is there.

interface Drawn {
  rows: number;
  streams: Array<{ stream: NodeJS.WriteStream; restore: () => void }>;
  onExit: () => void;
  write: (text: string) => void;
}

let drawn: Drawn | undefined;

/**
 * Draws `lines` (each already fitted to the terminal's width, so none wraps) on `stream`, and
 * arranges for them to be erased before the first other write to it or to `also`.
 */
export function drawFirstFrame(stream: NodeJS.WriteStream, lines: readonly string[], also: readonly NodeJS.WriteStream[] = []): void {
  if (drawn || lines.length === 0) return;
  const original = stream.write.bind(stream) as (text: string) => boolean;
  original(`${lines.join('\n')}\n`);
  const streams = [stream, ...also.filter((s) => s !== stream)].map((s) => ({ stream: s, restore: wrapWrite(s) }));
  const onExit = () => {
    const erase = takeOverFirstFrame();
    if (erase) original(erase);
  };
  drawn = { rows: lines.length, streams, onExit, write: original };
  process.once('exit', onExit);
}

/**
 * The escape sequence that erases the first frame, for the caller to write in place of it;
 * '' when there is none (any more). From then on, writes go straight through again.
 */
export function takeOverFirstFrame(): string {
  if (!drawn) return '';
  const { rows, streams, onExit } = drawn;
  drawn = undefined;
  for (const { restore } of streams) restore();
  process.off('exit', onExit);
  // The cursor is on the line below the frame: up through its lines, erasing each. Not "erase
  // to the end of the screen": from the top-left corner, tmux takes that for clearing the
  // whole screen and first scrolls it into the history (its scroll-on-clear option).
  return eraseRowsAbove(rows);
}

/** True while a first frame is on the screen, not yet taken over. */
export function firstFrameShown(): boolean {
  return drawn !== undefined;
}

/** With the cursor at the start of a row, erases the `rows` rows above it and ends on the first of them. */
export function eraseRowsAbove(rows: number): string {
  return `\r${'\u001b[1A\u001b[2K'.repeat(rows)}`;
}

function wrapWrite(stream: NodeJS.WriteStream): () => void {
  const own = Object.prototype.hasOwnProperty.call(stream, 'write');
  const original = stream.write;
  stream.write = function (this: NodeJS.WriteStream, ...args: Parameters<NodeJS.WriteStream['write']>) {
    const frame = drawn;
    const erase = takeOverFirstFrame();
    // Through the first frame's stream, which the erase belongs to, whichever stream this is.
    if (erase) frame?.write(erase);
    // The wrapper is gone now: this is the stream's own write.
    return (stream.write as (...a: unknown[]) => boolean).apply(this, args);
  } as NodeJS.WriteStream['write'];
  return () => {
    if (own) stream.write = original;
    else delete (stream as { write?: unknown }).write;
  };
}
