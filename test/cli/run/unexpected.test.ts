import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { guard } from '../../../src/cli/run/unexpected.js';

test('an unexpected failure is one line and exit 1; a normal code passes through', async () => {
  const stderr = new PassThrough();
  let text = '';
  stderr.setEncoding('utf8').on('data', (c: string) => (text += c));
  assert.equal(await guard(async () => 7, stderr), 7);
  assert.equal(await guard(async () => { throw new Error('disk on fire'); }, stderr), 1);
  assert.match(text, /^pkt: disk on fire\n/);
  assert.doesNotMatch(text, /at .*\.ts/);
});
