// Percentages as the terminal view, plain lines and the page all show them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPercent, wholePercent } from '../../src/protocol/index.js';

test('whole percents round down and stay in 0..100, so 100 means done', () => {
  assert.equal(wholePercent(99.9), 99);
  assert.equal(wholePercent(100), 100);
  assert.equal(wholePercent(-3), 0);
  assert.equal(wholePercent(250), 100);
});

test('formatPercent shows the whole percent with its sign', () => {
  assert.equal(formatPercent(99.9), '99%');
  assert.equal(formatPercent(100), '100%');
  assert.equal(formatPercent(-3), '0%');
  assert.equal(formatPercent(42.7), '42%');
});
