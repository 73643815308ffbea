// The input as the action's schema sees it (issue 13, §1): Piko's token keys taken out, and
// form text typed by the action's JSON Schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { defineAction } from '../../src/server/index.js';
import type { RegisteredAction } from '../../src/server/registry.js';
import { stripPikoTokens, typeFormFields } from '../../src/server/http/normalize-input.js';
import { toJsonSchema } from '../../src/server/schema.js';
import { BASE, postStream, withServer } from '../helpers/server.js';

const strict = defineAction({
  input: z.strictObject({ name: z.string() }),
  call: (input) => input,
  async streamProgress(input, stream) {
    await stream.sendComplete(input);
  },
});

test('stripPikoTokens takes out both of Piko\'s keys and nothing else, leaving the object it was given alone', () => {
  const given = { name: 'x', _csrf_ephemeral_token: 'e', _captcha_token: 'c', _other: 1 };
  assert.deepEqual(stripPikoTokens(given), { name: 'x', _other: 1 });
  assert.equal(given._csrf_ephemeral_token, 'e');
  const clean = { name: 'y' };
  assert.equal(stripPikoTokens(clean), clean);
});

test('a schema that refuses unknown keys still takes input carrying Piko\'s tokens: plain, stream and GET', () =>
  withServer({ actions: { 'util.strict': strict } }, async ({ url }) => {
    const input = { name: 'n', _csrf_ephemeral_token: 'eph', _captcha_token: 'cap' };
    const plain = await fetch(`${url}${BASE}/util.strict`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(input) });
    assert.deepEqual([plain.status, await plain.json()], [200, { name: 'n' }]);
    const streamed = await postStream(url, 'util.strict', input);
    assert.deepEqual(streamed.events.map((e) => [e.type, e.data]), [['complete', { name: 'n' }]]);
    const get = await fetch(`${url}${BASE}/util.strict?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { Accept: 'text/event-stream' } });
    assert.match(await get.text(), /event: complete\ndata: \{"name":"n"\}/);
    // Without the stripping the same schema refuses other keys, so the test above means something.
    const other = await fetch(`${url}${BASE}/util.strict`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":"n","_x":1}' });
    assert.equal(other.status, 422);
  }));

function registered(input: z.ZodType): RegisteredAction {
  return { name: 't.t', source: 'test', action: defineAction({ input, call: () => null }) } as RegisteredAction;
}

test('typeFormFields: form text becomes what each field\'s schema wants, where it reads cleanly as that', () => {
  const action = registered(
    z.object({
      n: z.number(),
      i: z.number().int().optional(),
      ok: z.boolean(),
      tick: z.boolean(),
      off: z.boolean(),
      obj: z.object({ a: z.number() }),
      tags: z.array(z.string()),
      nums: z.array(z.number()),
      one: z.array(z.number()),
      s: z.string(),
      maybe: z.number().nullable(),
    }),
  );
  const file = new File(['x'], 'x.txt');
  assert.deepEqual(
    typeFormFields(toJsonSchema(action.action.input), {
      n: '1.5',
      i: 'seven',
      ok: 'true',
      tick: 'on',
      off: 'false',
      obj: '{"a":1}',
      tags: 'solo',
      nums: ['1', '2'],
      one: '[3,4]',
      s: '42',
      maybe: '7',
      unknown: '5',
      f: file,
    }),
    {
      n: 1.5,
      i: 'seven', // left for the schema to refuse, naming the field
      ok: true,
      tick: true,
      off: false,
      obj: { a: 1 },
      tags: ['solo'],
      nums: [1, 2],
      one: [3, 4],
      s: '42',
      maybe: 7,
      unknown: '5',
      f: file,
    },
  );
});
