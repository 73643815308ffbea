// The Ink view as an output mode, drawn on a fake terminal: a stream that says it is a TTY.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ActionError } from '../../../src/protocol/index.js';
import { createOutput } from '../../../src/cli/output/index.js';
import { Capture, ESC, fakeClock, fakeIO } from './helpers.js';
import { wireEvent } from '../../helpers/events.js';

// This file plays a person's terminal. Ink decides once, when it loads, whether it runs under
// CI (and then draws only the last frame), so the CI variables go before anything loads it.
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;

const info = { action: 'task.process', url: 'http://127.0.0.1:4000', streaming: true };

function terminal() {
  return new Capture({ isTTY: true, columns: 80, rows: 20 });
}

/** What a terminal would show at the end, roughly: the text with escape codes taken out. */
function visible(text: string): string {
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
}

describe('tui output', () => {
  it('draws on stderr, ends with the final frame, then the result on stdout', async () => {
    const clock = fakeClock();
    const stderr = terminal();
    const { io, stdout } = fakeIO({ stderr, env: { NO_COLOR: '1' } });
    const out = await createOutput('tui', io, { now: clock.now });
    out.start(info);
    out.runId('run_abc123');
    for (let i = 1; i <= 4; i++) {
      clock.advance(250);
      out.event(wireEvent('progress', String(i), { step: i, total: 4, message: `item ${i}` }));
    }
    out.event(wireEvent('complete', '5', { processed: 4 }));
    await out.finish({ ok: true, result: { processed: 4 } });

    const screen = visible(stderr.text);
    assert.match(screen, /▸ task\.process · run run_abc123/);
    for (let i = 1; i <= 4; i++) assert.equal(screen.split(`progress item ${i}\n`).length, 2, `item ${i} written once, for good`);
    assert.match(screen, /✔ done in 1\.0 s · 4 events\n/);
    assert.doesNotMatch(screen, /complete|processed/, 'the result is said once, on stdout');
    // finish resolved after the final frame, and only then wrote the result.
    assert.equal(stdout.text, '{"processed":4}\n');
    assert.ok(!stdout.text.includes(ESC));
  });

  it('keeps React off the hot path: a flood of events costs no frames until the next tick', async () => {
    const stderr = terminal();
    const { io } = fakeIO({ stderr });
    let t = 0;
    const out = await createOutput('tui', io, { now: () => t });
    out.start(info);
    const writesAfterStart = stderr.chunks.length;
    for (let i = 1; i <= 20_000; i++) {
      t = i / 100;
      out.event(wireEvent('progress', String(i), { step: i, total: 20_000 }));
    }
    // No timer could fire during the loop above, so nothing may have been drawn for it.
    assert.equal(stderr.chunks.length, writesAfterStart);
    await out.finish({ ok: true, result: null });
    const screen = visible(stderr.text);
    assert.match(screen, /… 19,995 more events; --json shows all\n(progress \{"step":\d+,"total":20000\}\n){5}✔ done in 0\.2 s · 20,000 events/);
  });

  it('an error: the message and its fields in the final frame, nothing on stdout', async () => {
    const stderr = terminal();
    const { io, stdout } = fakeIO({ stderr });
    const out = await createOutput('tui', io, { now: () => 0 });
    out.start(info);
    await out.finish({ ok: false, error: new ActionError(422, 'INVALID_INPUT', 'Input is invalid', { name: ['Required'] }) });
    const screen = visible(stderr.text);
    assert.match(screen, /✖ Input is invalid\n\s*--name: Required/);
    assert.equal(stdout.text, '');
  });

  it('colours only when allowed', async () => {
    for (const [env, coloured] of [[{}, true], [{ NO_COLOR: '1' }, false]] as const) {
      const stderr = terminal();
      const { io } = fakeIO({ stderr, env });
      const out = await createOutput('tui', io, { now: () => 0 });
      out.start(info);
      out.event(wireEvent('progress', '1', { percent: 50 }));
      await out.finish({ ok: true, result: null });
      assert.equal(stderr.text.includes(`${ESC}[32m`), coloured, JSON.stringify(env));
    }
  });


  it('never clears the terminal: not in a terminal of 0 rows, not when a resize makes it shorter', async () => {
    for (const rows of [0, 20]) {
      const stderr = terminal();
      stderr.rows = rows;
      const clock = fakeClock();
      const { io } = fakeIO({ stderr, env: { NO_COLOR: '1' } });
      const out = await createOutput('tui', io, { now: clock.now });
      out.start(info);
      out.runId('run_abc123');
      for (let i = 1; i <= 50; i++) {
        clock.advance(100);
        out.event(wireEvent('log', String(i), { message: `line ${i}` }));
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (i === 25) {
          stderr.rows = rows === 0 ? 0 : 2;
          stderr.emit('resize');
        }
      }
      await out.finish({ ok: true, result: null });
      assert.ok(!stderr.text.includes(`${ESC}[3J`), `rows ${rows}: the scrollback is never erased`);
      assert.ok(!stderr.text.includes(`${ESC}[2J`), `rows ${rows}: the screen is never cleared`);
      // Every line once, or told in a "… N more events" line (a slow machine may bunch them up).
      const screen = visible(stderr.text);
      const shown = Array.from({ length: 50 }, (_, i) => screen.split(`log line ${i + 1}\n`).length - 1);
      assert.ok(shown.every((n) => n <= 1), `rows ${rows}: no line twice`);
      const told = [...screen.matchAll(/… (\d+) more events?/g)].reduce((n, m) => n + Number(m[1]), 0);
      assert.equal(shown.filter((n) => n === 1).length + told, 50, `rows ${rows}: every event accounted for`);
    }
  });

  it('a narrower terminal: the rows the live lines were rewrapped into are erased before the redraw', async () => {
    const stderr = terminal();
    stderr.columns = 100;
    const { io } = fakeIO({ stderr, env: { NO_COLOR: '1', TMUX: '/tmp/x' } });
    const out = await createOutput('tui', io, { now: () => 0 });
    out.start({ ...info, action: 'a'.repeat(70) });
    const before = stderr.chunks.length;
    stderr.columns = 40;
    stderr.emit('resize');
    // The header (83 columns: 3 rows at 40) and the status line (1 row): 4 rows for 2 lines;
    // up 4 rows erasing each, and down 2, where Ink expects the cursor below its 2 lines.
    assert.ok(stderr.chunks.slice(before).join('').startsWith(`\r${`${ESC}[1A${ESC}[2K`.repeat(4)}${ESC}[2B`));
    await out.finish({ ok: true, result: null });
  });
});
