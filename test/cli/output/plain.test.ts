import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ActionError } from '../../../src/protocol/index.js';
import { createPlainOutput, plainEventLine } from '../../../src/cli/output/plain.js';
import { ESC, fakeClock, fakeIO } from './helpers.js';
import { wireEvent } from '../../helpers/events.js';

const info = { action: 'task.process', url: 'http://127.0.0.1:4000', streaming: true };

describe('plain output', () => {
  it('one line per event on stderr, the result JSON on stdout, no escape codes', async () => {
    const clock = fakeClock();
    const { io, stdout, stderr } = fakeIO();
    const out = createPlainOutput(io, { now: clock.now });
    out.start(info);
    out.runId('r1');
    for (let i = 1; i <= 3; i++) {
      clock.advance(250);
      out.event(wireEvent('progress', String(i), { step: i, total: 4, message: `item ${i}` }));
    }
    // A server can put escape codes in a message, or in any string of a payload.
    out.event(wireEvent('log', '4', { message: 'red \u001b[31mtext\u001b[0m' }));
    out.event(wireEvent('log', '5', { note: '\u001b[2J' }));
    out.event(wireEvent('complete', '5', { processed: 3 }));
    clock.advance(250);
    await out.finish({ ok: true, result: { processed: 3 } });

    assert.equal(stdout.text, '{"processed":3}\n');
    assert.deepEqual(stderr.text.split('\n'), [
      'run r1',
      'progress 25% 1/4 item 1',
      'progress 50% 2/4 item 2',
      'progress 75% 3/4 item 3',
      'log red \ufffd[31mtext\ufffd[0m',
      // JSON already spells a control character out as text.
      'log {"note":"\\u001b[2J"}',
      'done in 1.0 s · 5 events',
      '',
    ]);
    assert.ok(!stderr.text.includes(ESC) && !stdout.text.includes(ESC));
  });

  it('on failure: the error and its fields on stderr, nothing on stdout', async () => {
    const { io, stdout, stderr } = fakeIO();
    const out = createPlainOutput(io);
    out.start(info);
    const error = new ActionError(422, 'INVALID_INPUT', 'Input is invalid', { name: ['Required'] });
    await out.finish({ ok: false, error });
    assert.equal(stdout.text, '');
    // Invalid input is the command's, not the action's: pkt's prefix.
    assert.equal(stderr.text, 'pkt: Input is invalid\n  --name: Required\n');
  });

  it("the action's own error event keeps `error:`", async () => {
    const { io, stderr } = fakeIO();
    const out = createPlainOutput(io);
    out.start(info);
    const data = { status: 400, code: 'BAD_JSON', message: 'the action refused it' };
    out.event(wireEvent('error', '2', data));
    await out.finish({ ok: false, error: ActionError.fromBody(data) });
    assert.equal(stderr.text, 'error: the action refused it\n');
  });

  it('an interrupted run says it was cancelled', async () => {
    const { io, stderr } = fakeIO();
    const out = createPlainOutput(io);
    out.start(info);
    await out.finish({ ok: false, interrupted: true, error: new ActionError(499, 'CANCELLED', 'run r1 cancelled on the server') });
    assert.equal(stderr.text, 'cancelled (run r1 cancelled on the server)\n');
  });

  it('--no-stream: only the result', async () => {
    const { io, stdout } = fakeIO();
    const out = createPlainOutput(io);
    out.start({ ...info, streaming: false });
    await out.finish({ ok: true, result: [1, 2] });
    assert.equal(stdout.text, '[1,2]\n');
  });

  it('an event type can never carry escape codes either', () => {
    assert.equal(plainEventLine(wireEvent('bad\u001b[2Jtype', '', null)), 'bad?[2Jtype null');
  });
});
