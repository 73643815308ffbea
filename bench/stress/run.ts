// `npm run stress [-- --only fuzz,soak]`: the hardening figures of docs/RELIABILITY.md. Each
// scenario starts its own `pkt serve` (from a snapshot of bin/ and dist/ taken after the
// build), talks to it over 127.0.0.1 only, bounds every loop in count and time, and reports
// figures held to targets. Prints one table and writes bench/stress.json. Not a test: a
// missed target is reported, never an exit code, since a shared machine moves the figures.

import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { takeSnapshot } from '../lib/snapshot.js';
import { table } from '../lib/report.js';
import type { ScenarioResult, StressScenario } from './lib/figures.js';

const SCENARIOS: Record<string, () => Promise<{ scenario: StressScenario }>> = {
  fuzz: () => import('./scenarios/fuzz.js'),
  'too-large': () => import('./scenarios/too-large.js'),
  'slow-readers': () => import('./scenarios/slow-readers.js'),
  flood: () => import('./scenarios/flood.js'),
  'fd-limit': () => import('./scenarios/fd-limit.js'),
  'kill-clients': () => import('./scenarios/kill-clients.js'),
  sigterm: () => import('./scenarios/sigterm.js'),
  reattach: () => import('./scenarios/reattach.js'),
  soak: () => import('./scenarios/soak.js'),
};

const args = process.argv.slice(2);
const onlyArg = args.find((a) => a.startsWith('--only'));
const onlyValue = onlyArg?.includes('=') ? onlyArg.split('=')[1] : onlyArg ? args[args.indexOf(onlyArg) + 1] : undefined;
const only = onlyValue ? onlyValue.split(',').map((s) => s.trim()) : Object.keys(SCENARIOS);
const unknown = only.filter((id) => !(id in SCENARIOS));
if (unknown.length > 0) {
  process.stderr.write(`stress: unknown scenario ${unknown.join(', ')}; use some of ${Object.keys(SCENARIOS).join(', ')}\n`);
  process.exit(2);
}

const missing = await takeSnapshot();
if (missing) {
  process.stderr.write(`stress: ${missing}; run \`npm run build\` first (npm run stress does)\n`);
  process.exit(1);
}
const started = performance.now();
const log = (message: string) => process.stderr.write(`  ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s  ${message}\n`);
process.stdout.write(
  `pkt stress: node ${process.version}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${loadavg()[0]!.toFixed(1)} at the start\n\n`,
);

const results: (ScenarioResult & { id: string; title: string; seconds: number })[] = [];
for (const id of only) {
  const { scenario } = await SCENARIOS[id]!();
  log(scenario.title);
  const t0 = performance.now();
  let result: ScenarioResult;
  try {
    result = await scenario.run(log);
  } catch (err) {
    result = { figures: [], notes: [`failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`] };
  }
  results.push({ id, title: scenario.title, seconds: (performance.now() - t0) / 1000, ...result });
}

const rows = results.flatMap((r) =>
  r.figures.map((f) => [
    r.id,
    f.metric,
    f.value === null ? 'n/a' : typeof f.value === 'number' ? f.value.toLocaleString('en-US') : f.value,
    f.unit ?? '',
    f.target ?? '',
    f.met === undefined ? '' : f.met ? 'met' : 'NOT MET',
  ]),
);
process.stdout.write(`${table(['scenario', 'figure', 'value', 'unit', 'target', 'verdict'], rows)}\n\n`);
for (const r of results) {
  process.stdout.write(`${r.id} (${r.seconds.toFixed(0)} s): ${r.title}\n`);
  for (const note of r.notes) process.stdout.write(`  ${note}\n`);
}
const judged = results.flatMap((r) => r.figures.filter((f) => f.met !== undefined));
const total = (performance.now() - started) / 1000;
process.stdout.write(`\n${judged.filter((f) => f.met).length} of ${judged.length} targets met; ${total.toFixed(0)} s in all; load average ${loadavg()[0]!.toFixed(1)} at the end\n`);
await writeFile(
  new URL('../stress.json', import.meta.url),
  `${JSON.stringify({ node: process.version, cores: cpus().length, at: new Date().toISOString(), seconds: total, loadavg: loadavg(), results }, null, 2)}\n`,
);
process.stdout.write('wrote bench/stress.json\n');
