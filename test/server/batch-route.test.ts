// POST {base}/_batch in Piko's shape (issue 13, §1): every entry runs, each keeps its own
// status, and only a batch that cannot be read is an error of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { ActionError, defineAction } from '../../src/server/index.js';
import { BASE, withServer } from '../helpers/server.js';

const calls: unknown[] = [];
const add = defineAction({
  input: z.object({ a: z.number(), b: z.number() }),
  call: ({ a, b }) => {
    calls.push({ a, b });
    return { sum: a + b };
  },
});
const refuse = defineAction({
  call: () => {
    throw new ActionError(409, 'CONFLICT', 'already there');
  },
});
const actions = { 'math.add': add, 'math.refuse': refuse };

async function batch(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${BASE}/_batch`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

test('each entry answers with its own status, in order, and success says whether all did', () =>
  withServer({ actions }, async ({ url }) => {
    calls.length = 0;
    const r = await batch(url, {
      actions: [
        { name: 'math.add', args: { a: 1, b: 2 } },
        { name: 'math.Add', args: { a: 'x', b: 2 } },
        { name: 'math.addd' },
        { name: 'math.refuse' },
        // Piko's client batch() sends an action's arguments by position.
        { name: 'math.add', args: { 0: { a: 20, b: 22, _captcha_token: 'c' } } },
        { name: 'task.process', args: { name: 'batched' } },
      ],
      _csrf_ephemeral_token: 'eph',
    });
    assert.equal(r.status, 200);
    const results = r.body.results as Array<Record<string, unknown>>;
    assert.deepEqual(results[0], { name: 'math.add', status: 200, data: { sum: 3 } });
    assert.deepEqual([results[1]!.name, results[1]!.status, results[1]!.code], ['math.Add', 422, 'INVALID_INPUT']);
    assert.deepEqual(Object.keys(results[1]!.errors as object), ['a']);
    assert.match(String(results[1]!.error), /a:/);
    assert.deepEqual([results[2]!.status, results[2]!.code], [404, 'UNKNOWN_ACTION']);
    assert.match(String(results[2]!.error), /no action named math\.addd; did you mean math\.add/);
    assert.deepEqual(results[3], { name: 'math.refuse', status: 409, error: 'already there', code: 'CONFLICT' });
    assert.deepEqual(results[4], { name: 'math.add', status: 200, data: { sum: 42 } });
    // A streaming action in a batch gives its plain answer.
    assert.deepEqual(results[5], { name: 'task.process', status: 200, data: { taskName: 'batched', status: 'completed' } });
    assert.equal(r.body.success, false);
    // The entry after a failure still ran: continue all, report failures.
    assert.deepEqual(calls, [{ a: 1, b: 2 }, { a: 20, b: 22 }]);
  }));

test('an empty batch succeeds with no results; one of only good calls is a success', () =>
  withServer({ actions }, async ({ url }) => {
    assert.deepEqual(await batch(url, { actions: [] }), { status: 200, body: { results: [], success: true } });
    const r = await batch(url, { actions: [{ name: 'math.add', args: { a: 1, b: 1 } }] });
    assert.equal(r.body.success, true);
  }));

test('a batch that cannot be read is one error answer: not JSON, no list, over 100, a GET', () =>
  withServer({ actions }, async ({ url }) => {
    const notJson = await batch(url, '{"actions":');
    assert.deepEqual([notJson.status, notJson.body.code], [400, 'BAD_JSON']);
    const noList = await batch(url, { calls: [] });
    assert.deepEqual([noList.status, noList.body.code], [400, 'BAD_JSON']);
    assert.match(String(noList.body.message), /"actions"/);
    const many = await batch(url, { actions: Array.from({ length: 101 }, () => ({ name: 'math.add', args: { a: 1, b: 1 } })) });
    assert.deepEqual([many.status, many.body.code], [400, 'BAD_JSON']);
    assert.match(String(many.body.message), /at most 100/);
    const get = await fetch(`${url}${BASE}/_batch`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
  }));

test('a batch goes through the same guards as a single call: the token', () =>
  withServer({ actions, token: 't0k' }, async ({ url }) => {
    const refused = await batch(url, { actions: [] });
    assert.deepEqual([refused.status, refused.body.code], [401, 'UNAUTHORIZED']);
    const allowed = await batch(url, { actions: [] }, { Authorization: 'Bearer t0k' });
    assert.equal(allowed.status, 200);
  }));

test('an entry whose result JSON cannot carry is that entry’s 500, redacted, and the others still answer', () => {
  const logged: string[] = [];
  const results = {
    'odd.fn': defineAction({ call: () => () => 1 }),
    'odd.bigint': defineAction({ call: () => ({ n: 10n }) }),
    'odd.throws': defineAction({ call: () => ({ toJSON: () => { throw new Error('secret-in-toJSON'); } }) }),
  };
  return withServer({ actions: { ...actions, ...results }, log: (l) => logged.push(l) }, async ({ url }) => {
    const r = await batch(url, { actions: [...Object.keys(results).map((name) => ({ name })), { name: 'math.add', args: { a: 1, b: 2 } }] });
    assert.equal(r.status, 200);
    const entries = r.body.results as { name: string; status: number; code?: string; error?: string; data?: unknown }[];
    assert.deepEqual(entries.map((e) => [e.name, e.status, e.code]), [
      ['odd.fn', 500, 'INTERNAL'],
      ['odd.bigint', 500, 'INTERNAL'],
      ['odd.throws', 500, 'INTERNAL'],
      ['math.add', 200, undefined],
    ]);
    for (const e of entries.slice(0, 3)) assert.match(e.error!, /--dev/, `${e.name}: redacted`);
    assert.deepEqual(entries[3]!.data, { sum: 3 });
    assert.equal(r.body.success, false);
    assert.ok(logged.some((l) => l.includes('secret-in-toJSON')), 'the details are in the log');
  });
});
