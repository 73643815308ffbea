import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { readAll, readInputOption, type InputSources } from '../../../src/cli/run/input.js';
import { UsageError } from '../../../src/cli/run/usage-error.js';

const files: Record<string, string> = { 'in.json': '{"name":"file"}' };
const sources: InputSources = {
  readFile: async (path) => {
    if (path in files) return files[path]!;
    throw Object.assign(new Error('nope'), { code: 'ENOENT' });
  },
  readStdin: async () => '{"name":"stdin"}\n',
};

const usage = (pattern: RegExp) => (err: unknown) => err instanceof UsageError && pattern.test(err.message);

test('no --input is an empty object', async () => {
  assert.deepEqual(await readInputOption(undefined, sources), {});
});

test('JSON, @file and - (stdin)', async () => {
  assert.deepEqual(await readInputOption('{"name":"arg"}', sources), { name: 'arg' });
  assert.deepEqual(await readInputOption('@in.json', sources), { name: 'file' });
  assert.deepEqual(await readInputOption('-', sources), { name: 'stdin' });
});

test('empty stdin is {}, as an empty body is on the wire', async () => {
  assert.deepEqual(await readInputOption('-', { ...sources, readStdin: async () => '  \n' }), {});
});

test('mistakes say what to do', async () => {
  await assert.rejects(readInputOption('{name:1}', sources), usage(/--input is not valid JSON/));
  await assert.rejects(readInputOption('[1]', sources), usage(/must be a JSON object.*not an array/));
  await assert.rejects(readInputOption('"x"', sources), usage(/not a string/));
  await assert.rejects(readInputOption('@missing.json', sources), usage(/cannot read the --input file missing.json: no such file/));
  await assert.rejects(readInputOption('@', sources), usage(/needs a file name/));
});

test('readAll reads a whole stream', async () => {
  assert.equal(await readAll(Readable.from([Buffer.from('{"a"'), Buffer.from(':1}')])), '{"a":1}');
});
