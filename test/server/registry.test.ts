import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineAction } from '../../src/server/index.js';
import { ActionRegistry } from '../../src/server/registry.js';

const a = defineAction({ call: () => 1 });

test('names resolve case-insensitively and keep their written form', () => {
  const r = new ActionRegistry();
  r.add('task.process', a);
  assert.equal(r.get('Task.PROCESS')?.name, 'task.process');
  assert.equal(r.get('task.processes'), undefined);
});

test('suggestions: closest names first, none when nothing is near', () => {
  const r = new ActionRegistry();
  for (const n of ['task.process', 'task.progress', 'admin.users.delete']) r.add(n, a);
  assert.deepEqual(r.suggest('task.proces'), ['task.process', 'task.progress']);
  assert.deepEqual(r.suggest('delete'), ['admin.users.delete']);
  assert.deepEqual(r.suggest('zzzzzz.qqqq'), []);
});

test('bad names and clashing files are refused with the file named', () => {
  const r = new ActionRegistry();
  assert.throws(() => r.add('1bad', a, 'x/1bad.ts'), /x\/1bad\.ts: "1bad" is not a valid action name/);
  r.add('a.b', a, 'one/a/b.ts');
  assert.throws(() => r.add('A.b', a, 'two/A/b.ts'), /already defined by one\/a\/b\.ts/);
});

test('a user action may replace a bundled one', () => {
  const r = new ActionRegistry();
  r.add('task.process', a);
  const mine = defineAction({ call: () => 2 });
  r.add('task.process', mine, 'actions/task/process.ts');
  assert.equal(r.get('task.process')?.action, mine);
});

test('defineAction needs a call function', () => {
  assert.throws(() => defineAction({} as never), /needs a `call\(input\)` function/);
  assert.throws(() => defineAction({ call: () => 1, streamProgress: 5 } as never), /streamProgress/);
});

test('defineAction refuses an input that is no schema', () => {
  assert.throws(() => defineAction({ input: { name: 'string' } as never, call: () => 1 }), /must be a schema from zod 4/);
});
