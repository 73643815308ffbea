import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FINAL_LOG_LINES, MAX_FIELD_LINES, MAX_LOG_LINES, planLayout } from '../../../src/cli/ui/layout.js';

const total = (l: ReturnType<typeof planLayout>, finished: boolean) =>
  Number(l.header) + Number(l.bar) + l.fieldLines + l.logLines + (finished ? 1 : 0);

describe('planLayout', () => {
  it('gives the log what the terminal has left, one row kept free', () => {
    assert.deepEqual(planLayout({ rows: 10, finished: false, fieldErrors: 0, logEntries: 100 }), {
      header: true,
      bar: true,
      fieldLines: 0,
      logLines: 7,
    });
  });

  it('never plans more rows than the terminal has, at any height', () => {
    for (let rows = 1; rows <= 40; rows++) {
      for (const finished of [false, true]) {
        const l = planLayout({ rows, finished, fieldErrors: 30, logEntries: 100 });
        assert.ok(total(l, finished) <= rows - 1 || rows === 1, `rows ${rows}: ${JSON.stringify(l)}`);
      }
    }
  });

  it('keeps the outcome and the bar when rows run short', () => {
    assert.deepEqual(planLayout({ rows: 3, finished: true, fieldErrors: 5, logEntries: 50 }), {
      header: false,
      bar: true,
      fieldLines: 0,
      logLines: 0,
    });
  });

  it('lists field errors up to a cap and trims the log once finished', () => {
    const l = planLayout({ rows: 60, finished: true, fieldErrors: 40, logEntries: 100 });
    assert.equal(l.fieldLines, MAX_FIELD_LINES);
    assert.equal(l.logLines, FINAL_LOG_LINES);
  });

  it('assumes 24 rows when the height is unknown', () => {
    assert.equal(planLayout({ rows: undefined, finished: false, fieldErrors: 0, logEntries: 100 }).logLines, MAX_LOG_LINES);
    assert.equal(planLayout({ rows: undefined, finished: false, fieldErrors: 0, logEntries: 100 }).header, true);
  });

  it('caps the log on a tall terminal', () => {
    assert.equal(planLayout({ rows: 200, finished: false, fieldErrors: 0, logEntries: 100 }).logLines, MAX_LOG_LINES);
  });
});
