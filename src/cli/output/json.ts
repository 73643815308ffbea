// JSON Lines mode (--json): stdout carries one `{"event","id","data"}` line per event, the
// terminal one included, and nothing else, so `jq -c` and line readers can follow a run live.
// Each line goes out in the turn of the event loop its event arrived in; nothing waits for
// the end. Lines from one turn (one network read) share a write: to a file or /dev/null
// Node writes synchronously, and a system call per line was half of a firehose's cost.
//
// A line's `data` is the payload's JSON text as it came off the wire, not stringified again
// from the parsed payload. pkt's server sends JSON.stringify's output, so the line is byte for
// byte what stringifying would give, and its events say so (StreamEvent's `knownJson`): they
// are never parsed here. Another server's text is parsed once, to be sure it is JSON; JSON
// that such a server spaced out is kept as that server wrote it.

import { StreamEvent } from '../../protocol/index.js';
import { failureText, toErrorBody } from '../state/describe.js';
import { reconnectingLine } from './plain.js';
import { createStdSinks } from './sink.js';
import { trackRun } from './tracker.js';
import type { OutputOptions } from './options.js';
import type { OutputIO, RunOutput } from './types.js';

/** A batch this large is written without waiting for the end of the turn. */
const BATCH_BYTES = 64 * 1024;

/** The shape of every line. */
export interface JsonLine {
  event: string;
  /** The event's id as the server sent it; null when it sent none, or for a line pkt made up. */
  id: string | null;
  data: unknown;
}

export function createJsonOutput(io: OutputIO, opts: OutputOptions = {}): RunOutput {
  const sinks = createStdSinks(io, opts.onStdoutClosed);
  const { out, err } = sinks;
  // Nothing of the state is shown per event; it says at the end whether the stream ended itself.
  const run = trackRun(opts.now ?? (() => performance.now()), { logLimit: 0, progress: false });

  let batch = '';
  let scheduled = false;
  const flushBatch = () => {
    scheduled = false;
    if (batch === '') return;
    const text = batch;
    batch = '';
    out.write(text);
  };
  const line = (e: StreamEvent) => {
    batch += `${jsonLine(e)}\n`;
    if (batch.length >= BATCH_BYTES) flushBatch();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flushBatch);
    }
  };

  return {
    start(info) {
      run.start(info);
    },
    runId(id) {
      run.runId(id);
    },
    event(e) {
      run.event(e);
      line(e);
    },
    connection(state, info) {
      // stdout carries the run's events only; a person watching learns of the gap on stderr.
      if (state === 'reconnecting') err.write(`pkt: ${reconnectingLine(info)}\n`);
      else if (info.attempt > 0) err.write('pkt: reconnected\n');
    },
    whenWritable: sinks.whenWritable,
    async finish(outcome) {
      const state = run.finish(outcome);
      // Every run ends with exactly one terminal line. When the stream did not bring one
      // (--no-stream, an HTTP error such as 422, an unreachable server), pkt writes it.
      if (state.terminalEvent === undefined) {
        // No id: the server sent no such event; pkt makes the line up.
        if (outcome.ok) line(new StreamEvent('complete', '', JSON.stringify(outcome.result ?? null)));
        else line(new StreamEvent('error', '', JSON.stringify(toErrorBody(outcome.error))));
      }
      if (!outcome.ok) {
        // stdout stays pure JSON; a person watching still learns why the exit code is not 0.
        err.write(failureText(outcome.error, outcome.interrupted === true, state.terminalEvent === 'error'));
      }
      flushBatch();
      await sinks.close();
    },
  };
}

/** One event as a JSON Lines line (without its newline): a JsonLine. */
export function jsonLine(e: StreamEvent): string {
  return `{"event":${typeJson(e.type)},"id":${idJson(e.id)},"data":${dataJson(e)}}`;
}

// A stream sends one or a few types over and over: the last one's JSON text is kept.
let lastType = '';
let lastTypeJson = '""';
function typeJson(type: string): string {
  if (type !== lastType) {
    lastTypeJson = JSON.stringify(type);
    lastType = type;
  }
  return lastTypeJson;
}

/** A seq (decimal digits, as pkt sends) needs no escaping: only quotes. */
function idJson(id: string): string {
  if (id === '') return 'null';
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c < 48 || c > 57) return JSON.stringify(id);
  }
  return `"${id}"`;
}

/**
 * The payload as it goes into a line: the wire's JSON text as is, or, when that text is not
 * JSON (a Piko server may send any text), the text as a JSON string, as a client reads it. JSON
 * spread over several `data:` lines (from a server other than pkt's) holds line breaks that
 * would split the line: it is written again, compactly.
 */
function dataJson(e: StreamEvent): string {
  const json = e.json;
  // indexOf twice costs half of a /[\r\n]/ test, per event.
  if (e.isJson && json.indexOf('\n') === -1 && json.indexOf('\r') === -1) return json;
  return JSON.stringify(e.data);
}
