// A real redis-server for a test: on a free loopback port, in a temporary folder, persistence
// off (unless asked), stopped and removed afterwards. Without the program a test skips with a
// one-line reason, except under CI=true, where it must be there.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REDIS_SERVER = 'redis-server';

const hasRedis = spawnSync(REDIS_SERVER, ['--version'], { stdio: 'ignore' }).status === 0;

/** `{ skip }` for a describe or test: a reason without redis-server, false with it (or under CI). */
export const redisSkip: string | false =
  !hasRedis && process.env.CI !== 'true' ? 'redis-server is not installed (apt-get install redis-server to run this test)' : false;

export interface RedisServer {
  port: number;
  url: string;
  dir: string;
  /** Stops it (SIGTERM, then SIGKILL); its data goes unless it was started with appendonly. */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder. */
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  close(): Promise<void>;
}

/** A free loopback port the OS picked (free when asked: good enough for a test's own servers). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startRedis(options: { appendonly?: boolean } = {}): Promise<RedisServer> {
  if (!hasRedis) throw new Error('CI=true: redis-server must be installed for this test (apt-get install redis-server)');
  const dir = mkdtempSync(join(tmpdir(), 'pkt-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
    '--appendonly', options.appendonly ? 'yes' : 'no', '--appendfsync', 'always',
    '--logfile', join(dir, 'redis.log'), '--daemonize', 'no', '--maxmemory-policy', 'noeviction',
  ];
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    async start() {
      child = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
      await untilAnswers(port);
    },
    async stop() {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((resolve) => c.once('exit', resolve));
      c.kill('SIGTERM');
      const force = setTimeout(() => c.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(force);
    },
    async close() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/** Waits until the server answers PING (at most 10 s: a bound, not a timing check). */
async function untilAnswers(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (await ping(port)) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      text += chunk.toString();
      if (text.includes('\r\n')) {
        socket.end();
        resolve(text.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
}
