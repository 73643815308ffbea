// README "Inside your app": every snippet there, taken from the README as it is written (each
// follows a `<!-- readme-test: FILE -->` line), is type-checked and run. The apps (Express,
// Fastify, Hono) listen on ports the OS picks and `pkt run --url` streams through each; the
// Next.js route handler is called with a Request; the typed client runs against an app; the
// Redis front end is mounted on a node:http server, with a real redis-server. The changes made
// to snippets are the addresses: the client's base URL names the app's real port, and the Redis
// URL the test's redis-server.

import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import type { FastifyInstance } from 'fastify';
import type { Express } from 'express';
import type { Hono } from 'hono';
import { createDecoder, type StreamEvent } from '../../src/protocol/index.js';
import type { ActionHandler, PktWorker } from '../../src/server/index.js';
import { cliEnv, ensureBuilt, ROOT, runPkt } from '../cli/helpers/pkt-process.js';
import { redisSkip, startRedis } from '../helpers/redis.js';

/** Inside the package, so the snippets' `pkt/server` and `pkt/client` are pkt itself (and its built types). */
const DIR = join(ROOT, `.readme-test-${process.pid}`);
const FILES = ['actions.ts', 'express.ts', 'fastify.ts', 'hono.ts', 'route.ts', 'client.ts', 'redis.ts'];
const CLIENT_URL = 'http://localhost:3000';
const REDIS_URL = "const redis = 'redis://127.0.0.1:6379';";

const closers: (() => Promise<unknown>)[] = [];
let snippets: Record<string, string> = {};

async function readSnippets(): Promise<Record<string, string>> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Inside your app'));
  const found: Record<string, string> = {};
  for (const m of section.matchAll(/<!-- readme-test: (\S+) -->\n```ts\n([\s\S]*?)```/g)) found[m[1]!] = m[2]!;
  return found;
}

async function load<T>(file: string): Promise<T> {
  return (await import(pathToFileURL(join(DIR, file)).href)) as T;
}

async function listening(server: Server | ServerType): Promise<string> {
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** pkt run --url through the app: the report's events, then its result. */
async function runThrough(url: string): Promise<void> {
  const r = await runPkt(['run', 'report.build', '--title', 'Q3', '--pages', '2', '--json', '--url', url]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; data: unknown });
  assert.deepEqual(lines.map((l) => l.event), ['progress', 'progress', 'complete']);
  assert.deepEqual(lines.at(-1)!.data, { title: 'Q3', pages: 2, status: 'built' });
  const health = await fetch(`${url}/health`);
  assert.deepEqual(await health.json(), { ok: true }, "the app's own route");
}

before(async () => {
  ensureBuilt();
  snippets = await readSnippets();
  await mkdir(DIR, { recursive: true });
  for (const file of FILES) {
    assert.ok(snippets[file], `README has the ${file} snippet`);
    await writeFile(join(DIR, file), snippets[file]!);
  }
});

after(async () => {
  for (const close of closers) await close();
  await rm(DIR, { recursive: true, force: true });
});

describe('README: Inside your app', () => {
  test('the snippets type-check against the built package', async () => {
    const config = join(DIR, 'tsconfig.json');
    await writeFile(config, JSON.stringify({ extends: '../tsconfig.json', compilerOptions: { noEmit: true }, include: FILES, exclude: [] }));
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', config], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout + run.stderr);
  });

  test('Express: pkt run --url streams through the app', async () => {
    const { app } = await load<{ app: Express }>('express.ts');
    const server = app.listen(0, '127.0.0.1');
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    await runThrough(await listening(server));
  });

  test('Fastify: pkt run --url streams through the app', async () => {
    const { app } = await load<{ app: FastifyInstance }>('fastify.ts');
    await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => app.close());
    await runThrough(await listening(app.server));
  });

  test('Hono: pkt run --url streams through the app, and the typed client runs against it', async () => {
    const { app } = await load<{ app: Hono }>('hono.ts');
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    const url = await listening(server);
    await runThrough(url);

    assert.equal(snippets['client.ts']!.split(CLIENT_URL).length, 2, 'the client names its base URL once');
    await writeFile(join(DIR, 'client.ts'), snippets['client.ts']!.replace(CLIENT_URL, url));
    // Not spawnSync: the app answering the client runs in this process.
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(DIR, 'client.ts')], { cwd: ROOT, env: cliEnv(), timeout: 60_000 });
    assert.equal(run.stdout, 'page 1 of 3\npage 2 of 3\npage 3 of 3\nbuilt\n');
  });

  test('Next.js: the route handler answers a Request with the event stream', async () => {
    const route = await load<Record<string, (request: Request) => Promise<Response>>>('route.ts');
    assert.deepEqual(Object.keys(route).sort(), ['DELETE', 'GET', 'OPTIONS', 'POST', 'runtime']);
    const response = await route.POST!(
      new Request('http://localhost:3000/_piko/actions/report.build', {
        method: 'POST',
        headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json' },
        body: JSON.stringify({ title: 'Q3', pages: 2 }),
      }),
    );
    assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const events: StreamEvent[] = [];
    const decoder = createDecoder({ onEvent: (e) => events.push(e) });
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) decoder.feed(chunk);
    assert.deepEqual(events.map((e) => e.type), ['progress', 'progress', 'complete']);
    const manifest = await route.GET!(new Request('http://localhost:3000/_piko/actions'));
    assert.deepEqual(((await manifest.json()) as { actions: { name: string }[] }).actions.map((a) => a.name), ['report.build']);
  });

  test('On Redis: the handler is a front end, the worker runs the actions, pkt run --url streams through it', { skip: redisSkip }, async () => {
    const redis = await startRedis();
    closers.push(() => redis.close());
    assert.equal(snippets['redis.ts']!.split(REDIS_URL).length, 2, 'the snippet names its Redis URL once');
    await writeFile(join(DIR, 'redis.ts'), snippets['redis.ts']!.replace(REDIS_URL, `const redis = '${redis.url}';`));
    const { pkt, worker } = await load<{ pkt: ActionHandler; worker: PktWorker }>('redis.ts');
    // Closers run in order: these go first, before Redis stops.
    closers.unshift(async () => {
      await pkt.close();
      await worker.close();
    });
    const server = createServer((req, res) => pkt(req, res, () => res.end('{"ok":true}')));
    server.listen(0, '127.0.0.1');
    closers.unshift(() => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    });
    await runThrough(await listening(server));
  });
});
