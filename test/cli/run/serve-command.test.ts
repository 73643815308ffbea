import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { serveCommand, type ServeArgs } from '../../../src/cli/run/serve-command.js';

const args = (extra: Partial<ServeArgs> = {}): ServeArgs => ({ port: '0', host: '127.0.0.1', dev: false, 'base-path': '/_piko/actions', ...extra });

function fakeIO() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  let stop: (signal: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  const exits: number[] = [];
  const io = { stdout, stderr, env: {}, stopSignal: () => stopped, exitNow: (code: number) => void exits.push(code) };
  return { io, stop, exits, out: () => out, err: () => err };
}

test('a port that is not one is a usage error, before anything starts', async () => {
  const f = fakeIO();
  assert.equal(await serveCommand(args({ port: '70a' }), f.io), 2);
  assert.equal(f.err(), 'pkt serve: --port wants a whole number from 0 to 65535 (0 picks a free one), not "70a"\n');
  assert.equal(f.out(), '');
});

test('serves until the stop signal, then closes and exits 0', async () => {
  const f = fakeIO();
  const serving = serveCommand(args({ token: 't0k' }), f.io);
  while (!f.out().includes('\n')) await new Promise((resolve) => setTimeout(resolve, 10));
  const url = /^pkt serving on (\S+)/.exec(f.out())![1]!;
  assert.match(f.out(), /^ {2}page {5}\S+#token=t0k$/m);
  assert.match(f.out(), /^ {4}task\.process +streams/m);
  const manifest = await fetch(`${url}/_piko/actions`, { headers: { Authorization: 'Bearer t0k' } });
  assert.equal(manifest.status, 200);
  f.stop('SIGTERM');
  assert.equal(await serving, 0);
  assert.match(f.err(), /pkt serve: SIGTERM, ending open streams and shutting down/);
  await assert.rejects(fetch(`${url}/_piko/actions`), 'the server is closed');
  assert.deepEqual(f.exits, [], 'closed well within the shutdown limit');
});

test('--redis takes a redis:// URL, and --no-worker goes with --redis: usage errors before anything starts', async () => {
  const bad = fakeIO();
  assert.equal(await serveCommand(args({ redis: 'localhost:6379' }), bad.io), 2);
  assert.equal(bad.err(), 'pkt serve: --redis wants a URL such as redis://127.0.0.1:6379, not "localhost:6379"\n');
  const lonely = fakeIO();
  assert.equal(await serveCommand(args({ worker: false }), lonely.io), 2);
  assert.match(lonely.err(), /--no-worker is for a front end on Redis; add --redis/);
  assert.equal(lonely.out(), '');
});

test('durations that are not one are usage errors that show the form they take', async () => {
  for (const [extra, message] of [
    [{ linger: 'a while' }, '--linger wants a duration such as 15s, 500ms or 2m (a bare number is ms), not "a while"'],
    [{ 'queue-timeout': 'soon' }, '--queue-timeout wants a duration such as 10s, 500ms or 1m (a bare number is ms), not "soon"'],
    [{ 'queue-timeout': '0s' }, '--queue-timeout wants a duration such as 10s, 500ms or 1m (a bare number is ms), not "0s"'],
  ] as const) {
    const f = fakeIO();
    assert.equal(await serveCommand(args(extra), f.io), 2);
    assert.equal(f.err(), `pkt serve: ${message}\n`);
  }
});

test('a Redis that does not answer: pkt serve says where it looked and what to do, and exits 1', async () => {
  const f = fakeIO();
  assert.equal(await serveCommand(args({ redis: 'redis://127.0.0.1:1' }), f.io), 1);
  assert.match(f.err(), /^pkt serve: cannot reach Redis at redis:\/\/127\.0\.0\.1:1 \(.*ECONNREFUSED.*\); start redis-server, or check --redis \/ PKT_REDIS\n$/);
});
