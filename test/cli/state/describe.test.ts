import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ActionError } from '../../../src/protocol/index.js';
import {
  compactJson,
  eventText,
  failureLines,
  failureText,
  oneLine,
  resultJson,
} from '../../../src/cli/state/describe.js';
import { wireEvent } from '../../helpers/events.js';

describe('oneLine', () => {
  const cases: Array<[string, string, number, string]> = [
    ['short text passes', 'hello', 10, 'hello'],
    ['line breaks become spaces', 'a\nb\r\nc\rd\te', 20, 'a b c d e'],
    ['escape sequences are defused', 'red \u001b[31mX\u001b[0m', 40, 'red \ufffd[31mX\ufffd[0m'],
    ['C1 controls too', 'a\u009bb', 10, 'a\ufffdb'],
    ['a cut is marked', 'abcdefghij', 5, 'abcd…'],
    ['exactly the limit is not cut', 'abcde', 5, 'abcde'],
    ['never half a surrogate pair', 'abc😀def', 5, 'abc…'],
  ];
  for (const [name, input, max, expected] of cases) {
    it(name, () => assert.equal(oneLine(input, max), expected));
  }
  it('cuts a huge payload to the limit', () => assert.equal(oneLine('x'.repeat(1_000_000), 200).length, 200));
});

describe('eventText', () => {
  it('prefers the payload message', () => {
    assert.equal(eventText(wireEvent('progress', '1', { step: 1, total: 2, message: 'item 1' })), 'item 1');
  });
  it('falls back to compact JSON', () => {
    assert.equal(eventText(wireEvent('log', '', { a: [1, 2], b: 'x' })), '{"a":[1,2],"b":"x"}');
  });
  it('shows a raw string payload as it is, on one line', () => {
    assert.equal(eventText(wireEvent('message', '', 'two\nlines')), 'two lines');
  });
  it('copes with payloads JSON cannot encode', () => {
    assert.equal(compactJson(undefined), '');
    assert.equal(compactJson(10n), '10');
  });
});

describe('failure text', () => {
  const invalid = new ActionError(422, 'INVALID_INPUT', 'Input is invalid', { name: ['Required'], steps: ['Too big', 'Not an integer'], '': ['Unknown key'] });

  it('lists each invalid field under the message', () => {
    assert.deepEqual(failureLines(invalid.toJSON(), false), [
      'Input is invalid',
      '  --name: Required',
      '  --steps: Too big; Not an integer',
      '  (input): Unknown key',
    ]);
  });

  it('says an interrupted run was cancelled, and why', () => {
    const e = new ActionError(499, 'CANCELLED', 'run r1 cancelled on the server');
    assert.deepEqual(failureLines(e.toJSON(), true), ['cancelled (run r1 cancelled on the server)']);
    assert.deepEqual(failureLines(new ActionError(499, 'CANCELLED', 'Cancelled').toJSON(), true), ['cancelled']);
  });

  it("prefixes the action's failures with `error:`, and the rest with `pkt:`", () => {
    assert.equal(failureText(new ActionError(500, 'INTERNAL', 'boom'), false), 'error: boom\n');
    assert.equal(failureText(new ActionError(400, 'BAD_JSON', 'no'), false, true), 'error: no\n', 'an error event');
    for (const [status, code] of [[404, 'UNKNOWN_ACTION'], [400, 'BAD_ACTION_NAME'], [422, 'INVALID_INPUT'], [0, 'UNREACHABLE'], [502, 'STREAM_ENDED'], [408, 'TIMEOUT']] as const) {
      assert.equal(failureText(new ActionError(status, code, 'x'), false), 'pkt: x\n', code);
    }
  });

  it('reads an error that is not an ActionError', () => {
    assert.equal(failureText(new Error('socket hang up'), false), 'error: socket hang up\n');
  });
});

describe('resultJson', () => {
  it('is one line for a pipe and indented for a terminal', () => {
    assert.equal(resultJson({ a: 1 }, false), '{"a":1}\n');
    assert.equal(resultJson({ a: 1 }, true), '{\n  "a": 1\n}\n');
  });
  it('writes null for an action that returned nothing', () => assert.equal(resultJson(undefined, false), 'null\n'));
});
