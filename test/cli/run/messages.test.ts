import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainError, pikoSpelling, readerWentAway, stdoutFailureText } from '../../../src/cli/run/messages.js';
import { unwantedFields } from '../../../src/cli/run/run-exit.js';
import { ActionError } from '../../../src/protocol/index.js';

const context = { url: 'http://h:1', embedded: false, action: { name: 'task.Nope', url: 'http://h:1/_piko/actions/task.Nope' } };

test("a bare 404 (Piko's) names the action, the URL tried, and what to check", () => {
  const error = explainError(ActionError.fromBody('404 page not found', 404), context);
  assert.equal(error.status, 404);
  assert.equal(
    error.message,
    "no action task.Nope at http://h:1/_piko/actions/task.Nope (the server answered 404: 404 page not found); check the name with `pkt list --url http://h:1` or the server's docs",
  );
});

test("pkt's own 404, which names the action and the closest ones, stays as it is", () => {
  const own = new ActionError(404, 'UNKNOWN_ACTION', 'no action named task.Nope; did you mean task.process?');
  assert.equal(explainError(own, context), own);
});

test('only EPIPE, and a stream destroyed after it, is the reader leaving', () => {
  const err = (code: string) => Object.assign(new Error(code), { code });
  assert.equal(readerWentAway(err('EPIPE')), true);
  assert.equal(readerWentAway(err('ERR_STREAM_DESTROYED')), true);
  assert.equal(readerWentAway(err('ENOSPC')), false);
  assert.equal(readerWentAway(new Error('no code')), false);
});

test('a failed write names its error once', () => {
  const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  assert.equal(stdoutFailureText(enospc), 'cannot write to stdout (ENOSPC: no space left on device); the output is incomplete: check where stdout goes');
  assert.match(stdoutFailureText(Object.assign(new Error('i/o error'), { code: 'EIO' })), /\(EIO: i\/o error\)/);
});

test("with no manifest, a 404 for a lower-case name says Piko's names are case-sensitive and suggests the Piko spelling", () => {
  const piko = { ...context, listed: false, action: { name: 'task.process', url: 'http://h:1/_piko/actions/task.process' } };
  const error = explainError(ActionError.fromBody('404 page not found', 404), piko);
  assert.match(error.message, /\(the server answered 404: 404 page not found\); Piko's action names are case-sensitive \(package\.Struct\): try task\.Process$/);
  // Already capitalised: no spelling to suggest, but still where to look.
  const upper = explainError(ActionError.fromBody('404 page not found', 404), { ...piko, action: { name: 'task.Nope', url: 'u' } });
  assert.match(upper.message, /this server lists no actions \(as a Piko server lists none\): check the name, in its exact case, in the server's docs$/);
  assert.deepEqual([pikoSpelling('admin.users.delete'), pikoSpelling('task.Process'), pikoSpelling('solo')], ['admin.users.Delete', undefined, undefined]);
});

test('a 422 from a server with no fields to check against names what was sent and what it asked for', () => {
  assert.equal(
    unwantedFields({ taskName: ['taskName is required'] }, ['name']),
    'pkt: this server publishes no fields, so field flags are sent as given; pkt sent --name; it asks for --taskName',
  );
  // Only fields that were sent are complained about: nothing to add.
  assert.equal(unwantedFields({ name: ['too short'] }, ['name']), undefined);
});
