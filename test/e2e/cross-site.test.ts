// Issue 12 item 1 in real Chromium: a page on another site tries to start an action on a
// token-less pkt serve. Browsers send no Origin on a `no-cors` GET and let a page set
// `Accept: text/event-stream`, so before the fix the run started (and ORB hid the answer).
// The attacker page lives on http://127.0.0.1:<port>; pkt is addressed as http://localhost:<port>,
// another site. A control run with `--cors '*'` shows the same page does reach the action.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { defineAction, startServer, type PktServer } from '../../src/server/index.js';

const CHROMIUM = '/usr/bin/chromium';
const noChromium = !existsSync(CHROMIUM);
const skip = noChromium && process.env.CI !== 'true' ? `${CHROMIUM} is missing (apt-get install chromium)` : false;

const runs: string[] = [];
const probe = defineAction({
  call: (input: unknown) => {
    runs.push(`call ${JSON.stringify(input)}`);
    return 'ran';
  },
  async streamProgress(input: unknown, stream) {
    runs.push(`stream ${JSON.stringify(input)}`);
    await stream.sendComplete('ran');
  },
});

/** What the attacker page does: every way a page can send a simple request without CORS. */
function attackerPage(target: string): string {
  const input = encodeURIComponent(JSON.stringify({ by: 'attacker' }));
  return `<!doctype html><meta charset="utf-8"><title>attacker</title>
<form id="form" method="POST" action="${target}/_piko/actions/x.probe" enctype="text/plain" target="sink"><input name="a" value="b"></form>
<iframe name="sink"></iframe>
<script>
(async () => {
  const results = [];
  const attempts = [
    () => fetch('${target}/_piko/actions/x.probe?input=${input}', { mode: 'no-cors', headers: { Accept: 'text/event-stream' } }),
    () => fetch('${target}/_piko/actions/x.probe', { method: 'POST', mode: 'no-cors', headers: { Accept: 'text/event-stream' } }),
    () => fetch('${target}/_piko/actions/x.probe', { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: '{}' }),
  ];
  for (const attempt of attempts) {
    try { const r = await attempt(); results.push(r.type); } catch (e) { results.push('failed: ' + e.message); }
  }
  document.getElementById('form').submit();
  window.attackResults = results;
})();
</script>`;
}

function serveAttacker(target: string): Promise<Server> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(attackerPage(target));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let browser: Browser;

describe('a cross-site page cannot start actions', { skip, timeout: 120_000 }, () => {
  before(async () => {
    if (noChromium) throw new Error(`${CHROMIUM} is missing; CI must install it (apt-get install -y chromium).`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  after(async () => {
    await browser?.close();
  });

  async function attack(cors: string[] | undefined): Promise<{ runs: string[]; results: string[] }> {
    runs.length = 0;
    const pkt: PktServer = await startServer({ port: 0, actions: { 'x.probe': probe }, ...(cors ? { cors } : {}) });
    const attacker = await serveAttacker(`http://localhost:${pkt.port}`);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // The form's answer lands in the iframe; wait for it, and for the three fetches.
      const formAnswered = page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document', { timeout: 20_000 });
      await page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
      await page.waitForFunction(() => (window as unknown as { attackResults?: string[] }).attackResults !== undefined, undefined, { timeout: 20_000 });
      await formAnswered;
      const results = await page.evaluate(() => (window as unknown as { attackResults: string[] }).attackResults);
      return { runs: [...runs], results };
    } finally {
      await context.close();
      await new Promise((resolve) => attacker.close(resolve));
      await pkt.close();
    }
  }

  test('no run starts, whatever the page tries', async () => {
    const { runs: started, results } = await attack(undefined);
    assert.deepEqual(started, []);
    // Each request got an answer (opaque, as no-cors answers are): they reached the server.
    assert.deepEqual(results, ['opaque', 'opaque', 'opaque']);
  });

  test("control: with --cors '*' the same page does reach the action", async () => {
    const { runs: started } = await attack(['*']);
    assert.ok(started.length >= 1, 'the attack reaches the server');
  });
});
