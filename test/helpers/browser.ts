// Helpers for tests of the page in real headless Chromium (playwright-core drives the system's
// /usr/bin/chromium). Every wait is a poll with a deadline; nothing asserts on time.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const WAIT = { timeout: 20_000 };
const builtScript = join(REPO, 'dist', 'web', 'app.js');

const noChromium = !existsSync(CHROMIUM);
/** Without Chromium a developer's run skips; CI must have it, so there the test fails. */
export const skipWithoutChromium = noChromium && process.env.CI !== 'true' ? `${CHROMIUM} is missing (apt-get install chromium)` : false;

export type TestContext = { after(fn: () => Promise<void> | void): void };

export async function launchChromium(): Promise<Browser> {
  if (noChromium) throw new Error(`${CHROMIUM} is missing; CI must install it (apt-get install -y chromium).`);
  if (!existsSync(builtScript)) {
    throw new Error(`${builtScript} is missing: run \`npm run build\` first (\`npm test\` does it for you).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A page in its own browser context; page errors and requests to other origins fail the test. */
export async function openPage(browser: Browser, t: TestContext, url: string): Promise<Page> {
  const origin = new URL(url).origin;
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1100, height: 860 } });
  const page = await context.newPage();
  const errors: Error[] = [];
  const elsewhere: string[] = [];
  page.on('pageerror', (err) => errors.push(err));
  // No CDN, no fonts, no telemetry: the page asks its own server for everything.
  page.on('request', (req) => {
    if (!req.url().startsWith(`${origin}/`) && !req.url().startsWith('data:')) elsewhere.push(req.url());
  });
  t.after(async () => {
    await context.close();
    assert.deepEqual(errors.map(String), [], 'uncaught errors on the page');
    assert.deepEqual(elsewhere, [], 'requests to anywhere but the page’s own server');
  });
  await page.goto(url);
  await page.waitForFunction(() => document.readyState === 'complete', undefined, WAIT);
  return page;
}

/** Fills the form's fields by their input keys: `{ steps: '5' }` types 5 into the steps field. */
export async function fill(page: Page, values: Record<string, string>): Promise<void> {
  for (const [field, value] of Object.entries(values)) await page.fill(`#field-${field}`, value);
}

export function waitForState(page: Page, state: string): Promise<unknown> {
  return page.waitForFunction((s) => document.getElementById('status')?.dataset.state === s, state, WAIT);
}

/** The picker describes the chosen action only once the server's manifest has been read. */
export async function waitForManifest(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getElementById('action-description')?.textContent?.startsWith('Processes'), undefined, WAIT);
}

/** Picks an action once the manifest lists it; its form is built at once. */
export async function chooseAction(page: Page, action: string): Promise<void> {
  await page.locator(`#action option[value="${action}"]`).waitFor({ state: 'attached', ...WAIT });
  await page.selectOption('#action', action);
}

export async function logLines(page: Page): Promise<string[]> {
  return page.locator('#log li').allTextContents();
}

export async function resultOf(page: Page): Promise<unknown> {
  return JSON.parse((await page.textContent('#result'))!);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(join(REPO, 'test-results'), { recursive: true });
  await page.screenshot({ path: join(REPO, 'test-results', name), fullPage: true });
}

/** Polls `check` until it is true; fails with `what` after the deadline. */
export async function waitUntil(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + WAIT.timeout;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, `never saw ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A process of the built CLI (bin/pkt.js), without the test runner's environment. */
export function spawnPkt(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['PKT_TOKEN', 'NODE_OPTIONS', 'NODE_TEST_CONTEXT']) delete env[name];
  return spawn(process.execPath, [join(REPO, 'bin', 'pkt.js'), ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Runs the built `pkt serve` on a free port and reads the lines it prints: the server's URL and
 * the page's. Stopped with SIGTERM when the test ends.
 */
export async function startPktServe(t: TestContext, args: string[]): Promise<{ url: string; page: string }> {
  const child = spawnPkt(['serve', '--port', '0', '--host', '127.0.0.1', ...args]);
  const closed = new Promise((resolve) => child.once('close', resolve));
  t.after(async () => {
    child.kill('SIGTERM');
    await closed;
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  let exited = false;
  void closed.then(() => (exited = true));
  let printed: { url: string; page: string } | undefined;
  await waitUntil('pkt serve printing its URLs', () => {
    assert.ok(!exited, `pkt serve exited: ${err}`);
    const url = /^pkt serving on (\S+)$/m.exec(out)?.[1];
    const page = /^ {2}page +(\S+)$/m.exec(out)?.[1];
    if (url && page) printed = { url, page };
    return printed !== undefined;
  });
  return printed!;
}
