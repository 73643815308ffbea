// pkt's node:http handler in a real Fastify app: an onRequest hook hands the requests under
// pkt's base path to it, raw, and the app's own routes answer the rest.

import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { createActionHandler } from '../../../src/server/index.js';
import { ensureBuilt } from '../../cli/helpers/pkt-process.js';
import { checkDroppedClientAborts, checkOwnRoute, mountedActions, mountedAppTests } from '../../helpers/mounted.js';

const mounted = mountedActions();
const pkt = createActionHandler({ actions: mounted.actions, ...mounted.options });
let app: FastifyInstance;
let url = '';

before(async () => {
  ensureBuilt();
  app = Fastify();
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.url.startsWith('/_piko/actions')) return done();
    reply.hijack();
    pkt(request.raw, reply.raw);
  });
  app.get('/health', async () => ({ app: 'fastify' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

after(async () => {
  await pkt.close();
  app.server.closeAllConnections();
  await app.close();
});

describe('mounted in Fastify (onRequest hook, reply.hijack())', () => {
  test("the app's own route answers", () => checkOwnRoute(url, '/health', { app: 'fastify' }));
  test('a dropped client aborts the action', () => checkDroppedClientAborts(url, mounted));
  mountedAppTests(() => url, mounted);
});
