// (c) Decoder throughput: src/protocol's createDecoder against eventsource-parser on the same
// generated stream of bytes, in 16 KiB chunks (a socket's reads) and in chunks of 1-7 bytes
// (the worst case: every boundary split). Each parser lives in its own worker process, and
// passes alternate between the two.

import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { benchDir, spawnNode, tail } from '../lib/child.js';
import type { Figure, Scenario, Target } from '../lib/report.js';
import { median, ratio } from '../lib/stats.js';
import type { DecoderMessage, DecoderRequest } from '../workers/decoder.js';

const PARSERS = ['pkt', 'eventsource-parser'] as const;

/** Starts a decoder worker and returns a function that runs one pass on it. */
async function startWorker(parser: string, chunking: string, mb: number): Promise<{ pass(): Promise<number>; child: ChildProcess }> {
  const child = spawnNode(join(benchDir, 'workers/decoder.ts'), [parser, chunking, String(mb)]);
  const output = tail(child);
  const next = (timeoutMs: number) =>
    new Promise<DecoderMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${parser}: no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`${parser} worker exited with ${code}: ${output().slice(-300)}`));
      };
      child.once('exit', onExit);
      child.once('message', (m: DecoderMessage) => {
        clearTimeout(timer);
        child.off('exit', onExit);
        if (m.type === 'failed') reject(new Error(m.message));
        else resolve(m);
      });
    });
  await next(120_000);
  return {
    child,
    async pass() {
      const answer = next(120_000);
      child.send({ type: 'pass' } satisfies DecoderRequest);
      const m = await answer;
      return m.type === 'pass' ? m.mbPerSec : Number.NaN;
    },
  };
}

export const scenario: Scenario = {
  id: 'c',
  title: 'decoder throughput (pkt createDecoder vs eventsource-parser)',
  async run(ctx) {
    // Quick mode decodes less: the few-bytes case is ~20x slower per byte than 16 KiB chunks.
    // A 16 KiB pass takes a fifth of a second, so that case (the target of issue 14) gets
    // more passes: one busy moment of the machine must not decide its median.
    const chunkings = [
      { label: '16 KiB chunks', arg: '16384', mb: ctx.quick ? 20 : 50, runs: ctx.quick ? 5 : 9 },
      { label: '1-7 byte chunks', arg: 'small', mb: ctx.quick ? 5 : 50, runs: ctx.quick ? 2 : 3 },
    ];
    const figures: Figure[] = [];
    const targets: Target[] = [];
    const notes = [
      `${chunkings.map((c) => `${c.runs} passes (${c.label})`).join(' and ')} per parser, alternating between the parsers, after a warm-up pass (a tenth of the stream for 1-7 byte chunks); bytes fed to both (eventsource-parser through a streaming TextDecoder, as its own stream wrapper does)`,
    ];
    for (const c of chunkings) {
      const results = new Map<string, number[]>(PARSERS.map((p) => [p, []]));
      const workers: { parser: string; pass(): Promise<number>; child: ChildProcess }[] = [];
      try {
        for (const parser of PARSERS) workers.push({ parser, ...(await startWorker(parser, c.arg, c.mb)) });
        for (let r = 0; r < c.runs; r++) {
          for (const w of workers) results.get(w.parser)!.push(await w.pass());
        }
      } catch (err) {
        notes.push(`${c.label}: ${(err as Error).message}`);
      } finally {
        for (const w of workers) w.child.kill();
      }
      ctx.log(`(c) ${c.label} done`);
      const med = (p: string) => (results.get(p)!.length ? median(results.get(p)!) : null);
      const r = ratio(med('pkt'), med('eventsource-parser'));
      figures.push({ subject: 'pkt', metric: `MB/s, ${c.mb} MB, ${c.label}`, unit: 'MB/s', value: med('pkt'), runs: results.get('pkt')!, versus: [{ subject: 'eventsource-parser', ratio: r }] });
      figures.push({ subject: 'eventsource-parser', metric: `MB/s, ${c.mb} MB, ${c.label}`, unit: 'MB/s', value: med('eventsource-parser'), runs: results.get('eventsource-parser')! });
      targets.push({ text: `(c) decoder >= 1.0x eventsource-parser, ${c.label}`, met: r == null ? null : r >= 1.0, detail: r == null ? 'not measured' : `${r.toFixed(2)}x` });
    }
    return { figures, targets, notes };
  },
};
