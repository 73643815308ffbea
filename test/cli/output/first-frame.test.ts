// The first frame drawn before Ink loads: whoever writes first erases it.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { drawFirstFrame, firstFrameShown, takeOverFirstFrame } from '../../../src/cli/output/first-frame.js';
import { Capture } from './helpers.js';

const ESC = '\u001b';
const ERASE_TWO = `\r${ESC}[1A${ESC}[2K${ESC}[1A${ESC}[2K`;

afterEach(() => {
  takeOverFirstFrame();
});

describe('first frame', () => {
  it('is drawn at once, and taken over by the view with the sequence that erases it', () => {
    const screen = new Capture({ isTTY: true, columns: 80 });
    drawFirstFrame(screen as unknown as NodeJS.WriteStream, ['▸ task.process · embedded', '⠋ waiting for the first event · 0.0 s']);
    assert.equal(screen.text, '▸ task.process · embedded\n⠋ waiting for the first event · 0.0 s\n');
    assert.equal(firstFrameShown(), true);
    assert.equal(takeOverFirstFrame(), ERASE_TWO);
    assert.equal(takeOverFirstFrame(), '', 'once');
    screen.write('after');
    assert.ok(screen.text.endsWith('\nafter'), 'writes go straight through again');
  });

  it('any other write first (an error message) erases it before it goes out, on stderr or stdout', () => {
    for (const other of ['stderr', 'stdout'] as const) {
      const stderr = new Capture({ isTTY: true, columns: 80 });
      const stdout = new Capture({ isTTY: true, columns: 80 });
      drawFirstFrame(stderr as unknown as NodeJS.WriteStream, ['a', 'b'], [stdout as unknown as NodeJS.WriteStream]);
      (other === 'stderr' ? stderr : stdout).write('pkt: no action named x\n');
      assert.equal(firstFrameShown(), false);
      assert.equal(stderr.text, `a\nb\n${ERASE_TWO}${other === 'stderr' ? 'pkt: no action named x\n' : ''}`);
      if (other === 'stdout') assert.equal(stdout.text, 'pkt: no action named x\n');
      stderr.write('more\n');
      assert.equal(stderr.text.split(ERASE_TWO).length, 2, 'erased once');
    }
  });
});
