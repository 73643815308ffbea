import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitRunArgs } from '../../../src/cli/run/field-flags.js';
import { RUN_OPTIONS } from '../../../src/cli/run/run-options.js';
import { UsageError } from '../../../src/cli/run/usage-error.js';

const split = (line: string) => splitRunArgs(line.split(' ').filter(Boolean), RUN_OPTIONS);

test('field flags, with pkt options (and their values) left out', () => {
  assert.deepEqual(split('task.process --name foo --url http://x --steps 10 --json -q --timeout 5 --no-stream'), {
    positionals: ['task.process'],
    flags: [
      { name: 'name', value: 'foo' },
      { name: 'steps', value: '10' },
    ],
    options: { url: ['http://x'], timeout: ['5'] },
  });
});

test("keeps the raw values of pkt's options: yargs reads --input - as no value", () => {
  assert.deepEqual(split('a --input - --input=@f.json').options, { input: ['-', '@f.json'] });
});

test('values stay text: yargs would have made 007 a number', () => {
  assert.deepEqual(split('a --code 007 --ratio 1e3').flags, [
    { name: 'code', value: '007' },
    { name: 'ratio', value: '1e3' },
  ]);
});

test('--flag=value, bare flags, --no-flag, and negative numbers', () => {
  assert.deepEqual(split('a --x=1=2 --verbose --no-color --offset -5 --last').flags, [
    { name: 'x', value: '1=2' },
    { name: 'verbose', value: true },
    { name: 'color', value: false },
    { name: 'offset', value: '-5' },
    { name: 'last', value: true },
  ]);
});

test('--input=JSON and --url=... are pkt options, not fields', () => {
  assert.deepEqual(split('a --input={"a":1} --url=http://x --tag b').flags, [{ name: 'tag', value: 'b' }]);
});

test('everything after -- is left alone', () => {
  assert.deepEqual(split('a --name x -- --other y'), { positionals: ['a'], flags: [{ name: 'name', value: 'x' }], options: {} });
});

test('extra positionals are reported to the caller', () => {
  assert.deepEqual(split('a b --name x').positionals, ['a', 'b']);
});

test('an unknown short option asks for two dashes', () => {
  assert.throws(() => split('a -n foo'), (err: unknown) => err instanceof UsageError && /--n value/.test(err.message));
});

test('a value option without its value is a usage error saying what it wants', () => {
  const hints = { timeout: 'a positive number of ms, such as --timeout 30000' };
  for (const line of ['a --timeout', 'a --timeout --json', 'a --url']) {
    assert.throws(
      () => splitRunArgs(line.split(' '), RUN_OPTIONS, hints),
      (err: unknown) => err instanceof UsageError && /^--(timeout|url) needs a value/.test(err.message),
      line,
    );
  }
  assert.throws(() => splitRunArgs(['a', '--timeout'], RUN_OPTIONS, hints), /--timeout needs a value: a positive number of ms/);
  // A value that merely starts with one dash is a value: stdin, a negative number.
  assert.deepEqual(splitRunArgs(['a', '--input', '-', '--timeout', '-5'], RUN_OPTIONS).options, { input: ['-'], timeout: ['-5'] });
});
