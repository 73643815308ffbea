// The page reads its actions' base path from the <meta> tag the server wrote into it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readBasePath } from '../../src/web/base-path.js';
import { docOf } from './fake-document.js';

test('the base path is the tag\'s content, unescaped', () => {
  assert.equal(readBasePath(docOf('<head><meta name="pkt-base-path" content="/api/a&amp;b"></head>')), '/api/a&b');
});

test('a page without the tag reads as no base path, so the client keeps its default', () => {
  assert.equal(readBasePath(docOf('<head></head>')), undefined);
});
