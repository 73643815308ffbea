// From the page's fields to an action's input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acceptedFields, buildInput, type FieldValue } from '../../src/web/run-input.js';

const fields = (name: string, steps: string, delayMs: string, badSteps = false): FieldValue[] => [
  { name: 'name', kind: 'text', value: name },
  { name: 'steps', kind: 'number', value: steps, badInput: badSteps },
  { name: 'delayMs', kind: 'number', value: delayMs },
];

test('numbers are sent as numbers', () => {
  assert.deepEqual(buildInput(fields('demo', '5', '200')), { ok: true, input: { name: 'demo', steps: 5, delayMs: 200 } });
});

test('an empty number field is left out, so the action uses its default', () => {
  assert.deepEqual(buildInput(fields('demo', '', ' ')), { ok: true, input: { name: 'demo' } });
});

test('an empty name is sent as it is: the server says what is wrong with it', () => {
  assert.deepEqual(buildInput(fields('', '1', '0')), { ok: true, input: { name: '', steps: 1, delayMs: 0 } });
});

test('out-of-range and fractional numbers are sent too, for the server to judge', () => {
  assert.deepEqual(buildInput(fields('x', '1.5', '-1')), { ok: true, input: { name: 'x', steps: 1.5, delayMs: -1 } });
});

test('text a number field could not read is an error on that field', () => {
  const result = buildInput(fields('x', '', '0', true));
  assert.equal(result.ok, false);
  assert.deepEqual(Object.keys(!result.ok ? result.errors : {}), ['steps']);
});

test('only the fields the action takes are sent', () => {
  const accepted = acceptedFields({ type: 'object', properties: { delayMs: {}, after: {} } });
  assert.deepEqual(buildInput(fields('x', '3', '50'), accepted), { ok: true, input: { delayMs: 50 } });
});

test('a schema without properties says nothing about fields', () => {
  assert.equal(acceptedFields({}), undefined);
  assert.equal(acceptedFields(undefined), undefined);
  assert.equal(acceptedFields({ type: 'object', properties: null }), undefined);
});
