// Test helpers: a real server on a loopback port the OS picks, and a real SSE reader.
import { createDecoder, type StreamEvent } from '../../src/protocol/index.js';
import { startServer, type PktServer, type ServerOptions } from '../../src/server/index.js';

export const BASE = '/_piko/actions';

export async function withServer<T>(options: ServerOptions, fn: (server: PktServer) => Promise<T>): Promise<T> {
  const server = await startServer({ port: 0, ...options });
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

export interface SseResult {
  status: number;
  headers: Headers;
  events: StreamEvent[];
  retry: number | null;
  /** The raw text of the body, for framing checks. */
  text: string;
}

/** POSTs to an action asking for SSE and reads the whole stream. */
export async function postStream(url: string, name: string, input: unknown, headers: Record<string, string> = {}): Promise<SseResult> {
  const res = await fetch(`${url}${BASE}/${name}`, {
    method: 'POST',
    headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(input),
    // A bound against a hang, not a timing check: a stream that never ends fails the test.
    signal: AbortSignal.timeout(60_000),
  });
  return readStream(res);
}

export async function readStream(res: Response, onEvent?: (e: StreamEvent) => void): Promise<SseResult> {
  const events: StreamEvent[] = [];
  const decoder = createDecoder({
    onEvent: (e) => {
      events.push(e);
      onEvent?.(e);
    },
  });
  let text = '';
  const utf8 = new TextDecoder();
  if (res.body) {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      text += utf8.decode(chunk, { stream: true });
      decoder.feed(chunk);
    }
  }
  decoder.end();
  return { status: res.status, headers: res.headers, events, retry: decoder.retry, text };
}

/** Polls `check` until it is truthy; fails after `ms` (a bound, not a timing assertion). */
export async function until<T>(check: () => T | Promise<T>, ms = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
