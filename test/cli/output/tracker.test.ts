import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ActionError } from '../../../src/protocol/index.js';
import { trackRun } from '../../../src/cli/output/tracker.js';
import { fakeClock } from './helpers.js';
import { wireEvent } from '../../helpers/events.js';

const info = { action: 'task.process', url: 'http://127.0.0.1:4000', streaming: true };
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('trackRun', () => {
  it('reduces the events of one turn together, and any read sees every event so far', async () => {
    const clock = fakeClock();
    const run = trackRun(clock.now, { logLimit: 10 });
    run.start(info);
    clock.advance(100);
    for (let step = 1; step <= 3; step++) run.event(wireEvent('progress', String(step), { step, total: 4 }));
    // Read in the same turn: the queued events are reduced first.
    assert.equal(run.state.events, 3);
    assert.equal(run.state.step, 3);
    run.event(wireEvent('progress', '4', { step: 4, total: 4 }));
    await turn();
    assert.deepEqual(run.state.log.map((e) => e.id), ['1', '2', '3', '4']);
  });

  it('finish gives the final state: how it ended, and whether the stream said so itself', () => {
    const clock = fakeClock();
    const run = trackRun(clock.now);
    run.start(info);
    run.event(wireEvent('error', '2', { status: 500, code: 'INTERNAL', message: 'boom' }));
    assert.equal(run.finished, false);
    clock.advance(250);
    const state = run.finish({ ok: false, error: new ActionError(500, 'INTERNAL', 'boom') });
    assert.equal(state.status, 'error');
    assert.equal(state.terminalEvent, 'error');
    assert.equal(state.elapsedMs, 250);
    assert.equal(run.finished, true);
    run.event(wireEvent('progress', '3', {}));
    assert.equal(run.state, state, 'nothing moves a finished run');
  });

  it('a run that ends without a terminal event (--no-stream, a 422) says so', () => {
    const run = trackRun(() => 0);
    run.start({ ...info, streaming: false });
    assert.equal(run.finish({ ok: true, result: 1 }).terminalEvent, undefined);
  });
});
