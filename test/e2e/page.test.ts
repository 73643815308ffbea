// The progress tracker page in real headless Chromium, against a real server on a loopback port.
// Every wait is a poll with a deadline (waitForFunction / waitFor); nothing asserts on time.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startServer, type PktServer } from '../../src/server/index.js';
import { pageUrl } from '../../src/protocol/index.js';
import {
  chooseAction,
  fill,
  launchChromium,
  openPage as openPageIn,
  screenshot,
  skipWithoutChromium as skip,
  startPktServe,
  waitForManifest,
  waitForState,
  waitUntil,
  WAIT,
  type TestContext,
} from '../helpers/browser.js';

let tmp: string;
let browser: Browser;
let server: PktServer;

describe('the progress tracker page in headless Chromium', { skip, timeout: 120_000 }, () => {
  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'pkt-page-'));
    await writeProbeAction(tmp);
    server = await startServer({ port: 0, host: '127.0.0.1', actionsDirs: [join(tmp, 'actions')] });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  test('Start streams into the bar and the log, then shows complete and the result', async (t) => {
    const page = await openPage(t);
    await recordPercents(page);
    // Events 250 ms apart arrive one by one, so each percent is drawn before the next.
    await fill(page, { name: 'first', steps: '5', delayMs: '250' });
    await page.click('#start');
    await waitForState(page, 'complete');

    const percents = await page.evaluate(() => (window as unknown as { percents: string[] }).percents);
    const before100 = new Set(percents.filter((p) => p !== '100' && p !== '0'));
    assert.ok(before100.size >= 3, `at least 3 percent values before 100%, saw ${JSON.stringify(percents)}`);
    assert.equal(percents.at(-1), '100');
    assert.equal(await page.textContent('#percent'), '100%');

    const lines = await page.locator('#log li').allTextContents();
    assert.equal(lines.length, 5, lines.join('\n'));
    assert.match(lines[1]!, /^\[progress\] Step 2\/5 – \S/);
    assert.match((await page.textContent('#status'))!, /^\s*complete\b/);
    assert.deepEqual(JSON.parse((await page.textContent('#result'))!), { status: 'done', taskName: 'first' });

    const bar = page.getByRole('progressbar', { name: 'Progress' });
    assert.equal(await bar.getAttribute('aria-valuenow'), '100');
    assert.equal(await page.getAttribute('#log', 'aria-live'), 'polite');

    await screenshot(page, 'page.png');
  });

  test('an invalid input shows the server’s message next to its field', async (t) => {
    const page = await openPage(t);
    await fill(page, { name: '', steps: '0' });
    await page.click('#start');
    await waitForState(page, 'error');
    await page.locator('#field-name-error').waitFor({ state: 'visible', ...WAIT });
    assert.notEqual((await page.textContent('#field-name-error'))!.trim(), '');
    assert.notEqual((await page.textContent('#field-steps-error'))!.trim(), '');
    assert.equal(await page.getAttribute('#field-name', 'aria-invalid'), 'true');
    assert.equal(await page.getAttribute('#field-delayMs', 'aria-invalid'), null);
    assert.match((await page.textContent('#status'))!, /INVALID_INPUT/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'field-name', 'focus goes to the first field to fix');
  });

  test('a failed action shows in the status line', async (t) => {
    const page = await openPage(t);
    await chooseAction(page, 'demo.fail');
    await fill(page, { delayMs: '20' });
    await page.click('#start');
    await waitForState(page, 'error');
    assert.match((await page.textContent('#status'))!, /INTERNAL/);
    assert.equal(await page.locator('#log li').count(), 3, 'the events before the failure stay in the log');
    assert.equal(JSON.parse((await page.textContent('#result'))!).code, 'INTERNAL');
  });

  test('Cancel stops the run on the page and on the server', async (t) => {
    const page = await openPage(t);
    const name = `cancel-${process.pid}`;
    await startProbe(page, name);
    await page.click('#cancel');
    await waitForState(page, 'cancelled');
    assert.match(await waitForRecord(name), /abort/i);
    assert.equal(await page.isDisabled('#cancel'), true);
    assert.equal(await page.isEnabled('#start'), true);
  });

  test('reloading mid-run cancels the run on the server', async (t) => {
    const page = await openPage(t);
    const name = `reload-${process.pid}`;
    await startProbe(page, name);
    await page.reload();
    assert.match(await waitForRecord(name), /abort/i);
    await waitForState(page, 'idle');
  });

  test('no streaming makes the plain call: no events, the call’s own result', async (t) => {
    const page = await openPage(t);
    await fill(page, { name: 'plain', steps: '3', delayMs: '10' });
    await page.check('#no-stream');
    await page.click('#start');
    await waitForState(page, 'complete');
    assert.equal(await page.locator('#log li').count(), 0);
    assert.deepEqual(JSON.parse((await page.textContent('#result'))!), { taskName: 'plain', status: 'completed' });
    assert.equal(await page.getAttribute('#bar', 'aria-valuenow'), '100');
  });

  test('two pages run their own actions at the same time', async (t) => {
    const [a, b] = [await openPage(t), await openPage(t)];
    const names = [`left-${process.pid}`, `right-${process.pid}`] as const;
    // probe.ticks streams until it is cancelled, so neither run can end before both are seen.
    for (const [page, name] of [[a, names[0]], [b, names[1]]] as const) await startProbe(page, name, 'probe.ticks');

    // Running at the same moment: A running, then B running, then A still running. A run that
    // ended does not start again by itself, so A was running at the moment B was seen.
    await waitUntil('both pages running with events', async () => {
      const [first, second, again] = [await progressOf(a), await progressOf(b), await progressOf(a)];
      return [first, second, again].every((p) => p.state === 'running' && p.lines > 0);
    });
    // And both streams keep moving while the other one does.
    const [la, lb] = [(await progressOf(a)).lines, (await progressOf(b)).lines];
    await waitUntil('new events on both pages', async () => (await progressOf(a)).lines > la && (await progressOf(b)).lines > lb);
    assert.equal((await progressOf(a)).state, 'running');
    assert.equal((await progressOf(b)).state, 'running');

    for (const page of [a, b]) await page.click('#cancel');
    for (const page of [a, b]) await waitForState(page, 'cancelled');
    for (const name of names) assert.match(await waitForRecord(name), /abort/i);
  });

  test('works from the keyboard alone: focus order, visible focus, Enter submits', async (t) => {
    const page = await openPage(t);
    await waitForManifest(page);
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => document.activeElement?.id ?? ''));
    }
    assert.deepEqual(order, ['action', 'field-name', 'field-steps', 'field-delayMs', 'no-stream', 'start']);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    assert.notEqual(outline, 'none', 'the focused button shows its focus');

    await page.focus('#field-name');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('keys');
    await page.keyboard.press('Enter');
    await waitForState(page, 'complete');
    assert.deepEqual(JSON.parse((await page.textContent('#result'))!), { status: 'done', taskName: 'keys' });

    // Start from the button: focus moves to Cancel while the run goes, and back when it stops.
    await fill(page, { steps: '100', delayMs: '200' });
    await page.focus('#start');
    await page.keyboard.press('Enter');
    await page.locator('#log li').first().waitFor(WAIT);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'cancel');
    await page.keyboard.press('Enter');
    await waitForState(page, 'cancelled');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'start');
  });

  describe('under another base path (pkt serve --base-path)', () => {
    let elsewhere: PktServer;

    before(async () => {
      elsewhere = await startServer({ port: 0, host: '127.0.0.1', basePath: '/api/actions' });
    });
    after(() => elsewhere?.close());

    test('the page calls the actions where the server keeps them', async (t) => {
      const page = await openPage(t, `${elsewhere.url}/`);
      const paths: string[] = [];
      page.on('request', (req) => paths.push(new URL(req.url()).pathname));
      await waitForManifest(page);
      await runToComplete(page, 'based');
      assert.ok(paths.includes('/api/actions/task.process'), paths.join(' '));
      assert.ok(!paths.some((p) => p.startsWith('/_piko/')), paths.join(' '));
    });
  });

  describe('with a token (pkt serve --token)', () => {
    // Characters that need encoding, so the URL round trip is tested too.
    const TOKEN = 's3cret+/&=tok';
    let guarded: PktServer;

    before(async () => {
      guarded = await startServer({ port: 0, host: '127.0.0.1', token: TOKEN });
    });
    after(() => guarded?.close());

    test('the printed URL works: the token comes from the fragment and leaves the address bar', async (t) => {
      const page = await openPage(t, pageUrl(guarded.url, TOKEN));
      const urls: string[] = [];
      page.on('request', (req) => urls.push(req.url()));
      await waitForManifest(page);
      assert.equal(await page.evaluate(() => location.href), `${guarded.url}/`, 'no token left in the address bar');
      await runToComplete(page, 'guarded');

      // A reload in the same tab keeps working: the tab kept the token, the URL still has none.
      await page.reload();
      await waitForManifest(page);
      await runToComplete(page, 'reloaded');
      assert.equal(await page.evaluate(() => location.href), `${guarded.url}/`);
      for (const url of urls) assert.ok(!url.includes('s3cret'), `the token went out in a URL: ${url}`);
    });

    test('without the token, the status line says to open the URL pkt serve printed; opening it works', async (t) => {
      const page = await openPage(t, `${guarded.url}/`);
      await waitForState(page, 'error');
      const status = (await page.textContent('#status'))!;
      assert.match(status, /needs a token: open the page at the URL that pkt serve printed/);
      assert.match(status, /UNAUTHORIZED, HTTP 401/);
      assert.match((await page.textContent('#action-description'))!, /no token, see the status line/);
      // Without a manifest the fields are unknown: the whole input is typed as JSON.
      assert.equal(await page.getByLabel('Input (JSON)').getAttribute('id'), 'field-input-json');
      await page.locator('#runs-status', { hasText: 'no token, see the status line' }).waitFor(WAIT);
      await screenshot(page, 'page-no-token.png');
      await page.click('#start');
      await page.locator('#result.is-error').waitFor(WAIT);
      assert.match((await page.textContent('#status'))!, /URL that pkt serve printed/, 'Start says the same');

      // Pasting the printed URL into this tab changes only the fragment; the page starts over.
      await page.goto(pageUrl(guarded.url, TOKEN));
      await waitForManifest(page);
      await runToComplete(page, 'pasted');
    });

    test('a wrong token says the server refused it', async (t) => {
      const page = await openPage(t, pageUrl(guarded.url, 'wrong'));
      await waitForState(page, 'error');
      assert.match((await page.textContent('#status'))!, /refused this page’s token: open the page again at the URL that pkt serve printed/);
    });

    test('`pkt serve --token` prints the page URL with the token, and that URL works', async (t) => {
      const printed = await startPktServe(t, ['--token', TOKEN]);
      assert.equal(printed.page, pageUrl(printed.url, TOKEN));
      assert.match(printed.page, /\/#token=s3cret%2B%2F%26%3Dtok$/);
      const page = await openPage(t, printed.page);
      await waitForManifest(page);
      await runToComplete(page, 'printed');
    });
  });
});

