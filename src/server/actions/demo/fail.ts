// Fails on purpose, partway through, to show how clients see an action's error.
import { z } from 'zod';
import { defineAction } from '../../define-action.js';

const input = z.object({
  after: z.number().int().min(0).max(1000).default(3).describe('progress events to send before failing'),
  delayMs: z.number().int().min(0).max(60_000).default(100).describe('the pause before each event, in ms'),
});

export default defineAction({
  description: 'Streams a few progress events, then throws.',
  input,
  call: () => {
    throw new Error('demo.fail failed on purpose');
  },
  async streamProgress({ after, delayMs }, stream) {
    for (let step = 1; step <= after; step++) {
      await stream.sleep(delayMs);
      await stream.send('progress', { step, total: after + 1, message: `step ${step}, failing soon` });
    }
    throw new Error(`demo.fail failed on purpose after ${after} events`);
  },
});
