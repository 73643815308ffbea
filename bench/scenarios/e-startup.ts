// (e) Start-up: `pkt --version`, and the time until `pkt run task.process` draws its first
// frame in a pseudo-terminal, each against `node -e 0` started the same way.

import { pktBin, pktRunMissing } from '../lib/pkt.js';
import { shellQuote, timeCommand } from '../lib/proc.js';
import type { Figure, Scenario, Target } from '../lib/report.js';
import { median, ratio } from '../lib/stats.js';

// Drops escape sequences (cursor moves, colours), so "drawn" means visible text arrived.
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[@-Z\\-_]/g;

async function firstFrameMs(command: string): Promise<number | null> {
  let first: number | null = null;
  let shown = '';
  const t = await timeCommand(command, {
    pty: true,
    timeoutMs: 30_000,
    onOutput: (data, ms) => {
      const text = data.toString('utf8').replace(ANSI, '');
      shown = (shown + text).slice(-300);
      if (first === null && /[A-Za-z0-9]/.test(text)) first = ms;
    },
  });
  if (t.code !== 0) throw new Error(`exited with ${t.code}: ${shown.trim().split('\n').pop() ?? ''}`);
  return first;
}

export const scenario: Scenario = {
  id: 'e',
  title: 'start-up (pkt --version, first drawn frame) vs node -e 0',
  async run(ctx) {
    const n = ctx.quick ? 4 : 5;
    const notes = [`${n} runs each, alternating with node -e 0, after one warm-up run of each (file cache); the first-frame runs and their node -e 0 both go through the same pseudo-terminal wrapper (script + stty)`];
    const figures: Figure[] = [];
    const targets: Target[] = [];
    // The two commands of a comparison alternate run by run, so a busy moment of the machine
    // lands on both rather than on whichever series happened to run then.
    const alternate = async (a: () => Promise<number | null>, b: () => Promise<number | null>) => {
      await a();
      await b();
      const out = { a: [] as number[], b: [] as number[] };
      for (let i = 0; i < n; i++) {
        const x = await a();
        if (x !== null) out.a.push(x);
        const y = await b();
        if (y !== null) out.b.push(y);
      }
      return out;
    };
    const wall = (command: string, pty: boolean) => async () => (await timeCommand(command, { pty, timeoutMs: 30_000 })).wallMs;

    const { a: node, b: version } = await alternate(wall('node -e 0', false), wall(`node ${shellQuote(pktBin)} --version > /dev/null`, false));
    ctx.log('(e) --version done');
    const v = ratio(median(version), median(node));
    figures.push({ subject: 'pkt --version', metric: 'wall time', unit: 'ms', value: median(version), runs: version, versus: [{ subject: 'node -e 0', ratio: v }] });
    figures.push({ subject: 'node -e 0', metric: 'wall time', unit: 'ms', value: median(node), runs: node });
    targets.push({ text: '(e) pkt --version <= 2.5x node -e 0', met: v == null ? null : v <= 2.5, detail: v == null ? 'not measured' : `${v.toFixed(2)}x` });

    const missing = pktRunMissing();
    if (missing) {
      notes.push(`first frame not available: ${missing}`);
      targets.push({ text: '(e) first frame <= 4x node -e 0', met: null, detail: `not available: ${missing}` });
      return { figures, targets, notes };
    }
    const command = `node ${shellQuote(pktBin)} run task.process --name x --delayMs 0`;
    const failures: string[] = [];
    const frame = async () => {
      try {
        return await firstFrameMs(command);
      } catch (err) {
        failures.push((err as Error).message);
        return null;
      }
    };
    const { a: nodePty, b: frames } = await alternate(wall('node -e 0', true), frame);
    if (failures.length > 0) notes.push(`pkt run task.process failed ${failures.length} of ${n + 1} times; first: ${failures[0]}`);
    ctx.log('(e) first frame done');
    const f = frames.length ? ratio(median(frames), median(nodePty)) : null;
    figures.push({ subject: 'pkt run first frame', metric: 'time to first frame', unit: 'ms', value: frames.length ? median(frames) : null, runs: frames, versus: [{ subject: 'node -e 0 (pty)', ratio: f }] });
    figures.push({ subject: 'node -e 0 (pty)', metric: 'wall time', unit: 'ms', value: median(nodePty), runs: nodePty });
    targets.push({ text: '(e) first frame <= 4x node -e 0', met: f == null ? null : f <= 4, detail: f == null ? 'no frame seen' : `${f.toFixed(2)}x` });
    return { figures, targets, notes };
  },
};
