// Redraws a picture from bench/results.json without running the bench again:
//   node --import tsx bench/draw.ts [out.svg]   (default: the name the run itself would use)

import { readFile, writeFile } from 'node:fs/promises';
import { renderResultsSvg, type RunSummary } from './lib/results-svg.js';

const summary = JSON.parse(await readFile(new URL('results.json', import.meta.url), 'utf8')) as RunSummary;
const complete = !summary.quick && summary.results.length === 6;
const out = process.argv[2] ?? new URL(complete ? 'results.svg' : 'results.partial.svg', import.meta.url).pathname;
await writeFile(out, renderResultsSvg({ ...summary, loadAverage: summary.loadAverage ?? Number.NaN }));
process.stdout.write(`wrote ${out}\n`);
