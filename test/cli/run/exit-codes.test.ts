import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActionError } from '../../../src/protocol/index.js';
import { EXIT_CODES_HELP, exitCodeFor } from '../../../src/cli/run/exit-codes.js';

const fail = (status: number, code: string, interrupted = false) => ({ ok: false as const, error: new ActionError(status, code, 'x'), interrupted });

test('each outcome has its exit code', () => {
  const ctx = { timeoutSet: true };
  assert.equal(exitCodeFor({ ok: true }, ctx), 0);
  assert.equal(exitCodeFor(fail(500, 'INTERNAL'), ctx), 1);
  assert.equal(exitCodeFor(fail(502, 'STREAM_ENDED'), ctx), 1);
  assert.equal(exitCodeFor(fail(429, 'BUSY'), ctx), 1);
  assert.equal(exitCodeFor(fail(422, 'INVALID_INPUT'), ctx), 2);
  assert.equal(exitCodeFor(fail(404, 'UNKNOWN_ACTION'), ctx), 2);
  assert.equal(exitCodeFor(fail(401, 'UNAUTHORIZED'), ctx), 2);
  assert.equal(exitCodeFor(fail(0, 'UNREACHABLE'), ctx), 69);
  assert.equal(exitCodeFor(fail(408, 'TIMEOUT'), ctx), 124);
  assert.equal(exitCodeFor(fail(499, 'CANCELLED', true), ctx), 130);
});

test('a TIMEOUT the client did not ask for is an action failure', () => {
  assert.equal(exitCodeFor(fail(504, 'TIMEOUT'), { timeoutSet: false }), 1);
});

test('the help lists every code', () => {
  for (const code of [0, 1, 2, 69, 124, 130]) assert.match(EXIT_CODES_HELP, new RegExp(`^  ${code} `, 'm'));
});
