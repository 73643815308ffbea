// A lean follower of one run for the Redis scenario: `GET {base}/runs/{id}` (or a POST that
// starts a run) on node:http, each event's JSON handed over with the time it arrived. Many
// of them share this process, as 1,000 browsers would share a network.

import { request, Agent } from 'node:http';

export interface Followed {
  status: number;
  events: number;
  /** The last event's type: `complete` or `error` when the run ended, else what came last. */
  lastType: string;
  /** The run id the server sent (`Pkt-Run-Id`). */
  runId: string;
}

const agent = new Agent({ keepAlive: false, maxSockets: Infinity });

export interface FollowOptions {
  port: number;
  path: string;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  /** Each event's type and parsed data, with `performance.timeOrigin + performance.now()` at arrival. */
  onEvent?: (type: string, data: unknown, at: number) => void;
  onHead?: (status: number, runId: string) => void;
  signal?: AbortSignal;
  timeoutMs: number;
}

export function follow(options: FollowOptions): Promise<Followed> {
  return new Promise((resolve, reject) => {
    const result: Followed = { status: 0, events: 0, lastType: '', runId: '' };
    const req = request(
      {
        host: '127.0.0.1',
        port: options.port,
        path: options.path,
        method: options.method ?? 'GET',
        agent,
        headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json', ...options.headers },
      },
      (res) => {
        result.status = res.statusCode ?? 0;
        result.runId = String(res.headers['pkt-run-id'] ?? '');
        options.onHead?.(result.status, result.runId);
        res.setEncoding('utf8');
        let text = '';
        res.on('data', (chunk: string) => {
          const at = performance.timeOrigin + performance.now();
          text += chunk;
          let end = text.indexOf('\n\n');
          while (end >= 0) {
            const block = text.slice(0, end);
            text = text.slice(end + 2);
            end = text.indexOf('\n\n');
            const type = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (type === undefined || data === undefined) continue;
            result.events++;
            result.lastType = type;
            if (options.onEvent) options.onEvent(type, JSON.parse(data), at);
          }
        });
        res.on('end', () => resolve(result));
        res.on('error', () => resolve(result));
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`no end within ${options.timeoutMs} ms`)), options.timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (err) => (result.status ? resolve(result) : reject(err)));
    options.signal?.addEventListener('abort', () => req.destroy(), { once: true });
    req.end(options.body);
  });
}
