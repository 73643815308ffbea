// (f) The live view under a firehose: `pkt run demo.firehose` drawing in a pseudo-terminal, against
// the same run with `--json > /dev/null`. Both read a separate pkt server (--url), so the CPU
// measured is the client's alone and the difference is the cost of drawing.

import { join } from 'node:path';
import { benchDir, startServerProcess } from '../lib/child.js';
import { pktBin, pktRunMissing, pktServerMissing } from '../lib/pkt.js';
import { shellQuote, timeCommand } from '../lib/proc.js';
import type { Scenario } from '../lib/report.js';
import { median, ratio } from '../lib/stats.js';

export const scenario: Scenario = {
  id: 'f',
  title: 'TUI under a firehose (pty) vs --json > /dev/null',
  async run(ctx) {
    const count = ctx.quick ? 200_000 : 1_000_000;
    const rounds = ctx.quick ? 2 : 3;
    const missing = pktServerMissing() ?? pktRunMissing();
    const target = { text: '(f) TUI CPU <= 1.3x the CPU of --json', met: null, detail: '' };
    if (missing) return { figures: [], targets: [{ ...target, detail: `not available: ${missing}` }], notes: [`not available: ${missing}`] };

    const server = await startServerProcess('pkt', join(benchDir, 'servers/pkt.ts'));
    const base = `node ${shellQuote(pktBin)} run demo.firehose --count ${count} --url http://127.0.0.1:${server.port}`;
    const tui = { wall: [] as number[], cpu: [] as number[] };
    const json = { wall: [] as number[], cpu: [] as number[] };
    const notes = [`${count.toLocaleString('en-US')} events per run, ${rounds} runs each after a warm-up, in a 120x40 pseudo-terminal; CPU is user+sys of the pkt process`];
    // A view that draws every event can take minutes; past this, the TUI is judged too slow.
    const timeoutMs = ctx.quick ? 40_000 : 120_000;
    let tuiTimedOut = false;
    try {
      await timeCommand(`${base} --json > /dev/null`, { pty: true, timeoutMs });
      for (let round = 1; round <= rounds; round++) {
        for (const [mode, into] of [['tui', tui], ['json', json]] as const) {
          if (mode === 'tui' && tuiTimedOut) continue;
          let t;
          try {
            t = await timeCommand(mode === 'tui' ? base : `${base} --json > /dev/null`, { pty: true, timeoutMs });
          } catch (err) {
            notes.push(`${mode} run: ${(err as Error).message}`);
            if (mode === 'tui') tuiTimedOut = true;
            continue;
          }
          if (t.code !== 0) {
            notes.push(`${mode} run exited with ${t.code} in round ${round}`);
            continue;
          }
          into.wall.push(t.wallMs);
          into.cpu.push(t.cpuMs);
        }
        ctx.log(`(f) round ${round}/${rounds} done`);
      }
    } finally {
      await server.stop();
    }
    const m = (xs: number[]) => (xs.length ? median(xs) : null);
    const r = ratio(m(tui.cpu), m(json.cpu));
    return {
      figures: [
        { subject: 'pkt run (TUI)', metric: 'CPU time', unit: 'ms', value: m(tui.cpu), runs: tui.cpu, versus: [{ subject: '--json', ratio: r }] },
        { subject: 'pkt run --json', metric: 'CPU time', unit: 'ms', value: m(json.cpu), runs: json.cpu },
        { subject: 'pkt run (TUI)', metric: 'wall time', unit: 'ms', value: m(tui.wall), runs: tui.wall, versus: [{ subject: '--json', ratio: ratio(m(tui.wall), m(json.wall)) }] },
        { subject: 'pkt run --json', metric: 'wall time', unit: 'ms', value: m(json.wall), runs: json.wall },
      ],
      targets: [
        tuiTimedOut && tui.cpu.length === 0 && json.cpu.length > 0
          ? { ...target, met: false, detail: `the TUI run did not finish within ${timeoutMs / 1000} s; --json took ${m(json.cpu)!.toFixed(0)} ms of CPU` }
          : { ...target, met: r == null ? null : r <= 1.3, detail: r == null ? 'not measured' : `${r.toFixed(2)}x` },
      ],
      notes,
    };
  },
};
