// The whole CLI in a real pseudo-terminal under tmux, read back with capture-pane: what a
// person sees. The log stays on screen and in the scrollback, the person's earlier history
// survives resizes (and a terminal of 0×0), a firehose is summarised, nothing is said twice,
// and Ctrl-C cancels. The screens of a default run and of a firehose are kept in
// test-results/ for a reviewer to read.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { BIN, ROOT, cliEnv, ensureBuilt } from '../cli/helpers/pkt-process.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
// Locally a missing tmux skips with its reason; in CI it must be there.
const skip = !hasTmux && process.env.CI !== 'true' ? 'tmux is not installed (apt-get install tmux to run this test)' : false;
// A server of our own, so the test never touches a person's tmux sessions.
const SOCKET = `pkt-test-${process.pid}`;
const PKT = `env -u CI -u CONTINUOUS_INTEGRATION node ${JSON.stringify(BIN)}`;

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8', env: cliEnv({ TERM: 'xterm-256color' }) });
  if (r.status !== 0) throw new Error(`tmux ${args[0]} failed: ${r.stderr}`);
  return r.stdout;
}

/**
 * A shell in a new session of `columns`×`rows` running `script`, then printing pkt's exit
 * code and waiting. The pane is a person's terminal, not a CI job: without CI in the
 * environment, as pkt (and Ink) would otherwise print plain lines instead of the live view.
 */
function startSession(name: string, script: string, size = { columns: 100, rows: 30 }): void {
  tmux('new-session', '-d', '-s', name, '-x', String(size.columns), '-y', String(size.rows), '-c', ROOT, `${script}; echo "EXIT=$?"; sleep 120`);
}

/** The visible screen, or with `history` everything the pane ever kept (`capture-pane -S -`). */
function screen(name: string, history = false): string {
  return tmux('capture-pane', '-p', '-t', name, ...(history ? ['-S', '-'] : []));
}

/** Polls the screen until `match` finds something, within a generous deadline. */
async function screenUntil(name: string, match: (screen: string) => boolean, what: string, history = false): Promise<string> {
  const deadline = Date.now() + 30_000;
  let text = '';
  while (Date.now() < deadline) {
    text = screen(name, history);
    if (match(text)) return text;
    await sleep(25);
  }
  throw new Error(`gave up waiting for ${what}; the screen was:\n${text}`);
}

const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))?.length ?? 0;
const HISTORY = 'for i in $(seq 1 50); do echo "history line $i"; done';

