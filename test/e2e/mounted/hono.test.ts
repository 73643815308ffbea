// pkt's fetch handler in a real Hono app on @hono/node-server: the event stream is the
// Response's ReadableStream, written to the socket by Hono's adapter.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { createFetchHandler } from '../../../src/server/index.js';
import { ensureBuilt } from '../../cli/helpers/pkt-process.js';
import { checkDroppedClientAborts, checkOwnRoute, mountedActions, mountedAppTests } from '../../helpers/mounted.js';

const mounted = mountedActions();
const pkt = createFetchHandler({ actions: mounted.actions, ...mounted.options });
let server: ServerType;
let url = '';

before(async () => {
  ensureBuilt();
  const app = new Hono();
  app.get('/health', (c) => c.json({ app: 'hono' }));
  app.all('/_piko/actions/*', (c) => pkt(c.req.raw));
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await pkt.close();
  await new Promise((resolve) => server.close(resolve));
});

describe('mounted in Hono on @hono/node-server (createFetchHandler)', () => {
  test("the app's own route answers", () => checkOwnRoute(url, '/health', { app: 'hono' }));
  test("a dropped client aborts the action, and leaves no error in the app's log", async () => {
    // Hono's adapter logs a response body that fails; a client leaving is no failure.
    const logged: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      await checkDroppedClientAborts(url, mounted);
    } finally {
      console.error = original;
    }
    assert.deepEqual(logged, []);
  });
  mountedAppTests(() => url, mounted);
});
