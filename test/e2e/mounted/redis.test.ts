// Mounted handlers as front ends on Redis: what connectFrontEnd gives (the shared run store and
// the host that queues actions) goes to createActionHandler in an Express app and to
// createFetchHandler in a Hono app; a worker in this process executes the actions. Runs are
// the store's, so one started through one app is followed and cancelled through the other.
// A Redis store handed to a handler that executes its own actions is refused, saying why.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import express from 'express';
import { Hono } from 'hono';
import {
  connectFrontEnd,
  createActionHandler,
  createFetchHandler,
  startServer,
  startWorker,
  type ActionHandler,
  type FetchHandler,
  type PktWorker,
} from '../../../src/server/index.js';
import { ensureBuilt } from '../../cli/helpers/pkt-process.js';
import { checkDroppedClientAborts, checkInvalidInput, checkOwnRoute, checkRuns, checkStreamsToCompletion, mountedActions } from '../../helpers/mounted.js';
import { redisSkip, startRedis, type RedisServer } from '../../helpers/redis.js';

const SERVER_MODULE = fileURLToPath(new URL('../../../src/server/index.ts', import.meta.url));

describe('mounted handlers as front ends on Redis, the actions on a worker', { skip: redisSkip }, () => {
  const mounted = mountedActions();
  const { limits, log } = mounted.options;
  let redis: RedisServer;
  let worker: PktWorker;
  let nodeHandler: ActionHandler;
  let fetchHandler: FetchHandler;
  let server: Server;
  let hono: ServerType;
  let expressUrl = '';
  let honoUrl = '';

  before(async () => {
    ensureBuilt();
    redis = await startRedis();
    worker = await startWorker({ redis: redis.url, actions: mounted.actions, noBundled: true, limits, log });

    nodeHandler = createActionHandler({ ...(await connectFrontEnd({ url: redis.url, limits })), limits, log });
    const app = express();
    app.use(nodeHandler);
    app.get('/health', (_req, res) => {
      res.json({ app: 'express' });
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    expressUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    fetchHandler = createFetchHandler({ ...(await connectFrontEnd({ url: redis.url, limits })), limits, log });
    const web = new Hono();
    web.all('/_piko/actions/*', (c) => fetchHandler(c.req.raw));
    await new Promise<void>((resolve) => {
      hono = serve({ fetch: web.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    honoUrl = `http://127.0.0.1:${(hono.address() as AddressInfo).port}`;
  });

  after(async () => {
    await nodeHandler?.close();
    await fetchHandler?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await new Promise((resolve) => (hono ? hono.close(resolve) : resolve(undefined)));
    await worker?.close();
    await redis?.close();
  });

  test("pkt run --url streams task.process to completion through each app; the app's route answers", async () => {
    await checkOwnRoute(expressUrl, '/health', { app: 'express' });
    await checkStreamsToCompletion(expressUrl);
    await checkStreamsToCompletion(honoUrl);
  });

  test("a 422 keeps its shape (the worker checks the input before the stream opens)", async () => {
    await checkInvalidInput(expressUrl);
    await checkInvalidInput(honoUrl);
  });

  test('a dropped client aborts the action on the worker', async () => {
    await checkDroppedClientAborts(expressUrl, mounted);
    await checkDroppedClientAborts(honoUrl, mounted);
  });

  test('a run started through one app is listed, re-attached and cancelled through the other', () => checkRuns(expressUrl, mounted, honoUrl));

  test("a Redis store with a handler's own actions is refused: its runs are written by workers", async () => {
    const front = await connectFrontEnd({ url: redis.url });
    try {
      const refused = /this store keeps runs that workers execute \(Redis\), so it comes with the host that queues them, and without actions: pass what connectFrontEnd gives/;
      assert.throws(() => createActionHandler({ actions: mounted.actions, store: front.store }), refused);
      assert.throws(() => createFetchHandler({ actions: mounted.actions, store: front.store }), refused);
      await assert.rejects(startServer({ port: 0, store: front.store }), /startServer: .* \(or startServer\(\{ redis: \{ url \} \}\)\)/);
      assert.throws(() => createActionHandler({ ...front, actions: mounted.actions }), /a host comes with its store and without actions/);
    } finally {
      await front.host.close();
      await front.store.close();
    }
  });

  test('a server on Redis that cannot listen closes the connections it opened, so its process can end', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      // In a process of its own: an open connection left behind would keep it alive, and the
      // bound below would kill it (then the test fails) instead of the test hanging.
      const script = `import { startServer, PortInUseError } from ${JSON.stringify(SERVER_MODULE)};
try { await startServer({ port: ${(taken.address() as AddressInfo).port}, redis: { url: ${JSON.stringify(redis.url)} } }); console.log('started'); }
catch (err) { console.log(err instanceof PortInUseError ? 'port in use' : String(err)); }`;
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
      assert.deepEqual([child.stdout.trim(), child.signal], ['port in use', null], child.stderr);
    } finally {
      taken.close();
    }
  });
});
