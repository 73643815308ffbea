// (7) SIGTERM with 50 open streams: every one must end with an `error` event of code
// SHUTDOWN, and the process must exit; the time from the signal to its exit.

import { held, info, tally, type StressScenario } from '../lib/figures.js';
import { startPktServe } from '../lib/server.js';
import { openStream } from '../lib/stream-client.js';

const STREAMS = 50;

export const scenario: StressScenario = {
  id: 'sigterm',
  title: `SIGTERM with ${STREAMS} open streams`,
  async run() {
    const server = await startPktServe();
    const streams = Array.from({ length: STREAMS }, () => openStream({ port: server.port, target: 'stress.hold', input: { intervalMs: 200 } }));
    const deadline = Date.now() + 30_000;
    while (streams.some((s) => s.events.length === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    const exit = await Promise.race([server.exited, new Promise<undefined>((r) => setTimeout(r, 20_000))]);
    await Promise.race([Promise.all(streams.map((s) => s.closed)), new Promise((r) => setTimeout(r, 5000))]);
    const endings = tally(
      streams.map((s) => {
        const last = s.events.at(-1);
        if (!last) return 'no events';
        if (last.type !== 'error') return `ended with ${last.type}`;
        return `error ${(JSON.parse(last.json) as { code: string }).code}`;
      }),
    );
    for (const s of streams) s.close();
    if (!exit) await server.stop();
    const shutdown = endings['error SHUTDOWN'] ?? 0;
    return {
      figures: [
        held('streams ending with error SHUTDOWN', shutdown, `of ${STREAMS}`, `${STREAMS}`, shutdown === STREAMS),
        held('exit code', exit ? String(exit.code ?? exit.signal) : 'did not exit in 20 s', '', '0', exit?.code === 0),
        info('time from SIGTERM to exit', exit ? exit.at - signalledAt : null, 'ms'),
      ],
      notes: [`endings: ${JSON.stringify(endings)}`],
    };
  },
};
