// createActionHandler on a bare node:http server: the routes under its base path, a JSON 404
// (or `next`) for anything else, actions given by name, nested, or as a folder, and close().

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { z } from 'zod';
import { createActionHandler, defineAction, type ActionHandler } from '../../src/server/index.js';
import { postStream } from '../helpers/server.js';

const FOLDER = fileURLToPath(new URL('../e2e/fixtures/page-actions', import.meta.url));

const greet = defineAction({
  input: z.object({ name: z.string().min(1) }),
  call: ({ name }) => ({ greeting: `hello ${name}` }),
  async streamProgress({ name }, stream) {
    await stream.send('progress', { percent: 50 });
    await stream.sendComplete({ greeting: `hello ${name}` });
  },
});

const servers: Server[] = [];
after(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
});

async function serve(handler: ActionHandler, next?: (req: Parameters<ActionHandler>[0], res: Parameters<ActionHandler>[1]) => void): Promise<string> {
  const server = createServer((req, res) => handler(req, res, next && (() => next(req, res))));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('createActionHandler', () => {
  test('answers under its base path, and a JSON 404 elsewhere when it has no next', async () => {
    const handler = createActionHandler({ actions: { 'greet.person': greet }, basePath: '/api/actions' });
    const url = await serve(handler);
    const manifest = (await (await fetch(`${url}/api/actions`)).json()) as { actions: { name: string; streams: boolean }[] };
    assert.deepEqual(manifest.actions.map((a) => [a.name, a.streams]), [['greet.person', true]]);
    const stream = await fetch(`${url}/api/actions/greet.person`, {
      method: 'POST',
      headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json' },
      body: '{"name":"Ada"}',
    });
    assert.match(await stream.text(), /event: complete\ndata: \{"greeting":"hello Ada"\}/);
    const elsewhere = await fetch(`${url}/_piko/actions/greet.person`);
    assert.equal(elsewhere.status, 404);
    assert.deepEqual(await elsewhere.json(), {
      status: 404,
      code: 'NOT_FOUND',
      message: 'nothing at /_piko/actions/greet.person; actions are under /api/actions/<name>, the manifest at /api/actions',
    });
    await handler.close();
  });

  test("passes what is not its own to next, untouched (the app's route answers)", async () => {
    const handler = createActionHandler({ actions: { greet: { person: greet } } });
    const url = await serve(handler, (_req, res) => res.end('the app'));
    assert.equal(await (await fetch(`${url}/health`)).text(), 'the app');
    const plain = await fetch(`${url}/_piko/actions/greet.person`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":"Bo"}' });
    assert.deepEqual(await plain.json(), { greeting: 'hello Bo' });
    await handler.close();
  });

  test('actions from a folder: requests wait until it is loaded', async () => {
    const handler = createActionHandler({ actions: [FOLDER, { 'greet.person': greet }] });
    const url = await serve(handler);
    const manifest = (await (await fetch(`${url}/_piko/actions`)).json()) as { actions: { name: string }[] };
    assert.deepEqual(manifest.actions.map((a) => a.name), ['greet.person', 'report.make']);
    await handler.ready;
    const s = await postStream(url, 'report.make', { copies: 2 });
    assert.equal(s.events.at(-1)!.type, 'complete');
    await handler.close();
  });

  test('actions that cannot load: ready rejects with why, and every request is a 500 that says to look at the log', async () => {
    const lines: string[] = [];
    const handler = createActionHandler({ actions: '/no/such/folder', log: (line) => lines.push(line) });
    await assert.rejects(handler.ready, /\/no\/such\/folder: cannot read the actions folder \(no such folder\)/);
    const url = await serve(handler, (_req, res) => res.end('the app'));
    const answer = await fetch(`${url}/_piko/actions`);
    const body = (await answer.json()) as { code: string; message: string };
    assert.deepEqual([answer.status, body.code], [500, 'INTERNAL']);
    assert.match(body.message, /the server's log says why \(a mounted handler logs through its log option\)/);
    assert.match(lines.join('\n'), /the actions failed to load: \/no\/such\/folder/);
    // The app's own routes neither wait for pkt's actions nor fail with them.
    assert.equal(await (await fetch(`${url}/health`)).text(), 'the app');
  });

  test('bad options are refused when the handler is made, saying what to pass', () => {
    assert.throws(() => createActionHandler({} as never), /createActionHandler needs \{ actions \}/);
    assert.throws(() => createActionHandler({ actions: { 'greet.person': greet }, cors: ['not an origin'] }), /--cors not an origin is not an origin \(the cors option of pkt serve or a handler\)/);
  });

  test('what is not an action is named, with what to write instead', async () => {
    const wrong: [unknown, RegExp][] = [
      [{ greet: { person: { call: () => 1 } } }, /"greet\.person" is an action's definition, not an action; wrap it: defineAction/],
      [{ greet: { person: 'hello' } }, /"greet\.person" is not an action; write it with defineAction/],
      [[], /actions is empty: give actions by name/],
    ];
    for (const [actions, message] of wrong) {
      const handler = createActionHandler({ actions: actions as never });
      await assert.rejects(handler.ready, message, JSON.stringify(actions));
    }
  });
});
