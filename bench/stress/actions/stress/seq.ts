// stress.seq: `count` events carrying n = 1..count, with short random pauses, then `complete`.
// The detach/re-attach trials check that a client cut off and re-attached sees each n once, in order.

import { setTimeout as sleep } from 'node:timers/promises';
import { defineAction, type ActionStream } from '../../../../src/server/define-action.js';

function whole(value: unknown, fallback: number, max: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? Math.min(value, max) : fallback;
}

export default defineAction({
  description: 'Stress only: `count` events numbered n = 1..count, pausing up to maxPauseMs now and then.',
  call: () => ({ streams: true }),
  // The stream completes with its own result, not call's: its parameter says which.
  async streamProgress(input, stream: ActionStream<{ count: number }>) {
    const given = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
    const count = Math.max(1, whole(given.count, 200, 100_000));
    const maxPauseMs = whole(given.maxPauseMs, 5, 1000);
    for (let n = 1; n <= count; n++) {
      await stream.send('n', { n });
      if (Math.random() < 0.2) await sleep(Math.floor(Math.random() * (maxPauseMs + 1)), undefined, { signal: stream.signal });
    }
    await stream.sendComplete({ count });
  },
});
