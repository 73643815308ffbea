// Profiles of the client side: `pkt run --json` against a bare EventSource on the same stream
// (d), and the live view against --json and against Ink alone drawing the same frames (f).
// Each command is timed once without the profiler (the figures) and once under it (the where).

import { join } from 'node:path';
import { build } from 'esbuild';
import { benchDir, startServerProcess } from '../lib/child.js';
import { pktBin } from '../lib/pkt.js';
import { PEAK_RSS, shellQuote, timeCommand, type Timed } from '../lib/proc.js';
import { benchClient, clientsDir } from '../lib/snapshot.js';
import { firehoseRun } from '../scenarios/a-throughput.js';
import { cpuProf, summarizeDir } from './server-cases.js';

const COUNT = 1_000_000;

interface Subject {
  name: string;
  /** The command, with `%NODE%` where `node` (and its flags) go. */
  command: string;
  pty?: boolean;
}

function figures(t: Timed): string {
  return `wall ${(t.wallMs / 1000).toFixed(2)} s, CPU ${(t.cpuMs / 1000).toFixed(2)} s${t.peakRssKB != null ? `, peak RSS ${(t.peakRssKB / 1024).toFixed(0)} MB` : ''}`;
}

async function profileEach(dir: string, subjects: Subject[], log: (m: string) => void): Promise<{ text: string; plain: Map<string, Timed> }> {
  const out: string[] = [];
  const plain = new Map<string, Timed>();
  for (const s of subjects) {
    const sub = join(dir, s.name.replace(/[^a-z0-9]+/gi, '-'));
    const run = async (node: string) => {
      const t = await timeCommand(s.command.replace('%NODE%', node), { pty: s.pty ?? false, timeoutMs: 300_000 });
      if (t.code !== 0) throw new Error(`${s.name} exited with ${t.code}`);
      return t;
    };
    await run('node'); // warm: page cache, and the server's JIT
    const t = await run(`${PEAK_RSS} node`);
    plain.set(s.name, t);
    const p = await run(`node ${cpuProf(sub).join(' ')}`);
    log(`${s.name} done`);
    out.push(`### ${s.name}\n`, `without the profiler: ${figures(t)}; under it: ${figures(p)}\n`, summarizeDir(sub), '');
  }
  return { text: out.join('\n'), plain };
}

export async function profileClient(dir: string, log: (m: string) => void): Promise<string> {
  const server = await startServerProcess('pkt', join(benchDir, 'servers/pkt.ts'));
  const url = `http://127.0.0.1:${server.port}`;
  try {
    await firehoseRun(server, COUNT);
    const { text } = await profileEach(
      dir,
      [
        { name: 'pkt run --json', command: `%NODE% ${shellQuote(pktBin)} run demo.firehose --count ${COUNT} --json --url ${url} > /dev/null` },
        { name: 'bare EventSource', command: `%NODE% ${shellQuote(benchClient('eventsource-count')!)} ${url}${server.firehosePath} ${COUNT}` },
      ],
      (m) => log(`(d) ${m}`),
    );
    return `${COUNT.toLocaleString('en-US')} events from one pkt server process (--url)\n\n${text}`;
  } finally {
    await server.stop();
  }
}

export async function profileView(dir: string, log: (m: string) => void): Promise<string> {
  const server = await startServerProcess('pkt', join(benchDir, 'servers/pkt.ts'));
  const url = `http://127.0.0.1:${server.port}`;
  try {
    await firehoseRun(server, COUNT);
    const base = `%NODE% ${shellQuote(pktBin)} run demo.firehose --count ${COUNT} --url ${url}`;
    const views = await profileEach(
      dir,
      [
        { name: 'live view', command: base, pty: true },
        { name: '--json in the same terminal', command: `${base} --json > /dev/null`, pty: true },
      ],
      (m) => log(`(f) ${m}`),
    );
    // Ink alone draws for as long as the live view ran, so both draw about as many frames.
    const seconds = Math.max(1, Math.round(views.plain.get('live view')!.wallMs / 1000));
    const ink = await profileEach(dir, [{ name: `Ink alone, ${seconds} s of frames`, command: `%NODE% ${shellQuote(benchClient('ink-alone')!)} ${seconds}`, pty: true }], (m) =>
      log(`(f) ${m}`),
    );
    return [
      `${COUNT.toLocaleString('en-US')} events from one pkt server process (--url), in a 120x40 pseudo-terminal\n`,
      views.text,
      ink.text,
      '### Ink alone: loading, frames, and a smaller live region, as installed and bundled\n',
      await inkVariants(seconds),
    ].join('\n');
  } finally {
    await server.stop();
  }
}

/**
 * Ink alone as pkt loads it today (node_modules, React's development build) and bundled into
 * one file in production mode (what a CLI build could ship), each for one frame (the cost of
 * loading) and for `seconds` of frames with fifteen log lines and with none (a live region of
 * two lines, the log above it in <Static>). CPU is the median of three runs.
 */
async function inkVariants(seconds: number): Promise<string> {
  const bundled = join(clientsDir, 'ink-alone-bundled.mjs');
  await build({
    entryPoints: [join(benchDir, 'clients/ink-alone.ts')],
    outfile: bundled,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    define: { 'process.env.NODE_ENV': '"production"' },
    alias: { 'react-devtools-core': join(benchDir, 'profile/devtools-stub.ts') },
    // Bundled CommonJS (React) calls require for Node's own modules.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  const rows = ['| Ink alone | frames | CPU | peak RSS |', '| --- | --- | ---: | ---: |'];
  for (const [label, file] of [
    ['installed (development React)', benchClient('ink-alone')!],
    ['bundled, production', bundled],
  ] as const) {
    for (const [frames, args] of [
      ['1 (loading only)', '0.01'],
      [`${seconds} s, 15 log lines`, `${seconds}`],
      [`${seconds} s, no log lines`, `${seconds} 0`],
    ] as const) {
      const runs: Timed[] = [];
      for (let i = 0; i < 3; i++) runs.push(await timeCommand(`${PEAK_RSS} node ${shellQuote(file)} ${args}`, { pty: true, timeoutMs: 120_000 }));
      const mid = runs.sort((a, b) => a.cpuMs - b.cpuMs)[1]!;
      rows.push(`| ${label} | ${frames} | ${(mid.cpuMs / 1000).toFixed(2)} s | ${mid.peakRssKB == null ? '-' : `${(mid.peakRssKB / 1024).toFixed(0)} MB`} |`);
    }
  }
  return rows.join('\n');
}

/** (e): where the time to the first frame goes, and what `pkt --version` loads. */
export async function profileStartup(dir: string, log: (m: string) => void): Promise<string> {
  const { text } = await profileEach(
    dir,
    [
      { name: 'pkt --version', command: `%NODE% ${shellQuote(pktBin)} --version > /dev/null` },
      { name: 'pkt run task.process (embedded server, live view)', command: `%NODE% ${shellQuote(pktBin)} run task.process --name x --delayMs 0`, pty: true },
      { name: 'node -e 0', command: '%NODE% -e 0' },
    ],
    (m) => log(`(e) ${m}`),
  );
  return `whole runs (the first frame is drawn part way through the second)\n\n${text}`;
}
