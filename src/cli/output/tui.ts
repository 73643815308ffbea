// The Ink view as an output mode. Loaded only through a dynamic import (see index.ts), so
// Ink and React cost nothing when the output is plain, JSON or quiet.
//
// Events are reduced into the state as they come, but React only hears about it on a 50 ms
// frame: a run that sends ten thousand events a second costs cheap reductions in batches
// and twenty renders, not ten thousand renders. Each frame writes its new lines for good
// above the live region (scrollback.ts plans them) and redraws the live region: a line or
// two, kept shorter than the terminal, so Ink never has to clear it.

import { createElement } from 'react';
import { render, type Instance } from 'ink';
import { RunView } from '../ui/RunView.js';
import { colorEnabled } from './color.js';
import { inkStream } from './ink-stream.js';
import { eraseRewrapped, rewrapsOnResize } from './reflow.js';
import { resultJson } from '../state/describe.js';
import { liveLines } from '../state/live-text.js';
import { createPaint } from '../state/paint.js';
import { initialRunState, reduceRun, type RunState } from '../state/reducer.js';
import { EMPTY_SCROLLBACK, planScrollback, type PermanentLine, type Scrollback } from '../state/scrollback.js';
import { createSink } from './sink.js';
import type { OutputOptions } from './options.js';
import type { StreamEvent } from '../../protocol/index.js';
import type { OutputIO, RunOutput } from './types.js';

/** 20 frames a second at most, however fast events arrive. */
export const FRAME_MS = 50;

/** Events reduced together between frames, beyond those kept for the frame's log lines. */
const BATCH_EVENTS = 256;

export function createTuiOutput(io: OutputIO, opts: OutputOptions = {}): RunOutput {
  const now = opts.now ?? (() => performance.now());
  const out = createSink(io.stdout, opts.onStdoutClosed);
  // Ink wants a WriteStream; it reads only write, columns, isTTY and 'resize' from it.
  const screen = io.stderr as NodeJS.WriteStream;
  const color = colorEnabled(io.env, io.stderr);
  const paint = createPaint(color);
  const rewraps = rewrapsOnResize(io.env);
  let state: RunState = initialRunState(opts.logLimit === undefined ? {} : { logLimit: opts.logLimit });
  let scrollback: Scrollback = EMPTY_SCROLLBACK;
  let permanent: { id: number; lines: readonly PermanentLine[] } = { id: 0, lines: [] };
  // What the live region shows now, and at which width: what a resize must erase.
  let live: string[] = [];
  let liveColumns = 0;
  let ink: Instance | undefined;
  let exited: Promise<unknown> | undefined;
  let frame: NodeJS.Timeout | undefined;
  // Set once Ink has unmounted, whoever asked: a rerender after that would mount the tree
  // again on a dead instance (and keep the process from exiting).
  let gone = false;

  // The events since the last reduction. Only the latest `logLimit` of a frame become log
  // lines, and only those wait for the frame; older ones are reduced in bounded batches as
  // they come. Held for a whole frame, a firehose's events (15,000 a frame) outlived the
  // young generation and were copied and promoted: a third of the view's time went to GC.
  const keepForLog = state.options.logLimit;
  let pending: StreamEvent[] = [];
  const takeEvents = () => {
    if (pending.length === 0) return;
    const events = pending;
    pending = [];
    state = reduceRun(state, { type: 'events', events, now: now() });
  };

  const columns = () => screen.columns || 80;
  /** The next frame: its lines for the scrollback, and the live region. */
  const plan = () => {
    const planned = planScrollback(scrollback, state);
    scrollback = planned.scrollback;
    if (planned.lines.length > 0) permanent = { id: permanent.id + 1, lines: planned.lines };
    liveColumns = columns();
    live = liveLines(state, { rows: screen.rows, columns: liveColumns, header: !scrollback.header }, paint);
    return createElement(RunView, { state, permanent, live, columns: liveColumns, color });
  };
  const draw = () => {
    if (!gone) ink?.rerender(plan());
  };
  // Ink redraws at once on resize, with whatever tree it has. Handing it the tree for the
  // new size first (a listener put before Ink's) makes that redraw fit. A narrower terminal
  // may have rewrapped the live lines into more rows than Ink knows of: those go first.
  const onResize = () => {
    if (gone) return;
    if (rewraps && columns() < liveColumns) screen.write(eraseRewrapped(live, columns()));
    takeEvents();
    draw();
  };

  return {
    start(info) {
      state = reduceRun(state, { type: 'start', info, now: now() });
      ink = render(plan(), {
        stdout: inkStream(screen),
        stderr: inkStream(screen),
        // The run command owns Ctrl-C (it cancels the run on the server) and console output.
        exitOnCtrlC: false,
        patchConsole: false,
        // The frames are paced here; Ink writes each one as it comes, so what is on the
        // screen is always the last `live` (which a resize relies on).
        maxFps: 1000,
      });
      // Ink also unmounts by itself when the process is about to exit or gets a signal.
      const onGone = () => {
        gone = true;
        clearInterval(frame);
      };
      exited = ink.waitUntilExit().then(onGone, onGone);
      frame = setInterval(() => {
        takeEvents();
        // A tick even without events: elapsed time moves, the spinner turns, a stalled rate falls.
        state = reduceRun(state, { type: 'tick', now: now() });
        draw();
      }, FRAME_MS);
      // The view must never be what keeps the process alive.
      frame.unref();
      screen.prependListener('resize', onResize);
    },
    runId(id) {
      state = reduceRun(state, { type: 'runId', runId: id, now: now() });
    },
    connection(connection) {
      takeEvents();
      state = reduceRun(state, { type: 'connection', state: connection, now: now() });
    },
    event(e) {
      // Nothing is drawn before the next frame, and log lines are made only for the events
      // the frame can show.
      if (pending.push(e) < keepForLog + BATCH_EVENTS) return;
      const older = pending.slice(0, pending.length - keepForLog);
      pending = pending.slice(older.length);
      state = reduceRun(state, { type: 'events', events: older, now: now(), log: false });
    },
    async finish(outcome) {
      clearInterval(frame);
      takeEvents();
      state = reduceRun(state, { type: 'finish', outcome, now: now() });
      if (ink) {
        // RunView sees the final state and exits; Ink then writes the last frame, and the
        // exit promise settles only once that frame has gone through the stream.
        draw();
        await exited;
      }
      screen.off('resize', onResize);
      // The result goes to stdout after the view is gone, so the two never interleave on a terminal.
      if (outcome.ok) out.write(resultJson(outcome.result, io.stdout.isTTY === true));
      await out.flush();
      out.dispose();
    },
  };
}