function openPage(t: TestContext, url = server.url): Promise<Page> {
  return openPageIn(browser, t, url);
}

async function runToComplete(page: Page, name: string): Promise<void> {
  await fill(page, { name, steps: '3', delayMs: '10' });
  await page.click('#start');
  await waitForState(page, 'complete');
  assert.deepEqual(JSON.parse((await page.textContent('#result'))!), { status: 'done', taskName: name });
}

async function progressOf(page: Page): Promise<{ state: string; lines: number }> {
  return page.evaluate(() => ({
    state: document.getElementById('status')?.dataset.state ?? '',
    lines: document.querySelectorAll('#log li').length,
  }));
}

/** Keeps every aria-valuenow the bar takes, in order, in `window.percents`. */
async function recordPercents(page: Page): Promise<void> {
  await page.evaluate(() => {
    const bar = document.getElementById('bar')!;
    const seen: string[] = [];
    (window as unknown as { percents: string[] }).percents = seen;
    new MutationObserver(() => {
      const now = bar.getAttribute('aria-valuenow');
      if (now !== null && now !== seen.at(-1)) seen.push(now);
    }).observe(bar, { attributes: true, attributeFilter: ['aria-valuenow'] });
  });
}

/** Starts a probe action and waits until its first event shows: the run is live on the server. */
async function startProbe(page: Page, name: string, action = 'probe.wait'): Promise<void> {
  await chooseAction(page, action);
  // The probes declare no input schema: the page offers one JSON box for the whole input.
  await page.fill('#field-input-json', JSON.stringify({ name }));
  await page.click('#start');
  await waitForState(page, 'running');
  await page.locator('#log li').first().waitFor(WAIT);
}

