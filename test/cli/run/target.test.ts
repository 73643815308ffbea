import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveTarget } from '../../../src/cli/run/target.js';
import { UsageError } from '../../../src/cli/run/usage-error.js';

test('--url, then PKT_URL, else embedded (no url)', () => {
  assert.equal(resolveTarget({ url: 'http://a:1' }, { PKT_URL: 'http://b:2' }).url, 'http://a:1');
  assert.equal(resolveTarget({}, { PKT_URL: 'http://b:2' }).url, 'http://b:2');
  assert.equal(resolveTarget({}, {}).url, undefined);
  assert.equal(resolveTarget({}, { PKT_URL: '' }).url, undefined);
});

test('--token, then PKT_TOKEN', () => {
  assert.equal(resolveTarget({ token: 't1' }, { PKT_TOKEN: 't2' }).token, 't1');
  assert.equal(resolveTarget({}, { PKT_TOKEN: 't2' }).token, 't2');
});

test('a URL that is not http(s) is a usage error naming where it came from', () => {
  assert.throws(() => resolveTarget({ url: 'localhost:7070' }, {}), (e: unknown) => e instanceof UsageError && /^--url "localhost:7070"/.test(e.message));
  assert.throws(() => resolveTarget({}, { PKT_URL: 'nope' }), (e: unknown) => e instanceof UsageError && /^PKT_URL/.test(e.message));
});

test('--actions needs the embedded server', () => {
  assert.throws(() => resolveTarget({ url: 'http://a:1', actions: ['./x'] }, {}), (e: unknown) => e instanceof UsageError && /pkt serve --actions/.test(e.details.join()));
  assert.deepEqual(resolveTarget({ actions: ['./x'] }, {}).actionsDirs, ['./x']);
});

test('the actions URL that pkt serve prints works as well as the server URL', () => {
  for (const url of ['http://127.0.0.1:7070/_piko/actions', 'http://127.0.0.1:7070/_piko/actions/', 'http://127.0.0.1:7070', 'http://127.0.0.1:7070/']) {
    assert.equal(resolveTarget({ url }, {}).url, 'http://127.0.0.1:7070', url);
  }
  assert.equal(resolveTarget({}, { PKT_URL: 'http://h:1/_piko/actions' }).url, 'http://h:1');
  // A path before the base path is the server's own; another base path is stripped as told.
  assert.equal(resolveTarget({ url: 'https://h/app/_piko/actions' }, {}).url, 'https://h/app');
  assert.equal(resolveTarget({ url: 'https://h/app/api', 'base-path': '/api' }, {}).url, 'https://h/app');
  assert.equal(resolveTarget({ url: 'https://h/x_piko/actions' }, {}).url, 'https://h/x_piko/actions');
});