function keep(file: string, text: string): void {
  const dir = join(ROOT, 'test-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), `${text.replace(/\s+$/, '')}\n`);
}

describe('the live view in a real terminal (tmux)', { skip }, () => {
  before(() => {
    assert.ok(hasTmux, 'CI=true: tmux must be installed for this test');
    ensureBuilt();
  });
  after(() => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  });

  test('the default run: the header, all five steps, one summary line, the result once', { timeout: 90_000 }, async () => {
    startSession('default', `${PKT} run task.process --name foo`);
    const partway = await screenUntil('default', (s) => /progress Processing foo: step 2 of 5/.test(s) && !s.includes('EXIT='), 'the run partway');
    assert.match(partway, /█+░+ \d+% \d\/5/, 'a bar under the log');
    const done = await screenUntil('default', (s) => s.includes('EXIT='), 'pkt to exit');
    keep('tui-default-run.txt', done);
    const lines = done.split('\n');
    assert.match(lines[0]!, /^▸ task\.process · run \S+ · embedded$/, 'the header says embedded, not a URL gone a moment later');
    for (let step = 1; step <= 5; step++) assert.equal(count(done, new RegExp(`^progress Processing foo: step ${step} of 5$`, 'm')), 1, `step ${step} on screen, once`);
    assert.equal(count(done, /^✔ done in \d+\.\d s · 5 events$/m), 1);
    assert.equal(count(done, /"taskName": "foo"/), 1, 'the result once');
    assert.doesNotMatch(done, /complete|elapsed|█|░|waiting for/, 'no complete line, no second time, no bar left behind');
    assert.match(done, /EXIT=0/);
  });

  test("the person's history survives a run and a terminal made shorter: 30 rows, 16, then 8", { timeout: 90_000 }, async () => {
    startSession('shrink', `${HISTORY}; ${PKT} run task.process --name foo --steps 30 --delayMs 100`);
    await screenUntil('shrink', (s) => /progress Processing foo: step 3 of 30/.test(s), 'the run to start');
    tmux('resize-window', '-t', 'shrink', '-y', '16');
    await screenUntil('shrink', (s) => /step 8 of 30/.test(s), 'a few steps at 16 rows');
    tmux('resize-window', '-t', 'shrink', '-y', '8');
    const all = await screenUntil('shrink', (s) => s.includes('EXIT='), 'pkt to exit', true);
    for (let i = 1; i <= 50; i++) assert.equal(count(all, new RegExp(`^history line ${i}$`, 'm')), 1, `history line ${i} is kept`);
    for (let step = 1; step <= 30; step++) assert.equal(count(all, new RegExp(`step ${step} of 30$`, 'm')), 1, `step ${step} in the scrollback, once`);
    assert.match(all, /EXIT=0/);
  });

  test('a terminal that reports 0×0 rows and columns is never cleared', { timeout: 90_000 }, async () => {
    startSession('zero', `${HISTORY}; stty rows 0 cols 0; ${PKT} run task.process --name foo --steps 10 --delayMs 50`);
    const all = await screenUntil('zero', (s) => s.includes('EXIT='), 'pkt to exit', true);
    for (let i = 1; i <= 50; i++) assert.equal(count(all, new RegExp(`^history line ${i}$`, 'm')), 1, `history line ${i} is kept`);
    assert.match(all, /✔ done in \d+\.\d s · 10 events/);
  });

  test('at 45 columns: the bar, the percentage and the ETA; after a resize to it, no ghost of the old frame', { timeout: 90_000 }, async () => {
    startSession('narrow', `${PKT} run task.process --name foo --steps 40 --delayMs 100`);
    await screenUntil('narrow', (s) => /step 3 of 40/.test(s), 'the run to start');
    tmux('resize-window', '-t', 'narrow', '-x', '45');
    // Waits for a frame drawn for the new width: on a loaded machine the first look may still
    // show the frame drawn before the resize (tmux wraps it, so no line of it is a whole bar).
    const barOf = (screen: string) => screen.split('\n').find((l) => /█+░+ \d+% .*ETA \d/.test(l) && [...l].length <= 45);
    const live = await screenUntil('narrow', (s) => barOf(s) !== undefined, 'a bar, its percentage and the ETA in 45 columns');
    const bar = barOf(live)!;
    assert.doesNotMatch(bar, /steps\/s/, 'the rate gives way');
    const done = await screenUntil('narrow', (s) => s.includes('EXIT='), 'pkt to exit', true);
    assert.equal(count(done, /▸ task\.process/), 1, 'one header');
    assert.equal(count(done, /waiting for|█|░/), 0, 'nothing of the live region left behind');
  });

  test('a firehose: a few lines, one for the rest, and the count', { timeout: 90_000 }, async () => {
    startSession('firehose', `${PKT} run demo.firehose`);
    const done = await screenUntil('firehose', (s) => s.includes('EXIT='), 'pkt to exit', true);
    keep('tui-firehose-run.txt', done);
    const more = /^… ([\d,]+) more events; --json shows all$/m.exec(done);
    assert.ok(more, 'one line tells of the events not shown');
    const shown = count(done, /^progress event \d+$/m);
    assert.equal(shown + Number(more[1]!.replace(/,/g, '')), 100_000, 'every event shown or counted');
    assert.ok(shown <= 100, `a few lines, not a flood: ${shown}`);
    assert.match(done, /^✔ done in \d+\.\d s · 100,000 events$/m);
    assert.match(done, /EXIT=0/);
  });

  test('a misspelt action: the first frame gives way to the message, nothing left of it', { timeout: 90_000 }, async () => {
    startSession('typo', `${PKT} run task.proces --name foo`);
    const done = await screenUntil('typo', (s) => s.includes('EXIT='), 'pkt to exit');
    assert.match(done, /did you mean task\.process\?/);
    assert.doesNotMatch(done, /▸|waiting for/);
    assert.match(done, /EXIT=2/);
  });

  test('Ctrl-C in the terminal cancels the run, says so, and exits 130', { timeout: 90_000 }, async () => {
    startSession('stop', `${PKT} run task.process --name foo --steps 200 --delayMs 100`);
    await screenUntil('stop', (s) => /\d+% \d+\/200/.test(s), 'the run to start');
    tmux('send-keys', '-t', 'stop', 'C-c');
    const done = await screenUntil('stop', (s) => s.includes('EXIT='), 'pkt to exit');
    assert.match(done, /cancelled/);
    assert.match(done, /EXIT=130/);
  });
});
