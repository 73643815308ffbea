// defineAction's checks of what it is given, `events` included: each mistake is a TypeError
// that says what to write instead.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { defineAction, isAction } from '../../src/server/define-action.js';

const call = () => 'ok';

test('an action with events is an action; its events are types, not run', async () => {
  const action = defineAction({ events: { progress: z.object({ percent: z.number() }), 'log.line': z.string() }, call });
  assert.ok(isAction(action));
  assert.equal(await action.call(undefined, { signal: new AbortController().signal }), 'ok');
});

test('events must map event types to schemas', () => {
  const wrong: [unknown, RegExp][] = [
    [[z.string()], /maps each event type to a schema/],
    [{ complete: z.string() }, /"complete" ends a stream and cannot be sent; the stream's result is what sendComplete gets/],
    [{ error: z.string() }, /"error" ends a stream/],
    [{ '1st': z.string() }, /"1st" is not an event type; use a letter/],
    [{ 'two words': z.string() }, /"two words" is not an event type/],
    [{ progress: { percent: 'number' } }, /events.progress must be a schema/],
  ];
  for (const [events, message] of wrong) {
    assert.throws(() => defineAction({ events: events as never, call }), (err: unknown) => err instanceof TypeError && message.test(err.message), JSON.stringify(events));
  }
});
