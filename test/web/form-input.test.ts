// From what was typed into the page's fields to an action's input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildInput, parseWholeInput, WHOLE_INPUT, type RawValue } from '../../src/web/form-input.js';
import { formFields, type FormField } from '../../src/web/schema-fields.js';

const TASK: FormField[] = [
  { name: 'name', control: 'text', required: true },
  { name: 'steps', control: 'integer', required: false, default: 5 },
  { name: 'delayMs', control: 'integer', required: false, default: 200 },
];

const typed = (values: Record<string, string | RawValue>) => (name: string) => {
  const value = values[name];
  return typeof value === 'string' ? { text: value } : value;
};

test('numbers are sent as numbers', () => {
  assert.deepEqual(buildInput(TASK, typed({ name: 'demo', steps: '5', delayMs: '200' })), { ok: true, input: { name: 'demo', steps: 5, delayMs: 200 } });
});

test('an empty number field is left out, so the action uses its default', () => {
  assert.deepEqual(buildInput(TASK, typed({ name: 'demo', steps: '', delayMs: ' ' })), { ok: true, input: { name: 'demo' } });
});

test('an empty required text is sent as it is: the server says what is wrong with it', () => {
  assert.deepEqual(buildInput(TASK, typed({ name: '', steps: '1', delayMs: '0' })), { ok: true, input: { name: '', steps: 1, delayMs: 0 } });
});

test('an empty optional text is left out', () => {
  const fields: FormField[] = [{ name: 'note', control: 'text', required: false }];
  assert.deepEqual(buildInput(fields, typed({ note: '' })), { ok: true, input: {} });
  assert.deepEqual(buildInput(fields, typed({ note: ' x ' })), { ok: true, input: { note: ' x ' } });
});

test('out-of-range and fractional numbers are sent too, for the server to judge', () => {
  assert.deepEqual(buildInput(TASK, typed({ name: 'x', steps: '1.5', delayMs: '-1' })), { ok: true, input: { name: 'x', steps: 1.5, delayMs: -1 } });
});

test('text a number field could not read is an error on that field', () => {
  const result = buildInput(TASK, typed({ name: 'x', steps: { text: '', badInput: true }, delayMs: '0' }));
  assert.deepEqual(result, { ok: false, errors: { steps: ['Enter a whole number.'] } });
  const ratio = buildInput([{ name: 'r', control: 'number', required: false }], typed({ r: { text: '', badInput: true } }));
  assert.deepEqual(ratio, { ok: false, errors: { r: ['Enter a number.'] } });
});

test('a checkbox sends true or false', () => {
  const fields: FormField[] = [{ name: 'loud', control: 'checkbox', required: false }];
  assert.deepEqual(buildInput(fields, typed({ loud: { text: '', checked: true } })), { ok: true, input: { loud: true } });
  assert.deepEqual(buildInput(fields, typed({ loud: { text: '' } })), { ok: true, input: { loud: false } });
});

test('a select sends the chosen value with its JSON type; no choice sends nothing', () => {
  const fields: FormField[] = [{ name: 'level', control: 'select', required: true, choices: [1, 'two', null] }];
  assert.deepEqual(buildInput(fields, typed({ level: '0' })), { ok: true, input: { level: 1 } });
  assert.deepEqual(buildInput(fields, typed({ level: '2' })), { ok: true, input: { level: null } });
  assert.deepEqual(buildInput(fields, typed({ level: '' })), { ok: true, input: {} });
  assert.deepEqual(buildInput(fields, typed({ level: '7' })), { ok: true, input: {} });
});

test('a JSON field sends what it parses to', () => {
  const fields = formFields({ properties: { tags: { type: 'array' }, meta: { type: 'object' }, any: {} } })!;
  const result = buildInput(fields, typed({ tags: '["a", 2]', meta: ' {"k": [true]} ', any: '"x"' }));
  assert.deepEqual(result, { ok: true, input: { tags: ['a', 2], meta: { k: [true] }, any: 'x' } });
  assert.deepEqual(buildInput(fields, typed({ tags: '', meta: '  ', any: '' })), { ok: true, input: {} });
});

test('JSON that does not parse, or is not the list or object asked for, is a clear error on its field', () => {
  const fields = formFields({ properties: { tags: { type: 'array' }, meta: { type: 'object' }, any: {} } })!;
  const result = buildInput(fields, typed({ tags: '{"a": 1}', meta: '[1]', any: '{oops' }));
  assert.equal(result.ok, false);
  const errors = !result.ok ? result.errors : {};
  assert.deepEqual(errors.tags, ['Write a JSON list, such as ["a", "b"].']);
  assert.deepEqual(errors.meta, ['Write a JSON object, such as {"key": "value"}.']);
  assert.match(errors.any![0]!, /^This is not JSON \(.+\)\. Write JSON, such as /);
});

test('only the fields the action declares are sent; a missing control sends nothing', () => {
  assert.deepEqual(buildInput(TASK, typed({ name: 'x', other: 'y' })), { ok: true, input: { name: 'x' } });
});

test('the whole-input box: empty is {}, JSON is sent as it is, anything else is an error on the box', () => {
  assert.deepEqual(parseWholeInput('  '), { ok: true, input: {} });
  assert.deepEqual(parseWholeInput('{"name": "x", "n": [1]}'), { ok: true, input: { name: 'x', n: [1] } });
  assert.deepEqual(parseWholeInput('[1]'), { ok: true, input: [1] });
  const bad = parseWholeInput('name: x');
  assert.equal(bad.ok, false);
  assert.match(!bad.ok ? bad.errors[WHOLE_INPUT]![0]! : '', /^This is not JSON/);
});
