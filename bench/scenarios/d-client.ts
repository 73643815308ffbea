// (d) Client end to end: `pkt run demo.firehose --json > /dev/null` against a bare
// `eventsource` EventSource counting the same events (the usual way to read SSE in Node, and
// what pkt's client was built on until it read the body with its own decoder; it does nothing
// with the events), with the raw-socket reader of (a) for reference. All
// read the same pkt server process. Then the client's memory: peak RSS of `pkt run --json`
// into /dev/null and into a slow pipe.

import { join } from 'node:path';
import { benchDir, startServerProcess, type ServerHandle } from '../lib/child.js';
import { pktBin, pktRunMissing, pktServerMissing } from '../lib/pkt.js';
import { PEAK_RSS, peakRssMissing, shellQuote, timeCommand, type Timed } from '../lib/proc.js';
import type { Figure, Scenario, Target } from '../lib/report.js';
import { benchClient } from '../lib/snapshot.js';
import { median, ratio } from '../lib/stats.js';
import { firehoseRun } from './a-throughput.js';

const PKT = 'pkt run --json';
const ES = 'bare EventSource';
const RAW = 'raw reader';

interface Series {
  eventsPerSec: number[];
  cpuMs: number[];
  peakRssMB: number[];
}

const series = (): Series => ({ eventsPerSec: [], cpuMs: [], peakRssMB: [] });
const med = (xs: number[]) => (xs.length ? median(xs) : null);

