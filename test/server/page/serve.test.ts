// The page's file server, against a fixture folder: content types, caching, HEAD, and that
// nothing outside the folder is ever served.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWebHandler, type PageOptions } from '../../../src/server/page/serve.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let tmp: string;
let server: Server;
let port: number;

// Raw requests (not fetch): fetch would normalise `..` and escapes away before sending.
const send = sendTo(() => port);

function sendTo(port: () => number) {
  return (method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: port(), method, path, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
}

async function listen(handler: ReturnType<typeof createWebHandler>, page?: PageOptions): Promise<Server> {
  const s = createServer((req, res) => {
    if (!handler(req, res, page)) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not mine');
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return s;
}

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pkt-web-'));
  const web = join(tmp, 'web');
  await mkdir(web);
  await writeFile(
    join(web, 'index.html'),
    '<head><meta name="pkt-base-path" content="/_piko/actions"><link rel="stylesheet" href="style.css">' +
      '<script type="module" src="./app.js"></script></head><a href="elsewhere.html">x</a>',
  );
  await writeFile(join(web, 'app.js'), 'console.log("app");\n');
  await writeFile(join(web, 'style.css'), 'body { color: red }\n');
  await writeFile(join(tmp, 'secret.txt'), 'outside the web folder');
  await writeFile(join(web, '.hidden'), 'dotfile');
  await symlink(join(tmp, 'secret.txt'), join(web, 'link.txt'));
  server = await listen(createWebHandler({ webDir: web }));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(tmp, { recursive: true, force: true });
});

describe('serving the page', () => {
  test('GET / is the page, never cached without asking, with asset URLs carrying their hash', async () => {
    const res = await send('GET', '/');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.match(String(res.headers['etag']), /^"[\w-]+"$/);
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
    assert.match(res.body, /href="style\.css\?v=[\w-]{16}"/);
    assert.match(res.body, /src="\.\/app\.js\?v=[\w-]{16}"/);
    assert.match(res.body, /href="elsewhere\.html"/, 'a link to a file that does not exist is left alone');
    assert.equal((await send('GET', '/index.html')).body, res.body);
  });

  test('assets have their content type, an ETag, and are immutable only at their hashed URL', async () => {
    const page = (await send('GET', '/')).body;
    const versioned = /src="\.\/(app\.js\?v=[\w-]+)"/.exec(page)![1]!;
    const js = await send('GET', `/${versioned}`);
    assert.equal(js.status, 200);
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(js.headers['x-content-type-options'], 'nosniff');
    assert.equal(js.body, 'console.log("app");\n');

    const bare = await send('GET', '/app.js');
    assert.equal(bare.headers['cache-control'], 'no-cache');
    assert.equal(bare.headers['etag'], js.headers['etag']);
    assert.equal((await send('GET', '/app.js?v=stale')).headers['cache-control'], 'no-cache');

    const css = await send('GET', '/style.css');
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
  });

  test('If-None-Match with the current ETag answers 304 without a body', async () => {
    const first = await send('GET', '/style.css');
    const again = await send('GET', '/style.css', { 'If-None-Match': String(first.headers['etag']) });
    assert.equal(again.status, 304);
    assert.equal(again.body, '');
    const page = await send('GET', '/');
    assert.equal((await send('GET', '/', { 'If-None-Match': String(page.headers['etag']) })).status, 304);
    assert.equal((await send('GET', '/', { 'If-None-Match': '"other"' })).status, 200);
  });

  test('HEAD answers the same headers as GET and no body', async () => {
    const get = await send('GET', '/app.js');
    const head = await send('HEAD', '/app.js');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.equal(head.headers['content-length'], get.headers['content-length']);
    assert.equal(head.headers['content-type'], get.headers['content-type']);
    assert.equal(head.headers['etag'], get.headers['etag']);
  });

  test('other methods on the page get a JSON 405 that names the allowed ones', async () => {
    const res = await send('POST', '/');
    assert.equal(res.status, 405);
    assert.equal(res.headers['allow'], 'GET, HEAD');
    assert.deepEqual(JSON.parse(res.body).code, 'METHOD_NOT_ALLOWED');
  });

  test('a rebuilt file is served fresh without a restart', async () => {
    const before = await send('GET', '/style.css');
    await writeFile(join(tmp, 'web', 'style.css'), 'body { color: blue; }\n');
    const after = await send('GET', '/style.css');
    assert.equal(after.body, 'body { color: blue; }\n');
    assert.notEqual(after.headers['etag'], before.headers['etag']);
  });
});

describe('the actions\' base path, written into the page', () => {
  const metaOf = (html: string) => /<meta name="pkt-base-path" content="([^"]*)">/.exec(html)?.[1];

  test('without options the page names the default base path', async () => {
    assert.equal(metaOf((await send('GET', '/')).body), '/_piko/actions');
  });

  test('the server\'s base path replaces it, normalized and escaped, with its own ETag', async (t) => {
    const web = join(tmp, 'web');
    const sendWith = async (basePath: string) => {
      const s = await listen(createWebHandler({ webDir: web }), { basePath });
      t.after(() => new Promise((resolve) => s.close(resolve)));
      return sendTo(() => (s.address() as AddressInfo).port)('GET', '/');
    };
    const api = await sendWith('/api/actions/');
    assert.equal(metaOf(api.body), '/api/actions');
    assert.notEqual(api.headers['etag'], (await send('GET', '/')).headers['etag'], 'another page, another ETag');
    assert.equal(metaOf((await sendWith('/a"><script>x</script>')).body), '/a&quot;&gt;&lt;script&gt;x&lt;/script&gt;');
  });
});

describe('nothing outside the web folder', () => {
  const attempts = [
    '/../secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '//secret.txt',
    '/web/../secret.txt',
    '/.%2e/secret.txt',
    '/..\\secret.txt',
    '/link.txt',
    '/.hidden',
    '/secret.txt',
    '/index.html/',
    '/app.js%00.html',
    '/nothing-here.js',
  ];
  for (const path of attempts) {
    test(`${path} is left to the server`, async () => {
      const res = await send('GET', path);
      assert.equal(res.status, 404);
      assert.equal(res.body, 'not mine');
    });
  }
});

describe('before a build', () => {
  test('the page and its assets answer a JSON 503 that says to run the build', async (t) => {
    const missing = await listen(createWebHandler({ webDir: join(tmp, 'no-such-dir') }));
    t.after(() => new Promise((resolve) => missing.close(resolve)));
    const { port: missingPort } = missing.address() as AddressInfo;
    const sendMissing = sendTo(() => missingPort);
    for (const path of ['/', '/app.js', '/style.css']) {
      const res = await sendMissing('GET', path);
      assert.equal(res.status, 503, path);
      assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
      const body = JSON.parse(res.body) as { status: number; code: string; message: string };
      assert.equal(body.status, 503);
      assert.equal(body.code, 'NOT_BUILT');
      assert.match(body.message, /npm run build/);
    }
    assert.equal((await sendMissing('GET', '/other.js')).status, 404, 'only the built files are promised');
  });
});
