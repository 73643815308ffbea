import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eraseRewrapped, rewrapsOnResize, rowsAfterRewrap } from '../../../src/cli/output/reflow.js';

const ESC = '\u001b';

describe('reflow', () => {
  it('counts the rows lines take once rewrapped, escape codes taking none', () => {
    assert.equal(rowsAfterRewrap(['x'.repeat(80), '', `${ESC}[36m${'y'.repeat(40)}${ESC}[39m`], 40), 2 + 1 + 1);
    assert.equal(rowsAfterRewrap(['x'.repeat(81)], 40), 3);
  });

  it('erases the rewrapped rows and puts the cursor below as many rows as there were lines', () => {
    assert.equal(eraseRewrapped(['x'.repeat(70), 'short'], 40), `\r${`${ESC}[1A${ESC}[2K`.repeat(3)}${ESC}[2B`);
    assert.equal(eraseRewrapped(['x'.repeat(30), 'short'], 40), '', 'nothing wrapped, nothing to do');
  });

  it('tmux and most terminals rewrap; xterm, rxvt, screen and the Linux console do not', () => {
    assert.equal(rewrapsOnResize({ TERM: 'xterm-256color' }), true);
    assert.equal(rewrapsOnResize({ TERM: 'screen-256color', TMUX: '/tmp/tmux-0/default,1,0' }), true);
    assert.equal(rewrapsOnResize({ TERM: 'xterm', XTERM_VERSION: 'XTerm(390)' }), false);
    for (const TERM of ['linux', 'rxvt-unicode', 'screen']) assert.equal(rewrapsOnResize({ TERM }), false, TERM);
  });
});
