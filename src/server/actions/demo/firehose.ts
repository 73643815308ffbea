// Streams small progress events as fast as backpressure allows: the load for throughput
// benchmarks and for drawing under pressure.
import { z } from 'zod';
import { defineAction } from '../../define-action.js';

const input = z.object({
  count: z.number().int().min(1).max(100_000_000).default(100_000).describe('how many events to send'),
  size: z.number().int().min(0).max(65_536).optional().describe('extra payload bytes per event'),
});

export default defineAction({
  description: 'Streams `count` small progress events as fast as the client reads them.',
  input,
  call: ({ count }) => ({ status: 'completed', count }),
  async streamProgress({ count, size }, stream) {
    const pad = size ? 'x'.repeat(size) : undefined;
    for (let step = 1; step <= count; step++) {
      await stream.send('progress', pad === undefined ? { step, total: count, message: `event ${step}` } : { step, total: count, pad });
    }
    await stream.sendComplete({ status: 'done', count });
  },
});
