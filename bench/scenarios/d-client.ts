// (d) Client end to end: `pkt run demo.firehose --json > /dev/null` against the raw-socket
// reader of (a), both reading the same pkt server process, so the difference is the client.

import { join } from 'node:path';
import { benchDir, startServerProcess, type ServerHandle } from '../lib/child.js';
import { pktBin, pktRunMissing, pktServerMissing } from '../lib/pkt.js';
import { shellQuote, timeCommand } from '../lib/proc.js';
import type { Scenario } from '../lib/report.js';
import { median, ratio } from '../lib/stats.js';
import { firehoseRun } from './a-throughput.js';

export const scenario: Scenario = {
  id: 'd',
  title: 'client end to end (pkt run --json vs raw-socket reader)',
  async run(ctx) {
    const count = ctx.quick ? 100_000 : 200_000;
    const rounds = ctx.quick ? 2 : 3;
    const missing = pktServerMissing() ?? pktRunMissing();
    const target = { text: '(d) pkt run --json events/s >= 0.7x the raw reader', met: null, detail: '' };
    if (missing) return { figures: [], targets: [{ ...target, detail: `not available: ${missing}` }], notes: [`not available: ${missing}`] };

    const notes = [
      `${count.toLocaleString('en-US')} events per run; pkt run talks to a separate pkt server (--url), the one the raw reader reads, so only the reader differs`,
      'pkt run events/s counts the whole process (start-up included), as a user waits for it',
    ];
    const server: ServerHandle = await startServerProcess('pkt', join(benchDir, 'servers/pkt.ts'));
    const raw: number[] = [];
    const cli: number[] = [];
    const cpu: number[] = [];
    const url = `http://127.0.0.1:${server.port}`;
    const command = `node ${shellQuote(pktBin)} run demo.firehose --count ${count} --json --url ${url} > /dev/null`;
    try {
      await firehoseRun(server, count); // warm the server's JIT for both readers
      for (let round = 1; round <= rounds; round++) {
        raw.push((await firehoseRun(server, count)).eventsPerSec);
        const t = await timeCommand(command, { timeoutMs: 120_000 });
        if (t.code !== 0) {
          notes.push(`pkt run exited with ${t.code} in round ${round}`);
          continue;
        }
        cli.push(count / (t.wallMs / 1000));
        cpu.push(t.cpuMs);
        ctx.log(`(d) round ${round}/${rounds} done`);
      }
    } finally {
      await server.stop();
    }
    const rawMed = raw.length ? median(raw) : null;
    const cliMed = cli.length ? median(cli) : null;
    const r = ratio(cliMed, rawMed);
    if (cpu.length) notes.push(`pkt run CPU time (user+sys) median ${median(cpu).toFixed(0)} ms per run`);
    return {
      figures: [
        { subject: 'pkt run --json', metric: 'events/s', unit: 'events/s', value: cliMed, runs: cli, versus: [{ subject: 'raw reader', ratio: r }] },
        { subject: 'raw reader', metric: 'events/s', unit: 'events/s', value: rawMed, runs: raw },
      ],
      targets: [{ ...target, met: r == null ? null : r >= 0.7, detail: r == null ? 'not measured' : `${r.toFixed(2)}x` }],
      notes,
    };
  },
};
