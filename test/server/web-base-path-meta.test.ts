// The base path handed from the server to the page in a <meta> tag: written, escaped, read back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readBasePath, withBasePath } from '../../src/server/web/base-path-meta.js';

const page = '<head><meta charset="utf-8"><meta name="pkt-base-path" content="/_piko/actions"></head><body></body>';

/** Just enough of a Document for readBasePath: the tags are parsed back out of the HTML. */
function docOf(html: string): Pick<Document, 'querySelector'> {
  return {
    querySelector: ((selector: string) => {
      const name = /meta\[name="([^"]+)"\]/.exec(selector)?.[1];
      const content = new RegExp(`<meta name="${name}" content="([^"]*)">`).exec(html)?.[1];
      if (content === undefined) return null;
      const value = content.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      return { getAttribute: (attr: string) => (attr === 'content' ? value : null) };
    }) as Document['querySelector'],
  };
}

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

test('a page without the tag reads as no base path, so the client keeps its default', () => {
  assert.equal(readBasePath(docOf('<head></head>')), undefined);
});
