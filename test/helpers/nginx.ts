// A real nginx in front of a test's servers: its own prefix, config, logs and pid file in a
// temporary folder (nothing under /etc or /var), on a free loopback port, stopped afterwards.
// Without the program a test skips with a one-line reason, except under CI=true.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis.js';

const NGINX = spawnSync('nginx', ['-v'], { stdio: 'ignore' }).status === 0 ? 'nginx' : '/usr/sbin/nginx';
const hasNginx = spawnSync(NGINX, ['-v'], { stdio: 'ignore' }).status === 0;

export const nginxSkip: string | false =
  !hasNginx && process.env.CI !== 'true' ? 'nginx is not installed (apt-get install nginx to run this test)' : false;

export interface Nginx {
  url: string;
  close(): Promise<void>;
}

/**
 * nginx proxying to `primary`, with `backup` taking over when the primary is down: the setup of
 * docs/SCALING.md (buffering left on, as by default: the fronts' X-Accel-Buffering: no turns it
 * off for event streams).
 */
export async function startNginx(primary: string, backup: string): Promise<Nginx> {
  if (!hasNginx) throw new Error('CI=true: nginx must be installed for this test (apt-get install nginx)');
  const dir = mkdtempSync(join(tmpdir(), 'pkt-nginx-'));
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub));
  const port = await freePort();
  const hostPort = (url: string) => new URL(url).host;
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream pkt {
    server ${hostPort(primary)} max_fails=1 fail_timeout=30s;
    server ${hostPort(backup)} backup;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://pkt;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host 127.0.0.1;
      proxy_read_timeout 1h;
      proxy_next_upstream error timeout;
    }
  }
}
`,
  );
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await fetch(`${url}/_piko/actions`).then(() => true, () => false);
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      let log = '';
      try {
        log = readFileSync(join(dir, 'error.log'), 'utf8');
      } catch {}
      throw new Error(`nginx did not start: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGQUIT');
        const force = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(force);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
