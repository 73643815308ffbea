// The page's form, built from each action's input schema, in real headless Chromium against
// the real `pkt serve --actions` (a fixture action with a field of every kind).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  chooseAction,
  fill,
  launchChromium,
  logLines,
  openPage,
  REPO,
  resultOf,
  screenshot,
  skipWithoutChromium as skip,
  startPktServe,
  waitForManifest,
  waitForState,
  WAIT,
  type TestContext,
} from '../helpers/browser.js';

const FIXTURE_ACTIONS = join(REPO, 'test', 'e2e', 'fixtures', 'page-actions');

let browser: Browser;

describe('the page’s form, from each action’s input schema', { skip, timeout: 120_000 }, () => {
  let url: string;

  // `pkt serve` lives as long as this suite: its stop runs in the suite's `after`.
  const stops: Array<() => Promise<void> | void> = [];
  before(async () => {
    browser = await launchChromium();
    ({ url } = await startPktServe({ after: (stop) => void stops.push(stop) }, ['--actions', FIXTURE_ACTIONS]));
  });
  after(async () => {
    await browser?.close();
    for (const stop of stops) await stop();
  });

  async function open(t: TestContext): Promise<Page> {
    const page = await openPage(browser, t, `${url}/`);
    await waitForManifest(page);
    return page;
  }

  test('demo.firehose: its own fields, defaults filled in, and a run with them', async (t) => {
    const page = await open(t);
    await chooseAction(page, 'demo.firehose');
    assert.equal(await page.inputValue('#field-count'), '100000', 'the default is the value');
    assert.equal(await page.getAttribute('#field-count', 'min'), '1');
    assert.equal(await page.getAttribute('#field-count', 'type'), 'number');
    assert.equal(await page.inputValue('#field-size'), '', 'no default: empty, so nothing is sent');
    assert.equal(await page.locator('#field-name').count(), 0, 'task.process’s fields are gone');
    assert.match((await page.textContent('#field-count-hint'))!, /how many events to send · 1 to 100,000,000 · default 100000/);
    assert.equal(await page.getByLabel('count').getAttribute('id'), 'field-count', 'the label names its control');

    await fill(page, { count: '40' });
    await page.click('#start');
    await waitForState(page, 'complete');
    assert.deepEqual(await resultOf(page), { status: 'done', count: 40 });
    assert.equal((await logLines(page)).length, 40);
  });

  test('demo.fail: its fields reach the action', async (t) => {
    const page = await open(t);
    await chooseAction(page, 'demo.fail');
    assert.equal(await page.inputValue('#field-after'), '3');
    assert.equal(await page.inputValue('#field-delayMs'), '100');
    await fill(page, { after: '2', delayMs: '5' });
    await page.click('#start');
    await waitForState(page, 'error');
    assert.equal((await logLines(page)).length, 2, 'after=2 was sent: two events, then the failure');
    assert.match((await page.textContent('#status'))!, /INTERNAL/);
  });

  test('a user’s own action: every kind of field can be entered and arrives with its type', async (t) => {
    const page = await open(t);
    await chooseAction(page, 'report.make');
    // Each control is the one its JSON type asks for, named by its label.
    const kinds = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('#fields [id^="field-"]:is(input, select, textarea)')].map((el) => [
        el.id,
        el instanceof HTMLInputElement ? el.type : el.tagName.toLowerCase(),
        (el as HTMLInputElement).labels?.[0]?.textContent ?? '',
      ]),
    );
    assert.deepEqual(kinds, [
      ['field-title', 'text', 'title'],
      ['field-copies', 'number', 'copies required'],
      ['field-ratio', 'number', 'ratio'],
      ['field-loud', 'checkbox', 'loud'],
      ['field-format', 'select', 'format'],
      ['field-tags', 'textarea', 'tags'],
      ['field-options', 'textarea', 'options'],
    ]);
    assert.equal(await page.inputValue('#field-title'), 'report');
    assert.equal(await page.getAttribute('#field-copies', 'aria-required'), 'true');
    assert.equal(await page.getAttribute('#field-copies', 'aria-describedby'), 'field-copies-hint field-copies-error');
    assert.equal(await page.getAttribute('#field-copies', 'step'), '1');
    assert.equal(await page.getAttribute('#field-ratio', 'step'), 'any');
    assert.equal(await page.isChecked('#field-loud'), false);
    assert.equal(await page.locator('#field-format option:checked').textContent(), 'html', 'the default is chosen');
    assert.match((await page.textContent('#field-tags-hint'))!, /labels for the report · a JSON list/);

    // JSON that does not parse is the page's own error, by its field; nothing is sent.
    await fill(page, { copies: '2', ratio: '0.5', tags: '["a", "b"', options: '{"margin": 2}' });
    await page.check('#field-loud');
    await page.selectOption('#field-format', { label: 'pdf' });
    await page.click('#start');
    await page.locator('#field-tags-error').waitFor({ state: 'visible', ...WAIT });
    assert.match((await page.textContent('#field-tags-error'))!, /^This is not JSON \(.+\)\. Write JSON, such as \["a", "b"\]\.$/);
    assert.equal(await page.getAttribute('#field-tags', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'field-tags');
    assert.equal(await page.locator('#log li').count(), 0);

    // The server's 422 lands by its field too, and focus goes there.
    await fill(page, { tags: '["a", "b"]', copies: '9' });
    await page.click('#start');
    await waitForState(page, 'error');
    await page.locator('#field-copies-error').waitFor({ state: 'visible', ...WAIT });
    assert.match((await page.textContent('#field-copies-error'))!, /5/);
    assert.equal(await page.getAttribute('#field-tags', 'aria-invalid'), null, 'the fixed field is no longer marked');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'field-copies');
    assert.match((await page.textContent('#status'))!, /INVALID_INPUT, HTTP 422/);
    await screenshot(page, 'page-form-422.png');

    await fill(page, { copies: '2' });
    await page.click('#start');
    await waitForState(page, 'complete');
    assert.deepEqual(await resultOf(page), {
      made: { title: 'report', copies: 2, ratio: 0.5, loud: true, format: 'pdf', tags: ['a', 'b'], options: { margin: 2 } },
    });
    assert.deepEqual(await logLines(page), ['[progress] Step 1/2 – copy 1 of report', '[progress] Step 2/2 – copy 2 of report']);
    await screenshot(page, 'page-form.png');
  });

  test('switching actions and back keeps what was typed', async (t) => {
    const page = await open(t);
    await fill(page, { name: 'kept', steps: '7' });
    await chooseAction(page, 'demo.fail');
    await fill(page, { after: '1' });
    await chooseAction(page, 'task.process');
    assert.equal(await page.inputValue('#field-name'), 'kept');
    assert.equal(await page.inputValue('#field-steps'), '7');
    await chooseAction(page, 'demo.fail');
    assert.equal(await page.inputValue('#field-after'), '1');
  });
});
