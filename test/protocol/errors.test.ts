// ActionError across copies of pkt's code: an action file that tsx loads imports a copy of
// pkt/server of its own, and the server must still see its ActionError as one.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActionError } from '../../src/protocol/index.js';

test('instanceof ActionError holds for an ActionError from another copy of the code', () => {
  // What another copy's class makes: its own prototype chain, the same Symbol.for brand.
  class OtherCopy extends Error {}
  Object.defineProperty(OtherCopy.prototype, Symbol.for('pkt.ActionError'), { value: true });
  assert.ok(new OtherCopy('x') instanceof ActionError);
  assert.ok(new ActionError(409, 'TAKEN', 'x') instanceof ActionError);
  assert.ok(!(new Error('x') instanceof ActionError));
  assert.ok(!({ status: 409, code: 'TAKEN', message: 'x' } instanceof ActionError), 'an error body is not an error');
  assert.ok(!((null as unknown) instanceof ActionError));
});

test('a subclass keeps the usual instanceof', () => {
  class Refusal extends ActionError {}
  assert.ok(new Refusal(403, 'NO', 'no') instanceof Refusal);
  assert.ok(new Refusal(403, 'NO', 'no') instanceof ActionError);
  assert.ok(!(new ActionError(403, 'NO', 'no') instanceof Refusal));
});
