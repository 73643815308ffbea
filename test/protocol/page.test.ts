// The page URL `pkt serve` prints: with the token in the fragment, which a browser never sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pageUrl } from '../../src/protocol/index.js';

test('without a token the page is at /', () => {
  assert.equal(pageUrl('http://127.0.0.1:7070'), 'http://127.0.0.1:7070/');
  assert.equal(pageUrl('http://127.0.0.1:7070/', ''), 'http://127.0.0.1:7070/');
});

test('with a token it rides in the fragment, encoded', () => {
  assert.equal(pageUrl('http://127.0.0.1:7070', 's3cret'), 'http://127.0.0.1:7070/#token=s3cret');
  assert.equal(pageUrl('http://127.0.0.1:7070', 'a+b&c d'), 'http://127.0.0.1:7070/#token=a%2Bb%26c%20d');
  const url = new URL(pageUrl('http://127.0.0.1:7070', 's3cret'));
  assert.equal(url.search, '', 'nothing in the query: the request line never carries the token');
});
