// bench.tick: one event per interval, stamped with the time it was sent, for the fan-out
// scenario's delivery latency. Bounded by `seconds` like every bench load loop.

import { setTimeout as sleep } from 'node:timers/promises';
import { defineAction } from '../../../src/server/define-action.js';

const MAX_SECONDS = 600;

function whole(value: unknown, fallback: number, max: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? Math.min(value, max) : fallback;
}

export default defineAction({
  description: 'Bench only: one `tick` event per interval, each carrying `sentAt`, the wall-clock ms it was sent.',
  call: () => ({ streams: true }),
  async streamProgress(input, stream) {
    const given = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
    const seconds = whole(given.seconds, 20, MAX_SECONDS);
    const intervalMs = Math.max(1, whole(given.intervalMs, 1000, 60_000));
    const n = Math.floor((seconds * 1000) / intervalMs);
    for (let seq = 1; seq <= n; seq++) {
      if (stream.signal.aborted) return;
      await stream.send('tick', { seq, sentAt: performance.timeOrigin + performance.now() });
      try {
        await sleep(intervalMs, undefined, { signal: stream.signal });
      } catch {
        return; // aborted: the client left
      }
    }
    await stream.sendComplete({ sent: n });
  },
});
