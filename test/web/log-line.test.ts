// The page's log lines, by table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barPercent, formatLogLine } from '../../src/web/log-line.js';

const cases: Array<[string, string, unknown, string]> = [
  ['step, total and message', 'progress', { step: 2, total: 5, percent: 40, message: 'warming up' }, '[progress] Step 2/5 – warming up'],
  ['current instead of step', 'progress', { current: 1, total: 3 }, '[progress] Step 1/3'],
  ['percent only', 'progress', { percent: 42.7, message: 'half-ish' }, '[progress] 42% – half-ish'],
  ['message only', 'note', { message: 'hello' }, '[note] hello'],
  ['a bare string', 'log', 'plain text', '[log] plain text'],
  ['no readable field', 'tick', { n: 1 }, '[tick] {"n":1}'],
  ['no data at all', 'ping', undefined, '[ping]'],
  ['newlines fold into one line', 'log', { message: 'a\nb\r\n  c' }, '[log] a b c'],
];

for (const [what, type, data, line] of cases) {
  test(`log line: ${what}`, () => assert.equal(formatLogLine(type, data), line));
}

test('a huge payload is cut to one short line', () => {
  const line = formatLogLine('progress', { pad: 'x'.repeat(10_000) });
  assert.ok(line.length <= 240, `${line.length} characters`);
  assert.ok(line.endsWith('…'));
});

test('a payload JSON cannot write still gets a line', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.equal(formatLogLine('odd', cyclic), '[odd] [object Object]');
});

test('a restart says why, and starts the bar over', () => {
  const data = { attempt: 2, reason: 'the worker running it was lost' };
  assert.equal(formatLogLine('restart', data), '[restart] started again (attempt 2): the worker running it was lost');
  assert.equal(barPercent('restart', data), 0);
  assert.equal(barPercent('progress', { percent: 40 }), 40);
  assert.equal(barPercent('note', { message: 'hi' }), undefined);
});
