// (c) Decoder throughput: src/protocol's createDecoder against eventsource-parser on the same
// generated stream of bytes, in 16 KiB chunks (a socket's reads) and in chunks of 1-7 bytes
// (the worst case: every boundary split). Each parser runs in its own worker process.

import { join } from 'node:path';
import { benchDir } from '../lib/child.js';
import { runWorker } from '../lib/proc.js';
import type { Figure, Scenario, Target } from '../lib/report.js';
import { median, ratio } from '../lib/stats.js';

const PARSERS = ['pkt', 'eventsource-parser'] as const;

export const scenario: Scenario = {
  id: 'c',
  title: 'decoder throughput (pkt createDecoder vs eventsource-parser)',
  async run(ctx) {
    const runs = ctx.quick ? 2 : 3;
    // Quick mode shortens the few-bytes case: it is ~20x slower per byte than 16 KiB chunks.
    const chunkings = [
      { label: '16 KiB chunks', arg: '16384', mb: 50 },
      { label: '1-7 byte chunks', arg: 'small', mb: ctx.quick ? 10 : 50 },
    ];
    const figures: Figure[] = [];
    const targets: Target[] = [];
    const notes = [`1 warm-up pass then ${runs} measured passes per parser and chunking; bytes fed to both (eventsource-parser through a streaming TextDecoder, as its own stream wrapper does)`];
    for (const c of chunkings) {
      const results = new Map<string, number[]>();
      for (const parser of PARSERS) {
        try {
          const r = await runWorker<{ mbPerSec: number[] }>(join(benchDir, 'workers/decoder.ts'), [parser, c.arg, String(c.mb), String(runs)], 180_000);
          results.set(parser, r.mbPerSec);
        } catch (err) {
          notes.push(`${parser}, ${c.label}: ${(err as Error).message}`);
        }
        ctx.log(`(c) ${parser}, ${c.label} done`);
      }
      const pkt = results.get('pkt');
      const esp = results.get('eventsource-parser');
      const pktMed = pkt ? median(pkt) : null;
      const espMed = esp ? median(esp) : null;
      const r = ratio(pktMed, espMed);
      figures.push({ subject: 'pkt', metric: `MB/s, ${c.mb} MB, ${c.label}`, unit: 'MB/s', value: pktMed, runs: pkt ?? [], versus: [{ subject: 'eventsource-parser', ratio: r }] });
      figures.push({ subject: 'eventsource-parser', metric: `MB/s, ${c.mb} MB, ${c.label}`, unit: 'MB/s', value: espMed, runs: esp ?? [] });
      targets.push({ text: `(c) decoder >= 1.0x eventsource-parser, ${c.label}`, met: r == null ? null : r >= 1.0, detail: r == null ? 'not measured' : `${r.toFixed(2)}x` });
    }
    return { figures, targets, notes };
  },
};
