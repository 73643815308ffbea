// The memory of a `pkt serve` under the reproduction of issue 9: 40 detached requests of
// demo.firehose {count: 300, size: 65536} whose clients leave at once. Prints the server's
// RSS before, at its peak and a minute after the runs end, with the history budget given
// (default: pkt serve's own, 256 MiB). Not a test: figures for docs/RELIABILITY.md.
//
//   npm run stress:history                       # the default budget
//   npm run stress:history -- --history-bytes 64MiB
//
// Linux only (it reads /proc/<pid>/status).

import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { rootDir } from './lib/child.js';

const RUNS = 40;
const INPUT = { count: 300, size: 65536 };
const AFTER_MS = 60_000;

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
  return kb / 1024;
}

async function main(): Promise<void> {
  const extra = process.argv.slice(2);
  const server = spawn(process.execPath, [join(rootDir, 'bin', 'pkt.js'), 'serve', '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  server.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  const deadline = Date.now() + 20_000;
  while (!/pkt serving on (\S+)/.test(out)) {
    if (Date.now() > deadline) throw new Error(`pkt serve did not start: ${out}`);
    await sleep(50);
  }
  const url = /pkt serving on (\S+)/.exec(out)![1]!;
  const base = `${url}/_piko/actions`;
  try {
    // One small run first, so "before" is a server that has served, not one still loading.
    await fetch(`${base}/task.process`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":"warm"}' }).then((r) => r.text());
    await sleep(1000);
    const before = await rssMb(server.pid!);
    let peak = before;
    const sampler = setInterval(() => {
      rssMb(server.pid!).then((mb) => (peak = Math.max(peak, mb)), () => {});
    }, 50);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: RUNS }, async () => {
        const controller = new AbortController();
        await fetch(`${base}/demo.firehose`, {
          method: 'POST',
          headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json', 'Pkt-Detach': '1' },
          body: JSON.stringify(INPUT),
          signal: controller.signal,
        });
        controller.abort();
      }),
    );
    // Until no run is live: the list is the server's own account.
    for (;;) {
      const { runs } = (await (await fetch(`${base}/runs?state=live`)).json()) as { runs: unknown[] };
      if (runs.length === 0) break;
      await sleep(100);
    }
    const ranMs = performance.now() - started;
    await sleep(500);
    clearInterval(sampler);
    const endedAt = await rssMb(server.pid!);
    await sleep(AFTER_MS);
    const after = await rssMb(server.pid!);
    const { runs } = (await (await fetch(`${base}/runs?limit=1000`)).json()) as { runs: unknown[] };
    const budget = extra.includes('--history-bytes') ? extra[extra.indexOf('--history-bytes') + 1] : '256MiB (default)';
    const generated = (RUNS * INPUT.count * INPUT.size) / 2 ** 20;
    console.log(`history budget ${budget}; ${RUNS} detached runs of demo.firehose ${JSON.stringify(INPUT)} (${generated.toFixed(0)} MiB of event data) in ${(ranMs / 1000).toFixed(1)} s`);
    console.log(`RSS before      ${before.toFixed(0)} MB`);
    console.log(`RSS peak        ${peak.toFixed(0)} MB`);
    console.log(`RSS at the end  ${endedAt.toFixed(0)} MB`);
    console.log(`RSS 1 min after ${after.toFixed(0)} MB`);
    console.log(`runs still kept ${runs.length} of ${RUNS + 1}`);
  } finally {
    server.kill('SIGTERM');
  }
}

await main();
