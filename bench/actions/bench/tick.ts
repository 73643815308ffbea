// bench.tick: one event per interval, stamped with the time it was sent, for the fan-out
// scenario's delivery latency. Ticks fall at the stream's own phase of each wall-clock
// interval (lib/events.ts tickClock), as every fan-out server of the bench does. Bounded by
// `seconds` like every bench load loop.
//
// It waits with `stream.sleep`, as an action should (README): one plain timer per tick, the
// run's signal watched once, like the baselines' loops that sleep on a plain timer and look at
// the connection afterwards. The abortable sleep of node:timers/promises with `stream.signal`
// (what an action wrote before `stream.sleep`) allocates about 1.5 KB of promises and
// listeners per tick in Node 20, more than the whole of a baseline's event; the bench server
// measures that way too when started with `abortable-sleep` (servers/pkt.ts), for bench:profile.

import { setTimeout as sleep } from 'node:timers/promises';
import { defineAction, type ActionStream } from '../../../src/server/define-action.js';
import { tickClock, tickInput } from '../../lib/events.js';

export default defineAction({
  description: 'Bench only: one `tick` event per interval at a given phase, each carrying `sentAt`, the wall-clock ms it was sent.',
  call: () => ({ streams: true }),
  // The stream completes with its own result, not call's: its parameter says which.
  async streamProgress(input, stream: ActionStream<{ sent: number }>) {
    const { n, intervalMs, phaseMs } = tickInput(typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {});
    const next = tickClock(phaseMs, intervalMs);
    const abortable = process.env.PKT_BENCH_TICK_SLEEP === 'abortable';
    for (let seq = 1; seq <= n; seq++) {
      if (abortable) {
        try {
          await sleep(next(), undefined, { signal: stream.signal });
        } catch {
          return; // aborted: the client left
        }
      } else {
        try {
          await stream.sleep(next());
        } catch {
          return; // aborted: the client left
        }
      }
      await stream.send('tick', { seq, sentAt: performance.timeOrigin + performance.now() });
    }
    await stream.sendComplete({ sent: n });
  },
});
