// Which command lines get the first frame before the CLI loads, and what it says.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readStartArgs, startFrameLines } from '../../src/cli/start-frame.js';
import { Capture } from './output/helpers.js';

const terminal = () => new Capture({ isTTY: true, columns: 80, rows: 24 }) as unknown as NodeJS.WriteStream;
const env = { TERM: 'xterm-256color', NO_COLOR: '1' };

describe('readStartArgs', () => {
  it('reads the action and the server from `pkt run`, wherever the options are', () => {
    assert.deepEqual(readStartArgs(['run', 'task.process', '--name', 'foo']), { action: 'task.process', streaming: true });
    assert.deepEqual(readStartArgs(['run', '--url', 'http://h:1', '--name', 'foo', 'task.process', '--no-stream']), { action: 'task.process', url: 'http://h:1', streaming: false });
    assert.deepEqual(readStartArgs(['run', '--timeout=500', 'demo.fail', '--after', '-1']), { action: 'demo.fail', streaming: true });
  });

  it('leaves to the parse whatever is not plainly a live run', () => {
    for (const argv of [
      ['serve'],
      ['run'],
      ['run', 'task.process', '--json'],
      ['run', 'task.process', '-q'],
      ['run', 'task.process', '--help'],
      ['run', 'task.process', '--input', '-'],
      ['run', 'task.process', 'extra'],
      ['run', 'not an action'],
      ['run', 'task.process', '--url'],
    ]) {
      assert.equal(readStartArgs(argv), undefined, argv.join(' '));
    }
  });
});

describe('startFrameLines', () => {
  it('the header (embedded, or the URL) and the spinner, as the view draws them', () => {
    assert.deepEqual(startFrameLines(['run', 'task.process', '--name', 'x'], env, terminal()), [
      '▸ task.process · embedded',
      '⠋ waiting for the first event · 0.0 s',
    ]);
    assert.equal(startFrameLines(['run', 'task.process', '--url', 'http://127.0.0.1:7070/_piko/actions'], env, terminal())?.[0], '▸ task.process · http://127.0.0.1:7070');
  });

  it('none where the view would not draw: a pipe, TERM=dumb, CI, a terminal of unknown width', () => {
    const argv = ['run', 'task.process'];
    assert.equal(startFrameLines(argv, env, new Capture({ isTTY: false }) as unknown as NodeJS.WriteStream), undefined);
    assert.equal(startFrameLines(argv, { TERM: 'dumb' }, terminal()), undefined);
    assert.equal(startFrameLines(argv, { ...env, CI: 'true' }, terminal()), undefined);
    assert.equal(startFrameLines(argv, env, new Capture({ isTTY: true, columns: 0, rows: 0 }) as unknown as NodeJS.WriteStream), undefined);
  });
});
