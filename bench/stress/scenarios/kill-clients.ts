// (6) kill -9 of 10 clients: each is a process holding a stream to stress.hold. The time from
// the kill until each run's signal aborts on the server (stress.hold writes when it saw it).

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
    const server = await startPktServe();
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
      const deadline = Date.now() + 30_000;
      while (aborts.size < CLIENTS && Date.now() < deadline) {
        for (const line of server.lines) {
          const m = /^stress: aborted (\S+) (\d+) (\S+)$/.exec(line.text);
          if (m && runIds.includes(m[1]!)) aborts.set(m[1]!, Number(m[2]) - killedAt);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      const ms = [...aborts.values()];
      return {
        figures: [
          held('runs whose signal aborted', aborts.size, `of ${CLIENTS}`, `${CLIENTS}`, aborts.size === CLIENTS),
          info('time from kill -9 to abort, median', Math.round(percentile(ms, 50)), 'ms'),
          held('time from kill -9 to abort, max', Math.round(Math.max(...ms)), 'ms', '<= 1000', Math.max(...ms) <= 1000),
        ],
        notes: ['a killed process\'s sockets are closed by its kernel, so the server sees the connection end at once'],
      };
    } finally {
      for (const child of children) child.kill('SIGKILL');
      await server.stop();
    }
  },
};