export const scenario: Scenario = {
  id: 'd',
  title: 'client end to end (pkt run --json vs a bare EventSource)',
  async run(ctx) {
    const count = ctx.quick ? 200_000 : 1_000_000;
    const rounds = ctx.quick ? 2 : 3;
    // The slow pipe reads 2 MB/s (about 20,000 JSON lines a second) for this long, then at
    // full speed, so the run stays bounded in time.
    const slow = { bytesPerSecond: 2_000_000, seconds: ctx.quick ? 3 : 8 };
    const target: Target = { text: '(d) pkt run --json events/s >= 0.85x a bare EventSource', met: null, detail: '' };
    const missing = pktServerMissing() ?? pktRunMissing() ?? (benchClient('eventsource-count') ? null : 'bench/clients were not built');
    if (missing) return { figures: [], targets: [{ ...target, detail: `not available: ${missing}` }], notes: [`not available: ${missing}`] };

    const notes = [
      `${count.toLocaleString('en-US')} events per run, ${rounds} rounds after a warm-up; each round runs the three readers in turn against one pkt server process`,
      `${PKT} and ${ES} are whole processes (node start-up included, as a user waits for it); the ${RAW} runs inside the bench process, for reference`,
    ];
    const rssMissing = peakRssMissing();
    if (rssMissing) notes.push(`peak RSS not measured: ${rssMissing}`);

    const server: ServerHandle = await startServerProcess('pkt', join(benchDir, 'servers/pkt.ts'));
    const url = `http://127.0.0.1:${server.port}`;
    const pktCommand = `${PEAK_RSS} node ${shellQuote(pktBin)} run demo.firehose --count ${count} --json --url ${url}`;
    const esCommand = `${PEAK_RSS} node ${shellQuote(benchClient('eventsource-count')!)} ${url}${server.firehosePath} ${count}`;
    const results = { [PKT]: series(), [ES]: series(), [RAW]: series() };
    const record = (into: Series, t: Timed, what: string) => {
      if (t.code !== 0) {
        notes.push(`${what} exited with ${t.code}`);
        return;
      }
      into.eventsPerSec.push(count / (t.wallMs / 1000));
      into.cpuMs.push(t.cpuMs);
      if (t.peakRssKB != null) into.peakRssMB.push(t.peakRssKB / 1024);
    };
    let slowRun: Timed | undefined;
    try {
      // Warms the server's JIT for every reader, and each client's files into the page cache.
      await firehoseRun(server, count);
      await timeCommand(`${esCommand} > /dev/null`, { timeoutMs: 300_000 });
      await timeCommand(`${pktCommand} > /dev/null`, { timeoutMs: 300_000 });
      for (let round = 1; round <= rounds; round++) {
        results[RAW].eventsPerSec.push((await firehoseRun(server, count)).eventsPerSec);
        record(results[ES], await timeCommand(`${esCommand} > /dev/null`, { timeoutMs: 300_000 }), `${ES} (round ${round})`);
        record(results[PKT], await timeCommand(`${pktCommand} > /dev/null`, { timeoutMs: 300_000 }), `${PKT} (round ${round})`);
        ctx.log(`(d) round ${round}/${rounds} done`);
      }
      const reader = `node ${shellQuote(benchClient('slow-reader')!)} ${slow.bytesPerSecond} ${slow.seconds}`;
      slowRun = await timeCommand(`${pktCommand} | ${reader}`, { timeoutMs: 300_000 });
      if (slowRun.code !== 0) notes.push(`${PKT} into the slow pipe exited with ${slowRun.code}`);
      ctx.log('(d) slow pipe done');
    } finally {
      await server.stop();
    }

    const pktRate = med(results[PKT].eventsPerSec);
    const vsEs = ratio(pktRate, med(results[ES].eventsPerSec));
    const figures: Figure[] = [
      {
        subject: PKT,
        metric: 'events/s',
        unit: 'events/s',
        value: pktRate,
        runs: results[PKT].eventsPerSec,
        versus: [
          { subject: ES, ratio: vsEs },
          { subject: RAW, ratio: ratio(pktRate, med(results[RAW].eventsPerSec)) },
        ],
      },
      { subject: ES, metric: 'events/s', unit: 'events/s', value: med(results[ES].eventsPerSec), runs: results[ES].eventsPerSec },
      { subject: RAW, metric: 'events/s', unit: 'events/s', value: med(results[RAW].eventsPerSec), runs: results[RAW].eventsPerSec },
      {
        subject: PKT,
        metric: 'CPU time',
        unit: 'ms',
        value: med(results[PKT].cpuMs),
        runs: results[PKT].cpuMs,
        versus: [{ subject: ES, ratio: ratio(med(results[PKT].cpuMs), med(results[ES].cpuMs)) }],
      },
      { subject: ES, metric: 'CPU time', unit: 'ms', value: med(results[ES].cpuMs), runs: results[ES].cpuMs },
    ];
    if (!rssMissing) {
      const slowMB = slowRun?.code === 0 && slowRun.peakRssKB != null ? [slowRun.peakRssKB / 1024] : [];
      figures.push(
        {
          subject: `${PKT} > /dev/null`,
          metric: 'peak RSS',
          unit: 'MB',
          value: med(results[PKT].peakRssMB),
          runs: results[PKT].peakRssMB,
          versus: [{ subject: ES, ratio: ratio(med(results[PKT].peakRssMB), med(results[ES].peakRssMB)) }],
        },
        { subject: `${PKT} | slow reader`, metric: 'peak RSS', unit: 'MB', value: med(slowMB), runs: slowMB },
        { subject: ES, metric: 'peak RSS', unit: 'MB', value: med(results[ES].peakRssMB), runs: results[ES].peakRssMB },
      );
      notes.push(
        `slow reader: ${(slow.bytesPerSecond / 1e6).toFixed(0)} MB/s for ${slow.seconds} s, then full speed; that run took ${slowRun ? (slowRun.wallMs / 1000).toFixed(1) : '-'} s`,
      );
    }
    const cpu = med(results[PKT].cpuMs);
    if (cpu != null) notes.push(`${PKT}: ${((cpu * 1000) / count).toFixed(2)} µs of CPU per event, start-up included`);
    return {
      figures,
      targets: [{ ...target, met: vsEs == null ? null : vsEs >= 0.85, detail: vsEs == null ? 'not measured' : `${vsEs.toFixed(2)}x` }],
      notes,
    };
  },
};
