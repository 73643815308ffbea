// `npm run bench:profile -- <case...>`: runs pieces of the bench under `node --cpu-prof` (and
// heap snapshots for fan-out), keeps the profiles in bench/.profiles/<case>/ (open them in
// Chrome DevTools or speedscope), and prints the summaries PROFILES.md is written from:
// top self-time functions, time per origin (pkt, each dependency, Node, GC), heap growth per
// stream. Cases follow the bench's letters:
//   a  the server, one firehose stream (pkt, and a bare encoder for reference)
//   b  the server at 10,000 streams (pkt, better-sse, raw node:http): CPU and heap
//   c  the decoder in 16 KiB chunks (pkt, eventsource-parser)
//   d  the client: pkt run --json, and a bare EventSource on the same stream
//   e  start-up: pkt --version, pkt run task.process, node -e 0
//   f  the live view vs --json, and Ink alone drawing the same frames (installed and bundled)

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { benchDir } from '../lib/child.js';
import { takeSnapshot } from '../lib/snapshot.js';
import { profileClient, profileStartup, profileView } from './client-cases.js';
import { profileDecoder, profileFanout, profileServer } from './server-cases.js';

const CASES: Record<string, (dir: string, log: (m: string) => void) => Promise<string>> = {
  a: profileServer,
  b: profileFanout,
  c: profileDecoder,
  d: profileClient,
  e: profileStartup,
  f: profileView,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const ids = wanted.length ? wanted : Object.keys(CASES);
const unknown = ids.filter((id) => !(id in CASES));
if (unknown.length) {
  process.stderr.write(`bench:profile: unknown case ${unknown.join(', ')}; use letters among ${Object.keys(CASES).join(', ')}\n`);
  process.exit(2);
}

const missing = await takeSnapshot();
if (missing) {
  process.stderr.write(`bench:profile: ${missing}; run \`npm run build\` first\n`);
  process.exit(2);
}
const started = performance.now();
const log = (m: string) => process.stderr.write(`  ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s  ${m}\n`);
process.stdout.write(`# profiles: node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}\n`);
for (const id of ids) {
  const dir = join(benchDir, '.profiles', id);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`(${id}) profiling`);
  try {
    process.stdout.write(`\n## (${id})\n\n${await CASES[id]!(dir, log)}\n`);
  } catch (err) {
    process.stdout.write(`\n## (${id})\n\nfailed: ${(err as Error).message}\n`);
  }
}
