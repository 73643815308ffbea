import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileType, parseFileFlag, readFileFlags } from '../../../src/cli/run/file-flags.js';
import { buildInput } from '../../../src/cli/run/schema-flags.js';
import { schemaProblems } from '../../../src/cli/run/validate-input.js';

test('--file takes field=@path, the @ optional; anything else says how to write it', () => {
  assert.deepEqual(parseFileFlag('doc=@a/b.pdf'), { field: 'doc', path: 'a/b.pdf' });
  assert.deepEqual(parseFileFlag('doc=b=c.txt'), { field: 'doc', path: 'b=c.txt' });
  for (const bad of ['doc', '=@x', 'doc=@', 'doc=']) assert.throws(() => parseFileFlag(bad), /field=@path; write it as in --file doc=@report\.pdf/);
});

test('files are read into File objects by field, a field given twice a list; a missing file is a usage error', async () => {
  const bytes: Record<string, string> = { 'a.csv': 'x,y', 'p1.png': '1', 'p2.png': '2' };
  const read = async (path: string) => {
    if (!(path in bytes)) throw Object.assign(new Error('gone'), { code: 'ENOENT' });
    return new TextEncoder().encode(bytes[path]) as Uint8Array<ArrayBuffer>;
  };
  const files = await readFileFlags(['data=@a.csv', 'pics=@p1.png', 'pics=p2.png'], read);
  const data = files.data as File;
  assert.deepEqual([data.name, data.type, await data.text()], ['a.csv', 'text/csv', 'x,y']);
  assert.deepEqual(await Promise.all((files.pics as File[]).map((f) => f.text())), ['1', '2']);
  await assert.rejects(readFileFlags(['doc=@nope.txt'], read), /cannot read the --file doc file nope\.txt: no such file/);
  assert.equal(fileType('X.JPEG'), 'image/jpeg');
  assert.equal(fileType('blob.bin'), 'application/octet-stream');
});

const schema = {
  type: 'object',
  properties: { title: { type: 'string', minLength: 2 }, doc: { type: 'string', format: 'binary', contentEncoding: 'binary', maxLength: 10 } },
  required: ['title', 'doc'],
};

test('a file field is a --file in help and errors, not a value flag', () => {
  const asValue = buildInput([{ name: 'title', value: 'ok' }, { name: 'doc', value: 'x.txt' }], schema);
  assert.deepEqual(asValue.problems, ['--doc is a file: send it with --file doc=@path']);
  const missing = buildInput([{ name: 'title', value: 'ok' }], schema);
  assert.deepEqual(missing.problems, ['--file doc=@path is required']);
  const given = buildInput([{ name: 'title', value: 'ok' }], schema, { doc: new File(['x'], 'x.txt') });
  assert.deepEqual(given.problems, []);
});

test('the schema check before sending leaves files to the server, and still checks the rest', async () => {
  const doc = new File(['far more than ten bytes'], 'x.txt');
  assert.deepEqual(await schemaProblems(schema, { title: 'ok', doc }), []);
  assert.deepEqual(await schemaProblems(schema, { title: 'o', doc }), ['--title must be at least 2 characters long']);
});
