import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatManifest } from '../../../src/cli/run/list-command.js';

test('a block per action: name, streams or plain, description, then its fields', () => {
  const text = formatManifest({
    version: 1,
    actions: [
      { name: 'a.stream', description: 'streams things', streams: true, input: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] } },
      { name: 'b.plain', description: '', streams: false, input: {} },
    ],
  });
  assert.equal(
    text,
    ['a.stream  streams  streams things', '    --n <integer>  [required]', '', 'b.plain  plain', '    (no declared fields: pass any --field value, or --input JSON)', ''].join('\n'),
  );
});

test('an empty server says so', () => {
  assert.equal(formatManifest({ version: 1, actions: [] }), 'no actions\n');
});
