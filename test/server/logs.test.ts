// Issue 12 item 8: what a client can make the server log. An expected client fault is one
// short line without a stack, and a logged path is cut to a bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { LOGGED_PATH_MAX } from '../../src/server/http/target.js';
import { BASE, until, withServer } from '../helpers/server.js';

function abortedUpload(port: number, path: string): void {
  const socket = connect(port, '127.0.0.1');
  socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":`);
  // Gone halfway through the body.
  setTimeout(() => socket.destroy(), 50);
}

function assertShortLines(lines: string[]): void {
  for (const line of lines) {
    assert.ok(!line.includes('\n'), `one line: ${line}`);
    assert.doesNotMatch(line, /\bat .*:\d+:\d+/, 'no stack');
    assert.ok(line.length < 300, `short: ${line.length} characters`);
  }
}

test('an aborted upload is one short line, and a 16 KB path is cut in it', async () => {
  const logged: string[] = [];
  await withServer({ log: (l) => logged.push(l) }, async ({ port }) => {
    abortedUpload(port, `${BASE}/task.process`);
    await until(() => logged.length >= 1, 5000, 'a log line');
    // Slashes after the base path are skipped, so this long path still names task.process.
    abortedUpload(port, `${BASE}${'/'.repeat(16_000)}task.process`);
    await until(() => logged.length >= 2, 5000, 'a second log line');
  });
  assert.equal(logged.length, 2, logged.join('\n'));
  assert.match(logged[0]!, /^POST \/_piko\/actions\/task\.process: the client went away before its request body ended$/);
  assert.match(logged[1]!, new RegExp(`^POST /_piko/actions/{${LOGGED_PATH_MAX - BASE.length}}… \\(16026 characters\\): the client went away`));
  assertShortLines(logged);
});

test('requests the parser refuses are one short line each, without what they sent', async () => {
  const logged: string[] = [];
  await withServer({ log: (l) => logged.push(l) }, async ({ port }) => {
    for (const request of ['GARBAGE\r\n\r\n', `GET /${'x'.repeat(20_000)} HTTP/1.1\r\nHost: h\r\nBad header\r\n\r\n`, `GET / HTTP/1.1\r\nX: ${'y'.repeat(70_000)}\r\n\r\n`]) {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => {});
      socket.end(request);
    }
    await until(() => logged.length >= 3, 5000, 'three log lines');
  });
  assertShortLines(logged);
  for (const line of logged) assert.match(line, /^refused a request: (400 BAD_REQUEST|431 TOO_LARGE) \(HPE_[A-Z_]+\)$/);
});
