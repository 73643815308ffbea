import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ActionError } from '../../../src/protocol/index.js';
import { createQuietOutput } from '../../../src/cli/output/quiet.js';
import { fakeIO } from './helpers.js';
import { wireEvent } from '../../helpers/events.js';

const info = { action: 'task.process', url: 'http://127.0.0.1:4000', streaming: true };

describe('quiet output', () => {
  it('nothing on stderr, the result on stdout', async () => {
    const { io, stdout, stderr } = fakeIO();
    const out = createQuietOutput(io);
    out.start(info);
    out.runId('r1');
    out.event(wireEvent('progress', '1', { percent: 50 }));
    out.event(wireEvent('complete', '2', { ok: 1 }));
    await out.finish({ ok: true, result: { ok: 1 } });
    assert.equal(stdout.text, '{"ok":1}\n');
    assert.equal(stderr.text, '');
  });

  it('only the final error on stderr', async () => {
    const { io, stdout, stderr } = fakeIO();
    const out = createQuietOutput(io);
    out.start(info);
    out.event(wireEvent('progress', '1', { percent: 50 }));
    await out.finish({ ok: false, error: new ActionError(0, 'UNREACHABLE', 'cannot reach http://127.0.0.1:9') });
    assert.equal(stdout.text, '');
    assert.equal(stderr.text, 'pkt: cannot reach http://127.0.0.1:9\n');
  });

  it('an error event makes the failure the action\'s own: error:, not pkt:', async () => {
    const { io, stderr } = fakeIO();
    const out = createQuietOutput(io);
    out.start(info);
    const body = { status: 500, code: 'INTERNAL', message: 'boom' };
    out.event(wireEvent('error', '2', body));
    await out.finish({ ok: false, error: ActionError.fromBody(body) });
    assert.equal(stderr.text, 'error: boom\n');
  });
});
