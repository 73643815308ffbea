// The base path handed from the server to the page in a <meta> tag: written and escaped here,
// and read back by the page's own half (src/web/base-path.ts), since the two make one contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withBasePath } from '../../../src/server/page/base-path-meta.js';
import { readBasePath } from '../../../src/web/base-path.js';
import { docOf } from '../../web/fake-document.js';

const page = '<head><meta charset="utf-8"><meta name="pkt-base-path" content="/_piko/actions"></head><body></body>';

test('the tag is rewritten to the server\'s base path', () => {
  const html = withBasePath(page, '/api/actions');
  assert.match(html, /<meta name="pkt-base-path" content="\/api\/actions">/);
  assert.doesNotMatch(html, /_piko/);
  assert.equal(readBasePath(docOf(html)), '/api/actions');
});

test('a page without the tag gets one in its head', () => {
  const html = withBasePath('<head><title>x</title></head><body></body>', '/x');
  assert.match(html, /<meta name="pkt-base-path" content="\/x">\n<\/head>/);
});

test('a base path cannot break out of the attribute', () => {
  const evil = '/a"><script>alert(1)</script>&';
  const html = withBasePath(page, evil);
  assert.doesNotMatch(html, /<script>/);
  assert.equal(readBasePath(docOf(html)), evil);
});
