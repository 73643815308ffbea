// From an action's input schema to the page's form fields. The schemas come from zod through
// the server's own toJsonSchema, so they are what a real manifest holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { toJsonSchema } from '../../src/server/schema.js';
import { fieldHint, formFields, type FormField } from '../../src/web/schema-fields.js';

const manifestInput = (shape: z.ZodRawShape) => toJsonSchema(z.object(shape));
const byName = (fields: FormField[] | undefined) => new Map((fields ?? []).map((f) => [f.name, f]));

test('each JSON type gets its control, in the schema’s order', () => {
  const fields = formFields(
    manifestInput({
      title: z.string(),
      count: z.number().int(),
      ratio: z.number(),
      loud: z.boolean(),
      color: z.enum(['red', 'green']),
      tags: z.array(z.string()),
      meta: z.object({ a: z.number() }),
    }),
  );
  assert.deepEqual(
    fields?.map((f) => [f.name, f.control, f.shape]),
    [
      ['title', 'text', undefined],
      ['count', 'integer', undefined],
      ['ratio', 'number', undefined],
      ['loud', 'checkbox', undefined],
      ['color', 'select', undefined],
      ['tags', 'json', 'array'],
      ['meta', 'json', 'object'],
    ],
  );
});

test('task.process: name is required, steps and delayMs carry bounds, defaults and descriptions', () => {
  const fields = byName(
    formFields(
      manifestInput({
        name: z.string().min(1).max(200).describe('a name for the task'),
        steps: z.number().int().min(1).max(10_000).default(5).describe('how many steps to run'),
        delayMs: z.number().int().min(0).max(60_000).default(200).describe('the pause before each step, in ms'),
      }),
    ),
  );
  assert.deepEqual(fields.get('name'), {
    name: 'name',
    control: 'text',
    required: true,
    description: 'a name for the task',
    minLength: 1,
    maxLength: 200,
  });
  const steps = fields.get('steps')!;
  assert.equal(steps.required, false, 'a field with a default may be left out');
  assert.deepEqual([steps.minimum, steps.maximum, steps.default], [1, 10_000, 5]);
  assert.equal(fieldHint(steps), 'how many steps to run · 1 to 10,000 · default 5');
  assert.equal(fieldHint(fields.get('name')!), 'a name for the task · 1 to 200 characters');
});

test('enums, consts and unions of literals are choices of any JSON type', () => {
  const fields = byName(
    formFields(
      manifestInput({
        color: z.enum(['red', 'green']).default('green'),
        level: z.union([z.literal(1), z.literal(2)]),
        only: z.literal(true),
      }),
    ),
  );
  assert.deepEqual(fields.get('color')?.choices, ['red', 'green']);
  assert.equal(fields.get('color')?.default, 'green');
  assert.deepEqual([fields.get('level')?.control, fields.get('level')?.choices, fields.get('level')?.required], ['select', [1, 2], true]);
  assert.deepEqual(fields.get('only')?.choices, [true]);
});

test('a nullable or optional field is entered as its type', () => {
  const fields = byName(formFields(manifestInput({ note: z.string().nullable().optional(), n: z.number().int().nullable() })));
  assert.equal(fields.get('note')?.control, 'text');
  assert.equal(fields.get('n')?.control, 'integer');
  const anyOf = formFields({ type: 'object', properties: { x: { anyOf: [{ type: 'boolean' }, { type: 'null' }], description: 'd' } } });
  assert.deepEqual(anyOf?.[0], { name: 'x', control: 'checkbox', required: false, description: 'd' });
});

test('exclusive bounds read as < and >', () => {
  const [ratio] = formFields(manifestInput({ ratio: z.number().gt(0).lt(1) }))!;
  assert.equal(fieldHint(ratio!), '> 0, < 1');
  const [low] = formFields({ properties: { n: { type: 'integer', minimum: 3 } } })!;
  assert.equal(fieldHint(low!), '≥ 3');
  const [mixed] = formFields({ properties: { n: { type: 'number', minimum: 0, exclusiveMaximum: 1 } } })!;
  assert.equal(fieldHint(mixed!), '≥ 0, < 1');
});

test('text bounds count characters', () => {
  const hints = ['min', 'max', 'one'].map((k) => {
    const prop = { min: { type: 'string', minLength: 3 }, max: { type: 'string', maxLength: 9 }, one: { type: 'string', minLength: 1 } }[k];
    return fieldHint(formFields({ properties: { [k]: prop } })![0]!);
  });
  assert.deepEqual(hints, ['at least 3 characters', 'at most 9 characters', 'at least 1 character']);
});

test('JSON fields say what they take; defaults of any type show as JSON', () => {
  const fields = byName(formFields(manifestInput({ tags: z.array(z.string()).default(['a']), meta: z.object({}).optional(), loud: z.boolean().default(true) })));
  assert.equal(fieldHint(fields.get('tags')!), 'a JSON list · default ["a"]');
  assert.equal(fieldHint(fields.get('meta')!), 'a JSON object');
  assert.equal(fieldHint(fields.get('loud')!), '', 'a checkbox shows its default by being ticked');
  const [odd] = formFields({ properties: { x: { type: ['string', 'integer'] } } })!;
  assert.deepEqual([odd!.control, odd!.shape], ['json', 'any']);
});

test('a schema that lists no fields gives none: the page falls back to one JSON box', () => {
  for (const schema of [undefined, {}, { type: 'object' }, { type: 'object', properties: {} }, { properties: null }, { properties: [] }]) {
    assert.equal(formFields(schema as never), undefined, JSON.stringify(schema));
  }
});
