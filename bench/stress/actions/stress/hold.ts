// stress.hold: one `tick` event per interval until its signal aborts (bounded by `seconds`),
// then one line on stderr saying when it saw the abort, so the stress harness can time how
// long a gone client takes to stop its action.

import { setTimeout as sleep } from 'node:timers/promises';
import { defineAction, type ActionStream } from '../../../../src/server/define-action.js';

function whole(value: unknown, fallback: number, max: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? Math.min(value, max) : fallback;
}

export default defineAction({
  description: 'Stress only: a `tick` every intervalMs (default 1000) for up to `seconds` (default 600), `size` bytes of padding each.',
  call: () => ({ streams: true }),
  // The stream completes with its own result, not call's: its parameter says which.
  async streamProgress(input, stream: ActionStream<{ ticks: number }>) {
    const given = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
    const intervalMs = Math.max(10, whole(given.intervalMs, 1000, 60_000));
    const seconds = whole(given.seconds, 600, 3600);
    const pad = 'p'.repeat(whole(given.size, 0, 65_536));
    stream.signal.addEventListener('abort', () => {
      const code = (stream.signal.reason as { code?: string } | undefined)?.code ?? 'unknown';
      process.stderr.write(`stress: aborted ${stream.runId} ${Date.now()} ${code}\n`);
    });
    const ticks = Math.floor((seconds * 1000) / intervalMs);
    for (let seq = 1; seq <= ticks; seq++) {
      try {
        await stream.send('tick', { seq, pad });
        await sleep(intervalMs, undefined, { signal: stream.signal });
      } catch {
        return; // aborted: the client left, or the server is stopping
      }
    }
    await stream.sendComplete({ ticks });
  },
});
