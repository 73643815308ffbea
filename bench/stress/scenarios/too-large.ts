// (2) Too large means 413, every time (item 2): 100 tries each of a raw socket writing its
// 2 MB body in 64 KiB pieces, undici's fetch, and `pkt run --input @2MB.json` (4 at a time).

import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootDir } from '../../lib/child.js';
import { snapshotDir } from '../../lib/snapshot.js';
import { held, pool, tally, type StressScenario } from '../lib/figures.js';
import { BASE, startPktServe } from '../lib/server.js';

const TRIES = 100;
const BODY = Buffer.from(JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }));
const PKT_RUN_LINE = /the input is too large: this server takes at most 1 MiB \(1048576 bytes\)/;

function rawTry(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let failure = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('error', (err: NodeJS.ErrnoException) => (failure ||= err.code ?? err.message));
    socket.on('close', () => resolve(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? (failure || 'no answer')));
    socket.write(`POST ${BASE}/task.process HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\nConnection: close\r\n\r\n`);
    let at = 0;
    const next = () => {
      if (socket.destroyed) return;
      if (at >= BODY.length) return void socket.end();
      socket.write(BODY.subarray(at, (at += 64 * 1024)));
      setImmediate(next);
    };
    next();
  });
}

async function fetchTry(url: string): Promise<string> {
  try {
    const res = await fetch(`${url}${BASE}/task.process`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' }, body: BODY });
    await res.arrayBuffer();
    return String(res.status);
  } catch (err) {
    let cause: unknown = err;
    while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
    return (cause as NodeJS.ErrnoException).code ?? String(cause);
  }
}

function pktRunTry(url: string, file: string): Promise<string> {
  return new Promise((resolve) => {
    // stress.seq has no input schema, so pkt run's own check before sending passes it on.
    const child = spawn(process.execPath, [join(snapshotDir, 'bin', 'pkt.js'), 'run', 'stress.seq', '--url', url, '--input', `@${file}`], {
      cwd: rootDir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(guard);
      const tooLarge = PKT_RUN_LINE.test(err);
      resolve(`exit ${code}${tooLarge ? ', too large named' : `: ${err.trim().split('\n').at(-1)}`}`);
    });
  });
}

export const scenario: StressScenario = {
  id: 'too-large',
  title: `413 reliability: ${TRIES} tries each of a raw socket, fetch and pkt run with a 2 MB body (limit 1 MiB)`,
  async run(log) {
    const server = await startPktServe();
    const dir = await mkdtemp(join(tmpdir(), 'pkt-stress-'));
    const file = join(dir, 'big.json');
    await writeFile(file, BODY);
    try {
      const raw = tally(await pool(TRIES, 4, () => rawTry(server.port)));
      log('too-large: raw done');
      const viaFetch = tally(await pool(TRIES, 4, () => fetchTry(server.url)));
      log('too-large: fetch done');
      const viaPkt = tally(await pool(TRIES, 4, () => pktRunTry(server.url, file)));
      const seen = (counts: Record<string, number>, key: string) => counts[key] ?? 0;
      return {
        figures: [
          held('raw socket (paced body) saw 413', seen(raw, '413'), `of ${TRIES}`, `${TRIES}`, seen(raw, '413') === TRIES),
          held('fetch saw 413', seen(viaFetch, '413'), `of ${TRIES}`, `${TRIES}`, seen(viaFetch, '413') === TRIES),
          held('pkt run exited 2 naming the limit', seen(viaPkt, 'exit 2, too large named'), `of ${TRIES}`, `${TRIES}`, seen(viaPkt, 'exit 2, too large named') === TRIES),
        ],
        notes: [`raw: ${JSON.stringify(raw)}`, `fetch: ${JSON.stringify(viaFetch)}`, `pkt run: ${JSON.stringify(viaPkt)}`],
      };
    } finally {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
