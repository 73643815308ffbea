// Issue 3 §8: the whole CLI in a real pseudo-terminal under tmux. capture-pane shows the bar
// partway through, then at 100% with the log lines; Ctrl-C in the terminal cancels and exits 130.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { BIN, ROOT, cliEnv, ensureBuilt } from '../cli/helpers/pkt-process.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
// Locally a missing tmux skips with its reason; in CI it must be there.
const skip = !hasTmux && process.env.CI !== 'true' ? 'tmux is not installed (apt-get install tmux to run this test)' : false;
// A server of our own, so the test never touches a person's tmux sessions.
const SOCKET = `pkt-test-${process.pid}`;

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8', env: cliEnv({ TERM: 'xterm-256color' }) });
  if (r.status !== 0) throw new Error(`tmux ${args[0]} failed: ${r.stderr}`);
  return r.stdout;
}

/** Starts pkt in a new 100×30 session; a shell line after it prints its exit code and waits. */
function startSession(name: string, pktArgs: string): void {
  // The pane is a person's terminal, not a CI job: without CI in its environment, as pkt
  // (and Ink) would otherwise print plain lines instead of the live view.
  const command = `env -u CI -u CONTINUOUS_INTEGRATION node ${JSON.stringify(BIN)} ${pktArgs}; echo "EXIT=$?"; sleep 120`;
  tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '30', '-c', ROOT, command);
}

/** Polls the screen until `match` finds something, within a generous deadline. */
async function screenUntil(name: string, match: (screen: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  let screen = '';
  while (Date.now() < deadline) {
    screen = tmux('capture-pane', '-p', '-t', name);
    if (match(screen)) return screen;
    await sleep(25);
  }
  throw new Error(`gave up waiting for ${what}; the screen was:\n${screen}`);
}

describe('the Ink view in a real terminal (tmux)', { skip }, () => {
  before(() => {
    assert.ok(hasTmux, 'CI=true: tmux must be installed for this test');
    ensureBuilt();
  });
  after(() => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  });

  test('the bar partway, then 100%, the log lines and the final line', { timeout: 90_000 }, async () => {
    startSession('run', 'run task.process --name foo --steps 20 --delayMs 150');
    const partway = await screenUntil(
      'run',
      (s) => {
        const m = /(\d+)% (\d+)\/20/.exec(s);
        return m !== null && Number(m[1]) > 0 && Number(m[1]) < 100;
      },
      'the bar partway through',
    );
    assert.match(partway, /task\.process · run \S+/, 'the header names the action and the run');
    assert.match(partway, /█+░+ \d+%/, 'a bar is drawn');
    assert.match(partway, /progress Processing foo: step \d+ of 20/, 'the log shows events');

    const done = await screenUntil('run', (s) => s.includes('EXIT='), 'pkt to exit');
    assert.match(done, /█{20,} 100% 20\/20/);
    assert.match(done, /progress Processing foo: step 20 of 20/);
    assert.match(done, /✔ done in \d/);
    assert.match(done, /EXIT=0/);
    // The result goes to stdout, which here is the same terminal.
    assert.match(done, /"taskName": "foo"/);
  });

  test('Ctrl-C in the terminal cancels the run, says so, and exits 130', { timeout: 90_000 }, async () => {
    startSession('stop', 'run task.process --name foo --steps 200 --delayMs 100');
    await screenUntil('stop', (s) => /\d+% \d+\/200/.test(s), 'the run to start');
    tmux('send-keys', '-t', 'stop', 'C-c');
    const screen = await screenUntil('stop', (s) => s.includes('EXIT='), 'pkt to exit');
    assert.match(screen, /cancelled/);
    assert.match(screen, /EXIT=130/);
  });
});
