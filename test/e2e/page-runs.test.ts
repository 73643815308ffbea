// The page's runs panel and its way back to a run after a dropped connection, in real headless
// Chromium against a real server: runs started elsewhere show up and can be attached to by a
// click; a cut connection shows "reconnecting…" and the run still ends with every event once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { createClient } from '../../src/client/index.js';
import { startServer, type PktServer } from '../../src/server/index.js';
import {
  fill,
  launchChromium,
  spawnPkt,
  logLines,
  openPage,
  resultOf,
  screenshot,
  skipWithoutChromium as skip,
  waitForManifest,
  waitForState,
  waitUntil,
  WAIT,
} from '../helpers/browser.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

let browser: Browser;
let server: PktServer;

const steps = (n: number, name: string) =>
  Array.from({ length: n }, (_, i) => `[progress] Step ${i + 1}/${n} – Processing ${name}: step ${i + 1} of ${n}`);

describe('the runs panel and reconnecting, in headless Chromium', { skip, timeout: 120_000 }, () => {
  before(async () => {
    browser = await launchChromium();
    server = await startServer({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a run started by `pkt run --detach --url` is listed live with its percent; a click attaches: its history, then live', async (t) => {
    const runId = await pktRunDetached(server.url, ['--name', 'away', '--steps', '30', '--delayMs', '100']);
    const page = await openPage(browser, t, server.url);
    const row = page.locator(`#runs button[data-run-id="${runId}"]`);
    // Some of it is history by the time the panel shows a percent past 10%.
    await waitUntil('the detached run listed live at 10% or more', async () => {
      const state = (await row.count()) > 0 ? await row.locator('.run-state').textContent() : '';
      return Number(/^live · (\d+)%$/.exec(state ?? '')?.[1] ?? -1) >= 10;
    });
    assert.match((await row.textContent())!, /task\.process/);
    assert.ok(await liveRunsComeFirst(page), 'live runs are listed before ended ones');
    await screenshot(page, 'page-runs.png');

    await row.click();
    await waitForState(page, 'running');
    assert.match((await page.textContent('#status'))!, new RegExp(`task\\.process, run ${runId.slice(0, 8)}`));
    assert.equal(await row.getAttribute('aria-current'), 'true');
    await waitForState(page, 'complete');
    assert.deepEqual(await logLines(page), steps(30, 'away'), 'every event once, in order: the history, then the live ones');
    assert.deepEqual(await resultOf(page), { status: 'done', taskName: 'away' });
    assert.equal(await page.getAttribute('#bar', 'aria-valuenow'), '100');
    await waitUntil('the run listed as completed', async () => (await row.getAttribute('data-state')) === 'completed');
  });

  test('from the keyboard: a row keeps focus while the list refreshes, Enter attaches, Cancel cancels it on the server', async (t) => {
    const runId = await pktRunDetached(server.url, ['--name', 'stop-me', '--steps', '1000', '--delayMs', '50']);
    const page = await openPage(browser, t, server.url);
    const row = page.locator(`#runs button[data-run-id="${runId}"]`);
    await row.focus(WAIT);
    // The poll redraws the rows; the focused run keeps the focus.
    await page.evaluate(() => {
      const w = window as unknown as { redraws: number };
      w.redraws = 0;
      new MutationObserver(() => w.redraws++).observe(document.getElementById('runs')!, { childList: true });
    });
    await page.waitForFunction(() => (window as unknown as { redraws: number }).redraws >= 2, undefined, WAIT);
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.runId), runId);
    await page.keyboard.press('Enter');
    await page.locator('#log li').first().waitFor(WAIT);
    await page.click('#cancel');
    await waitForState(page, 'cancelled');
    const run = await createClient({ baseUrl: server.url }).run(runId);
    assert.equal(run.state, 'cancelled', 'cancelled on the server, not only on the page');
    await waitUntil('the run listed as cancelled', async () => (await row.getAttribute('data-state')) === 'cancelled');
  });

  test('a dropped connection: "reconnecting…", then the run ends with every event exactly once', async (t) => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: server.port });
    t.after(() => proxy.close());
    const page = await openPage(browser, t, `${proxy.url}/`);
    await waitForManifest(page);
    await fill(page, { name: 'dropped', steps: '20', delayMs: '100' });
    await page.click('#start');
    await waitUntil('a few events before the cut', async () => (await page.locator('#log li').count()) >= 3);

    // Every connection drops, and new ones wait: the page is seen while it is reconnecting.
    proxy.hold();
    proxy.cut();
    await waitForState(page, 'reconnecting');
    assert.match((await page.textContent('#status'))!, /^\s*reconnecting… — .*re-attaching to the run/);
    await screenshot(page, 'page-reconnecting.png');
    proxy.release();

    await waitForState(page, 'complete');
    assert.deepEqual(await logLines(page), steps(20, 'dropped'));
    assert.deepEqual(await resultOf(page), { status: 'done', taskName: 'dropped' });
    const posts = proxy.requests.filter((line) => line.startsWith('POST '));
    assert.deepEqual(posts, ['POST /_piko/actions/task.process'], 'the run was started once: re-attaching never re-POSTs');
    assert.ok(proxy.requests.some((line) => /^GET \/_piko\/actions\/runs\/[\w-]+/.test(line)), proxy.requests.join('\n'));
  });
});

/** Every live row comes before every ended one. */
async function liveRunsComeFirst(page: Page): Promise<boolean> {
  const states = await page.locator('#runs button').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.state));
  const firstEnded = states.findIndex((s) => s !== 'live');
  return firstEnded === -1 || states.slice(firstEnded).every((s) => s !== 'live');
}

/**
 * `pkt run task.process ... --detach --url`, stopped (Ctrl-C) as soon as it has said the run's
 * id: the run goes on on the server with nobody watching.
 */
async function pktRunDetached(url: string, args: string[]): Promise<string> {
  const child = spawnPkt(['run', 'task.process', ...args, '--detach', '--url', url]);
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  child.stdout.resume();
  let runId: string | undefined;
  await waitUntil('pkt run --detach saying the run id', () => {
    runId = /^pkt: run (\S+) is detached: it goes on if pkt stops; follow it with `pkt attach \1 --url /m.exec(err)?.[1];
    return runId !== undefined;
  });
  child.kill('SIGINT');
  await exited;
  return runId!;
}
