import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { guard } from '../../../src/cli/run/guard.js';
import { UsageError } from '../../../src/cli/run/usage-error.js';

function stderr() {
  const stream = new PassThrough();
  let text = '';
  stream.setEncoding('utf8').on('data', (c: string) => (text += c));
  return { stream, text: () => text };
}

test('an unexpected failure is one line and exit 1; a normal code passes through', async () => {
  const err = stderr();
  assert.equal(await guard(async () => 7, err.stream), 7);
  assert.equal(await guard(async () => { throw new Error('disk on fire'); }, err.stream), 1);
  assert.match(err.text(), /^pkt: disk on fire\n/);
  assert.doesNotMatch(err.text(), /at .*\.ts/);
});

test('a usage error from anywhere in a command is its text and exit 2', async () => {
  const err = stderr();
  const code = await guard(async () => {
    throw new UsageError('--url "x" is not an http(s) URL', ['write it in full']);
  }, err.stream);
  assert.equal(code, 2);
  assert.equal(err.text(), 'pkt: --url "x" is not an http(s) URL\n  write it in full\n');
});
