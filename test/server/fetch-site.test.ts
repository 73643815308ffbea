// Issue 12 item 1 over HTTP: a request that a browser marks as coming from another site
// (Sec-Fetch-Site: cross-site or same-site) runs and cancels nothing unless its origin is
// allowed. Same-origin pages, and clients that are not browsers, are unaffected.
// test/e2e/cross-site.test.ts plays the attacker page in Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineAction } from '../../src/server/index.js';
import { BASE, withServer } from '../helpers/server.js';

function counter() {
  const state = { runs: 0 };
  const action = defineAction({
    call: () => {
      state.runs++;
      return 'ran';
    },
    async streamProgress(_input, stream) {
      state.runs++;
      await stream.sendComplete('ran');
    },
  });
  return { state, action };
}

const input = encodeURIComponent('{}');

test('cross-site and same-site requests without an allowed origin are 403 on every route that runs or cancels', async () => {
  const { state, action } = counter();
  await withServer({ actions: { 'x.count': action } }, async ({ url }) => {
    for (const site of ['cross-site', 'same-site']) {
      const requests: [string, string, Record<string, string>][] = [
        ['GET', `/x.count?input=${input}`, { Accept: 'text/event-stream' }],
        ['POST', '/x.count', { Accept: 'text/event-stream' }],
        ['POST', '/x.count', {}],
        ['GET', '/runs/some-run', { Accept: 'text/event-stream' }],
        ['DELETE', '/runs/some-run', {}],
      ];
      for (const [method, path, headers] of requests) {
        const res = await fetch(`${url}${BASE}${path}`, { method, headers: { ...headers, 'Sec-Fetch-Site': site } });
        const body = await res.json();
        assert.deepEqual([res.status, body.code], [403, 'FORBIDDEN_ORIGIN'], `${site} ${method} ${path}`);
        assert.match(body.message, /--cors/);
      }
    }
    assert.equal(state.runs, 0, 'nothing ran');
    // The manifest runs nothing, and a link to it from another site may open it.
    const manifest = await fetch(`${url}${BASE}`, { headers: { 'Sec-Fetch-Site': 'cross-site' } });
    assert.equal(manifest.status, 200);
    await manifest.arrayBuffer();
  });
});

test('same-origin pages, direct navigation and non-browser clients still run actions', async () => {
  const { state, action } = counter();
  await withServer({ actions: { 'x.count': action } }, async ({ url }) => {
    for (const site of ['same-origin', 'none', undefined]) {
      const headers: Record<string, string> = { Accept: 'text/event-stream' };
      if (site) headers['Sec-Fetch-Site'] = site;
      const res = await fetch(`${url}${BASE}/x.count?input=${input}`, { headers });
      assert.equal(res.status, 200, String(site));
      await res.arrayBuffer();
    }
    assert.equal(state.runs, 3);
  });
});

test('a page of the same host over https (a TLS proxy, an app that mounts pkt) runs actions; another host does not', async () => {
  const { state, action } = counter();
  await withServer({ actions: { 'x.count': action } }, async ({ url }) => {
    const host = new URL(url).host;
    const post = (headers: Record<string, string>) =>
      fetch(`${url}${BASE}/x.count`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' });
    // The Host header is the server's own; the page was served over https by whatever is in front.
    const https = await post({ Origin: `https://${host}`, 'Sec-Fetch-Site': 'same-origin' });
    assert.equal(https.status, 200, await https.clone().text());
    await https.arrayBuffer();
    // A proxy that rewrites Host: the browser's Sec-Fetch-Site still says same-origin.
    const proxied = await post({ Origin: 'https://app.example', 'Sec-Fetch-Site': 'same-origin' });
    assert.equal(proxied.status, 200);
    await proxied.arrayBuffer();
    const other = await post({ Origin: `https://other.${host}`, 'Sec-Fetch-Site': 'same-site' });
    assert.equal(other.status, 403);
    const body = (await other.json()) as { message: string };
    assert.match(body.message, /--cors https:\/\/other\..* \(a mounted handler: cors: \['https:\/\/other\./);
  });
  assert.equal(state.runs, 2);
});

test('an allowed origin passes from another site; without an Origin only --cors * does', async () => {
  const { state, action } = counter();
  await withServer({ actions: { 'x.count': action }, cors: ['https://app.example'] }, async ({ url }) => {
    const allowed = await fetch(`${url}${BASE}/x.count`, {
      method: 'POST',
      headers: { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://app.example' },
    });
    assert.equal(allowed.status, 200);
    await allowed.arrayBuffer();
    // A no-cors GET carries no Origin: the server cannot tell it is app.example's.
    const anonymous = await fetch(`${url}${BASE}/x.count?input=${input}`, { headers: { 'Sec-Fetch-Site': 'cross-site', Accept: 'text/event-stream' } });
    assert.equal(anonymous.status, 403);
    await anonymous.arrayBuffer();
  });
  await withServer({ actions: { 'x.count': action }, cors: ['*'] }, async ({ url }) => {
    const any = await fetch(`${url}${BASE}/x.count?input=${input}`, { headers: { 'Sec-Fetch-Site': 'cross-site', Accept: 'text/event-stream' } });
    assert.equal(any.status, 200);
    await any.arrayBuffer();
  });
  assert.equal(state.runs, 2);
});
