// bench.tick: one event per interval, stamped with the time it was sent, for the fan-out
// scenario's delivery latency. Ticks fall at the stream's own phase of each wall-clock
// interval (lib/events.ts tickClock), as every fan-out server of the bench does. Bounded by
// `seconds` like every bench load loop.

import { setTimeout as sleep } from 'node:timers/promises';
import { defineAction } from '../../../src/server/define-action.js';
import { tickClock, tickInput } from '../../lib/events.js';

export default defineAction({
  description: 'Bench only: one `tick` event per interval at a given phase, each carrying `sentAt`, the wall-clock ms it was sent.',
  call: () => ({ streams: true }),
  async streamProgress(input, stream) {
    const { n, intervalMs, phaseMs } = tickInput(typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {});
    const next = tickClock(phaseMs, intervalMs);
    for (let seq = 1; seq <= n; seq++) {
      try {
        await sleep(next(), undefined, { signal: stream.signal });
      } catch {
        return; // aborted: the client left
      }
      await stream.send('tick', { seq, sentAt: performance.timeOrigin + performance.now() });
    }
    await stream.sendComplete({ sent: n });
  },
});
