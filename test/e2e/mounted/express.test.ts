// pkt's node:http handler in a real Express 5 app, next to the app's own routes.

import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import { createActionHandler } from '../../../src/server/index.js';
import { ensureBuilt } from '../../cli/helpers/pkt-process.js';
import { checkDroppedClientAborts, checkInvalidInput, checkOwnRoute, checkStreamsToCompletion, mountedActions, mountedAppTests } from '../../helpers/mounted.js';

const mounted = mountedActions();
const pkt = createActionHandler({ actions: mounted.actions, ...mounted.options });
let server: Server;
let url = '';

before(async () => {
  ensureBuilt();
  const app = express();
  app.use(pkt);
  app.use(express.json());
  app.get('/health', (_req, res) => {
    res.json({ app: 'express' });
  });
  app.post('/echo', (req, res) => {
    res.json({ echoed: req.body });
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await pkt.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('mounted in Express 5 (app.use)', () => {
  test("the app's own routes answer, its body parser included", async () => {
    await checkOwnRoute(url, '/health', { app: 'express' });
    const echo = await fetch(`${url}/echo`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' });
    assert.deepEqual(await echo.json(), { echoed: { a: 1 } });
  });
  test('a dropped client aborts the action', () => checkDroppedClientAborts(url, mounted));
  mountedAppTests(() => url, mounted);
});

describe('mounted in Express 5 after express.json()', () => {
  test('pkt reads the body the parser already read, with the same checks', async () => {
    const app = express();
    app.use(express.json());
    app.use(express.urlencoded());
    app.use(createActionHandler({ actions: mounted.actions }));
    const s = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    try {
      const at = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
      await checkStreamsToCompletion(at);
      await checkInvalidInput(at);
      const plain = await fetch(`${at}/_piko/actions/task.process`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":"json"}' });
      assert.deepEqual(await plain.json(), { taskName: 'json', status: 'completed' });
      // A form that express.urlencoded() read stays a form: the 415 pkt serve gives, not a run.
      const form = await fetch(`${at}/_piko/actions/task.process`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'name=form' });
      assert.deepEqual([form.status, ((await form.json()) as { code: string }).code], [415, 'BAD_CONTENT_TYPE']);
    } finally {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });
});
