// A scriptable HTTP server on 127.0.0.1 for client tests: each test says how to answer, and
// reads back every request it got (method, path, headers, body) and when each one closed.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Resolves when the client closes the connection or the answer ends. */
  closed: Promise<void>;
}

export type Handler = (req: SeenRequest, res: ServerResponse) => void | Promise<void>;

export interface FixtureServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export async function startFixture(handler: Handler): Promise<FixtureServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: SeenRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        closed: new Promise((resolve) => res.on('close', () => resolve())),
      };
      requests.push(seen);
      void handler(seen, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sseHead(res: ServerResponse, runId?: string): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    ...(runId ? { 'Pkt-Run-Id': runId } : {}),
  });
}

export function sseEvent(res: ServerResponse, type: string, data: unknown, id?: number, retry?: number): void {
  let block = '';
  if (retry !== undefined) block += `retry: ${retry}\n`;
  if (id !== undefined) block += `id: ${id}\n`;
  res.write(`${block}event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
