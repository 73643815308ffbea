// The page through the real server: what `pkt serve` answers at / once `npm run build` has run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { PAGE_FILES } from '../../../src/protocol/index.js';
import { startServer, type PktServer } from '../../../src/server/index.js';

const builtPage = fileURLToPath(new URL('../../../dist/web/index.html', import.meta.url));
let server: PktServer;

before(async () => {
  if (!existsSync(builtPage)) throw new Error(`${builtPage} is missing: run \`npm run build\` first (\`npm test\` does).`);
  server = await startServer({ port: 0, host: '127.0.0.1' });
});
after(() => server?.close());

// A raw request, so `..` reaches the server as written.
function send(method: string, path: string): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('GET / is the page, and its script and styles load from the URLs it names', async () => {
  const page = await send('GET', '/');
  assert.equal(page.status, 200);
  assert.equal(page.type, 'text/html; charset=utf-8');
  const script = /<script type="module" src="([^"]+)"/.exec(page.body)?.[1];
  const styles = /<link rel="stylesheet" href="([^"]+)"/.exec(page.body)?.[1];
  assert.ok(script && styles, 'the page names its script and styles');
  assert.equal((await send('GET', `/${script}`)).type, 'text/javascript; charset=utf-8');
  assert.equal((await send('GET', `/${styles}`)).type, 'text/css; charset=utf-8');
});

test('the build makes the files protocol/page.ts names, and the page links to them by those names', async () => {
  for (const name of Object.values(PAGE_FILES)) {
    assert.ok(existsSync(fileURLToPath(new URL(`../../../dist/web/${name}`, import.meta.url))), `dist/web/${name}`);
  }
  const page = await send('GET', '/');
  assert.match(page.body, new RegExp(`<script type="module" src="${PAGE_FILES.script}\\?v=`));
  assert.match(page.body, new RegExp(`<link rel="stylesheet" href="${PAGE_FILES.style}\\?v=`));
});

test('the page names the server\'s base path, for its client to call', async () => {
  const page = await send('GET', '/');
  assert.match(page.body, /<meta name="pkt-base-path" content="\/_piko\/actions">/);
});

test('HEAD / answers without a body', async () => {
  const head = await send('HEAD', '/');
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
});

test('paths out of dist/web are refused', async () => {
  for (const path of ['/../package.json', '/%2e%2e/package.json', '/../../etc/passwd', '//package.json']) {
    const res = await send('GET', path);
    assert.equal(res.status, 404, path);
    assert.doesNotMatch(res.body, /"name":\s*"pkt"|root:/, path);
  }
});