/** Polls for the file a probe action writes when its signal aborts. */
async function waitForRecord(name: string): Promise<string> {
  const file = join(tmp, 'records', `${name}.aborted`);
  const deadline = Date.now() + WAIT.timeout;
  while (!existsSync(file)) {
    assert.ok(Date.now() < deadline, `the server-side run "${name}" never saw its signal abort`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return readFile(file, 'utf8');
}

/**
 * Actions that run until they are cancelled and then write down that their signal aborted:
 * what the server's action saw, read from outside the page. probe.wait sends one event and
 * waits; probe.ticks sends an event every 50 ms. Both stop by themselves after 60 s at most.
 */
async function writeProbeAction(dir: string): Promise<void> {
  await mkdir(join(dir, 'actions', 'probe'), { recursive: true });
  await mkdir(join(dir, 'records'));
  const defineAction = new URL('../../src/server/define-action.js', import.meta.url).href;
  const records = join(dir, 'records');
  const probe = (description: string, tickMs: number) => `import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineAction } from ${JSON.stringify(defineAction)};

export default defineAction({
  description: ${JSON.stringify(description)},
  call: () => ({ waited: false }),
  async streamProgress(input, stream) {
    const name = String((input as { name?: unknown }).name);
    const tickMs = ${tickMs};
    const until = Date.now() + 60_000;
    let step = 0;
    await stream.send('progress', { step: ++step, total: 10_000, message: 'waiting to be cancelled' });
    while (!stream.signal.aborted && Date.now() < until) {
      await new Promise<void>((resolve) => {
        // One listener at a time: a listener left behind by each tick would pile up.
        const done = () => { clearTimeout(timer); stream.signal.removeEventListener('abort', done); resolve(); };
        const timer = setTimeout(done, tickMs > 0 ? tickMs : until - Date.now());
        stream.signal.addEventListener('abort', done, { once: true });
      });
      if (tickMs > 0 && !stream.signal.aborted) await stream.send('progress', { step: ++step, total: 10_000, message: 'tick' });
    }
    if (stream.signal.aborted) {
      writeFileSync(join(${JSON.stringify(records)}, name + '.aborted'), 'signal abort: ' + String(stream.signal.reason));
    }
  },
});
`;
  await writeFile(join(dir, 'actions', 'probe', 'wait.ts'), probe('Waits to be cancelled (60 s at most), then records that its signal aborted.', 0));
  await writeFile(join(dir, 'actions', 'probe', 'ticks.ts'), probe('Sends an event every 50 ms until cancelled (60 s at most), then records that its signal aborted.', 50));
}
