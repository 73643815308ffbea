import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { planRun, runInput, type RunPlan } from '../../../src/cli/run/run-plan.js';
import { UsageError } from '../../../src/cli/run/usage-error.js';
import { parseRun } from '../helpers/run-args.js';

const task = {
  name: 'task.process',
  description: '',
  streams: true,
  input: { type: 'object', properties: { name: { type: 'string' }, steps: { type: 'integer' } }, required: ['name'] },
};

async function plan(tokens: string[], stdinText = '') {
  const { args, own } = await parseRun(tokens);
  const stdin = new PassThrough();
  stdin.end(stdinText);
  const stderr = new PassThrough();
  const planned = await planRun(args, { stdin, stderr, env: {}, readFile: async () => '{"name":"from-file"}' }, own);
  return { planned, own };
}

const usage = (pattern: RegExp) => (err: unknown) => err instanceof UsageError && pattern.test(err.message);

test('what the plan knows before any server: action, field flags, target, input, mode', async () => {
  const { planned } = await plan(['task.process', '--name', 'x', '--json', '--timeout', '2500', '--input', '@in.json', '--url', 'http://127.0.0.1:9']);
  assert.notEqual(planned, 'options');
  const p = planned as RunPlan;
  assert.deepEqual(
    [p.action, p.flags, p.base, p.target.url, p.mode, p.timeoutMs, p.stream, p.detach, p.help],
    ['task.process', [{ name: 'name', value: 'x' }], { name: 'from-file' }, 'http://127.0.0.1:9', 'json', 2500, true, false, false],
  );
});

test('--input - reads stdin, though yargs hands the dash over apart from the option', async () => {
  const { planned } = await plan(['task.process', '--input', '-', '--steps', '1'], '{"name":"typed"}');
  assert.deepEqual((planned as RunPlan).base, { name: 'typed' });
  assert.deepEqual((planned as RunPlan).flags, [{ name: 'steps', value: '1' }]);
});

test('a value option without its value says what it wants, from the option table', async () => {
  for (const [tokens, wants] of [
    [['--timeout'], /^--timeout needs a value: a positive number of ms, such as --timeout 30000$/],
    [['--timeout', '--json'], /^--timeout needs a value/],
    [['--timeout='], /^--timeout needs a value/],
    [['--url'], /^--url needs a value: a server URL/],
    [['--input', '--name', 'x'], /^--input needs a value: JSON, @file\.json or -/],
    [['--token'], /^--token needs a value/],
    [['--base-path'], /^--base-path needs a value/],
    [['--actions', '--name', 'x'], /^--actions needs a value: a folder of actions/],
  ] as const) {
    await assert.rejects(plan(['task.process', ...tokens]), usage(wants), tokens.join(' '));
  }
});

test('--help alone is the options; no action is a usage error', async () => {
  assert.equal((await plan(['--help'])).planned, 'options');
  await assert.rejects(plan([]), usage(/^name an action/));
  await assert.rejects(plan(['task.process', 'foo']), usage(/^unexpected argument "foo"/));
});

test('the input from the manifest: misspelt pkt options first, named as options', async () => {
  const { planned, own } = await plan(['task.process', '--name', 'x', '--jsno']);
  assert.throws(() => runInput(planned as RunPlan, task, own), usage(/^unknown option --jsno; did you mean --json\?$/));
  const two = await plan(['task.process', '--jsno', '--tiemout', '5', '--nmae', 'x']);
  assert.throws(
    () => runInput(two.planned as RunPlan, task, two.own),
    usage(/^unknown options: --jsno \(did you mean --json\?\), --tiemout \(did you mean --timeout\?\)$/),
  );
  const field = await plan(['task.process', '--nmae', 'x']);
  assert.throws(() => runInput(field.planned as RunPlan, task, field.own), (err: unknown) => err instanceof UsageError && /unknown flag --nmae; did you mean --name\?/.test(err.details.join('\n')));
  const right = await plan(['task.process', '--name', 'x', '--steps', '007']);
  assert.deepEqual(runInput(right.planned as RunPlan, task, right.own), { name: 'x', steps: 7 });
});
