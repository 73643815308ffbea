// `npm run bench [-- --quick] [-- --only a,c]`: runs the scenario files in order, prints one
// table per scenario with each target's verdict, and writes bench/results.json. A scenario
// that throws is reported and the others still run: one missing piece must not hide the rest.

import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { renderScenario, type Scenario, type ScenarioResult } from './lib/report.js';
import { renderResultsSvg } from './lib/results-svg.js';
import { takeSnapshot } from './lib/snapshot.js';

const SCENARIOS: Record<string, () => Promise<{ scenario: Scenario }>> = {
  a: () => import('./scenarios/a-throughput.js'),
  b: () => import('./scenarios/b-fanout.js'),
  c: () => import('./scenarios/c-decoder.js'),
  d: () => import('./scenarios/d-client.js'),
  e: () => import('./scenarios/e-startup.js'),
  f: () => import('./scenarios/f-tui.js'),
  g: () => import('./scenarios/g-redis.js'),
};

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.find((a) => a.startsWith('--only'));
const onlyValue = onlyArg?.includes('=') ? onlyArg.split('=')[1] : onlyArg ? args[args.indexOf(onlyArg) + 1] : undefined;
const only = onlyValue ? onlyValue.split(',').map((s) => s.trim()) : Object.keys(SCENARIOS);
const unknown = only.filter((id) => !(id in SCENARIOS));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown scenario ${unknown.join(', ')}; use letters among ${Object.keys(SCENARIOS).join(', ')}\n`);
  process.exit(2);
}

const snapshotMissing = await takeSnapshot();
const loadAverage = loadavg()[0]!;
const started = performance.now();
const log = (message: string) => process.stderr.write(`  ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s  ${message}\n`);
const results: ScenarioResult[] = [];
process.stdout.write(
  `pkt bench (${quick ? 'quick' : 'full'}): node ${process.version}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${loadAverage.toFixed(1)}\n`,
);
process.stdout.write(snapshotMissing ? `pkt not copied: ${snapshotMissing}\n\n` : 'pkt runs from a copy of bin/ and dist/ taken after the build (bench/.snapshot)\n\n');

for (const id of only) {
  const t0 = performance.now();
  const { scenario } = await SCENARIOS[id]!();
  log(`(${id}) ${scenario.title}`);
  let result: ScenarioResult;
  try {
    const r = await scenario.run({ quick, log });
    result = { id, title: scenario.title, seconds: (performance.now() - t0) / 1000, ...r };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    result = { id, title: scenario.title, seconds: (performance.now() - t0) / 1000, figures: [], targets: [], notes: [`failed: ${why}`] };
  }
  results.push(result);
  process.stdout.write(`${renderScenario(result)}\n\n`);
}

const targets = results.flatMap((r) => r.targets);
process.stdout.write('targets\n');
for (const t of targets) {
  process.stdout.write(`  ${t.met === null ? 'NOT JUDGED' : t.met ? 'met       ' : 'NOT MET   '}  ${t.text}  (${t.detail})\n`);
}
const total = (performance.now() - started) / 1000;
process.stdout.write(`\n${targets.filter((t) => t.met).length} of ${targets.length} targets met; ${total.toFixed(0)} s in all\n`);

const summary = { quick, node: process.version, cores: cpus().length, loadAverage, at: new Date().toISOString(), seconds: total, results };
await writeFile(new URL('results.json', import.meta.url), `${JSON.stringify(summary, null, 2)}\n`);
// The picture the README shows is committed: only a full run of every scenario replaces it.
// A quick or partial run draws its own, which git ignores.
const complete = !quick && only.length === Object.keys(SCENARIOS).length;
const svgName = complete ? 'results.svg' : 'results.partial.svg';
await writeFile(new URL(svgName, import.meta.url), renderResultsSvg(summary));
process.stdout.write(`wrote bench/results.json and bench/${svgName}\n`);
