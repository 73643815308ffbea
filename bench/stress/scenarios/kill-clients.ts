// (6) kill -9 of 10 clients: each is a process holding a stream to stress.hold. The time from
// the kill until each run's signal aborts on the server (stress.hold writes when it saw it).
// A run whose client drops goes on for the linger time (15 s by default) in case the client
// comes back, so the server runs twice: with the default linger, and with `--linger 0`, which
// shows how soon the server sees a killed client's connection end.

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { benchDir, rootDir } from '../../lib/child.js';
import { percentile } from '../../lib/stats.js';
import { held, info, type StressScenario } from '../lib/figures.js';
import { startPktServe } from '../lib/server.js';

const CLIENTS = 10;

export const scenario: StressScenario = {
  id: 'kill-clients',
  title: `kill -9 of ${CLIENTS} clients holding streams`,
  async run() {
    const lingering = await killClients([]);
    const immediate = await killClients(['--linger', '0']);
    const ok = (r: Round) => r.aborted === CLIENTS;
    return {
      figures: [
        held('runs whose signal aborted (default linger, 15 s)', lingering.aborted, `of ${CLIENTS}`, `${CLIENTS}`, ok(lingering)),
        held('time from kill -9 to abort, max (default linger)', Math.round(lingering.maxMs), 'ms', '<= 16,000 (15 s of linger)', lingering.maxMs <= 16_000),
        held('runs whose signal aborted (--linger 0)', immediate.aborted, `of ${CLIENTS}`, `${CLIENTS}`, ok(immediate)),
        info('time from kill -9 to abort, median (--linger 0)', Math.round(immediate.medianMs), 'ms'),
        held('time from kill -9 to abort, max (--linger 0)', Math.round(immediate.maxMs), 'ms', '<= 1000', immediate.maxMs <= 1000),
      ],
      notes: ["a killed process's sockets are closed by its kernel, so the server sees the connection end at once; the run then lingers"],
    };
  },
};

interface Round {
  aborted: number;
  medianMs: number;
  maxMs: number;
}

async function killClients(serveArgs: string[]): Promise<Round> {
  const server = await startPktServe({ args: serveArgs });
  const children: ChildProcess[] = [];
  try {
    const runIds = await Promise.all(
      Array.from({ length: CLIENTS }, () => {
        const child = spawn(process.execPath, ['--import', 'tsx', join(benchDir, 'stress', 'workers', 'stream-client.ts'), String(server.port)], {
          cwd: rootDir,
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        children.push(child);
        return new Promise<string>((resolve, reject) => {
          let out = '';
          const timer = setTimeout(() => reject(new Error('a client did not start within 30 s')), 30_000);
          child.stdout!.setEncoding('utf8').on('data', (c: string) => {
            out += c;
            const m = /^run (\S+)$/m.exec(out);
            if (m) {
              clearTimeout(timer);
              resolve(m[1]!);
            }
          });
        });
      }),
    );
    const killedAt = Date.now();
    for (const child of children) child.kill('SIGKILL');
    const aborts = new Map<string, number>();
    const deadline = Date.now() + 40_000;
    while (aborts.size < CLIENTS && Date.now() < deadline) {
      for (const line of server.lines) {
        const m = /^stress: aborted (\S+) (\d+) (\S+)$/.exec(line.text);
        if (m && runIds.includes(m[1]!)) aborts.set(m[1]!, Number(m[2]) - killedAt);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const ms = [...aborts.values()];
    return { aborted: aborts.size, medianMs: percentile(ms, 50), maxMs: Math.max(...ms) };
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await server.stop();
  }
}
