import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, formatRate } from '../../../src/cli/state/format.js';

describe('format', () => {
  const durations: Array<[number, string]> = [
    [0, '0.0 s'],
    [-5, '0.0 s'],
    [1000, '1.0 s'],
    [12_345, '12.3 s'],
    [59_949, '59.9 s'],
    [125_000, '2 min 05 s'],
    [3_725_000, '1 h 02 min'],
    [NaN, '0.0 s'],
  ];
  for (const [ms, text] of durations) it(`duration ${ms} → ${text}`, () => assert.equal(formatDuration(ms), text));

  const rates: Array<[number, string]> = [
    [0.5, '0.5 steps/s'],
    [42.4, '42 steps/s'],
    [12_500, '12.5k steps/s'],
    [2_000_000, '2.0M steps/s'],
  ];
  for (const [n, text] of rates) it(`rate ${n} → ${text}`, () => assert.equal(formatRate(n, 'steps'), text));
});
