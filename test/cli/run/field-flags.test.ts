import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitFieldArgs } from '../../../src/cli/run/field-flags.js';
import { UsageError } from '../../../src/cli/run/usage-error.js';
import { parseRun } from '../helpers/run-args.js';

/** A `pkt run` line as the command sees it: yargs' parse, then the field flags from the rest. */
async function split(line: string) {
  const { args } = await parseRun(line.split(' ').filter(Boolean));
  return { args, ...splitFieldArgs(args.rest) };
}

test("field flags, with pkt's options (and their values) left to yargs", async () => {
  const { args, positionals, flags } = await split('task.process --name foo --url http://x --steps 10 --json -q --timeout 5 --no-stream');
  assert.deepEqual(positionals, ['task.process']);
  assert.deepEqual(flags, [
    { name: 'name', value: 'foo' },
    { name: 'steps', value: '10' },
  ]);
  assert.deepEqual([args.url, args.timeout, args.json, args.quiet, args.stream], ['http://x', '5', true, true, false]);
});

test('values stay text: yargs would have made 007 a number', async () => {
  assert.deepEqual((await split('a --code 007 --ratio 1e3')).flags, [
    { name: 'code', value: '007' },
    { name: 'ratio', value: '1e3' },
  ]);
});

test('--flag=value, bare flags, --no-flag, and negative numbers', async () => {
  assert.deepEqual((await split('a --x=1=2 --verbose --no-color --offset -5 --last')).flags, [
    { name: 'x', value: '1=2' },
    { name: 'verbose', value: true },
    { name: 'color', value: false },
    { name: 'offset', value: '-5' },
    { name: 'last', value: true },
  ]);
});

test('--input=JSON and --url=... are pkt options, not fields; the last of a repeated one wins', async () => {
  const { args, flags } = await split('a --input={"a":1} --url=http://x --tag b --url http://y');
  assert.deepEqual(flags, [{ name: 'tag', value: 'b' }]);
  assert.deepEqual([args.input, args.url], ['{"a":1}', 'http://y']);
});

test('--actions is repeatable, and takes one folder each, not the field flags after it', async () => {
  const { args, flags } = await split('a --actions one --name x --actions two');
  assert.deepEqual(args.actions, ['one', 'two']);
  assert.deepEqual(flags, [{ name: 'name', value: 'x' }]);
});

test('a field flag before the action is still a field flag', async () => {
  const { positionals, flags } = await split('--name foo task.process');
  assert.deepEqual(positionals, ['task.process']);
  assert.deepEqual(flags, [{ name: 'name', value: 'foo' }]);
});

test('everything after -- is left alone', async () => {
  const { positionals, flags } = await split('a --name x -- --other y');
  assert.deepEqual({ positionals, flags }, { positionals: ['a'], flags: [{ name: 'name', value: 'x' }] });
});

test('extra positionals are reported to the caller', async () => {
  assert.deepEqual((await split('a b --name x')).positionals, ['a', 'b']);
});

test("pkt's short options are its own; any other asks for two dashes", async () => {
  const { args } = await split('a -q -h');
  assert.deepEqual([args.quiet, args.help], [true, true]);
  await assert.rejects(split('a -n foo'), (err: unknown) => err instanceof UsageError && /--n value/.test(err.message));
  assert.throws(() => splitFieldArgs(['--=1']), (err: unknown) => err instanceof UsageError && /is not a flag/.test(err.message));
});
