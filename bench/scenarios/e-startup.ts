// (e) Start-up: `pkt --version`, and the time until `pkt run` draws its first frame in a
// pseudo-terminal, each against `node -e 0` started the same way. The first frame is timed
// three ways a person starts a run: `node bin/pkt.js` (what `pkt` on the PATH runs), `npx pkt`
// from the clone (the README's command), and with `--actions` (a folder of TypeScript
// actions, loaded through tsx).

import { rootDir } from '../lib/child.js';
import { benchActionsDir, pktBin, pktRunMissing } from '../lib/pkt.js';
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

type Measure = () => Promise<number | null>;

/**
 * One warm-up run of each (file cache, npm's cache), then `n` rounds that run every command
 * once, in turn: a busy moment of the machine lands on all of them rather than on one series.
 */
async function rotate(measures: Measure[], n: number): Promise<number[][]> {
  for (const m of measures) await m();
  const out = measures.map(() => [] as number[]);
  for (let i = 0; i < n; i++) {
    for (const [j, m] of measures.entries()) {
      const v = await m();
      if (v !== null) out[j]!.push(v);
    }
  }
  return out;
}

const med = (xs: number[]) => (xs.length ? median(xs) : null);

export const scenario: Scenario = {
  id: 'e',
  title: 'start-up (pkt --version, first drawn frame) vs node -e 0',
  async run(ctx) {
    const n = ctx.quick ? 4 : 5;
    const notes = [
      `${n} runs each after one warm-up run of each (file cache), in turn with node -e 0; the first-frame runs and their node -e 0 all go through the same pseudo-terminal wrapper (script + stty)`,
    ];
    const figures: Figure[] = [];
    const targets: Target[] = [];
    const wall = (command: string, pty: boolean) => async () => (await timeCommand(command, { pty, timeoutMs: 30_000 })).wallMs;

    const [node, version] = await rotate([wall('node -e 0', false), wall(`node ${shellQuote(pktBin)} --version > /dev/null`, false)], n);
    ctx.log('(e) --version done');
    const v = ratio(med(version!), med(node!));
    figures.push({ subject: 'pkt --version', metric: 'wall time', unit: 'ms', value: med(version!), runs: version!, versus: [{ subject: 'node -e 0', ratio: v }] });
    figures.push({ subject: 'node -e 0', metric: 'wall time', unit: 'ms', value: med(node!), runs: node! });
    targets.push({ text: '(e) pkt --version <= 2x node -e 0', met: v == null ? null : v <= 2, detail: v == null ? 'not measured' : `${v.toFixed(2)}x` });

    const frameTarget = '(e) first frame of pkt run <= 3x node -e 0';
    const missing = pktRunMissing();
    if (missing) {
      notes.push(`first frame not available: ${missing}`);
      targets.push({ text: frameTarget, met: null, detail: `not available: ${missing}` });
      return { figures, targets, notes };
    }
    const ways = [
      { subject: 'pkt run first frame', command: `node ${shellQuote(pktBin)} run task.process --name x --delayMs 0` },
      // From the clone, as the README says; offline, so npm never asks the registry for a
      // package named pkt. It runs the tree's own bin/ and dist/ (npx does not resolve the
      // copy the other scenarios run), built at the start of this bench run.
      { subject: 'npx pkt run first frame', command: `cd ${shellQuote(rootDir)} && npm_config_offline=true npx pkt run task.process --name x --delayMs 0` },
      {
        subject: 'pkt run --actions (tsx) first frame',
        command: `node ${shellQuote(pktBin)} run bench.tick --actions ${shellQuote(benchActionsDir)} --seconds 0`,
      },
    ];
    const failures = new Map<string, string[]>();
    const frame = (way: (typeof ways)[number]) => async () => {
      try {
        return await firstFrameMs(way.command);
      } catch (err) {
        failures.set(way.subject, [...(failures.get(way.subject) ?? []), (err as Error).message]);
        return null;
      }
    };
    const [nodePty, ...frames] = await rotate([wall('node -e 0', true), ...ways.map(frame)], n);
    ctx.log('(e) first frames done');
    for (const [subject, errs] of failures) notes.push(`${subject} failed ${errs.length} of ${n + 1} times; first: ${errs[0]}`);
    figures.push({ subject: 'node -e 0 (pty)', metric: 'wall time', unit: 'ms', value: med(nodePty!), runs: nodePty! });
    ways.forEach((way, i) => {
      const runs = frames[i]!;
      figures.push({
        subject: way.subject,
        metric: 'time to first frame',
        unit: 'ms',
        value: med(runs),
        runs,
        versus: [{ subject: 'node -e 0 (pty)', ratio: ratio(med(runs), med(nodePty!)) }],
      });
    });
    const f = ratio(med(frames[0]!), med(nodePty!));
    targets.push({ text: frameTarget, met: f == null ? null : f <= 3, detail: f == null ? 'no frame seen' : `${f.toFixed(2)}x` });
    notes.push('the npx and --actions rows have no target of their own: they show what those paths add to the first frame');
    return { figures, targets, notes };
  },
};
