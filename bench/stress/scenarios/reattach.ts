// (8) 100 random detach/re-attach trials: a detached run of stress.seq (n = 1..count, with
// random pauses) is read by a client cut off after a random number of events, up to 4 times,
// each time re-attaching after a random wait with the last id it saw. Every n must arrive
// once, in order, and then `complete`: lost, duplicated and out-of-order events all 0.

import type { StreamEvent } from '../../../src/protocol/index.js';
import { held, info, pool, seeded, type StressScenario } from '../lib/figures.js';
import { startPktServe } from '../lib/server.js';
import { openStream } from '../lib/stream-client.js';

const TRIALS = 100;

interface Trial {
  lost: number;
  duplicated: number;
  outOfOrder: number;
  complete: boolean;
  reattaches: number;
}

async function trial(port: number, rand: () => number): Promise<Trial> {
  const count = 100 + Math.floor(rand() * 400);
  const seen: number[] = [];
  let complete = false;
  let lastId = '';
  let runId: string | undefined;
  let reattaches = 0;
  for (let leg = 0; leg < 5 && !complete; leg++) {
    // The last leg reads to the end; the others are cut after a random number of events.
    const cutAfter = leg === 4 ? Number.POSITIVE_INFINITY : 1 + Math.floor(rand() * (count / 3));
    let read = 0;
    const stream = openStream({
      port,
      target: runId === undefined ? 'stress.seq' : `runs/${runId}`,
      input: { count, maxPauseMs: 5 },
      headers: runId === undefined ? { 'Pkt-Detach': '1' } : { 'Last-Event-ID': lastId },
      onEvent: (e: StreamEvent) => {
        lastId = e.id;
        if (e.type === 'n') seen.push((JSON.parse(e.json) as { n: number }).n);
        if (e.type === 'complete') complete = true;
        if (++read >= cutAfter && !complete) stream.close();
      },
    });
    await stream.head.catch(() => undefined);
    runId ??= stream.runId();
    await Promise.race([stream.closed, new Promise((r) => setTimeout(r, 30_000))]);
    stream.close();
    if (!complete) {
      reattaches++;
      await new Promise((r) => setTimeout(r, Math.floor(rand() * 50)));
    }
  }
  const counts = new Map<number, number>();
  let outOfOrder = 0;
  seen.forEach((n, i) => {
    counts.set(n, (counts.get(n) ?? 0) + 1);
    if (i > 0 && n < seen[i - 1]!) outOfOrder++;
  });
  let lost = 0;
  for (let n = 1; n <= count; n++) if (!counts.has(n)) lost++;
  const duplicated = [...counts.values()].reduce((sum, c) => sum + c - 1, 0);
  return { lost, duplicated, outOfOrder, complete, reattaches };
}

export const scenario: StressScenario = {
  id: 'reattach',
  title: `${TRIALS} random detach/re-attach trials`,
  async run() {
    const server = await startPktServe();
    try {
      const rand = seeded(9);
      const trials = await pool(TRIALS, 10, () => trial(server.port, rand));
      const sum = (f: (t: Trial) => number) => trials.reduce((s, t) => s + f(t), 0);
      const completed = trials.filter((t) => t.complete).length;
      return {
        figures: [
          held('trials that reached complete', completed, `of ${TRIALS}`, `${TRIALS}`, completed === TRIALS),
          info('re-attaches in all', sum((t) => t.reattaches)),
          held('events lost', sum((t) => t.lost), '', '0', sum((t) => t.lost) === 0),
          held('events duplicated', sum((t) => t.duplicated), '', '0', sum((t) => t.duplicated) === 0),
          held('events out of order', sum((t) => t.outOfOrder), '', '0', sum((t) => t.outOfOrder) === 0),
        ],
        notes: ['each run has 100-499 events; a client is cut up to 4 times, after a random number of events, and waits 0-50 ms before re-attaching'],
      };
    } finally {
      await server.stop();
    }
  },
};
